"""``python -m budgetmap snapshot`` and ``book``: files, permalinks, one-line refusals, partial books."""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from budgetmap.cli import main
from budgetmap.permalink import view_from_params
from budgetmap.view import SpendingView
from conftest import HOSTILE_NAMES, ROOT, needs_shared

SVG = "{http://www.w3.org/2000/svg}"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own refusals
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def _svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    return " ".join(" ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text")).split())


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))


class _Params(dict):
    def get_all(self, key):
        return self.get(key, [])


def _view_of(url: str) -> tuple[str, SpendingView, str]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    flat = _Params({k: v if k in ("dept", "program", "fund", "breaks") else v[0] for k, v in query.items()})
    return parts.path, view_from_params(flat), query["dataset"][0]


def test_snapshot_png_at_300_dpi_by_default(demo_manifest, tmp_path, capsys):
    out = tmp_path / "map.png"
    code, stdout, err = _run(capsys, "snapshot", str(demo_manifest), "--measure", "per_capita", "--year", "2024",
                             "--out", str(out))
    assert code == 0, err
    with Image.open(out) as image:
        assert image.format == "PNG" and image.size == (3300, 2400)
    assert str(out) in stdout


def test_snapshot_link_reopens_the_view_it_shows(demo_manifest, tmp_path, capsys):
    out = tmp_path / "target.svg"
    code, stdout, err = _run(capsys, "snapshot", str(demo_manifest), "--map", "target",
                             "--indicator", "response_time_min", "--district", "Heron Bend",
                             "--base-url", "https://budget.example.org/app/", "--out", str(out))
    assert code == 0, err
    url = re.search(r"^link: (\S+)$", stdout, re.M).group(1)
    assert url.startswith("https://budget.example.org/app/Targets?")
    path, view, dataset = _view_of(url)
    assert dataset == "demo"
    assert view.indicator == "response_time_min"
    assert view.selected == "D07", "the name given is written as the district's id"
    assert view.fiscal_year == 2025, "no --year: the latest year shown is written into the link"
    text = _svg_text(out)
    assert f"Link: {url}" in text
    assert "Outlined: Heron Bend" in text


@pytest.mark.parametrize("suffix,check", [
    (".svg", lambda data: ET.fromstring(data).tag == f"{SVG}svg"),
    (".PDF", lambda data: data.startswith(b"%PDF-")),
])
def test_snapshot_format_follows_the_extension(demo_manifest, tmp_path, capsys, suffix, check):
    out = tmp_path / f"change{suffix}"
    code, _, err = _run(capsys, "snapshot", str(demo_manifest), "--map", "change", "--base", "2022",
                        "--out", str(out))
    assert code == 0, err
    assert check(out.read_bytes())


@pytest.mark.parametrize("flags,named", [
    (["--map", "pie"], "--map"),
    (["--measure", "per_person"], "--measure"),
    (["--year", "1999"], "--year"),
    (["--year", "next year"], "--year"),
    (["--dept", "Ministry of Silly Walks"], "--dept"),
    (["--scheme", "jenks"], "--scheme"),
    (["--k", "12"], "--k"),
    (["--palette", "rainbow"], "--palette"),
    (["--district", "Atlantis"], "--district"),
    (["--map", "target", "--indicator", "happiness"], "--indicator"),
    (["--map", "change", "--base", "2025"], "--base"),
    (["--scheme", "manual"], "--breaks"),
    (["--breaks", "ten"], "--breaks"),
])
def test_unknown_values_fail_with_one_line(demo_manifest, tmp_path, capsys, flags, named):
    out = tmp_path / "never.png"
    code, stdout, err = _run(capsys, "snapshot", str(demo_manifest), *flags, "--out", str(out))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ") and named in err, err
    assert flags[-1] in err or "manual" in err
    assert not out.exists() and stdout == ""


def test_unknown_format_and_unknown_flag_fail_with_one_line(demo_manifest, tmp_path, capsys):
    code, _, err = _run(capsys, "snapshot", str(demo_manifest), "--out", str(tmp_path / "map.jpg"))
    assert code == 2 and "map.jpg" in err and len(err.strip().splitlines()) == 1
    code, _, err = _run(capsys, "snapshot", str(demo_manifest), "--colour", "red", "--out", str(tmp_path / "m.png"))
    assert code == 2 and "--colour" in err and len(err.strip().splitlines()) == 1


def test_snapshot_of_broken_data_is_refused(city, tmp_path, capsys):
    manifest = city()
    (manifest.parent / "districts.geojson").write_text("{not json")
    code, _, err = _run(capsys, "snapshot", str(manifest), "--out", str(tmp_path / "m.png"))
    assert code == 2 and "districts.geojson" in err and "Traceback" not in err


def test_chicago_per_resident_2016_states_the_population_year(tmp_path, capsys):
    needs_shared("chicago", "menu_money_2012_2023.csv")
    out = tmp_path / "chicago.svg"
    code, stdout, err = _run(capsys, "snapshot", str(ROOT / "examples" / "chicago_wards.toml"),
                             "--measure", "per_capita", "--year", "2016", "--out", str(out))
    assert code == 0, err
    text = _svg_text(out)
    assert "FY2016" in text and "Per resident: divided by district population (2010)." in text
    assert "dataset=chicago_wards" in stdout


def test_demo_book_writes_every_view_and_one_pdf(tmp_path):
    book = ROOT / "examples" / "book_demo.toml"
    views = len(re.findall(r"^\[\[view\]\]", book.read_text(encoding="utf-8"), re.M))
    run = subprocess.run([sys.executable, "-m", "budgetmap", "book", str(book), "--out", str(tmp_path), "--dpi", "60"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    progress = [line for line in run.stdout.splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in progress] == [f"[{i}/{views}" for i in range(1, views + 1)]
    assert all(line.endswith("… ok") for line in progress)
    assert len(list(tmp_path.glob("*.png"))) == views and not list(tmp_path.glob("*.svg"))
    assert _pages(tmp_path / "book_demo.pdf") == views
    kinds = set(re.findall(r'^map = "(\w+)"', book.read_text(encoding="utf-8"), re.M))
    assert {"spending", "target", "change"} <= kinds


def test_a_bad_view_is_named_and_the_rest_are_kept(demo_manifest, tmp_path, capsys):
    book = tmp_path / "book.toml"
    book.write_text(f'''
manifest = "{demo_manifest.as_posix()}"
svg = true
[[view]]
title = "Good one"
year = 2024
[[view]]
title = "Year that never was"
year = 1999
[[view]]
title = "Typo"
meausre = "total"
[[view]]
map = "target"
name = "pavement"
[[view]]
title = "Elsewhere"
manifest = "missing/manifest.toml"
''', encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, err = _run(capsys, "book", str(book), "--out", str(out), "--dpi", "50")
    assert code == 2
    assert "[2/5] Year that never was … FAILED" in stdout and "1999" in stdout
    assert "[3/5] Typo … FAILED" in stdout and "meausre" in stdout
    assert "[5/5] Elsewhere … FAILED" in stdout
    assert "2 of 5 views drawn" in stdout
    named = [line for line in err.splitlines() if line.startswith("error: view ")]
    assert [n.split(" (")[0] for n in named] == ["error: view 2", "error: view 3", "error: view 5"]
    assert "'Year that never was'" in named[0]
    assert sorted(p.name for p in out.glob("*.png")) == ["01-good-one.png", "04-pavement.png"]
    assert len(list(out.glob("*.svg"))) == 2
    assert _pages(out / "book.pdf") == 2


@pytest.mark.parametrize("text,says", [
    ("[[view]\n", "not valid TOML"),
    ("title = 'nothing'\n", "no views"),
    ("colour = 'red'\n[[view]]\n", "colour"),
])
def test_an_unreadable_book_is_refused_before_drawing(tmp_path, capsys, text, says):
    book = tmp_path / "b.toml"
    book.write_text(text, encoding="utf-8")
    code, _, err = _run(capsys, "book", str(book), "--out", str(tmp_path / "out"))
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_hostile_titles_stay_literal_and_file_names_stay_safe(demo_manifest, tmp_path, capsys):
    book = tmp_path / "book.toml"
    views = "".join(f"[[view]]\ntitle = '''{name}'''\n" for name in HOSTILE_NAMES)
    book.write_text(f'manifest = "{demo_manifest.as_posix()}"\nsvg = true\n{views}', encoding="utf-8")
    code, _, err = _run(capsys, "book", str(book), "--out", str(tmp_path / "out"), "--dpi", "50")
    assert code == 0, err
    svgs = sorted((tmp_path / "out").glob("*.svg"))
    assert len(svgs) == len(HOSTILE_NAMES)
    for path, name in zip(svgs, HOSTILE_NAMES):
        assert re.fullmatch(r"\d\d-[a-z0-9-]+\.svg", path.name)
        assert name in _svg_text(path)
