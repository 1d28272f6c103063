"""A county name and its state: ``match_on`` + ``match_also``, found by the rule finder, never guessed.

31 US counties are called "Washington": a table keyed by county name joins only
with the state beside it. The fixture (devtools.testcity.write_county_city) has
integer FIPS ids, names repeated across states, two "Lake" counties in one state
(still ambiguous with the state), and a table of (county, state, amount) rows;
every expected figure below is worked out by hand from the rows.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from budgetmap.dataset import open_dataset
from budgetmap.model import SpendingQuery
from devtools.testcity import merge_toml, write_county_city
from loaders.joins import match_keys
from loaders.keyrules import KeyMatcher, split
from loaders.problems import LoadError
from tests.test_join_rules import accept_all, cents, check

COUNTIES = [(1001, "Autauga", "AL"), (1129, "Washington", "AL"), (41067, "Washington", "OR"),
            (53173, "Washington", "WA"), (17001, "Adams", "IL"), (53001, "Adams", "WA"), (41001, "Baker", "OR"),
            (17097, "Lake", "IL"), (17999, "Lake", "IL"), (41005, "Clackamas", "OR")]
ROWS = [("2024", "Washington", "OR", "10.25"), ("2024", "Washington", "WA", "20.50"),
        ("2025", "Washington", "OR", "1.25"), ("2024", "Autauga", "AL", "1.00"), ("2024", "Adams", "IL", "5.00"),
        ("2024", "Adams", "WA", "6.00"), ("2024", "Baker", "OR", "7.00"),
        ("2024", "Lake", "IL", "8.00"),  # two Lake counties in Illinois: never guessed
        ("2024", "Nowhere", "OR", "3.00"), ("2024", "Washington", "XX", "2.00")]  # no such county, no such state
#: Pairs the suggestion joins: Washington|OR (2 rows), Washington|WA, Autauga|AL, Adams|IL, Adams|WA, Baker|OR.
JOINED = 1025 + 125 + 2050 + 100 + 500 + 600 + 700
LEFT = {"Lake | IL": 800, "Nowhere | OR": 300, "Washington | XX": 200}


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_name_and_state_is_one_suggested_rule_and_only_unknown_money_stays_off(tmp_path, engine):
    manifest = write_county_city(tmp_path / "c", COUNTIES, ROWS)
    manifest.write_text(f'engine = "{engine}"\n' + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    report = accept_all(manifest)
    rule = report["suggested_rules"][0]
    assert rule["table"] == "spending" and rule["keys"] == 6 and rule["amount"] == JOINED / 100
    assert rule["toml"] == '[spending]\nmatch_on = "NAME"\nmatch_also = { state = "STUSPS" }\n'
    assert "'state'" in rule["description"] and "'STUSPS'" in rule["description"]
    assert all(r["keys"] < 2 or "aliases" in r["rules"] for r in report["suggested_rules"][1:])
    before = {u["key"]: u for u in report["unmatched"]}
    assert "fits 2 districts: 17097 (Lake), 17999 (Lake)" in before["Lake"]["why"]
    assert before["Lake"]["suggestion"] is None and before["Lake"]["amount"] == 8.0
    after = report["after"]
    assert {u["key"]: cents(str(u["amount"])) for u in after["unmatched"]} == LEFT
    lake = next(u for u in after["unmatched"] if u["key"] == "Lake | IL")
    assert lake["suggestion"] is None and "17097 (Lake), 17999 (Lake)" in lake["why"]
    rec = after["reconciliation"]["cents"]
    assert rec["districts"] == JOINED and rec["unmatched"] == sum(LEFT.values())
    assert rec["districts"] + rec["unmatched"] == sum(cents(a) for *_, a in ROWS)


def test_the_pair_puts_each_washington_in_its_own_state(tmp_path):
    manifest = write_county_city(tmp_path / "c", COUNTIES, ROWS,
                                 'match_on = "NAME"\nmatch_also = { state = "STUSPS" }\n')
    dataset = open_dataset(manifest)
    totals = dataset.ledger.sums(SpendingQuery(amount="actual_cents"), by=("district_id",))
    by_id = dict(zip(totals["district_id"], (int(c) for c in totals["cents"])))
    assert by_id["41067"] == 1025 + 125 and by_id["53173"] == 2050 and "1129" not in by_id
    assert by_id["17001"] == 500 and by_id["53001"] == 600


def test_with_no_state_given_repeated_names_are_listed_with_their_districts(tmp_path):
    rows = [("2024", county, "", amount) for _, county, _, amount in ROWS]
    manifest = write_county_city(tmp_path / "c", COUNTIES, rows)
    report = accept_all(manifest)
    rule = report["suggested_rules"][0]
    # only names that are unique join: Autauga and Baker (Adams, Lake, Washington repeat; Nowhere is none)
    assert rule["toml"] == '[spending]\nmatch_on = "NAME"\n' and rule["keys"] == 2 and rule["amount"] == 8.0
    after = {u["key"]: u for u in report["after"]["unmatched"]}
    assert set(after) == {"Washington", "Adams", "Lake", "Nowhere"}
    washington = after["Washington"]
    assert washington["suggestion"] is None and cents(str(washington["amount"])) == 1025 + 2050 + 125 + 200
    assert "fits 3 districts: 1129 (Washington), 41067 (Washington), 53173 (Washington)" in washington["why"]
    assert "match_also" in washington["why"]
    assert report["after"]["reconciliation"]["cents"]["districts"] == 100 + 700


def test_county_of_in_capitals_with_state_names_combines_the_stripping_rules(tmp_path):
    names = {"OR": "Oregon", "WA": "Washington", "AL": "Alabama", "IL": "Illinois", "XX": "Nowhere"}
    rows = [(y, f"County of {c.upper()}", names[s], a) for y, c, s, a in ROWS]
    manifest = write_county_city(tmp_path / "c", COUNTIES, rows)
    report = accept_all(manifest)
    rule = report["suggested_rules"][0]
    assert rule["rules"] == {"ignore_case": True, "strip_prefix": ["County of"], "match_on": "NAME",
                             "match_also": {"state": "STATE_NAME"}}
    assert rule["keys"] == 6 and rule["amount"] == JOINED / 100
    assert report["after"]["reconciliation"]["cents"]["districts"] == JOINED


def test_a_suffix_is_stripped_on_top_of_match_on(tmp_path):
    rows = [(y, f"{c} County", s, a) for y, c, s, a in ROWS]
    manifest = write_county_city(tmp_path / "c", COUNTIES, rows, lsad=False)
    rule = accept_all(manifest)["suggested_rules"][0]
    assert rule["rules"] == {"strip_suffix": ["County"], "match_on": "NAME", "match_also": {"state": "STUSPS"}}
    assert rule["keys"] == 6


def test_a_table_already_on_names_gets_the_state_added_without_moving_money(tmp_path):
    manifest = write_county_city(tmp_path / "c", COUNTIES, ROWS, 'match_on = "NAME"\n')
    first = json.loads(check(manifest, "--json").stdout)
    assert first["reconciliation"]["cents"]["districts"] == 100 + 700  # Autauga, Baker: unique names
    rule = first["suggested_rules"][0]
    assert rule["toml"] == '[spending]\nmatch_also = { state = "STUSPS" }\n'
    assert rule["keys"] == 4 and rule["amount"] == (1025 + 125 + 2050 + 500 + 600) / 100  # counted on top
    manifest.write_text(merge_toml(manifest.read_text(encoding="utf-8"), rule["toml"]), encoding="utf-8")
    after = json.loads(check(manifest, "--json").stdout)
    assert after["reconciliation"]["cents"]["districts"] == JOINED


def test_composite_keys_match_part_by_part_and_aliases_name_either_form():
    ids = ["1", "2", "3"]
    targets = [("Washington", "OR"), ("Washington", "WA"), ("Adams", "WA")]
    matcher = KeyMatcher(ids, {"match_on": "NAME", "match_also": {"state": "STUSPS"}, "ignore_case": True}, targets)
    assert matcher.match("WASHINGTON | wa") == "2" and matcher.match("Washington") is None
    assert split("A|B | OR", 2) == ("A|B", "OR") and split("Adams", 2) is None
    raw = pd.Series(["Washington | OR", "Adams | ID", "Washingtn | OR", "Adams | XX", "2 | ??", "citywide | OR", ""])
    district, where = match_keys(raw, ids, {"Washingtn | OR": "1", "Adams": "3"}, ["Citywide"],
                                 rules={"match_also": {"state": "STUSPS"}}, targets=targets)
    assert district.tolist() == ["1", "3", "1", "3", "2", None, None]  # an alias on the whole key or its name
    assert where.tolist()[-2:] == ["citywide", "no_location"]


@pytest.mark.parametrize("line, message", [
    ('match_also = "state"', "'match_also' must be a table of \"table column\" = \"boundary column\""),
    ('match_also = { state = "STATE" }', "match_also.state = 'STATE' is not a boundary column; the boundaries "
                                         "have: district_id, name, GEOID, NAME, NAMELSAD, STATE_NAME"),
    ('match_also = { province = "STUSPS" }', "match_also.province"),
])
def test_a_wrong_match_also_is_one_clear_message(tmp_path, line, message):
    manifest = write_county_city(tmp_path / "c", COUNTIES, ROWS, f'match_on = "NAME"\n{line}\n')
    with pytest.raises(LoadError, match=__import__("re").escape(message)):
        open_dataset(manifest)
    out = check(manifest)
    assert out.returncode == 2 and "Traceback" not in out.stderr


def _stl_counties() -> Path | None:
    """libpysal's St Louis region counties (real Census data, shipped in its wheel), if installed."""
    spec = importlib.util.find_spec("libpysal")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "examples" / "stl" / "stl_hom.shp"
    return path if path.exists() else None


@pytest.mark.skipif(_stl_counties() is None, reason="libpysal's St Louis counties are not installed")
def test_real_counties_of_two_states_join_by_name_and_state_fips(tmp_path):
    import pyogrio

    source = _stl_counties()
    for suffix in (".shp", ".shx", ".dbf"):
        shutil.copy(source.with_suffix(suffix), tmp_path / f"stl{suffix}")
    counties = pyogrio.read_dataframe(tmp_path / "stl.shp", read_geometry=False)
    assert counties["NAME"].nunique() < len(counties)  # Washington, Madison, Jefferson... in both states
    rows = [f"2024,{name.upper()} COUNTY,{int(state)},{(i + 1) * 100}.25\n"
            for i, (name, state) in enumerate(zip(counties["NAME"], counties["STATE_FIPS"]))]
    (tmp_path / "spending.csv").write_text("year,county,state,cost\n" + "".join(rows), encoding="utf-8")
    manifest = tmp_path / "manifest.toml"
    manifest.write_text('[districts]\npath = "stl.shp"\nid = "FIPS"\nname = "NAME"\ncrs = "EPSG:4326"\n\n'
                        '[spending]\npath = "spending.csv"\ndistrict = "county"\nyear = "year"\namount = "cost"\n',
                        encoding="utf-8")
    report = accept_all(manifest)
    rule = report["suggested_rules"][0]
    assert rule["rules"]["match_on"] == "NAME" and rule["rules"]["match_also"] == {"state": "STATE_FIPS"}
    assert rule["keys"] == len(counties)
    total = sum((i + 1) * 10000 + 25 for i in range(len(counties)))
    assert cents(str(rule["amount"])) == total
    after = report["after"]
    assert after["unmatched"] == [] and after["reconciliation"]["cents"]["districts"] == total


def test_a_manifest_matching_on_the_models_name_still_gets_suggestions(tmp_path):
    # match_on = "name" (the label) has the same values as the file's NAME: the finder must still know it
    rows = [("2024", "baker", "OR", "7.00"), ("2024", "autauga", "AL", "1.00")]
    manifest = write_county_city(tmp_path / "c", COUNTIES, rows, 'match_on = "name"\n')
    rule, = open_dataset(manifest).report.suggested_rules
    assert rule.rules == {"ignore_case": True} and rule.keys == 2 and rule.amount_cents == 800


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_blank_state_is_one_listed_key_written_alike_by_both_readers(tmp_path, engine):
    rows = [*ROWS[:2], ("2024", "Clackamas", "", "4.00")]
    manifest = write_county_city(tmp_path / "c", COUNTIES, rows,
                                 'match_on = "NAME"\nmatch_also = { state = "STUSPS" }\n')
    manifest.write_text(f'engine = "{engine}"\n' + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    dataset = open_dataset(manifest)
    assert dataset.report.engine == engine
    assert [(u.key, u.amount_cents) for u in dataset.report.unmatched] == [("Clackamas |", 400)]
    assert dataset.report.reconciliation.districts == 1025 + 2050
