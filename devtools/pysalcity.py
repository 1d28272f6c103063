"""libpysal's bundled example data written out as a budgetmap dataset, so published results can be checked
through a manifest like any city's (tests/test_stats_published.py).

The examples (St Louis homicides, North Carolina SIDS, Columbus crime) ship in the
libpysal wheel, no download needed. Each becomes a districts GeoJSON (the
shapefile's polygons, read as longitude/latitude), an indicators CSV with one
column of the table as the indicator's actual value, and optionally a spending
CSV whose amounts are another column, with a third as the population, so that
"spending per resident" is a rate of the example (homicides per resident).
"""
from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd

YEAR = 2020  # any fiscal year: the examples have none of their own


def example_frame(name: str, shapefile: str) -> gpd.GeoDataFrame:
    """A bundled example's polygons and attributes (EPSG:4326 when the file states no CRS)."""
    from libpysal import examples

    frame = gpd.read_file(examples.get_path(shapefile))
    return frame.set_crs("EPSG:4326") if frame.crs is None else frame.to_crs("EPSG:4326")


def write_example_city(folder: Path, frame: gpd.GeoDataFrame, *, id_column: str, name_column: str,
                       indicators: dict[str, str], population: str | None = None, spending: str | None = None,
                       extra: str = "") -> Path:
    """Write ``frame`` as a dataset under ``folder`` and return its manifest.

    ``indicators`` maps an indicator key to the column holding its value;
    ``spending`` names a column written as one spending row per district (amount =
    that column), ``population`` the column the districts' population comes from.
    ``extra`` is added to the ``[districts]`` section (``min_population = 1000``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    ids = frame[id_column].astype(str).str.strip()
    districts = gpd.GeoDataFrame({"id": ids, "name": frame[name_column].astype(str)}, geometry=frame.geometry,
                                 crs=frame.crs)
    if population:
        districts["population"] = frame[population].astype(float)
    districts.to_file(folder / "districts.geojson", driver="GeoJSON")
    with open(folder / "indicators.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["district", "year", "indicator", "actual"])
        for key, column in indicators.items():
            for district, value in zip(ids, frame[column]):
                out.writerow([district, YEAR, key, repr(float(value))])
    lines = ['name = "libpysal example"', 'currency = "USD"', 'source = "libpysal.examples"', "",
             "[districts]", 'path = "districts.geojson"', 'id = "id"', 'name = "name"']
    if population:
        lines.append('population = "population"')
    lines += [extra, ""]
    if spending:
        with open(folder / "spending.csv", "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["district", "year", "department", "amount"])
            for district, value in zip(ids, frame[spending]):
                out.writerow([district, YEAR, "Events", repr(float(value))])
        lines += ["[spending]", 'path = "spending.csv"', 'district = "district"', 'year = "year"',
                  'amount = "amount"', 'department = "department"', ""]
    lines += ["[indicators]", 'path = "indicators.csv"', 'district = "district"', 'year = "year"',
              'indicator = "indicator"', 'actual = "actual"', ""]
    manifest = folder / "manifest.toml"
    manifest.write_text("\n".join(lines), encoding="utf-8")
    return manifest
