"""The real app under bad input: a broken dataset beside good ones, hostile hearing lists through
the uploader, hostile addresses on every page, and an uncaught error that shows no traceback."""
from __future__ import annotations

import json
import re
import os
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .conftest import CHROMIUM, ROOT, start_streamlit, stop_streamlit, visitor, write_city
from .test_map_browser import demo_districts, wait_for_script_done

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

pytestmark = pytest.mark.browser
FORMAT = "budgetmap hearing list"
EXCEPTION = "[data-testid=stException]"
PAGES = ["", "Spending_map", "Load_report", "Targets", "District_story", "Compare_years", "Money_vs_results",
         "Hearing"]


@pytest.fixture(scope="module")
def broken_server(tmp_path_factory):
    """The app with a good test city beside a manifest nested 20,000 deep and a city whose
    boundary file is not JSON (keys good, deep, badload); the demo is there as always."""
    root = tmp_path_factory.mktemp("broken_catalogue")
    good = write_city(root / "good")
    good = good.rename(good.with_name("good.toml"))
    deep = root / "deep" / "deep.toml"
    deep.parent.mkdir()
    deep.write_text('name = "Deep"\nbad = ' + "[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")
    badload = write_city(root / "badload", names=["North", "South", "East", "West"])
    badload = badload.rename(badload.with_name("badload.toml"))
    badload.write_text(badload.read_text(encoding="utf-8").replace('"Testville"', '"Badtown"'), encoding="utf-8")
    (badload.parent / "districts.geojson").write_text("{not json", encoding="utf-8")
    log = root / "streamlit.log"
    server = start_streamlit("app.py", log=log,
                             env_extra={"BUDGETMAP_DATASETS": os.pathsep.join(map(str, (good, deep, badload)))})
    server.folder = root
    try:
        yield server
    finally:
        stop_streamlit(server)


@pytest.fixture
def open_broken(browser, broken_server):
    open_page, close_all = visitor(browser, broken_server)
    yield open_page
    close_all()


def settled(rec):
    wait_for_script_done(rec.page)
    return rec.page.locator("[data-testid=stApp]").inner_text()


def no_traceback(rec, text: str, *secrets: str) -> None:
    assert rec.page.locator(EXCEPTION).count() == 0, text[:2000]
    assert "Traceback" not in text and 'File "' not in text
    for secret in secrets:
        assert secret not in text


def test_a_broken_dataset_beside_good_ones(open_broken, broken_server):
    rec = open_broken("/Spending_map?dataset=good")
    rec.wait_for_map(4)
    text = settled(rec)
    no_traceback(rec, text)
    page = rec.page
    page.get_by_role("combobox", name="Dataset").click()
    page.get_by_role("option", name="deep.toml (cannot be opened)").click()
    alert = page.get_by_text(re.compile(r"deep\.toml: is not a manifest: its arrays or tables are nested too deeply"))
    expect(alert).to_be_visible(timeout=45_000)
    text = settled(rec)
    no_traceback(rec, text, str(broken_server.folder), "/tmp/")
    # the manifest reader refuses the deep nesting itself (a LoadError, nothing unexpected to log);
    # unexpected failures reaching the log is tests/test_pages_hardening.py's simulated MemoryError/OSError
    rec = open_broken("/Targets?dataset=badload")
    expect(rec.page.get_by_text("This dataset cannot be loaded")).to_be_visible(timeout=45_000)
    text = settled(rec)
    no_traceback(rec, text, str(broken_server.folder))
    assert "districts.geojson" in text
    rec = open_broken("/Compare_years?dataset=demo")  # the other datasets still work, on every page
    rec.wait_for_map(len(demo_districts()))
    no_traceback(rec, settled(rec))
    assert rec.console_errors() == [] and rec.non_local_urls() == []


def _hearing(*slides: dict) -> str:
    return json.dumps({"format": FORMAT, "version": 1, "slides": list(slides)})


HOSTILE_LISTS = {
    "forty_million_years": (_hearing({"kind": "spending", "dataset": "demo",
                                      "params": {"since": "0", "year": "40000000", "lock": "2020"}}),
                            "forty_million_years.json: slide 1, since: '0' is not a fiscal year"),
    "nested": ('{"format": "%s", "slides": [%s]}' % (FORMAT, "[" * 100_000 + "]" * 100_000),
               "nested.json: not a hearing list (nested too deeply to read)"),
    "wrong_types": (_hearing({"kind": "spending", "dataset": "demo", "params": {"dept": 5}}),
                    "wrong_types.json: slide 1, dept: 5 is a number"),
    "district_object": (_hearing({"kind": "target", "dataset": "demo", "params": {"district": {"a": 1}}}),
                        "district_object.json: slide 1, district: {'a': 1} is not text"),
    "twenty_thousand_slides": (_hearing(*[{"kind": "spending", "dataset": "demo",
                                           "params": {"year": "FY2024"}}] * 20_000),
                               "File must be 1.0MB or smaller"),  # refused by the uploader before it is sent
}


def test_hostile_hearing_lists_through_the_uploader(open_broken, tmp_path):
    rec = open_broken("/Hearing?dataset=demo")
    rec.wait_for_map(len(demo_districts()))
    page = rec.page
    title = page.locator(".bm-card h1")
    expect(title).to_have_text("Where the money goes")
    page.get_by_text("The hearing list: save, load, clear").click()
    for name, (content, says) in HOSTILE_LISTS.items():
        upload = tmp_path / f"{name}.json"
        upload.write_text(content, encoding="utf-8")
        page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(upload))
        expect(page.get_by_text(says, exact=False)).to_be_visible(timeout=45_000)
        text = settled(rec)
        no_traceback(rec, text)
        expect(title).to_have_text("Where the money goes")  # the hearing goes on with its list
    assert rec.console_errors() == [] and rec.non_local_urls() == []


HOSTILE_QUERY = {"year": "99999999999999999999", "since": "-5", "lock": "NaN", "base": "inf", "k": "1e309",
                 "breaks": "nan", "dept": "<img src=x onerror=alert(1)>", "district": "x" * 3000,
                 "indicator": "`${alert(2)}`", "layer": "../../etc/passwd", "measure": "日本語 ✓ \u202e",
                 "palette": "", "slide": "²", "unknown": "1"}


@pytest.mark.parametrize("page_name", PAGES)
def test_hostile_addresses_show_no_exception_box(open_broken, page_name):
    query = urlencode({"dataset": "../../demo", **HOSTILE_QUERY}) + "&dept=Parks&year=2020"
    rec = open_broken(f"/{page_name}?{query}")
    wait_for_script_done(rec.page)
    expect(rec.page.locator("h1").first).to_be_visible(timeout=45_000)
    text = settled(rec)
    no_traceback(rec, text)
    assert rec.dialogs == [], "hostile text ran"
    assert rec.console_errors() == [] and rec.non_local_urls() == []


def test_an_uncaught_error_shows_no_traceback_and_is_logged(browser, tmp_path):
    """The project's .streamlit/config.toml (read from the folder the app runs in) hides details."""
    script = tmp_path / "fails.py"
    script.write_text("raise RuntimeError('secret /srv/budgetmap/private.py')\n", encoding="utf-8")
    server = start_streamlit(script, log=tmp_path / "streamlit.log", cwd=ROOT)
    open_page, close_all = visitor(browser, server)
    try:
        rec = open_page("/")
        box = rec.page.locator(EXCEPTION)
        expect(box).to_be_visible(timeout=45_000)
        shown = box.inner_text()
        assert "redacted" in shown and "secret" not in shown and "RuntimeError" not in shown
        assert "Traceback" not in rec.page.locator("[data-testid=stApp]").inner_text()
        log = server.log_tail(200)
        assert "secret /srv/budgetmap/private.py" in log and "Traceback" in log, "the details are logged"
    finally:
        close_all()
        stop_streamlit(server)
