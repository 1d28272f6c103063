"""The cluster map kind, the outlier and small-number outlines, and the new URL fields, on hand-made grid cities."""
from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import pytest
from conftest import DEMO

from budgetmap.cli import main
from budgetmap.cluster_map import CLASSES, build_cluster_map
from budgetmap.dataset import open_dataset
from budgetmap.map_flags import FLAGS, SMOOTHED
from budgetmap.mapspec import NO_DATA_CLASS
from budgetmap.maps import MAP_KINDS
from budgetmap.permalink import params_from_view, view_from_params
from budgetmap.render.leaflet import drawn
from budgetmap.render.static import render
from budgetmap.stats.analysis import analyse
from budgetmap.stats.values import indicator_values
from budgetmap.summary import describe
from budgetmap.view import SpendingView
from devtools.gridcity import YEAR, grid, write_grid_city

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # esda's notice about a future default
SCORE = SpendingView(stats_of="indicator", indicator="score")


def _city(tmp_path):
    """A 6x6 grid whose bottom-left 3x3 block is high; E far away (an island); G has no value."""
    cells = grid(6, 6) | {"E": (20, 20), "G": (6, 0)}
    values = {i: (10.0 if c < 3 and r < 3 else 1.0) + 0.01 * ((c * 7 + r * 3) % 5)
              for i, (c, r) in grid(6, 6).items()} | {"E": 4.0, "G": None}
    manifest = write_grid_city(tmp_path, cells, indicator=values)
    return _Opened(open_dataset(manifest), manifest)


class _Opened:
    """The dataset, and the manifest it came from (the CLI reads the file)."""

    def __init__(self, dataset, manifest):
        self.dataset, self.manifest = dataset, manifest


def _entry(spec, code):
    label = next(c.label for c in CLASSES[spec.meta["statistic"]] if c.code == code)
    return next(e for e in spec.legend if e.label.startswith(label))


def test_lisa_legend_counts_are_what_is_drawn_and_what_analyse_found(tmp_path):
    dataset = _city(tmp_path).dataset
    spec = build_cluster_map(dataset, SCORE)
    result = analyse(dataset, indicator_values(dataset, SCORE))
    assert spec.kind == "cluster" and len(spec.features) == 38
    hh = result.clusters("HH")
    assert "D00" in hh and len(hh) >= 4  # the high block is a significant high-high cluster
    for code in ("HH", "LH", "LL", "HL"):
        assert _entry(spec, code).count == len(result.clusters(code)), code
    tested_not_significant = sum(1 for r in result.lisa if not r.significant)
    assert _entry(spec, "ns").count == tested_not_significant
    assert _entry(spec, "island").count == 1 and result.islands == ("E",)
    assert next(e for e in spec.legend if e.kind == "no_data").count == 1  # G
    for index, entry in enumerate(e for e in spec.legend if e.kind == "class"):
        drawn = [f for f in spec.features if f.class_index == index]
        assert entry.count == len(drawn) and all(f.fill == entry.fill for f in drawn), entry.label
    assert sum(e.count for e in spec.legend if e.kind in ("class", "no_data")) == len(spec.features)


def test_quadrant_colours_islands_and_no_data_are_their_own(tmp_path):
    spec = build_cluster_map(_city(tmp_path).dataset, SCORE)
    by_id = {f.district_id: f for f in spec.features}
    assert by_id["D00"].fill == "#d7191c" and by_id["D00"].label == "High-high"  # ColorBrewer red: high-high
    island = by_id["E"]
    assert island.pattern == "hatch" and island.fill == "#ffffff", "an island reads without colour"
    assert dict(island.details)["LISA cluster"] == "No neighbour with a value: not tested"
    assert by_id["G"].class_index == NO_DATA_CLASS and by_id["G"].label == "no data"
    assert "Not tested (no neighbour with a value): Cell E." in describe(spec)
    assert "p < 0.05" in spec.measure_label and "Queen contiguity" in spec.measure_label
    significant = dict(by_id["D00"].details)["LISA cluster"]
    assert significant.startswith("High-high: high value, high neighbours (p = 0.0")


def test_gi_variant_paints_hot_and_cold_spots(tmp_path):
    dataset = _city(tmp_path).dataset
    spec = build_cluster_map(dataset, SCORE.with_(statistic="gi"))
    result = analyse(dataset, indicator_values(dataset, SCORE))
    hot = [r.district_id for r in result.gi if r.code == "hot"]
    assert "D00" in hot and _entry(spec, "hot").count == len(hot)
    assert {f.district_id for f in spec.features if f.fill == "#d7191c"} == set(hot)
    assert "Getis-Ord Gi* at 0.05: hot spots in" in describe(spec)


def test_the_maps_statistics_are_the_clis(tmp_path):
    city = _city(tmp_path)
    dataset = city.dataset
    spec = build_cluster_map(dataset, SCORE.with_(weights="rook"))
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["stats", str(city.manifest), "--indicator", "score", "--weights", "rook", "--json"]) == 0
    cli = json.loads(out.getvalue())
    stats = spec.meta["stats"]
    assert stats["lisa"] == cli["lisa"] and stats["islands"] == cli["islands"] == ["E"]
    assert stats["moran"] == cli["moran"] and stats["summary"] == cli["summary"]
    drawn = {f.district_id: f.label for f in spec.features}
    for district, result in cli["lisa"].items():
        assert drawn[district] == ({"HH": "High-high", "LH": "Low-high", "LL": "Low-low", "HL": "High-low"}
                                   [result["quadrant"]] if result["significant"] else "Not significant")


def _money_city(tmp_path, **kwargs):
    """Per resident: $1, $2, $3, $4, $40 (D02 has 300 residents). Quartiles 2 and 4, IQR 2, Tukey's
    fences -1 and 7: D04 is the one outlier. Fewer than 1,000 residents: D02 only."""
    cells = grid(5, 1)
    population = {"D00": 10_000, "D01": 10_000, "D02": 300, "D03": 10_000, "D04": 10_000}
    dollars = {"D00": 10_000.0, "D01": 20_000.0, "D02": 900.0, "D03": 40_000.0, "D04": 400_000.0}
    return open_dataset(write_grid_city(tmp_path, cells, population=population, spending=dollars,
                                        districts_extra="min_population = 1000", **kwargs))


def test_spending_map_outlines_outliers_and_small_numbers_with_the_rule_in_the_legend(tmp_path):
    dataset = _money_city(tmp_path)
    spec = MAP_KINDS["spending"](dataset, SpendingView(measure="per_capita", fiscal_year=YEAR))
    marks = {f.district_id: f.marks for f in spec.features}
    assert marks == {"D00": (), "D01": (), "D02": ("small",), "D03": (), "D04": ("outlier",)}
    legend = {e.label: e.count for e in spec.legend if e.kind == "mark"}
    assert legend == {"Dashed: outlier by Tukey's fences (1.5 × IQR)": 1,
                      "Dotted: small numbers, fewer than 1,000 residents": 1}
    assert dict(spec.feature("D04").details)[FLAGS] == "high outlier by Tukey's fences (1.5 × IQR)"
    args = drawn(spec)
    assert args["marks"] == {"D02": ["1.5 4.5", 3.0, "small"], "D04": ["9 5", 3.5, "outlier"]}
    assert render(spec, dataset.districts, "png", dpi=30)[:4] == b"\x89PNG"  # the print outline draws
    by_mad = MAP_KINDS["spending"](dataset, SpendingView(measure="per_capita", fiscal_year=YEAR, outlier_rule="mad"))
    # median 3, MAD 1 x 1.4826: fences 3 -/+ 5.19; 40 is out, the rest in
    assert [f.district_id for f in by_mad.features if "outlier" in f.marks] == ["D04"]
    assert any(e.label == "Dashed: outlier by Median ± 3.5 scaled MADs" for e in by_mad.legend)


def test_smoothing_puts_raw_and_smoothed_rates_in_the_tooltip_and_table(tmp_path):
    """The city of test_stats' hand-checked empirical Bayes: $2, $30, $5, $12 over 100, 1000, 50 and 400
    residents; raw rates $0.02, $0.03, $0.10, $0.03, smoothed $0.0293, $0.0305, $0.0393, $0.0308."""
    cells = grid(4, 1)
    dataset = open_dataset(write_grid_city(tmp_path, cells, population=dict(zip(cells, [100, 1000, 50, 400])),
                                           spending=dict(zip(cells, [2.0, 30.0, 5.0, 12.0]))))
    spec = MAP_KINDS["spending"](dataset, SpendingView(measure="per_capita", fiscal_year=YEAR, smoothing="on"))
    rows = dict(tuple(r) for r in spec.tooltip_rows(spec.feature("D02"))[1:])
    assert rows["Spending per resident"] == "$0.10" and rows[SMOOTHED] == "$0.04"
    assert dict(spec.feature("D01").details)[SMOOTHED] == "$0.03"
    plain = MAP_KINDS["spending"](dataset, SpendingView(measure="per_capita", fiscal_year=YEAR))
    assert SMOOTHED not in dict(plain.feature("D02").details)
    total = MAP_KINDS["spending"](dataset, SpendingView(measure="total", fiscal_year=YEAR, smoothing="on"))
    assert SMOOTHED not in dict(total.feature("D02").details), "a total is not a rate: nothing to smooth"


def test_target_map_flags_small_numbers_and_the_demo_target_map_is_unchanged(tmp_path):
    cells = grid(2, 2)
    pop = {"D00": 300, "D01": 20_000, "D02": 20_000, "D03": 20_000}
    dataset = open_dataset(write_grid_city(tmp_path, cells, population=pop, target=2.0,
                                           indicator={"D00": 1.0, "D01": 2.0, "D02": 3.0, "D03": 4.0},
                                           districts_extra="min_population = 500"))
    spec = MAP_KINDS["target"](dataset, SpendingView(indicator="score"))
    assert [f.district_id for f in spec.features if f.marks] == ["D00"]
    assert [e.count for e in spec.legend if e.kind == "mark"] == [1]
    demo = MAP_KINDS["target"](open_dataset(DEMO), SpendingView())
    assert not any(e.kind == "mark" for e in demo.legend) and not any(f.marks for f in demo.features)


def test_the_new_url_fields_round_trip_and_refuse_nonsense():
    view = SpendingView(stats_of="indicator", statistic="gi", weights="knn", smoothing="on", outlier_rule="mad",
                        control="density")
    params = params_from_view(view)
    assert params == {"of": "indicator", "stat": "gi", "weights": "knn", "smooth": "on", "outliers": "mad",
                      "control": "density"}
    assert view_from_params(params) == view
    assert view_from_params({"weights": "bishop", "stat": "<b>", "smooth": "yes", "outliers": "zscore"}) == \
        SpendingView()


def test_a_cluster_snapshot_is_drawn_from_the_command_line(tmp_path):
    out = tmp_path / "clusters.svg"
    assert main(["snapshot", str(DEMO), "--map", "cluster", "--stat", "gi", "--weights", "rook", "--year", "2025",
                 "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Getis-Ord Gi* hot and cold spots" in text and "Rook contiguity" in text
    assert "Clusters?dataset=demo" in text and "stat=gi" in text, "the printed link reopens the Clusters page"
