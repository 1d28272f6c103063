"""Names that repeat: labels from several columns, unique display labels, and shared names refused with candidates."""
from __future__ import annotations

import json
import pickle
from pathlib import Path

import geopandas as gpd
import pytest

from budgetmap.dataset import open_dataset
from budgetmap.fields import against, read
from budgetmap.model.errors import LoadError
from budgetmap.model.names import DistrictNames, display_labels
from devtools.testcity import write_grid_city

#: Ids in the shape of FIPS codes; three counties called Washington, two Jefferson, one Autauga.
IDS = ["53033", "41067", "01129", "01073", "41031", "01001"]
NAMES = ["Washington", "Washington", "Washington", "Jefferson", "Jefferson", "Autauga"]
STATES = ["Washington", "Oregon", "Alabama", "Alabama", "Oregon", "Alabama"]
#: Money per county in 2024 (2023: 100 each): the largest and the smallest, and the largest rise and
#: fall, go to a Washington; so do the best and the worst result (roads in good repair, goal 50%).
AMOUNTS = ["900", "10", "300", "450", "520", "610"]
RESULTS = [90.0, 10.0, 50.0, 60.0, 40.0, 55.0]
INDICATOR = """
[[indicators]]
path = "roads.csv"
district = "code"
year = "year"
indicator = "indicator"
actual = "actual"

[indicators.meta.roads]
label = "Roads in good repair"
unit = "%"
department = "Parks"
target = 50.0
"""


def counties(folder: Path, *, states: list[str] | None = None, name: str | None = None) -> Path:
    """A grid of six "counties" with repeated names, a state column, two years of spending and a result."""
    rows = [("2023", i, "100") for i in IDS] + [("2024", i, a) for i, a in zip(IDS, AMOUNTS)]
    manifest = write_grid_city(folder, IDS, NAMES, rows, extra=INDICATOR)
    (folder / "roads.csv").write_text("indicator,year,code,actual\n" + "".join(
        f"roads,2024,{i},{r}\n" for i, r in zip(IDS, RESULTS)), encoding="utf-8")
    frame = gpd.read_file(folder / "districts.geojson")
    frame["state"] = states or STATES
    frame.to_file(folder / "districts.geojson")
    if name is not None:
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text(text.replace('name = "label"', f"name = {name}"), encoding="utf-8")
    return manifest


@pytest.fixture(scope="module")
def repeated(tmp_path_factory) -> object:
    return open_dataset(counties(tmp_path_factory.mktemp("repeated")))


@pytest.fixture(scope="module")
def by_state(tmp_path_factory) -> object:
    return open_dataset(counties(tmp_path_factory.mktemp("by_state"), name='["label", "state"]'))


# -- display labels -----------------------------------------------------------------------

def test_only_repeated_names_get_their_id():
    labels = display_labels(IDS, NAMES)
    assert labels == {"53033": "Washington (53033)", "41067": "Washington (41067)", "01129": "Washington (01129)",
                      "01073": "Jefferson (01073)", "41031": "Jefferson (41031)", "01001": "Autauga"}


def test_names_differing_only_in_case_or_spacing_count_as_repeats():
    labels = display_labels(["1", "2", "3"], ["St. Louis", "ST.  LOUIS", "Clay"])
    assert labels == {"1": "St. Louis (1)", "2": "ST.  LOUIS (2)", "3": "Clay"}


def test_a_label_colliding_with_a_real_name_still_ends_unique():
    ids, names = ["7", "8", "9"], ["Washington", "Washington", "Washington (7)"]
    labels = display_labels(ids, names)
    assert len({label.casefold() for label in labels.values()}) == 3, labels
    assert labels["8"] == "Washington (8)"
    assert labels["7"].startswith("Washington (7)") and labels["9"].startswith("Washington (7)")


def test_unique_names_are_their_own_labels(demo_manifest):
    dataset = open_dataset(demo_manifest)
    for layer in dataset.layers:
        assert dict(layer.labels) == dict(zip(layer.districts["district_id"], layer.districts["name"]))


def test_every_label_of_a_layer_with_repeats_is_unique(repeated):
    labels = list(repeated.layers[0].labels.values())
    assert len(set(labels)) == len(IDS)
    assert list(repeated.districts["name"]) == NAMES, "the raw names stay as the file has them"


def test_a_layer_with_worked_out_names_still_pickles(repeated):
    layer = repeated.layers[0]
    assert layer.labels["53033"] == "Washington (53033)"  # works the names out (a cached value)
    again = pickle.loads(pickle.dumps(layer))
    assert again.labels["41067"] == "Washington (41067)"


# -- a label from several columns --------------------------------------------------------

def test_a_label_from_several_columns(by_state):
    layer = by_state.layers[0]
    assert layer.labels["41067"] == "Washington, Oregon"
    assert layer.labels["01073"] == "Jefferson, Alabama"
    assert len(set(layer.labels.values())) == len(IDS), "county and state tell every county apart"


def test_blank_parts_are_skipped_and_a_label_still_shared_gets_its_id(tmp_path):
    states = ["", "Oregon", "Alabama", "Alabama", "Oregon", "Alabama"]
    dataset = open_dataset(counties(tmp_path, states=states, name='["label", "state"]'))
    labels = dataset.layers[0].labels
    assert labels["53033"] == "Washington", "no trailing ', ' for a blank state"
    assert labels["01073"] == "Jefferson, Alabama"
    states = ["Alabama"] * 6
    labels = open_dataset(counties(tmp_path / "same", states=states, name='["label", "state"]')).layers[0].labels
    assert labels["53033"] == "Washington, Alabama (53033)" and labels["01001"] == "Autauga, Alabama"


def test_a_list_of_one_column_is_that_column(tmp_path):
    dataset = open_dataset(counties(tmp_path, name='["state"]'))
    assert dataset.layers[0].labels["01001"] == "Alabama (01001)", "the state alone repeats"
    assert dataset.layers[0].labels["53033"] == "Washington"
    assert "short_name" not in dataset.districts.columns


def test_an_unknown_column_in_the_list_is_named_with_what_to_do(tmp_path):
    manifest = counties(tmp_path, name='["label", "STATE_NAME"]')
    with pytest.raises(LoadError) as caught:
        open_dataset(manifest)
    text = str(caught.value)
    assert text.startswith("districts.geojson: column 'STATE_NAME' (set by districts.name[STATE_NAME]")
    assert "columns are: code, label, pop, state" in text and "Did you mean 'state'?" in text


@pytest.mark.parametrize("value,found", [("[]", "[]"), ('["label", 3]', '["label", 3]'), ('["label", " "]', None)])
def test_a_name_list_that_is_not_column_names_is_refused(tmp_path, value, found):
    manifest = counties(tmp_path, name=value)
    with pytest.raises(LoadError) as caught:
        open_dataset(manifest)
    text = str(caught.value)
    assert "[districts] 'name' must be a column name, or a non-empty list of column names" in text
    assert found is None or text.endswith(f"found {found}")


# -- what readers see ----------------------------------------------------------------------

def _map(dataset, kind: str, **params):
    from budgetmap.maps import MAP_KINDS

    reading = against(dataset, read(params), kind)
    assert not reading.problems, reading.problems
    return MAP_KINDS[kind](dataset, reading.view)


def _spending_map(dataset, **params):
    return _map(dataset, "spending", measure="total", **params)


def test_the_summary_names_the_district_unambiguously(repeated):
    from budgetmap.summary import describe

    text = describe(_spending_map(repeated))
    assert text.startswith("Washington (53033) has the highest total spending"), text
    assert "and Washington (41067) the lowest" in text, text


def test_the_target_change_and_bivariate_readings_name_districts_unambiguously(repeated):
    from budgetmap.bivariate import pair, readings
    from budgetmap.summary import describe
    from budgetmap.view import SpendingView

    target = describe(_map(repeated, "target", indicator="roads"))
    assert "; Washington (53033) does best (90.0%" in target and " and Washington (41067) worst (10.0%" in target, target
    change = describe(_map(repeated, "change", measure="total", base="2023", year="2024"))
    assert "the largest rise is Washington (53033)" in change and "the largest fall is Washington (41067)" in change
    groups = {title: names for title, _, names in readings(pair(repeated, SpendingView(indicator="roads")))}
    assert "Washington (53033)" in [n for names in groups.values() for n in names]
    assert not any(n == "Washington" for names in groups.values() for n in names)


def test_features_tooltips_and_exports_carry_the_label(repeated):
    from budgetmap.export_rows import figures
    from budgetmap.exports import map_reconciliation, to_csv
    from budgetmap.render.leaflet import drawn

    spec = _spending_map(repeated, district="01129")
    view = against(repeated, read({"measure": "total", "district": "01129"}), "spending").view
    names = {f.district_id: f.name for f in spec.features}
    assert names["01129"] == "Washington (01129)" and names["01001"] == "Autauga"
    args = drawn(spec)
    assert args["tooltips"]["41067"][0] == "Washington (41067)"
    assert args["labels"]["53033"].startswith("Washington (53033): ")
    rows = {r["ID"]: r["District"] for r in figures(spec)}
    assert rows["41031"] == "Jefferson (41031)"
    csv_text = to_csv(spec, map_reconciliation(repeated, view, spec)).decode("utf-8-sig")
    assert '\n"41067","Washington (41067)",10.0,' in csv_text.replace("\r\n", "\n"), "the id stays beside the label"


def test_the_story_headline_uses_the_label(repeated):
    from budgetmap.story import headline
    from budgetmap.view import SpendingView

    line = headline(repeated, "41031", SpendingView(), 2024).text
    assert line.startswith("Jefferson (41031): "), line


def test_a_book_page_shows_the_outlined_label(repeated):
    from budgetmap.render.static import figure

    spec = _spending_map(repeated, district="Washington (41067)")
    texts = [t.get_text() for t in figure(spec, repeated.districts).findobj(
        match=lambda a: hasattr(a, "get_text"))]
    assert any("Outlined: Washington (41067)" in t for t in texts), texts


# -- naming a district from outside --------------------------------------------------------

def _pick(dataset, value: str):
    reading = against(dataset, read({"district": value}))
    return reading.view.selected, [p.text() for p in reading.problems]


def test_a_shared_name_lists_its_candidates(repeated):
    selected, problems = _pick(repeated, "Washington")
    assert selected is None
    assert problems == ["district: 'Washington' is the name of 3 districts; give the id or the label of one: "
                        '01129 "Washington (01129)", 41067 "Washington (41067)", 53033 "Washington (53033)"']


def test_many_candidates_are_cut_at_ten():
    names = DistrictNames.of([f"{i:02d}" for i in range(25)], ["Union"] * 25)
    text = names.candidates("Union")
    assert text.startswith("is the name of 25 districts;")
    assert text.count('"Union (') == 10 and text.endswith('09 "Union (09)" and 15 more')


@pytest.mark.parametrize("value,district", [("Washington (41067)", "41067"), ("41067", "41067"),
                                            ("Autauga", "01001")])
def test_an_id_a_label_or_a_unique_name_resolves(repeated, value, district):
    assert _pick(repeated, value) == (district, [])


@pytest.mark.parametrize("value,district", [("Washington, Oregon", "41067"), ("Autauga", "01001"),
                                            ("Autauga, Alabama", "01001")])
def test_labels_of_several_columns_and_their_first_part_resolve(by_state, value, district):
    assert _pick(by_state, value) == (district, [])


def test_the_first_part_of_a_label_is_still_refused_when_shared(by_state):
    selected, problems = _pick(by_state, "Jefferson")
    assert selected is None
    assert problems == ["district: 'Jefferson' is the name of 2 districts; give the id or the label of one: "
                        '01073 "Jefferson, Alabama", 41031 "Jefferson, Oregon"']


def test_an_unknown_name_is_still_unknown(repeated):
    _, problems = _pick(repeated, "Nowhere")
    assert problems and "'Nowhere' is not a district id or name in this data (it has: 01001," in problems[0]


def test_the_snapshot_flag_exits_2_listing_the_candidates(tmp_path, capsys):
    from budgetmap.cli import main

    manifest = counties(tmp_path / "city")
    code = main(["snapshot", str(manifest), "--district", "Jefferson", "--out", str(tmp_path / "x.png")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == ("error: --district: 'Jefferson' is the name of 2 districts; give the id or the label "
                           'of one: 01073 "Jefferson (01073)", 41031 "Jefferson (41031)"')
    assert not (tmp_path / "x.png").exists()


def test_the_snapshot_flag_takes_a_label(tmp_path, capsys):
    from budgetmap.cli import main

    manifest = counties(tmp_path / "city")
    out = tmp_path / "x.svg"
    assert main(["snapshot", str(manifest), "--district", "Jefferson (41031)", "--out", str(out)]) == 0
    assert "district=41031" in capsys.readouterr().out, "the permalink names the district by id"
    assert "Outlined: Jefferson (41031)" in out.read_text(encoding="utf-8")


def test_a_book_view_naming_a_shared_district_fails_alone(tmp_path, capsys):
    from budgetmap.cli import main

    manifest = counties(tmp_path / "city")
    book = tmp_path / "book.toml"
    book.write_text(f'manifest = {json.dumps(str(manifest))}\n'
                    '[[view]]\ntitle = "Which one"\ndistrict = "Washington"\n'
                    '[[view]]\ntitle = "Not here"\ndistrict = "Washington, Oregon"\n'
                    '[[view]]\ntitle = "By label"\ndistrict = "Washington (41067)"\n', encoding="utf-8")
    code = main(["book", str(book), "--out", str(tmp_path / "out"), "--dpi", "50"])
    captured = capsys.readouterr()
    assert code == 2
    assert "1 of 3 views drawn" in captured.out
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert errors[0].startswith("error: view 1 ('Which one'): district: 'Washington' is the name of 3 districts")
    assert '41067 "Washington (41067)"' in errors[0]
    assert errors[1].startswith("error: view 2 ('Not here'): district: 'Washington, Oregon' is not a district"), \
        "a label of several columns the manifest does not build is unknown, not shared"


# -- pages ---------------------------------------------------------------------------------

@pytest.fixture
def counties_in_app(tmp_path, monkeypatch) -> str:
    """The six counties in the app's dataset picker, as "counties"."""
    from ui import data

    manifest = counties(tmp_path / "c")
    named = manifest.rename(manifest.with_name("counties.toml"))
    monkeypatch.setenv(data.EXTRA_ENV, str(named))
    return "counties"


def test_the_district_story_picker_tells_repeated_names_apart(counties_in_app):
    from test_pages import run

    at = run("app_pages/4_District_story.py", dataset=counties_in_app, year="2024")
    assert not at.exception
    picker = at.selectbox[[s.label for s in at.selectbox].index("District")]
    assert picker.options == ["—", "Autauga", "Jefferson (01073)", "Jefferson (41031)", "Washington (01129)",
                              "Washington (41067)", "Washington (53033)"]
    picker.set_value("41067").run()
    assert not at.exception
    assert [h.value.replace("\\", "") for h in at.header] == ["Washington (41067) — district story"]


def test_a_shared_name_in_the_address_is_noted_with_its_candidates(counties_in_app):
    from test_pages import run

    at = run("app_pages/1_Spending_map.py", dataset=counties_in_app, district="Washington")
    assert not at.exception
    notes = [t.value.replace("\\", "") for t in at.toast]  # undo markdown escaping
    assert any(n.startswith("Not used from the address: district: 'Washington' is the name of 3 districts")
               and '53033 "Washington (53033)"' in n for n in notes), notes
    assert [s.value for s in at.selectbox if s.label == "District"] == [None], "no district is picked for it"
