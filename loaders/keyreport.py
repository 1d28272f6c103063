"""Join diagnostics shared by every table that refers to districts."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from budgetmap.model import LoadReport, MissingDistrict, UnmatchedKey
from loaders.joins import Suggester
from loaders.rulefinder import table_suggestions

MAX_SUGGESTED_KEYS = 500


def unmatched_keys(table: str, frame: pd.DataFrame, district_ids: list[str],
                   amount: str | None = None) -> list[UnmatchedKey]:
    """Every distinct key that matched no district, with its rows, money and a suggestion."""
    bad = frame[frame["location"] == "unmatched"]
    if bad.empty:
        return []
    grouped = bad.groupby("raw_district", sort=True)
    rows = grouped["rows"].sum() if "rows" in bad.columns else grouped.size()  # a frame of sums says how many
    money: dict[object, int] = {}  # exact Python ints per key; keys with no amount at all stay absent
    if amount:
        for key, cents in zip(bad["raw_district"].to_numpy(dtype=object), bad[amount].to_numpy(dtype=object)):
            if not pd.isna(cents):
                money[key] = money.get(key, 0) + int(cents)
    out = []
    suggester = Suggester(district_ids)
    for i, (key, count) in enumerate(rows.sort_values(ascending=False).items()):
        guess, why = suggester.suggest(str(key)) if i < MAX_SUGGESTED_KEYS else (None, None)
        out.append(UnmatchedKey(table, str(key), int(count), money.get(key), guess, why))
    return out


def missing_districts(table: str, frame: pd.DataFrame, districts: pd.DataFrame,
                      unmatched: list[UnmatchedKey]) -> list[MissingDistrict]:
    """Districts no row refers to; the unmatched keys are the likely culprits."""
    used = set(frame.loc[frame["location"] == "district", "district_id"])
    spare = Suggester([u.key for u in unmatched])
    out = []
    for did, name in zip(districts["district_id"], districts["name"]):
        if did in used:
            continue
        guess, why = spare.suggest(did) if spare.candidates else (None, None)
        if guess is None and name != did and spare.candidates:
            guess, why = spare.suggest(name)
        out.append(MissingDistrict(table, did, name, guess, why))
    return out




def suggest_rules(report: LoadReport, table: str, joined: pd.DataFrame, districts: pd.DataFrame,
                  options: Mapping[str, Any], currency: str | None = None) -> None:
    """Add the join rules that would bring this table's unmatched keys onto the map (loaders.rulefinder).

    ``joined`` has one row per key or line (``raw_district``, ``district_id``,
    ``location``); keys a suggested rule explains lose their one-key alias hint.
    """
    if not any(u.table == table for u in report.unmatched):
        return
    placed = joined[joined["location"] == "district"]
    matched = dict(zip(placed["raw_district"].astype(str).str.strip(), placed["district_id"].astype(str)))
    rules, unmatched = table_suggestions(table, report.unmatched, districts, options, matched, currency)
    report.unmatched[:] = unmatched
    report.suggested_rules.extend(rules)
