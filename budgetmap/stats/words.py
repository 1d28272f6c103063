"""The statistics in plain language, for the summary under a map and the CLI.

"Spending per resident clusters: high-high in 4 districts (A, B, C, D); Moran's I
0.41, p = 0.002." Only what passed the significance level is called a cluster;
otherwise the words say "no significant clustering". Islands, outliers and small
numbers are named, so a reader never has to wonder where a district went.
"""
from __future__ import annotations

from collections.abc import Sequence

from budgetmap import fmt
from budgetmap.stats.analysis import Analysis
from budgetmap.stats.outliers import OUTLIER_RULES
from budgetmap.stats.weights import WEIGHTS

#: Names listed before "and N more".
MOST_NAMES = 6
#: LISA quadrants in reading order, with the words for them.
_QUADRANT_WORDS = (("HH", "high-high"), ("LL", "low-low"), ("HL", "high among low neighbours"),
                   ("LH", "low among high neighbours"))


def names(analysis: Analysis, ids: Sequence[str], most: int = MOST_NAMES) -> str:
    """'Downtown, Old Mill and Harbor Point'; 'A, B, C, D, E, F and 3 more'."""
    shown = [analysis.name(i) for i in ids[:most]]
    rest = len(ids) - len(shown)
    if rest:
        return f"{', '.join(shown)} and {rest} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def _count(n: int) -> str:
    return fmt.plural(n, "district")


def _p(p: float) -> str:
    return f"p = {p:.3f}"


def _groups(analysis: Analysis, codes: Sequence[str]) -> list[str]:
    """'high-high in 4 districts (A, B, C and D)' per quadrant with significant districts."""
    out = []
    for code, words in _QUADRANT_WORDS:
        ids = analysis.clusters(code) if code in codes else []
        if ids:
            out.append(f"{words} in {_count(len(ids))} ({names(analysis, ids)})")
    return out


def clustering(analysis: Analysis) -> str:
    """The headline sentence: global Moran's I and, when it is significant, where the clusters are."""
    label, m = analysis.values.label, analysis.moran
    if m is None:
        return (f"{label}: too few districts with a value and a neighbour, or no differences between them, "
                "to test for clustering.")
    stat = f"Moran's I {m.I:.2f}, {_p(m.p_sim)}"
    if not m.significant(analysis.alpha):
        return f"{label}: no significant clustering ({stat}, {WEIGHTS[analysis.weights].label.lower()})."
    if m.I < m.EI:
        return f"{label} is dispersed: neighbours differ more than chance would have it ({stat})."
    parts = _groups(analysis, ("HH", "LL"))
    if not parts:
        return (f"{label} clusters overall ({stat}), though no single district's cluster is significant "
                f"at {analysis.alpha:g}.")
    return f"{label} clusters: {'; '.join(parts)}; {stat}."


def local(analysis: Analysis) -> str:
    """Districts significant on their own that the headline did not name ('' when none)."""
    clustered = analysis.moran is not None and analysis.moran.significant(analysis.alpha) \
        and analysis.moran.I >= analysis.moran.EI
    parts = _groups(analysis, ("HL", "LH") if clustered else ("HH", "LL", "HL", "LH"))
    if not parts:
        return ""
    chance = "" if clustered else f" (with no pattern overall, about {analysis.alpha:.0%} of districts pass by chance)"
    return f"Significant at {analysis.alpha:g}{chance}: {'; '.join(parts)}."


def summary(analysis: Analysis) -> str:
    """All the plain-language sentences of one analysis, in reading order."""
    sentences = [clustering(analysis), local(analysis)]
    if analysis.islands:
        sentences.append(f"Not tested (no neighbour with a value): {names(analysis, analysis.islands)}.")
    if analysis.outlier_ids:
        rule = OUTLIER_RULES[analysis.outliers.rule].label
        sentences.append(f"Outliers by {rule}: {names(analysis, analysis.outlier_ids)}.")
    if analysis.small_ids:
        sentences.append(f"Fewer than {analysis.values.min_population:,} residents, too few to trust a "
                         f"per-resident figure: {names(analysis, analysis.small_ids)}.")
    if analysis.smoothed_used:
        sentences.append("Computed on empirical Bayes smoothed rates.")
    return " ".join(s for s in sentences if s)
