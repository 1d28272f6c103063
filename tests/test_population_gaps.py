"""Districts left without a population are named in the load report, never dropped in silence."""
from __future__ import annotations

from budgetmap.dataset import open_dataset
import pytest

from corpus.city import (IDS, NAMES, csv_text, districts_geojson, feature, manifest, polygon, square,
                               write_city)


@pytest.fixture
def city(tmp_path):
    """The corpus's base city (tests/corpus/city.py) with parts replaced."""
    counter = iter(range(100))
    return lambda **parts: write_city(tmp_path / f"c{next(counter)}", **parts)


def _boundaries(pops: tuple[str, ...]) -> str:
    return districts_geojson([feature({"id": i, "name": n, "pop": p}, polygon(square(k)))
                              for k, (i, n, p) in enumerate(zip(IDS, NAMES, pops))])


def test_a_blank_population_cell_in_the_boundary_file_is_named(city):
    dataset = open_dataset(city(files={"districts.geojson": _boundaries(("1000", "", "n/a", "4000"))}))
    gaps = [w for w in dataset.report.warnings if "no population or a population of 0" in w]
    assert gaps == ["2 of 4 districts have no population or a population of 0: Birch (B), Cedar (C); they get no "
                    "per-resident value (blank on per-resident maps)"]
    assert dataset.districts.set_index("district_id")["population"].isna().tolist() == [False, True, True, False]


def test_every_district_with_a_population_gives_no_warning(city):
    dataset = open_dataset(city())
    assert not [w for w in dataset.report.warnings if "population" in w]


def test_a_blank_row_of_a_population_table_is_accounted_for(city):
    table = csv_text(("district", "residents"), [("A", "10"), ("B", ""), ("C", "30"), ("D", "n/a")])
    extra = '[population]\npath = "population.csv"\ndistrict = "district"\npopulation = "residents"\n'
    dataset = open_dataset(city(manifest_text=manifest(extra=extra), files={"population.csv": table}))
    report = next(t for t in dataset.report.tables if t.table == "population")
    assert (report.rows_read, report.rows_used, report.problems) == (4, 2, [])
    assert '2 rows (3, 5) give no population (a blank cell or a marker such as "n/a"): not used' in report.notes
    assert any(w.startswith("2 of 4 districts have no population or a population of 0: Birch (B), Dogwood (D);")
               for w in dataset.report.warnings)


def test_many_districts_without_population_are_counted_past_the_first_five(city):
    many = districts_geojson([feature({"id": f"X{k}", "name": f"X{k}", "pop": "" if k else "5"},
                                      polygon(square(k % 4, lat=45.52 + 0.02 * (k // 4))))
                              for k in range(9)])
    dataset = open_dataset(city(files={"districts.geojson": many}))
    gap = next(w for w in dataset.report.warnings if "no population or a population of 0" in w)
    assert gap.startswith("8 of 9 districts have no population or a population of 0: X1, X2, X3, X4, X5 "
                          "and 3 more;")


def test_a_population_of_zero_is_named_too_and_one_district_reads_as_one(city):
    dataset = open_dataset(city(files={"districts.geojson": _boundaries(("1000", "2000", "0", "4000"))}))
    assert [w for w in dataset.report.warnings if "population of 0" in w] == [
        "1 of 4 districts has no population or a population of 0: Cedar (C); they get no per-resident value "
        "(blank on per-resident maps)"]


def test_a_gis_population_tables_blank_feature_is_named_by_its_feature_number(city):
    table = districts_geojson([feature({"key": i, "residents": p}, polygon(square(k)))
                               for k, (i, p) in enumerate(zip(IDS, ("10", "", "30", "40")))])
    extra = '[population]\npath = "population.geojson"\ndistrict = "key"\npopulation = "residents"\n'
    dataset = open_dataset(city(manifest_text=manifest(extra=extra), files={"population.geojson": table}))
    report = next(t for t in dataset.report.tables if t.table == "population")
    assert '1 row (2) gives no population (a blank cell or a marker such as "n/a"): not used' in report.notes
