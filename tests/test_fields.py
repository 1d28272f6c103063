"""One table reads every value from a URL, a hearing list and a budget book (budgetmap.fields)."""
from __future__ import annotations

import json
import os
import tracemalloc

import pytest

from budgetmap.book import BookError, read_book
from budgetmap.dataset import open_dataset
from budgetmap.fields import FIELDS, MAX_ITEMS, MAX_TEXT, Reading, against, read
from budgetmap.hearing import MAX_SLIDES, HearingListError, from_json
from budgetmap.maps import MAP_KINDS
from budgetmap.permalink import read_params
from budgetmap.snapshot import ViewError, check_view, parse_view
from budgetmap.view import SpendingView

FORMAT = "budgetmap hearing list"

#: What a visitor can type into an address bar, for every setting.
HOSTILE = ["99999999999999999999999", "-5", "0", "NaN", "inf", "-inf", "1e309", "x" * 10_000,
           "<script>alert(1)</script>", "../../etc/passwd", "/etc/passwd", "日本語 ✓ \u202e", "²", "١٢",
           "FY99999", "%00", "null", "[]", "{}", "2025\x00", " ", "true"]


def _hearing(*slides: dict) -> str:
    return json.dumps({"format": FORMAT, "version": 1, "slides": list(slides)})


class _Query(dict):
    """What st.query_params looks like: get() gives the last value, get_all() every one."""

    def get(self, key, default=None):
        value = super().get(key, default)
        return value[-1] if isinstance(value, list) else value

    def get_all(self, key):
        value = super().get(key, [])
        return value if isinstance(value, list) else [value]


@pytest.fixture(scope="module")
def demo(demo_manifest):
    return open_dataset(demo_manifest)


@pytest.mark.parametrize("value", HOSTILE)
def test_no_hostile_url_value_gets_past_any_setting(value, demo):
    reading = against(demo, read_params(_Query({name: value for name in FIELDS})))
    view = reading.view
    numeric = value in ("99999999999999999999999", "-5", "0")  # a class break may be any modest number
    expected = SpendingView(manual_breaks=(float(value),)) if numeric and float(value) < 1e15 else SpendingView()
    assert view == expected, "no hostile value is taken by any setting"
    texts = [p.text() for p in reading.problems]
    assert all(len(t) < 1200 for t in texts), "a 10 kB value is not repeated in the note"
    assert {t.split(":")[0] for t in texts} == set(FIELDS) - ({"breaks"} if view.manual_breaks else set())


def test_repeated_and_overlong_lists_are_bounded():
    many = _Query({"dept": [f"d{i}" for i in range(MAX_ITEMS + 1)], "year": ["2020", "2024"]})
    reading = read_params(many)
    assert reading.view.departments == () and reading.view.fiscal_year == 2024
    assert [p.name for p in reading.problems] == ["dept"] and f"at most {MAX_ITEMS}" in reading.problems[0].reason
    assert read_params(_Query({"dept": ["", "Parks", ""]})).view.departments == ("Parks",)


def test_values_the_data_lacks_fall_back_and_say_so(demo_manifest):
    dataset = open_dataset(demo_manifest)
    district = dataset.districts.iloc[3]
    raw = _Query({"year": "2031", "dept": ["Parks & Recreation", "Ministry of Silly Walks"],
                  "district": district["name"], "layer": "wards", "indicator": "happiness", "since": "1990"})
    reading = against(dataset, read_params(raw))
    view = reading.view
    assert view.fiscal_year is None and view.since is None and view.layer is None and view.indicator is None
    assert view.departments == ("Parks & Recreation",), "a list keeps the values the data has"
    assert view.selected == district["district_id"], "an exact name becomes its district id"
    named = {p.name for p in reading.problems}
    assert named == {"year", "dept", "layer", "indicator", "since"}
    assert any("Ministry of Silly Walks" in p.reason and "it has:" in p.reason for p in reading.problems)


def test_target_years_are_the_indicators_years(demo_manifest):
    dataset = open_dataset(demo_manifest)
    key = "pavement_busy_good_fair"
    years = against(dataset, Reading(SpendingView(indicator=key)), "target").view
    assert years.indicator == key
    from budgetmap.targets import indicator_years
    first = indicator_years(dataset, key)[0]
    ok = against(dataset, read({"indicator": key, "year": str(first)}), "target")
    assert ok.problems == () and ok.view.fiscal_year == first
    with pytest.raises(ViewError, match="year: 1950 is not a fiscal year in this data"):
        check_view(dataset, "target", SpendingView(indicator=key, fiscal_year=1950))


def test_a_hearing_list_asking_for_forty_million_years_is_refused_before_any_is_built():
    text = _hearing({"kind": "spending", "dataset": "demo", "params": {"since": "0", "year": "40000000",
                                                                        "lock": "2020"}})
    assert len(text.encode()) < 200
    tracemalloc.start()
    with pytest.raises(HearingListError, match=r"slide 1, since: '0' is not a fiscal year"):
        from_json(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000, f"reading a 150-byte list took {peak:,} bytes"
    with pytest.raises(HearingListError, match=r"slide 1, year: '40000000' is not a fiscal year"):
        from_json(_hearing({"kind": "spending", "dataset": "demo", "params": {"since": "2020", "year": "40000000"}}))


def test_a_big_hearing_list_is_refused_by_its_size_and_a_long_one_by_its_count():
    one = {"kind": "spending", "dataset": "demo", "params": {"year": "FY2024"}}
    big = _hearing(*[one] * 20_000)
    assert 1_400_000 < len(big) < 1_500_000
    with pytest.raises(HearingListError, match=r"1\.[0-9] MB; a hearing list is at most 1 MB \(200 slides\)"):
        from_json(big)
    with pytest.raises(HearingListError, match=f"{MAX_SLIDES + 1} slides; a hearing list holds at most {MAX_SLIDES}"):
        from_json(_hearing(*[one] * (MAX_SLIDES + 1)))
    assert len(from_json(_hearing(*[one] * MAX_SLIDES))) == MAX_SLIDES


@pytest.mark.parametrize("slide, says", [
    ({"kind": "spending", "dataset": "demo", "params": {"dept": 5}}, "slide 1, dept: 5 is a number"),
    ({"kind": "spending", "dataset": "demo", "params": {"district": {"id": "D01"}}}, "slide 1, district: {'id'"),
    ({"kind": "spending", "dataset": "demo", "params": {"k": [5]}}, "slide 1, k: [5] is a list"),
    ({"kind": "spending", "dataset": "demo", "params": {"breaks": ["nan"]}}, "slide 1, breaks: 'nan' is not a number"),
    ({"kind": "spending", "dataset": "demo", "params": {"colour": "red"}}, "slide 1, colour: unknown setting"),
    ({"kind": "spending", "dataset": {"x": 1}}, "slide 1: 'dataset' must name a dataset"),
    ({"kind": "spending", "dataset": "demo", "title": ["a"]}, "slide 1, title: must be text"),
    ({"kind": "spending", "dataset": "demo", "extra": 1}, "slide 1: unknown key"),
])
def test_wrong_types_in_a_hearing_list_name_the_slide_and_the_setting(slide, says):
    with pytest.raises(HearingListError) as caught:
        from_json(_hearing(slide))
    assert str(caught.value).startswith(says), str(caught.value)


def test_a_deeply_nested_hearing_list_is_refused_with_a_message():
    nested = '{"format": "%s", "slides": [%s]}' % (FORMAT, "[" * 50_000 + "]" * 50_000)
    with pytest.raises(HearingListError, match="nested too deeply"):
        from_json(nested)
    with pytest.raises(HearingListError, match="slide 1 is not an object"):
        from_json('{"format": "%s", "slides": [%s]}' % (FORMAT, "[" * 500 + "]" * 500))


@pytest.mark.parametrize("name, raw", [("year", "40000000"), ("k", "12"), ("measure", "per_person"),
                                       ("breaks", ["inf"]), ("dept", ["x" * (MAX_TEXT + 1)]), ("district", 7)])
def test_url_hearing_list_and_book_refuse_a_value_in_the_same_words(name, raw, tmp_path):
    url = read({name: raw}).problems
    assert len(url) == 1
    words = url[0].text()
    with pytest.raises(HearingListError) as hearing:
        from_json(_hearing({"kind": "spending", "dataset": "demo", "params": {name: raw}}))
    assert str(hearing.value) == f"slide 1, {words}"
    with pytest.raises(ViewError) as flag:
        parse_view({name: raw}, prefix="--")
    assert str(flag.value) == f"--{words}"


def test_every_map_kind_checks_what_it_needs(demo_manifest):
    dataset = open_dataset(demo_manifest)
    for kind in MAP_KINDS:
        assert check_view(dataset, kind, SpendingView()) == SpendingView()
    with pytest.raises(ViewError, match="base: FY2025 is not earlier than FY2025"):
        check_view(dataset, "change", SpendingView(base_year=2025, fiscal_year=2025))


@pytest.mark.parametrize("text, says", [
    ("a = " + "[" * 20_000 + "]" * 20_000 + "\n", "nested too deeply"),
    ('manifest = "m.toml"\n' + '[[view]]\nmap = "spending"\n' * 501, "501 views; a book holds at most 500"),
    ('[[view]]\ntitle = ["not", "text"]\n', None),
])
def test_a_hostile_book_is_refused_with_a_message(tmp_path, text, says):
    book = tmp_path / "book.toml"
    book.write_text(text, encoding="utf-8")
    if says is None:  # read, then refused view by view
        from budgetmap.book import make_book
        outcomes, pdf = make_book(read_book(book), tmp_path / "out", echo=lambda _: None)
        assert pdf is None and outcomes[0].error.startswith("title: ['not', 'text'] is not text")
        return
    with pytest.raises(BookError, match=says):
        read_book(book)


def test_a_book_that_is_not_a_regular_file_is_refused_without_reading_it(tmp_path):
    fifo = tmp_path / "book.toml"
    os.mkfifo(fifo)
    with pytest.raises(BookError, match="not a file"):
        read_book(fifo)  # reading a FIFO would block forever
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (1024 * 1024) + "\n[[view]]\n", encoding="utf-8")
    with pytest.raises(BookError, match="a book file is at most 1 MB"):
        read_book(big)


def test_the_limits_are_documented_and_the_server_caps_uploads_at_the_data_upload_limit():
    import tomllib
    from conftest import ROOT
    from budgetmap import book, fields, hearing, workspace
    reference = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    table = reference[reference.index("## Limits on outside values"):]
    for text in (f"at most {fields.MAX_TEXT} characters", f"at most {fields.MAX_ITEMS} values",
                 f"at most {fields.MAX_BREAKS}, finite", f"{hearing.MAX_BYTES // 2**20} MB and {hearing.MAX_SLIDES} slides",
                 f"{book.MAX_BYTES // 2**20} MB and {book.MAX_VIEWS} views"):
        assert text in table, text
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 2**20 == workspace.MAX_UPLOAD_BYTES
    assert f"server.maxUploadSize = {config['server']['maxUploadSize']}" in table
    assert f"at most {workspace.MAX_UPLOAD_MB} MB" in table
    slideshow = (ROOT / "ui" / "slideshow.py").read_text(encoding="utf-8")
    assert "max_upload_size=max(MAX_BYTES // 1024 // 1024, 1)" in slideshow, "the hearing uploader keeps its 1 MB"
