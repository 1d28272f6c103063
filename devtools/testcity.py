"""The manifest of the small generated cities used by tests and benchmarks."""
from __future__ import annotations

from budgetmap.tomlmerge import merge_toml  # noqa: F401  (re-exported: tests and benchmarks use it here)


def simple_manifest(name: str, note: str, geometry_file: str = "districts.geojson", extra: str = "") -> str:
    """A manifest for districts (code, label, pop) and a long spending.csv
    (year, district, dept, program, fund, cost)."""
    return f'''name = "{name}"
currency = "USD"
note = "{note}"
{extra}
[districts]
path = "{geometry_file}"
id = "code"
name = "label"
population = "pop"

[spending]
path = "spending.csv"
district = "district"
year = "year"
amount = "cost"
department = "dept"
program = "program"
fund = "fund"
'''


LAYERED_MANIFEST = '''name = "Two-layer town"
currency = "USD"
note = "Test data: capital projects located by coordinates"

[[layers]]
key = "wards"
label = "Wards"
path = "wards.geojson"
id = "code"
population = "pop"

[[layers]]
key = "halves"
label = "East and west"
path = "halves.geojson"
id = "code"
population = "pop"

[spending]
path = "projects.csv"
lon = "lon"
lat = "lat"
year = "year"
amount = "cost"
department = "dept"
project = "project"

[[indicators]]
path = "canopy.csv"
layer = "halves"
district = "code"
year = "year"
indicator = "indicator"
actual = "actual"

[indicators.meta.canopy]
label = "Tree canopy"
unit = "%"
department = "Parks"
target = 40.0

[[indicators]]
path = "ramps.csv"
district = "code"
year = "year"
indicator = "indicator"
actual = "actual"

[indicators.meta.ramps]
label = "Corners with curb ramps"
unit = "%"
department = "Roads"
target = 90.0
'''
#: Indicator values of the layered town: canopy by half (only), curb ramps by ward (only).
LAYERED_CANOPY = {2024: {"W": 28.0, "E": 44.0}, 2025: {"W": 30.0, "E": 45.0}}
LAYERED_RAMPS = {2025: {"A": 95.0, "B": 80.0, "C": 88.0, "D": 92.0}}


def write_layered_city(folder: "Path") -> "Path":  # noqa: F821 - imported lazily below
    """A 2x2 town (wards A..D, 1 km squares) with a second layer of two halves (W = A+C, E = B+D),
    and projects located by lon/lat: inside A, inside D (two rows), outside every district, with
    unreadable coordinates, and one on the corner all four wards share (the smallest id, A, takes it;
    of the halves, E). Returns the manifest; the expected numbers are in ``LAYERED_EXPECTED``."""
    from pathlib import Path

    import geopandas as gpd
    from shapely.geometry import Point, Polygon, box

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    utm = "EPSG:32633"
    squares = [box(500000 + 1000 * (i % 2), 5000000 + 1000 * (i // 2),
                   501000 + 1000 * (i % 2), 5001000 + 1000 * (i // 2)) for i in range(4)]
    wards = gpd.GeoDataFrame({"code": list("ABCD"), "pop": [1000, 2000, 3000, 4000]}, geometry=squares, crs=utm)
    def half(x0: int) -> Polygon:  # with the mid-edge vertices, so the wards' shared corner is a vertex here too
        return Polygon([(x0, 5000000), (x0 + 1000, 5000000), (x0 + 1000, 5001000), (x0 + 1000, 5002000),
                        (x0, 5002000), (x0, 5001000)])
    halves = gpd.GeoDataFrame({"code": ["W", "E"], "pop": [4000, 6000]}, geometry=[half(500000), half(501000)],
                              crs=utm)
    wards = wards.to_crs("EPSG:4326")
    halves = halves.to_crs("EPSG:4326")
    wards.to_file(folder / "wards.geojson")
    halves.to_file(folder / "halves.geojson")
    corner = wards.geometry.iloc[0].exterior.coords  # A's corners, as written to the file
    shared = max(corner, key=lambda c: (c[0], c[1]))  # A's north-east corner: shared by all four wards

    def inside(i: int) -> Point:
        return gpd.GeoSeries([squares[i].centroid], crs=utm).to_crs("EPSG:4326").iloc[0]
    a, d = inside(0), inside(3)
    rows = [("2025", f"{a.x!r}", f"{a.y!r}", "1000.00", "Parks", "Pond"),
            ("2025", f"{d.x!r}", f"{d.y!r}", "250.50", "Roads", "Bridge"),
            ("2025", f"{d.x!r}", f"{d.y!r}", "-50.25", "Roads", "Bridge refund"),
            ("2025", "0.0", "0.0", "77.00", "Roads", "Far away"),
            ("2025", "east", "12", "5.00", "Parks", "Typo"),
            ("2025", f"{shared[0]!r}", f"{shared[1]!r}", "300.00", "Parks", "Corner"),
            ("2024", f"{a.x!r}", f"{a.y!r}", "40.00", "Parks", "Pond")]
    text = "year,lon,lat,cost,dept,project\n" + "".join(",".join(r) + "\n" for r in rows)
    (folder / "projects.csv").write_text(text, encoding="utf-8")
    for name, key, values in (("canopy.csv", "canopy", LAYERED_CANOPY), ("ramps.csv", "ramps", LAYERED_RAMPS)):
        lines = [f"{key},{year},{code},{value}\n" for year, by in values.items() for code, value in by.items()]
        (folder / name).write_text("indicator,year,code,actual\n" + "".join(lines), encoding="utf-8")
    manifest = folder / "manifest.toml"
    manifest.write_text(LAYERED_MANIFEST, encoding="utf-8")
    return manifest


#: FY2025 cents of the layered town, worked out by hand from the rows above.
LAYERED_EXPECTED = {
    "wards": {"A": 100000 + 30000, "D": 25050 - 5025},
    "halves": {"W": 100000, "E": 25050 - 5025 + 30000},
    "no_location": 7700 + 500,  # outside every district, and unreadable coordinates
    "total": 100000 + 25050 - 5025 + 7700 + 500 + 30000,
}


def write_grid_city(folder: "Path", ids: list[str], names: list[str], spending: list[tuple[str, str, str]],
                    extra: str = "") -> "Path":  # noqa: F821
    """A city of len(ids) 1 km squares in a row-major grid (columns code, label, pop) with a spending.csv
    of (year, district key as written, amount) rows; ``extra`` is appended to the [spending] section."""
    from pathlib import Path

    import geopandas as gpd
    from shapely.geometry import box

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    side = max(1, int(len(ids) ** 0.5 + 0.999))
    squares = [box(500000 + 1000 * (i % side), 5000000 + 1000 * (i // side),
                   501000 + 1000 * (i % side), 5001000 + 1000 * (i // side)) for i in range(len(ids))]
    frame = gpd.GeoDataFrame({"code": ids, "label": names, "pop": [1000 * (i + 1) for i in range(len(ids))]},
                             geometry=squares, crs="EPSG:32633").to_crs("EPSG:4326")
    frame.to_file(folder / "districts.geojson")
    lines = "".join(f'{year},"{key}",Parks,Trees,General,{amount}\n' for year, key, amount in spending)
    (folder / "spending.csv").write_text("year,district,dept,program,fund,cost\n" + lines, encoding="utf-8")
    manifest = folder / "manifest.toml"
    manifest.write_text(simple_manifest("Grid city", "Test data", extra=""), encoding="utf-8")
    if extra:
        manifest.write_text(manifest.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return manifest


#: (state name, postal code, FIPS code) of the county-like fixture's states.
STATES = {"AL": ("Alabama", 1), "OR": ("Oregon", 41), "WA": ("Washington", 53), "IL": ("Illinois", 17)}


def write_county_city(folder: "Path", counties: list[tuple[int, str, str]],  # noqa: F821
                      rows: list[tuple[str, str, str, str]], extra: str = "", lsad: bool = True) -> "Path":  # noqa: F821
    """County-like boundaries and a spending table keyed by county name and state.

    ``counties`` are (integer FIPS id, NAME, postal code): the boundary file has an
    integer ``GEOID``, ``NAME``, ``NAMELSAD`` ("Washington County"), ``STATE_NAME``,
    ``STUSPS`` and an integer ``STATEFP``, as census files do. ``rows`` are (year,
    county as written, state as written, amount) in columns year, county, state,
    cost; ``extra`` is appended to the [spending] section; ``lsad=False`` leaves ``NAMELSAD`` out."""
    from pathlib import Path

    import geopandas as gpd
    from shapely.geometry import box

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    side = max(1, int(len(counties) ** 0.5 + 0.999))
    frame = gpd.GeoDataFrame({
        "GEOID": [c[0] for c in counties], "NAME": [c[1] for c in counties],
        "NAMELSAD": [f"{c[1]} County" for c in counties],
        "STATE_NAME": [STATES[c[2]][0] for c in counties], "STUSPS": [c[2] for c in counties],
        "STATEFP": [STATES[c[2]][1] for c in counties], "pop": [100 * (i + 1) for i in range(len(counties))],
    }, geometry=[box(i % side, i // side, i % side + 0.9, i // side + 0.9) for i in range(len(counties))],
        crs="EPSG:4326")
    if not lsad:
        frame = frame.drop(columns=["NAMELSAD"])
    frame.to_file(folder / "counties.geojson")
    lines = "".join(f'{year},"{county}","{state}",Roads,{amount}\n' for year, county, state, amount in rows)
    (folder / "spending.csv").write_text("year,county,state,dept,cost\n" + lines, encoding="utf-8")
    manifest = folder / "manifest.toml"
    manifest.write_text(f'''name = "County city"
currency = "USD"

[districts]
path = "counties.geojson"
id = "GEOID"
name = "NAME"
population = "pop"

[spending]
path = "spending.csv"
district = "county"
year = "year"
amount = "cost"
department = "dept"
{extra}''', encoding="utf-8")
    return manifest
