"""Join rules: patterns that bring many keys onto the map at once, suggested with their money.

The contract (``check --json``'s ``suggested_rules``: table, description, keys,
amount, toml) is checked the way an outside test would: merge every suggested
fragment into the manifest, re-run, and only keys that name no district are
left off the map; the money on the map equals a sum taken from the rows.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.view import SpendingView
from devtools.testcity import merge_toml, write_grid_city
from loaders.joins import Suggester, match_keys
from loaders.keyrules import KEY_RULES, KeyMatcher
from loaders.problems import LoadError

ROOT = Path(__file__).resolve().parents[1]


def check(manifest: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetmap", "check", str(manifest), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def accept_all(manifest: Path) -> dict:
    """Merge every suggested fragment, in order, and return the re-run's report."""
    first = json.loads(check(manifest, "--json").stdout)
    text = manifest.read_text(encoding="utf-8")
    for rule in first["suggested_rules"]:
        text = merge_toml(text, rule["toml"])
    manifest.write_text(text, encoding="utf-8")
    out = check(manifest, "--json")
    assert out.returncode == 0, out.stderr
    return first | {"after": json.loads(out.stdout)}


def cents(amount: str) -> int:
    return int(Decimal(amount) * 100)


FIPS = [f"{1000 + 2 * i + 1:05d}" for i in range(40)]  # "01001", "01003", ... as a boundary file holds them


def test_integer_fips_against_zero_padded_ids_is_one_rule(tmp_path):
    rows = [("2024", str(int(f)), f"{i + 1}00.25") for i, f in enumerate(FIPS[:30])]  # 1001, 1003, ...
    rows += [("2024", FIPS[30], "5.00"), ("2024", "99999", "7.00"), ("2024", "Statewide", "11.00")]
    manifest = write_grid_city(tmp_path / "c", FIPS, [f"County {i}" for i in range(40)], rows)
    report = accept_all(manifest)
    rule, = report["suggested_rules"]
    assert rule["table"] == "spending" and rule["keys"] == 30
    assert rule["amount"] == pytest.approx(sum(cents(a) for _, _, a in rows[:30]) / 100)
    assert rule["toml"] == "[spending]\npad = 5\n" and "5 digits" in rule["description"]
    after = report["after"]
    assert [u["key"] for u in after["unmatched"]] == sorted(["99999", "Statewide"]) or \
        {u["key"] for u in after["unmatched"]} == {"99999", "Statewide"}
    rec = after["reconciliation"]["cents"]
    assert rec["districts"] == sum(cents(a) for _, _, a in rows[:31])  # independent of the loader
    assert rec["unmatched"] == cents("7.00") + cents("11.00") and after["suggested_rules"] == []


def test_district_n_and_ward_0n_are_rules_and_a_stray_key_stays_listed(tmp_path):
    ids = [str(i) for i in range(1, 13)]
    rows = [("2024", f"District {i}", f"{i}0.00") for i in ids[:10]]
    rows += [("2024", "Ward 03", "1.50"), ("2024", "Ward 11", "2.50"), ("2024", "Nowhere", "9.99")]
    manifest = write_grid_city(tmp_path / "c", ids, [f"N{i}" for i in ids], rows)
    report = accept_all(manifest)
    first, second = report["suggested_rules"]
    assert first["keys"] == 10 and 'strip_prefix = ["District"]' in first["toml"]
    assert second["keys"] == 2 and second["amount"] == 4.0  # counted after the first
    assert 'strip_prefix = ["District", "Ward"]' in second["toml"] and "pad = 2" in second["toml"]
    after = report["after"]
    assert [u["key"] for u in after["unmatched"]] == ["Nowhere"]
    assert after["reconciliation"]["cents"]["unmatched"] == 999


def test_case_spacing_punctuation_and_accents(tmp_path):
    ids = ["North End", "Old Town", "Bay View", "St. Johns", "Peñalosa", "Zürich Heights"]
    keys = ["NORTH END", "old  town", "Bay-View", "St Johns", "Penalosa", "Zurich Heights", "Unknown Place"]
    rows = [("2024", k, f"{n + 1}.00") for n, k in enumerate(keys)]
    manifest = write_grid_city(tmp_path / "c", ids, ids, rows)
    report = accept_all(manifest)
    toml = "".join(r["toml"] for r in report["suggested_rules"])
    assert "ignore_case = true" in toml and "ignore_punctuation = true" in toml and "ignore_accents = true" in toml
    assert sum(r["keys"] for r in report["suggested_rules"]) == 6
    assert [u["key"] for u in report["after"]["unmatched"]] == ["Unknown Place"]


def test_names_instead_of_codes_match_on_the_files_name_column(tmp_path):
    rows = [("2024", "alpha", "1.00"), ("2024", "Bravo", "2.00"), ("2024", "CHARLIE", "3.00"),
            ("2024", "Echo", "4.00")]
    manifest = write_grid_city(tmp_path / "c", ["A1", "B2", "C3", "D4"], ["Alpha", "Bravo", "Charlie", "Delta"],
                               rows)
    report = accept_all(manifest)
    # the boundary file's own column ("label"), not the model's name, which a relabelling may change
    assert 'match_on = "label"' in report["suggested_rules"][0]["toml"]
    after = report["after"]
    assert [u["key"] for u in after["unmatched"]] == ["Echo"]
    spec = MAP_KINDS["spending"](open_dataset(manifest), SpendingView(measure="total"))
    assert {f.district_id: f.value for f in spec.features if f.value} == {"A1": 1.0, "B2": 2.0, "C3": 3.0}


def test_a_rule_that_makes_two_districts_alike_joins_neither():
    matcher = KeyMatcher(["North", "NORTH", "South"], {"ignore_case": True})
    assert matcher.match("north") is None and matcher.match("SOUTH") == "South"
    assert matcher.ambiguous == {"north": ["NORTH", "North"]}
    ids, where = match_keys(__import__("pandas").Series(["North", "north", "south"]), ["North", "NORTH", "South"],
                            {}, (), rules={"ignore_case": True})
    assert ids.tolist() == ["North", None, "South"]  # an exact id still matches itself
    assert where.tolist() == ["district", "unmatched", "district"]


def test_rules_come_before_aliases_and_an_alias_may_lean_on_the_rules():
    raw = __import__("pandas").Series(["1001", "Downtown", "7"])
    ids, where = match_keys(raw, ["01001", "00007"], {"Downtown": "7"}, (), rules={"pad": 5})
    assert ids.tolist() == ["01001", "00007", "00007"] and set(where) == {"district"}


def test_a_rule_never_moves_money_the_current_rules_placed(tmp_path):
    # ids "1".."3" and "01": with pad = 2 in force, "1" -> "01"; a suggestion may not undo it
    ids = ["01", "2", "3", "A-4", "A-5"]
    rows = [("2024", "1", "1.00"), ("2024", "a 4", "2.00"), ("2024", "a 5", "3.00")]
    manifest = write_grid_city(tmp_path / "c", ids, ids, rows, extra="pad = 2\n")
    dataset = open_dataset(manifest)
    for rule in dataset.report.suggested_rules:
        assert "pad" not in rule.rules or rule.rules["pad"] == 2


@pytest.mark.parametrize("line, message", [
    ("pad = \"5\"", "[spending] 'pad' must be a whole number of digits (1 to 64), like 5; found \"5\""),
    ("pad = 0", "'pad' must be a whole number of digits (1 to 64), like 5; found 0"),
    ("ignore_case = \"yes\"", "'ignore_case' must be true or false, like true; found \"yes\""),
    ("strip_prefix = 3", "'strip_prefix' must be a text or a non-empty list of texts"),
    ("match_on = \"county\"", "match_on = 'county' is not a boundary column; the boundaries have: "),
])
def test_a_wrong_rule_value_is_one_clear_message(tmp_path, line, message):
    manifest = write_grid_city(tmp_path / "c", ["1", "2"], ["A", "B"], [("2024", "1", "1.00")], extra=line + "\n")
    with pytest.raises(LoadError, match=re.escape(message)):
        open_dataset(manifest)
    out = check(manifest)
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_max_off_map_fails_above_the_share_and_every_money_map_says_it(tmp_path):
    rows = [("2024", "1", "75.00"), ("2024", "nowhere", "25.00")]
    manifest = write_grid_city(tmp_path / "c", ["1", "2"], ["A", "B"], rows)
    assert check(manifest, "--max-off-map", "30").returncode == 0
    failed = check(manifest, "--max-off-map", "20")
    assert failed.returncode == 3 and "25.00% of the money is off the map" in failed.stderr
    assert check(manifest, "--max-off-map", "lots").returncode == 2
    report = json.loads(check(manifest, "--json").stdout)
    assert report["reconciliation"]["off_map_share"] == 0.25
    spec = MAP_KINDS["spending"](open_dataset(manifest), SpendingView(measure="total"))
    assert spec.notes[0].startswith("25.0% of the money ($25.00) is off the map")


def test_every_rule_is_documented():
    reference = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    for key, rule in (*KEY_RULES.items(), ("match_on", None)):
        assert f"| `{key}` |" in reference, f"{key} is not in docs/reference.md"


def test_near_miss_suggestions_are_indexed_and_keep_their_answers():
    counties = [f"{name} County" for name in ("Adams", "Baker", "Benton", "Clark", "Columbia")] + ["Ward 7", "W/E"]
    s = Suggester(counties)
    assert s.suggest("adams county") == ("Adams County", "differs only in upper/lower case")
    assert s.suggest("Bentn County") == ("Benton County", "close spelling")
    assert s.suggest("Ward 07")[0] == "Ward 7"
    assert s.suggest("Clark")[0] == "Clark County" and s.suggest("Zzz") == (None, None)
