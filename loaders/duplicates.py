"""Spending rows that repeat an earlier row cell for cell: listed, and kept unless the manifest says drop.

A repeated export or a copy-paste counts money twice without a sign on the map,
yet two identical rows can be two real payments; so the loaders do not guess.
With ``duplicates = "keep"`` (the default) the load report says how many rows
repeat, which ones and how much money they carry; with ``"drop"`` each repeat is
a rejected row naming the row it repeats, its money counted as rejected. Rows
with every cell empty are blank lines, not duplicates. Both ledgers (pandas and
DuckDB) find the same rows and write the same note.
"""
from __future__ import annotations

from collections.abc import Sequence

from typing import Any

import duckdb
import pandas as pd

from budgetmap import fmt

LISTED = 20  # rows named in the note; the count covers them all


def repeats(frame: pd.DataFrame, columns: list[str]) -> dict[int, int]:
    """source_row of each repeat -> source_row of the first row with the same cells (blank rows left out)."""
    cells = frame[columns]
    filled = cells.ne("").any(axis=1)
    cells = cells[filled]
    again = cells.duplicated(keep="first")
    if not again.any():
        return {}
    first = frame.loc[cells.index, "source_row"].groupby([cells[c] for c in columns], sort=False).transform("first")
    rows = frame.loc[cells.index, "source_row"]
    return {int(r): int(f) for r, f in zip(rows[again], first[again])}


def sql_repeats(con: duckdb.DuckDBPyConnection, texts: Sequence[str]) -> dict[int, int]:
    """The same for the DuckDB reader's ``raw_rows`` (row number rn); ``texts`` are its cells as SQL text."""
    cells = ", ".join(texts)
    filled = " OR ".join(f"coalesce({t}, '') <> ''" for t in texts)
    found = con.execute(f"SELECT unnest(list_filter(rns, lambda r: r <> first)) AS rn, first FROM (SELECT list(rn) "
                        f"AS rns, min(rn) AS first FROM raw_rows WHERE {filled} GROUP BY {cells} "
                        "HAVING count(*) > 1) ORDER BY rn").fetchall()
    return {int(r): int(f) for r, f in found}


def _money(cents: int) -> str:
    return fmt.cents_text(cents)


def note(found: dict[int, int], cents: dict[str, Any]) -> str:
    """The load report's line: how many rows repeat, which (and what they repeat), the money they carry."""
    items = sorted(found.items())
    shown = items[:LISTED]
    more = f" and {len(items) - LISTED} more" if len(items) > LISTED else ""
    one = len(items) == 1
    money = ", ".join(f"{_money(int(v))} {k.removesuffix('_cents')}" for k, v in cents.items() if v is not None)
    return (f"{len(items)} row{'' if one else 's'} repeat{'s' if one else ''} an earlier row exactly (every cell "
            f"the same) and {'is' if one else 'are'} counted each time: row{'' if one else 's'} "
            f"{', '.join(str(r) for r, _ in shown)}{more} (same as row{'' if one else 's'} "
            f"{', '.join(str(f) for _, f in shown)}), carrying {money or 'no amount'}; if they are copies, "
            "set duplicates = \"drop\" under [spending]")
