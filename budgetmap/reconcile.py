"""Reconciliation in words: every dollar read is on the map or listed, to the cent.

input total = districts + citywide + unmatched district + no location (+ keyed to
another boundary layer) (+ rejected rows, for the whole file). The ledger computes
the parts and, separately, the total (``budgetmap.model.money``); this module only
says them.
"""
from __future__ import annotations

from budgetmap import fmt
from budgetmap.model import Reconciliation


def reconciliation_line(rec: Reconciliation) -> str:
    """One sentence for under the map, with exact cents."""
    m = lambda v: fmt.money_cents(v, rec.currency)  # noqa: E731
    parts = [f"{m(rec.districts)} in districts", f"{m(rec.citywide)} citywide",
             f"{m(rec.unmatched)} with an unknown district", f"{m(rec.no_location)} with no location"]
    if rec.other_layer:
        parts.append(f"{m(rec.other_layer)} keyed to another boundary layer")
    if rec.rejected:
        parts.append(f"{m(rec.rejected)} in rejected rows")
    check = "" if rec.balanced else " — DOES NOT BALANCE"
    return f"Total {m(rec.input_total)} = " + " + ".join(parts) + check
