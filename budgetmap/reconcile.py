"""Reconciliation in words: every dollar read is on the map or listed, to the cent.

input total = districts + citywide + unmatched district + no location (+ keyed to
another boundary layer) (+ rejected rows, for the whole file). The ledger computes
the parts and, separately, the total (``budgetmap.model.money``); this module only
says them.
"""
from __future__ import annotations

from budgetmap import fmt
from budgetmap.model import Reconciliation


def reconciliation_line(rec: Reconciliation, citywide: str = fmt.CITYWIDE) -> str:
    """One sentence for under the map, with exact cents; ``citywide`` is the dataset's
    ``citywide_label`` ("Statewide" for a state's data)."""
    m = lambda v: fmt.money_cents(v, rec.currency)  # noqa: E731
    parts = [f"{m(rec.districts)} in districts", f"{m(rec.citywide)} {fmt.in_sentence(citywide)}",
             f"{m(rec.unmatched)} with an unknown district", f"{m(rec.no_location)} with no location"]
    if rec.other_layer:
        parts.append(f"{m(rec.other_layer)} keyed to another boundary layer")
    if rec.rejected:
        parts.append(f"{m(rec.rejected)} in rejected rows")
    check = "" if rec.balanced else " — DOES NOT BALANCE"
    return f"Total {m(rec.input_total)} = " + " + ".join(parts) + check


#: Off-map money at or above this share of the money read is called out on every map.
MATERIAL_OFF_MAP = 0.01


def off_map_note(rec: Reconciliation | None) -> str | None:
    """'21.0% of the money ($95.8 B) is off the map: …' when it is material, else None."""
    if rec is None or rec.off_map_share < MATERIAL_OFF_MAP:
        return None
    reasons = [why for cents, why in ((rec.unmatched, "its district key matches no district"),
                                      (rec.no_location, "it has no location"),
                                      (rec.rejected, "its rows were rejected")) if cents]
    return (f"{fmt.percent(rec.off_map_share * 100)} of the money ({fmt.money_cents(rec.off_map, rec.currency)}) "
            "is off the map: "
            f"{'; '.join(reasons)}. The load report lists it, with suggested fixes.")
