"""The JSON of ``python -m budgetmap stats``: an ``Analysis`` as plain values, with its summary.

The names ``moran`` (``I``, ``p_sim``), ``lisa`` (id -> ``quadrant``, ``p_sim``),
``islands`` and ``outliers`` are a contract held by outside checks
(docs/analysis.md, "The JSON"); everything else may grow. NaN becomes null.
"""
from __future__ import annotations

import math

from budgetmap.stats.analysis import Analysis
from budgetmap.stats.spatial import PERMUTATIONS, QUADRANTS, SEED
from budgetmap.stats.weights import WEIGHTS
from budgetmap.stats.words import summary

QUADRANTS_BY_CODE = {code: label for code, label, _ in QUADRANTS.values()}


def _finite(x: float | None) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def to_dict(analysis: Analysis) -> dict:
    """The JSON contract of ``python -m budgetmap stats`` (docs/analysis.md)."""
    v = analysis.values
    out: dict = {"subject": v.subject, "key": v.key, "label": v.label, "basis": v.basis,
                 "year": list(v.years) if isinstance(v.years, tuple) else v.years, "layer": v.layer,
                 "weights": analysis.weights, "weights_label": WEIGHTS[analysis.weights].label,
                 "row_standardised": True, "permutations": PERMUTATIONS, "seed": SEED, "alpha": analysis.alpha,
                 "smoothed_used": analysis.smoothed_used, "n": analysis.n, "districts": len(v.ids)}
    if analysis.moran is None:
        out["moran"] = {"I": None, "EI": None, "p_sim": None, "z_sim": None, "significant": False,
                        "reason": "fewer than three districts with a value and a neighbour, or no variation"}
    else:
        m = analysis.moran
        out["moran"] = {"I": m.I, "EI": m.EI, "p_sim": m.p_sim, "z_sim": m.z_sim,
                        "significant": m.significant(analysis.alpha)}
    out["lisa"] = {r.district_id: {"quadrant": r.code, "p_sim": r.p_sim, "significant": r.significant,
                                   "label": QUADRANTS_BY_CODE[r.code], "Ii": r.statistic} for r in analysis.lisa}
    out["gi"] = {r.district_id: {"class": r.code, "p_sim": r.p_sim, "z": r.statistic} for r in analysis.gi}
    out["islands"] = list(analysis.islands)
    out["no_data"] = list(analysis.no_data)
    out["outliers"] = list(analysis.outlier_ids)
    out["outlier_rule"] = analysis.outliers.rule
    fences = analysis.outliers.fences
    out["outlier_fences"] = {"low": _finite(fences.low), "high": _finite(fences.high)}
    out["small_numbers"] = list(analysis.small_ids)
    out["min_population"] = v.min_population
    out["values"] = {i: _finite(x) for i, x in zip(v.ids, v.values)}
    if analysis.smoothed is not None:
        out["smoothed"] = {i: _finite(x) for i, x in zip(v.ids, analysis.smoothed)}
    out["names"] = analysis.names
    out["summary"] = summary(analysis)
    return out
