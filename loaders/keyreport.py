"""Join diagnostics shared by every table that refers to districts."""
from __future__ import annotations

import pandas as pd

from loaders.joins import suggest
from budgetmap.model import MissingDistrict, UnmatchedKey

MAX_SUGGESTED_KEYS = 500


def unmatched_keys(table: str, frame: pd.DataFrame, district_ids: list[str],
                   amount: str | None = None) -> list[UnmatchedKey]:
    """Every distinct key that matched no district, with its rows, money and a suggestion."""
    bad = frame[frame["location"] == "unmatched"]
    if bad.empty:
        return []
    grouped = bad.groupby("raw_district", sort=True)
    rows = grouped["rows"].sum() if "rows" in bad.columns else grouped.size()  # a frame of sums says how many
    money = grouped[amount].agg(lambda v: sum(int(c) for c in v if pd.notna(c)) if v.notna().any() else None) \
        if amount else None
    out = []
    for i, (key, count) in enumerate(rows.sort_values(ascending=False).items()):
        guess, why = suggest(str(key), district_ids) if i < MAX_SUGGESTED_KEYS else (None, None)
        cents = None
        if money is not None and pd.notna(money.get(key)):
            cents = int(money[key])
        out.append(UnmatchedKey(table, str(key), int(count), cents, guess, why))
    return out


def missing_districts(table: str, frame: pd.DataFrame, districts: pd.DataFrame,
                      unmatched: list[UnmatchedKey]) -> list[MissingDistrict]:
    """Districts no row refers to; the unmatched keys are the likely culprits."""
    used = set(frame.loc[frame["location"] == "district", "district_id"])
    spare = [u.key for u in unmatched]
    out = []
    for did, name in zip(districts["district_id"], districts["name"]):
        if did in used:
            continue
        guess, why = suggest(did, spare) if spare else (None, None)
        if guess is None and name != did and spare:
            guess, why = suggest(name, spare)
        out.append(MissingDistrict(table, did, name, guess, why))
    return out


