"""The manifest of the small generated cities used by tests and benchmarks."""
from __future__ import annotations


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
