"""Numbers read the same on every page and output: separators, no 'None', one legend style,
the population year, and the dataset's own name for the whole place ("Statewide")."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from budgetmap import fmt
from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.model.errors import LoadError
from budgetmap.render.static import render
from budgetmap.report_text import report_text
from budgetmap.view import SpendingView
from conftest import ROOT, write_city

TIMEOUT = 120
PAGES = ["app.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app_pages").glob("*.py"))]
#: A number of four or more digits with no separator, not part of a word, code, decimal or link.
BARE = re.compile(r"(?<![\w.,:#/&=%-])(\d{4,})(?![\w.,%/-]|\.\d)")
#: Identifiers that are numbers but not counts: years (1900-2100), a random seed, EPSG codes.
NOT_COUNTS = re.compile(r"^(19|20)\d\d$|^2100$")


def run(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at if page == "app.py" else at.switch_page(page).run()


def _walk(node, texts: list[str], frames: list) -> None:
    kind = getattr(node, "type", "")
    if kind == "dataframe":
        frames.append(node)
    elif kind not in ("code",):  # code blocks show TOML snippets and paths as typed
        for attr in ("value", "label", "body", "help", "placeholder"):
            value = getattr(node, attr, None)
            if isinstance(value, str):
                texts.append(value)
    if kind == "code":
        texts.append(node.value)
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            _walk(child, texts, frames)


def screen(at: AppTest) -> tuple[str, list]:
    """Every text the page shows (markup and links stripped, markdown escapes undone) and its tables."""
    texts: list[str] = []
    frames: list = []
    _walk(at._tree, texts, frames)
    text = "\n".join(texts)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"<[^>]+>", " ", text).replace("\\", "")
    return text, frames


def problems(text: str, frames: list) -> list[str]:
    found = [f"'{m}'" for m in re.findall(r"\bNone\b|\bnan\b|\bNaN\b|\.0 USD", text)]
    for match in BARE.finditer(text):
        number = match.group(1)
        before = text[max(0, match.start() - 12):match.start()]
        if not NOT_COUNTS.match(number) and not re.search(r"(seed|EPSG|FY|FY )\s*$", before):
            found.append(f"bare number {number!r} after {before!r}")
    for frame in frames:
        data = frame.value
        config = json.loads(frame.proto.columns or "{}")
        if data.isna().any().any():
            found.append(f"empty cells (drawn as 'None') in columns {list(data.columns[data.isna().any()])}")
        for name in data.select_dtypes("number").columns:
            if data[name].abs().max() >= 1000 and not re.search(r"(?i)year|fy|id|row|period", str(name)):
                form = config.get(str(name), {}).get("type_config", {}).get("format") or ""
                if "," not in form and form not in ("localized", "compact", "dollar", "euro", "yen", "accounting"):
                    found.append(f"column {name!r} shows numbers of 1,000 and more without separators")
    return found


@pytest.mark.parametrize("page", PAGES)
def test_every_demo_page_reads_its_numbers_the_same_way(page):
    at = run(page)
    assert not at.exception, at.exception
    text, frames = screen(at)
    assert len(text) > 200, "the sweep read the page's words"
    assert problems(text, frames) == []


def test_the_sweep_finds_what_it_is_looking_for():
    """The checks above can fail: a page with every fault the issue names is caught on each."""
    found = problems("Districts: 3138 · 70,000.0 USD · Population: None · FY2025 · seed 12345 · nan", [])
    assert any("3138" in f for f in found) and "'.0 USD'" in found and "'None'" in found and "'nan'" in found
    assert not any("2025" in f or "12345" in f for f in found)


@pytest.fixture
def statewide(tmp_path: Path, monkeypatch) -> Path:
    """The test city as a state's data: 'Citywide' stays a key in its input, the label is 'Statewide';
    population from a table that names no year."""
    manifest = write_city(tmp_path / "state", manifest_extra='citywide_label = "Statewide"\n')
    text = manifest.read_text(encoding="utf-8").replace('population = "pop"\n', "")
    text += '\n[population]\npath = "pop.csv"\ndistrict = "district"\npopulation = "residents"\n'
    (manifest.parent / "pop.csv").write_text("district,residents\nA,1200\nB,2500\nC,3000\nD,4000\nQ,5\n",
                                             encoding="utf-8")
    renamed = manifest.with_name("statewide.toml")
    renamed.write_text(text, encoding="utf-8")
    manifest.unlink()
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(renamed))
    return renamed


def test_load_report_names_a_missing_population_year_and_shows_no_none(statewide):
    at = run("app_pages/2_Load_report.py", dataset="statewide")
    assert not at.exception
    text, frames = screen(at)
    assert "population year not stated" in text
    assert problems(text, frames) == []
    keys = next(f.value for f in frames if "Key" in f.value.columns)
    assert keys.set_index("Key").loc["Q", "Amount"] == "—", "a population key carries no money: a dash"
    assert keys.set_index("Key").loc["Z9", "Amount"] == "$7.00"


def test_spending_page_says_statewide_and_never_citywide(statewide):
    at = run("app_pages/1_Spending_map.py", dataset="statewide", year="2024")
    assert not at.exception
    text, frames = screen(at)
    assert "$300.00 statewide" in text, "the reconciliation line names the state's own money"
    assert "year not stated" in text, "the per-resident note says its population year is not stated"
    assert "citywide" not in text.lower()
    assert problems(text, frames) == []


def test_snapshot_and_cli_use_the_label(statewide):
    dataset = open_dataset(statewide)
    assert dataset.citywide_label == "Statewide"
    spec = MAP_KINDS["spending"](dataset, SpendingView(fiscal_year=2024, measure="total"))
    svg = render(spec, dataset.districts, "svg").decode("utf-8")
    flat = " ".join(re.sub(r"<[^>]+>", " ", svg).split())
    assert "$300.00 statewide" in flat and "citywide" not in flat.lower()
    text = report_text(dataset.report, dataset.currency, dataset.citywide_label)
    assert "$300.00 statewide" in text and "citywide" not in text.lower()
    assert "population year not stated" in text


def test_citywide_stays_a_key_of_the_input(statewide):
    """The label changes what is shown, not what is read: 'Citywide' rows are still the whole place's."""
    rec = open_dataset(statewide).report.reconciliation
    assert rec.citywide == 30000, "the row keyed 'Citywide' ($300) is counted as the state's own money"


@pytest.mark.parametrize(("value", "why"), [('""', "1 to 40 characters"), ("7", "a short label"),
                                            ('"' + "x" * 41 + '"', "1 to 40 characters"),
                                            ('"<b>State</b>"', "no markup")])
def test_a_bad_citywide_label_is_refused_with_a_clear_message(tmp_path: Path, value, why):
    manifest = write_city(tmp_path / "bad", manifest_extra=f"citywide_label = {value}\n")
    with pytest.raises(LoadError) as caught:
        open_dataset(manifest)
    message = str(caught.value)
    assert "manifest.toml" in message and "citywide_label" in message and why in message, message
    assert "Traceback" not in message


def test_legends_of_every_map_kind_share_one_style(demo_manifest):
    """Each legend's number labels: one suffix (K, M or none) and one precision throughout."""
    dataset = open_dataset(demo_manifest)
    views = {"spending": [SpendingView(measure=m) for m in ("total", "per_capita", "per_km2", "share")],
             "target": [SpendingView(indicator="pavement_busy_good_fair"), SpendingView(indicator="response_time_min")]}
    checked = set()
    for kind, builder in MAP_KINDS.items():
        for view in views.get(kind, [SpendingView()]):
            try:
                spec = builder(dataset, view)
            except (TypeError, ValueError, KeyError):
                continue
            if spec is None:
                continue
            numbers = [m for e in spec.legend if e.kind == "class"
                       for m in re.findall(r"[\d,]+(?:\.\d+)?[KMBT]?", e.label) if re.search(r"\d", m)]
            shapes = {(n[-1] if n[-1] in "KMBT" else "", len(n.split(".")[1].rstrip("KMBT")) if "." in n else 0)
                      for n in numbers if n.strip(",") not in ("0",)}
            assert len(shapes) <= 1, (kind, [e.label for e in spec.legend])
            if numbers:
                checked.add(kind)
    assert {"spending", "target", "change", "warning"} <= checked, checked


def test_a_wide_range_legend_reads_in_one_style(tmp_path: Path):
    """The issue's '$1,226 – $729.5K': a spending map over a wide range writes every class alike."""
    spending = "year,district,dept,program,fund,cost\n" + "".join(
        f"2024,{d},Parks,Trees,General,{v}\n" for d, v in zip("ABCD", (1226, 9_800, 210_000, 729_500)))
    dataset = open_dataset(write_city(tmp_path / "wide", spending=spending))
    spec = MAP_KINDS["spending"](dataset, SpendingView(fiscal_year=2024, measure="total"))
    labels = [e.label for e in spec.legend if e.kind == "class"]
    assert labels and all(re.fullmatch(r"\$\d+(\.\d)?K – \$\d+(\.\d)?K", label) for label in labels), labels
    assert fmt.legend_ranges([1226, 729_500]) == ["$1.2K – $729.5K"]


@pytest.mark.parametrize("key", ["chicago_wards", "portland_council"])
@pytest.mark.parametrize("page", ["app.py", "app_pages/1_Spending_map.py", "app_pages/2_Load_report.py"])
def test_real_cities_read_their_numbers_the_same_way(key, page):
    from conftest import needs_shared
    needs_shared()
    at = run(page, dataset=key)
    assert not at.exception
    text, frames = screen(at)
    assert problems(text, frames) == []


@pytest.mark.parametrize("page", PAGES)
def test_no_page_of_a_state_says_citywide(statewide, page):
    at = run(page, dataset="statewide", year="2024")
    assert not at.exception
    text, frames = screen(at)
    assert "citywide" not in text.lower(), [line for line in text.splitlines() if "citywide" in line.lower()]
    assert problems(text, frames) == []
