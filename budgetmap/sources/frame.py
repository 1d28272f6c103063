"""The pandas ledger: line items held in one in-memory frame.

Right for the files a city office usually has (up to a few hundred thousand
line items); ``budgetmap.sources.duckdb`` takes over for millions. Sums are exact
at any size (``budgetmap.model.money``).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from budgetmap.model.ledger import GROUPABLE, DistrictTotals, SpendingQuery
from budgetmap.model.money import Reconciliation, exact_group_sum, exact_group_sum_count, exact_sum

#: The columns a frame ledger is built from; ``district_id``/``location`` per layer are extra.
LINE_COLUMNS: tuple[str, ...] = ("fiscal_year", "period", "department", "program", "fund", "project",
                                 "raw_district", "budget_cents", "actual_cents", "source_row")


def key_columns(layer: str) -> tuple[str, str]:
    """The frame's district and location columns for one layer."""
    return f"district_id@{layer}", f"location@{layer}"


class FrameLedger:
    """Line items in a pandas frame with, per layer, a district key and a location."""

    engine = "pandas"

    def __init__(self, frame: pd.DataFrame, layers: Sequence[str], default: str) -> None:
        missing = [c for c in LINE_COLUMNS if c not in frame.columns]
        missing += [c for layer in layers for c in key_columns(layer) if c not in frame.columns]
        if missing:
            raise ValueError(f"line item frame lacks {missing}")
        self._frame = frame.reset_index(drop=True).copy()
        self._layers = tuple(layers)
        self._default = default
        years = self._frame["fiscal_year"].dropna().unique()
        self._years = tuple(sorted(int(y) for y in years))

    def layers(self) -> tuple[str, ...]:
        return self._layers

    def fiscal_years(self) -> tuple[int, ...]:
        return self._years

    def has(self, amount: str) -> bool:
        return bool(self._frame[amount].notna().any())

    def categories(self, column: str, within: Mapping[str, Sequence[str]] | None = None) -> list[str]:
        rows = self._frame
        for other, chosen in (within or {}).items():
            if chosen:
                rows = rows[rows[other].isin(list(chosen))]
        return sorted(v for v in rows[column].unique() if v)

    def _rows(self, query: SpendingQuery) -> pd.DataFrame:
        """Rows matching the query with ``district_id`` and ``location`` of its layer."""
        frame = self._frame
        keep = frame[query.amount].notna().to_numpy().copy()
        if query.years is not None:
            keep &= frame["fiscal_year"].isin(query.years).to_numpy()
        for column, chosen in query.filters().items():
            keep &= frame[column].isin(chosen).to_numpy()
        rows = frame[keep]
        layer = query.layer or self._default
        if layer in self._layers:
            district, location = key_columns(layer)
            return rows.assign(district_id=rows[district], location=rows[location])
        return rows.assign(district_id=None, location="other_layer")

    def totals(self, query: SpendingQuery, currency: str) -> DistrictTotals:
        rows = self._rows(query)
        cents = rows[query.amount]
        by_place = exact_group_sum(cents, rows["location"])
        located = rows["location"].eq("district").to_numpy()
        per_district = exact_group_sum(cents[located], rows.loc[located, "district_id"])
        rec = Reconciliation(currency=currency, input_total=exact_sum(cents),
                             districts=by_place.get("district", 0), citywide=by_place.get("citywide", 0),
                             unmatched=by_place.get("unmatched", 0), no_location=by_place.get("no_location", 0),
                             other_layer=by_place.get("other_layer", 0))
        return DistrictTotals(per_district, rec, rows=len(rows), layer=query.layer or self._default)

    def sums(self, query: SpendingQuery, by: Sequence[str]) -> pd.DataFrame:
        unknown = [c for c in by if c not in GROUPABLE]
        if unknown:
            raise ValueError(f"cannot group by {unknown}")
        rows = self._rows(query)
        if not by:
            return pd.DataFrame({"cents": [exact_sum(rows[query.amount])], "rows": [len(rows)]}, dtype=object)
        sums = exact_group_sum_count(rows[query.amount], [rows[c] for c in by])
        keys = [k if isinstance(k, tuple) else (k,) for k in sums]
        out = pd.DataFrame(keys, columns=list(by)) if keys else pd.DataFrame(columns=list(by))
        out["cents"] = pd.Series([total for total, _ in sums.values()], dtype=object)
        out["rows"] = [count for _, count in sums.values()]
        return out.sort_values(list(by)).reset_index(drop=True)

    def line_items(self, query: SpendingQuery, district_id: str | None = None, limit: int = 1000) -> pd.DataFrame:
        rows = self._rows(query)
        if district_id is not None:
            rows = rows[rows["district_id"].eq(district_id).to_numpy()]
        columns = [c for c in (*LINE_COLUMNS, "district_id", "location") if c in rows.columns]
        return rows[columns].head(limit).reset_index(drop=True).copy()


def empty_frame(layers: Sequence[str]) -> pd.DataFrame:
    """A line item frame with no rows, typed as the loaders type theirs."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in LINE_COLUMNS})
    for layer in layers:
        for column in key_columns(layer):
            frame[column] = pd.Series(dtype=object)
    for column in ("budget_cents", "actual_cents"):
        frame[column] = frame[column].astype("Int64")
    frame["fiscal_year"] = frame["fiscal_year"].astype("int64")
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame

