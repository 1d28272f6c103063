"""The CLI starts without the heavy libraries: they are imported by the command that needs them."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

HEAVY = ("mapclassify", "scipy", "matplotlib", "geopandas", "libpysal", "esda")


def _loaded_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_library():
    assert _loaded_after("import budgetmap.cli") == []


def test_help_of_every_command_but_stats_loads_no_heavy_library():
    for command in ("", "check", "snapshot", "book", "warnings"):
        code = ("from budgetmap.cli import main\n"
                f"try:\n    main({[command, '--help'] if command else ['--help']!r})\nexcept SystemExit:\n    pass")
        assert _loaded_after(code) == [], command


def test_the_class_registry_and_a_book_file_read_without_mapclassify(tmp_path):
    book = tmp_path / "book.toml"
    book.write_text('title = "B"\nmanifest = "m.toml"\n[[view]]\nmeasure = "total"\n')
    code = ("from budgetmap.classify import SCHEMES\nfrom budgetmap.book import read_book\n"
            f"assert list(SCHEMES) and read_book({str(book)!r}).title == 'B'")
    loaded = _loaded_after(code)
    assert not [m for m in loaded if m.split(".")[0] in ("mapclassify", "scipy")]


def test_commands_still_import_what_they_need(demo_manifest, tmp_path):
    """Lazy imports must not break a command: check and a snapshot run end to end from the shell."""
    out = subprocess.run([sys.executable, "-m", "budgetmap", "check", str(demo_manifest), "--json"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["districts"] == 31
    png = tmp_path / "m.png"
    out = subprocess.run([sys.executable, "-m", "budgetmap", "snapshot", str(demo_manifest), "--out", str(png),
                          "--scheme", "natural_breaks", "--dpi", "60"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = subprocess.run([sys.executable, "-m", "budgetmap", "stats", str(demo_manifest), "--weights", "nope"],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 2 and "invalid choice: 'nope'" in out.stderr
