"""``python -m budgetmap check`` on the demo, on broken input and on the real cities."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path


from conftest import ROOT, needs_shared

EXAMPLES = ROOT / "examples"


def check(manifest: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "budgetmap", "check", str(manifest), *flags],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_check_demo_text(demo_manifest):
    out = check(demo_manifest)
    assert out.returncode == 0, out.stderr
    assert "Riverbend" in out.stdout
    assert "'D99' (1 rows" in out.stdout
    assert "Reconciliation (all years):" in out.stdout


def test_check_demo_json_reconciles(demo_manifest):
    out = check(demo_manifest, "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert {"tables", "unmatched", "reconciliation"} <= report.keys()
    rec = report["reconciliation"]
    parts = sum(Decimal(str(rec[k])) for k in ("districts", "citywide", "unmatched", "no_location", "rejected"))
    assert parts == Decimal(str(rec["input_total"])) and rec["balanced"]
    assert rec["unmatched"] > 0 and rec["citywide"] > 0 and rec["no_location"] != 0
    # independent total: the demo's actual column summed with Decimal straight from the file
    with open(demo_manifest.parent / "spending.csv", newline="", encoding="utf-8") as fh:
        total = sum(Decimal(row["actual"]) for row in csv.DictReader(fh) if row["actual"])
    assert Decimal(str(rec["input_total"])) == total


def test_check_refuses_broken_data_with_a_message(tmp_path, city):
    manifest = city()
    (manifest.parent / "districts.geojson").write_text("{not json")
    out = check(manifest)
    assert out.returncode == 2
    assert "districts.geojson" in out.stderr and "Traceback" not in out.stderr
    out = check(manifest, "--json")
    assert out.returncode == 2 and "districts.geojson" in json.loads(out.stdout)["error"]


def test_chicago_menu_money_reconciles_to_the_cent():
    data = needs_shared("chicago", "menu_money_2012_2023.csv")
    out = check(EXAMPLES / "chicago_wards.toml", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    with open(data, newline="", encoding="utf-8") as fh:
        total = sum(Decimal(row["cost"]) for row in csv.DictReader(fh))
    rec = report["reconciliation"]
    assert Decimal(str(rec["input_total"])) == total and rec["balanced"]
    assert report["districts"] == 50
    assert report["unmatched"] == [], "integer wards in the CSV match string wards in the GeoJSON"
    assert any("predates these boundaries" in w for w in report["warnings"])
    assert "per-resident figures divide FY2012–FY2023 spending by 2010 population" in report["warnings"]


def test_portland_neighbourhoods_surface_the_name_traps():
    needs_shared("portland", "neighborhoods_2023.geojson")
    out = check(EXAMPLES / "portland_neighborhoods.toml", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    unmatched = {u["key"]: u for u in report["unmatched"] if u["table"] == "population"}
    expected = {"ARGAY": "ARGAY TERRACE", "BROOKLYN ACTION CORPS": "BROOKLYN",
                "DOWNTOWN": "PORTLAND DOWNTOWN", "SELLWOOD-MORELAND IMPROVEMENT LEAGUE": "SELLWOOD-MORELAND"}
    for key, suggestion in expected.items():
        assert unmatched[key]["suggestion"] == suggestion
    # "LLOYD DISTRICT" vs "LLOYD" and "PEARL" vs "PEARL DISTRICT" are one pattern, not two aliases
    rules = [r for r in report["suggested_rules"] if r["table"] == "population"]
    assert rules[0]["toml"] == '[population]\nstrip_suffix = ["DISTRICT"]\n' and rules[0]["keys"] == 2
    assert "explained by the suggested rule" in unmatched["LLOYD DISTRICT"]["why"]
    assert unmatched["PEARL"]["suggestion"] is None
    assert rules[-1]["keys"] == len(expected) and all(f'"{k}" = "{v}"' in rules[-1]["toml"]
                                                      for k, v in expected.items())
    shared = [k for k in unmatched if "/" in k]
    assert len(shared) == 25, "the 25 shared 'A/B' areas are each listed"
    assert "OLD TOWN/CHINATOWN" in unmatched
    missing = {m["district_id"] for m in report["districts_without_data"]}
    assert {"OLD TOWN", "ARGAY TERRACE", "PEARL DISTRICT"} <= missing


def test_portland_council_districts_repaired_and_negatives_kept():
    needs_shared("portland", "council_districts_2024.geojson")
    out = check(EXAMPLES / "portland_council.toml", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    districts = next(t for t in report["tables"] if t["table"] == "districts (council)")
    assert any("2 invalid geometries repaired" in n for n in districts["notes"])
    assert [(layer["key"], layer["districts"]) for layer in report["layers"]] == [("council", 4), ("neighborhoods", 98)]
    assert report["engine"] == "pandas"
    assert report["fiscal_years"] == list(range(2007, 2017))
    rec = report["reconciliation"]
    assert rec["balanced"] and rec["no_location"] == rec["input_total"] > 0


def test_portland_budget_history_keeps_every_negative_amount():
    data = needs_shared("portland", "bureau_budget_history.csv")
    from budgetmap.dataset import open_dataset
    dataset = open_dataset(EXAMPLES / "portland_council.toml")
    text = data.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    rows = list(csv.DictReader(text.splitlines()))
    years = [c for c in rows[0] if c.startswith("FY ")]
    negatives = [Decimal(r[y]) for r in rows for y in years if r[y].strip().startswith("-")]
    from budgetmap.model import SpendingQuery
    kept = dataset.line_items(SpendingQuery(), limit=10**9)["actual_cents"]
    assert int((kept < 0).sum()) == len(negatives) > 1000
    assert int(kept[kept < 0].sum()) == int(sum(negatives) * 100)


def test_check_piped_into_a_closed_reader_exits_quietly(demo_manifest):
    proc = subprocess.Popen([sys.executable, "-m", "budgetmap", "check", str(demo_manifest)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like `| head`, closed before the report is written: a broken pipe
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in stderr
