"""What a map page sends on its first screen: a plain figures table, a searchable district
picker on big maps, and the permalink as a link (no data grid or code box unless asked)."""
from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from budgetmap.dataset import open_dataset
from budgetmap.export_rows import figures
from budgetmap.permalink import view_from_params
from budgetmap.spending_map import build_spending_map as build_spec
from conftest import HOSTILE_NAMES, write_city
from devtools.testcity import write_grid_city
from test_pages import map_args, run
from ui import mapview

BIG = 400  # above the picker's list limit and the full table's row limit


class Table(HTMLParser):
    """The cells of an HTML table as text, row by row, and which cells were row headers."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.row_headers: list[str] = []
        self.caption = ""
        self._cell: list[str] | None = None
        self._tag = ""

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th", "caption"):
            self._cell, self._tag = [], tag if dict(attrs).get("scope") != "row" else "rowth"

    def handle_endtag(self, tag):
        if tag in ("td", "th", "caption") and self._cell is not None:
            text = "".join(self._cell)
            if tag == "caption":
                self.caption = text
            else:
                self.rows[-1].append(text)
                if self._tag == "rowth":
                    self.row_headers.append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def figures_table(at) -> Table:
    html = [m.value for m in at.markdown if 'class="bm-figures"' in m.value]
    assert len(html) == 1, "one figures table on the page"
    table = Table()
    table.feed(html[0])
    return table


@pytest.fixture
def big_city(tmp_path: Path, monkeypatch) -> Path:
    ids = [f"W{i:03d}" for i in range(1, BIG + 1)]
    names = [f"Ward {i}" for i in range(1, BIG + 1)]
    spending = [("2024", d, f"{(i * 7919) % 1000 + 1}.25") for i, d in enumerate(ids)]
    manifest = write_grid_city(tmp_path / "big", ids, names, spending)
    renamed = manifest.with_name("bigcity.toml")
    manifest.rename(renamed)
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(renamed))
    return renamed


def test_small_map_has_the_whole_table_as_escaped_html_and_no_grid(tmp_path: Path, monkeypatch):
    manifest = write_city(tmp_path / "hostile", names=HOSTILE_NAMES)
    manifest = manifest.rename(manifest.with_name("hostile.toml"))
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(manifest))
    at = run("app_pages/1_Spending_map.py", dataset="hostile", year="2024")
    assert not at.exception
    table = figures_table(at)
    spec = build_spec(open_dataset(manifest), view_from_params({"year": "2024"}))
    expected = figures(spec)
    assert table.rows[0] == list(expected[0]), "the header row names every column"
    assert table.row_headers == [r["District"] for r in expected], "every district, best rank first"
    assert sorted(table.row_headers) == sorted(HOSTILE_NAMES), "names as typed, not markup"
    raw = next(m.value for m in at.markdown if 'class="bm-figures"' in m.value)
    assert "<img" not in raw and "<b>" not in raw
    assert len(at.dataframe) == 0, "no data grid on the first screen"
    assert at.get("code") == [] or all("dataset=" not in c.value for c in at.get("code")), "no code box"


def test_numbers_in_the_table_are_readable_text():
    assert [mapview.cell_text(v) for v in (1234567, 1234.56789, 0.5, -0.00001, None, float("nan"), pd.NA,
                                           True)] == ["1,234,567", "1,234.5679", "0.5", "0", "", "", "", "yes"]


def test_big_map_shows_its_top_and_bottom_rows_and_the_rest_on_demand(big_city: Path):
    at = run("app_pages/1_Spending_map.py", dataset="bigcity")
    assert not at.exception
    table = figures_table(at)
    spec = build_spec(open_dataset(big_city), view_from_params({}))
    expected = [r["District"] for r in figures(spec)]
    assert len(expected) == BIG
    assert table.row_headers == expected[:10] + expected[-10:]
    assert f"of {BIG} districts" in table.caption
    assert len(at.dataframe) == 0, "the whole table is not sent on every rerun"
    assert f"All {BIG} rows (CSV)" in [b.proto.label for b in at.get("download_button")]
    at.toggle(key="figures_all").set_value(True).run()
    assert not at.exception
    assert list(at.dataframe[0].value["District"]) == expected, "asked for, the whole table"


def test_figures_csv_holds_every_row_with_formulas_neutralised(tmp_path: Path):
    manifest = write_city(tmp_path / "formulas", names=["=HYPERLINK(1)", "Plain", "-2", "@x"])
    spec = build_spec(open_dataset(manifest), view_from_params({"year": "2024"}))
    rows = list(csv.reader(io.StringIO(mapview.figures_csv(spec).decode("utf-8-sig"))))
    expected = figures(spec)
    assert rows[0] == list(expected[0])
    assert [r[0] for r in rows[1:]] == ["'" + r["District"] if r["District"][0] in "=-@" else r["District"]
                                        for r in expected]
    assert sorted(r[0] for r in rows[1:]) == ["'-2", "'=HYPERLINK(1)", "'@x", "Plain"]


def test_big_map_picker_searches_instead_of_listing_every_district(big_city: Path):
    at = run("app_pages/1_Spending_map.py", dataset="bigcity")
    picker = at.selectbox(key=next(s.key for s in at.selectbox if s.label == "District"))
    assert picker.options == ["—"], "nothing listed before a search"
    at.text_input(key="pick_search").set_value("ward 12").run()
    picker = next(s for s in at.selectbox if s.label == "District")
    names = picker.options[1:]
    assert names[0] == "Ward 12", "the exact name first"
    assert set(names) <= {f"Ward {i}" for i in range(1, BIG + 1) if str(i).startswith("12")}
    assert len(names) == len({f"Ward {i}" for i in range(1, BIG + 1) if str(i).startswith("12")}) == 11
    picker.set_value("W120").run()
    assert not at.exception
    assert map_args(at)["selected"] == "W120"
    picker = next(s for s in at.selectbox if s.label == "District")
    assert picker.value == "W120", "the selection stays listed"


def test_matches_are_ranked_and_capped():
    class Spec:  # only what best_matches reads
        features = [type("F", (), {"name": n, "district_id": i}) for n, i in
                    (("Mühlheim North", "D1"), ("North End", "D2"), ("Northgate", "D3"), ("Far Northway", "D4"),
                     ("Southnorth", "D5"), ("East", "north"))]
    ranked = mapview.best_matches(Spec, "NORTH", 10)
    assert ranked == ["north", "D2", "D3", "D4", "D1", "D5"]
    assert mapview.best_matches(Spec, "muhl", 10) == ["D1"], "accents aside"
    assert mapview.best_matches(Spec, "north", 2) == ["north", "D2"]
    assert mapview.best_matches(Spec, "  ", 10) == []
