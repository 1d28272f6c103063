"""Shared fixtures: a tiny city written to disk, and the real data when present."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devtools.testcity import simple_manifest  # noqa: E402
from hypothesis import settings  # noqa: E402

# Properties check results, not speed: no per-example deadline (a shared, loaded machine runs an
# example in 330 ms that takes 20 ms alone). Speed is measured in bench/.
settings.register_profile("budgetmap", deadline=None)
settings.load_profile("budgetmap")

# Tests never read or write the developer's own workspace (~/.local/share/budgetmap/workspace):
# a dataset saved there would join every catalogue the tests check. Servers the browser tests
# start inherit this; tests of the workspace set their own with monkeypatch.
if "BUDGETMAP_TEST_WORKSPACE" not in os.environ:
    import tempfile

    os.environ["BUDGETMAP_TEST_WORKSPACE"] = tempfile.mkdtemp(prefix="budgetmap-workspace-")
os.environ["BUDGETMAP_WORKSPACE"] = os.environ["BUDGETMAP_TEST_WORKSPACE"]
# the map's static files (geometry bands, words) go to a throwaway cache, shared with the servers tests start
if "BUDGETMAP_TEST_CACHE" not in os.environ:
    import tempfile

    os.environ["BUDGETMAP_TEST_CACHE"] = tempfile.mkdtemp(prefix="budgetmap-cache-")
os.environ["BUDGETMAP_CACHE"] = os.environ["BUDGETMAP_TEST_CACHE"]
# AppTest runs no JavaScript, so no map ever reports its first paint: page tests get whole pages
# from the first run (ui/first_paint.py; tests/test_first_paint.py covers the first screen, and
# devtools.server leaves this out for the servers the browser tests drive)
os.environ["BUDGETMAP_FIRST_PAINT"] = "whole"
SHARED = ROOT.parent / "shared" / "data"
DEMO = ROOT / "geodata" / "demo" / "manifest.toml"

#: Names that must show as typed: HTML, JS template literals, markdown, maths.
HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>",
    "`${alert(2)}`",
    "[click](javascript:alert(3))",
    "$5 and $9 & <b>bold</b>",
]


def needs_shared(*parts: str) -> Path:
    """Path under ../shared/data, skipping the test cleanly when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present (real data lives outside the repository)")
    return path


def write_city(folder: Path, *, names: list[str] | None = None, spending: str | None = None,
               manifest_extra: str = "", geometry_file: str = "districts.geojson") -> Path:
    """Write a 2x2 city (districts A..D, 1 km squares in EPSG:32633) and return its manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    names = names or ["Alpha", "Bravo", "Charlie", "Delta"]
    squares = [box(500000 + 1000 * (i % 2), 5000000 + 1000 * (i // 2),
                   501000 + 1000 * (i % 2), 5001000 + 1000 * (i // 2)) for i in range(4)]
    frame = gpd.GeoDataFrame({"code": list("ABCD"), "label": names, "pop": [1000, 2000, 0, 4000]},
                             geometry=squares, crs="EPSG:32633").to_crs("EPSG:4326")
    frame.to_file(folder / geometry_file)
    if spending is None:
        spending = ("year,district,dept,program,fund,cost\n"
                    "2024,A,Parks,Trees,General,\"$1,000.50\"\n"
                    "2024,B,Parks,Trees,General,2000\n"
                    "2024,B,Roads,Paving,Gas Tax,(500.25)\n"
                    "2024,Citywide,Roads,Paving,General,300\n"
                    "2024,,Parks,Trees,General,40.10\n"
                    "2024,Z9,Parks,Trees,General,7\n"
                    "2023,A,Parks,Trees,General,900\n"
                    "2023,C,Roads,Paving,General,0\n")
    (folder / "spending.csv").write_text(spending, encoding="utf-8")
    manifest = folder / "manifest.toml"
    manifest.write_text(simple_manifest("Testville", "Test data", geometry_file, manifest_extra),
                        encoding="utf-8")
    return manifest


@pytest.fixture
def city(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``city(**kwargs)`` writes a small city under tmp_path and returns its manifest."""
    counter = iter(range(1000))

    def make(**kwargs) -> Path:
        return write_city(tmp_path / f"city{next(counter)}", **kwargs)
    return make


@pytest.fixture(scope="session")
def demo_manifest() -> Path:
    if not DEMO.exists():
        pytest.fail("the bundled demo city is missing: run python geodata/build_demo.py")
    return DEMO


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL + PostGIS server for the session (devtools/postgres.py), stopped at the end.

    Skipped where PostgreSQL or PostGIS is not installed, except under CI (env CI
    set), where a missing server is a failure: CI must really test the database path.
    """
    from devtools import postgres

    reason = postgres.missing_reason()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        reason = reason or "psycopg is not installed (pip install -r requirements.txt)"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the PostGIS tests cannot run: {reason}", pytrace=False)
        pytest.skip(reason)
    server = postgres.start_server()
    try:
        yield server
    finally:
        postgres.stop_server(server)
