"""Registries are the single source for widgets, legends, URLs and docs: keep them in step."""
from __future__ import annotations

import re

import pytest
from conftest import ROOT

from budgetmap.classify import SCHEMES
from budgetmap.compare import COMPARE_MODES
from budgetmap.diverging import DIVERGING
from budgetmap.maps import MAP_KINDS
from budgetmap.model.dataset import DIRECTIONS
from budgetmap.rollups import ROLLUPS
from budgetmap.measures import MEASURES
from budgetmap.monitor import RULES, SEVERITIES, Watch
from budgetmap.palettes import PALETTES
from budgetmap.scatter_axis import SCATTER_AXES
from budgetmap.stats.outliers import OUTLIER_RULES
from budgetmap.stats.spatial import HOTSPOTS, QUADRANTS
from budgetmap.stats.weights import WEIGHTS
from budgetmap.view import SpendingView
from budgetmap.permalink import URL_FIELDS, params_from_view, permalink, view_from_params

REFERENCE = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("registry", [MEASURES, SCHEMES, PALETTES, SCATTER_AXES],
                         ids=["measures", "schemes", "palettes", "scatter_axes"])
def test_every_entry_is_documented_with_its_label(registry):
    for key, entry in registry.items():
        row = re.search(rf"^\| `{re.escape(key)}` \|(.*)$", REFERENCE, re.M)
        assert row, f"{key} is not in docs/reference.md"
        assert entry.label.split(" (")[0] in row.group(1), f"{key}: label differs from the docs"


@pytest.mark.parametrize("labels", [
    {k: v[0] for k, v in DIVERGING.items()}, {k: r.label for k, r in ROLLUPS.items()},
    {k: d.label for k, d in DIRECTIONS.items()}, COMPARE_MODES,
    {k: w.label for k, w in WEIGHTS.items()}, {k: r.label for k, r in OUTLIER_RULES.items()},
    {code: label for code, label, _ in QUADRANTS.values()}, HOTSPOTS, {k: s.label for k, s in SEVERITIES.items()},
], ids=["diverging", "rollups", "directions", "compare", "weights", "outliers", "quadrants", "hotspots", "severities"])
def test_every_table_entry_is_documented(labels):
    for key, label in labels.items():
        rows = re.findall(rf"^\| `{re.escape(key)}` \|(.*)$", REFERENCE, re.M)  # a key may be in two tables
        assert rows, f"{key} is not in docs/reference.md"
        assert any(label.split(" (")[0] in row for row in rows), f"{key}: label differs from the docs"


def test_every_warning_rule_is_documented_with_its_label_json_key_and_definition():
    for key, rule in RULES.items():
        row = re.search(rf"^\| `{re.escape(key)}` \| (.*?) \| `(.*?)` \| (.*) \|$", REFERENCE, re.M)
        assert row, f"rule {key} is not in docs/reference.md, Early-warning rules"
        assert (row.group(1), row.group(2)) == (rule.label, rule.output), key
        assert row.group(3).replace("`", "") == rule.when, f"{key}: the definition differs from the docs"


def test_every_rule_has_a_field_of_the_watch_list_and_a_known_subject():
    fields = set(Watch.__dataclass_fields__)
    for rule in RULES.values():
        assert rule.output in fields and rule.subject in ("project", "indicator"), rule.key
    assert len({r.output for r in RULES.values()}) == len(RULES)


def test_every_map_kind_and_url_parameter_is_documented():
    for key in MAP_KINDS:
        assert re.search(rf"^\| `{key}` \|", REFERENCE, re.M), key
    for name in URL_FIELDS:
        assert re.search(rf"^\|[^|\n]*`{name}`", REFERENCE, re.M), f"?{name}= is not in docs/reference.md"


def test_every_view_field_has_a_url_parameter():
    assert {spec.attr for spec in URL_FIELDS.values()} == set(SpendingView.field_names())


def test_url_round_trip():
    view = SpendingView(measure="total", fiscal_year=2022, amount="budget", departments=("Parks & Rec",),
                        programs=("Trees",), funds=("General",), scheme="manual", k=4,
                        manual_breaks=(100.0, 250.5), palette="cividis", selected="D07", since=2020,
                        classes_from=2021, indicator="pavement_busy_good_fair", base_year=2019,
                        compare="side_years", change="percent", second_measure="share", diverging="PuOr")

    class Params(dict):
        def get_all(self, key):
            value = self.get(key, [])
            return value if isinstance(value, list) else [value]

    assert view_from_params(Params(params_from_view(view))) == view


def test_malformed_url_values_fall_back_to_defaults():
    view = view_from_params({"measure": "<script>", "k": "99", "year": "abc", "palette": "nope"})
    assert view == SpendingView()


def test_catalogue_keys_and_labels_are_distinct(tmp_path, monkeypatch):
    from conftest import write_city
    from ui import data
    first = write_city(tmp_path / "one")
    second = write_city(tmp_path / "two")
    monkeypatch.setenv(data.EXTRA_ENV, f"{first}:{second}")
    entries = data.catalogue()
    assert len({e.key for e in entries}) == len(entries)
    assert len({e.label for e in entries}) == len(entries)
    testville = [e for e in entries if e.label.startswith("Testville")]
    assert [e.path for e in testville] == [str(first), str(second)]


def test_permalink_reopens_the_same_view():
    from urllib.parse import parse_qs, urlsplit
    view = SpendingView(measure="total", fiscal_year=2022, departments=("Parks & Rec", "Roads"), selected="D07",
                        indicator="pavement_busy_good_fair")
    url = permalink("http://example.test:8501/", "target", "demo", view)
    parts = urlsplit(url)
    assert parts.path == "/Targets"
    query = parse_qs(parts.query)
    assert query["dataset"] == ["demo"] and query["dept"] == ["Parks & Rec", "Roads"]

    class Params(dict):
        def get_all(self, key):
            return self.get(key, [])
    assert view_from_params(Params(query) | {k: v[0] for k, v in query.items() if k != "dept"}) == view
