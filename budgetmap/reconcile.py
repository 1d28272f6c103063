"""Reconciliation: every dollar read is on the map or listed, to the cent.

input total = districts + citywide + unmatched district + no location (+ rejected
rows, for the whole file). Amounts are integer cents, so the identity is exact.
"""
from __future__ import annotations

import pandas as pd

from budgetmap import fmt
from loaders.model import LOCATIONS
from loaders.report import Reconciliation


def reconcile(spending: pd.DataFrame, amount: str, currency: str, rejected: int = 0) -> Reconciliation:
    """Split the money in ``spending[amount]`` (cents) by where it lands."""
    cents = spending[amount].fillna(0).astype("int64")
    by_place = cents.groupby(spending["location"]).sum()

    def part(name: str) -> int:
        return int(by_place.get(name, 0))

    located = sum(part(p) for p in LOCATIONS)
    return Reconciliation(currency=currency, input_total=located + int(rejected),
                          districts=part("district"), citywide=part("citywide"),
                          unmatched=part("unmatched"), no_location=part("no_location"),
                          rejected=int(rejected))


def reconciliation_line(rec: Reconciliation) -> str:
    """One sentence for under the map, with exact cents."""
    m = lambda v: fmt.money_cents(v, rec.currency)  # noqa: E731
    parts = [f"{m(rec.districts)} in districts", f"{m(rec.citywide)} citywide",
             f"{m(rec.unmatched)} with an unknown district", f"{m(rec.no_location)} with no location"]
    if rec.rejected:
        parts.append(f"{m(rec.rejected)} in rejected rows")
    check = "" if rec.balanced else " — DOES NOT BALANCE"
    return f"Total {m(rec.input_total)} = " + " + ".join(parts) + check
