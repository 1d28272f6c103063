"""``python -m budgetmap warnings``: the JSON contract, the notices, --fail-on and the exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import DEMO, ROOT
from plancity import BRIDGE_PLAN, plan_city

from budgetmap.cli import main

CONTRACT = {"project": str, "department": str, "district": str, "planned_rate": float, "actual_rate": float,
            "severity": str, "shortfall": float}


_LOADED: dict[str, object] = {}


@pytest.fixture(autouse=True)
def _demo_once(monkeypatch):
    """The demo is read once for the module (a loaded dataset never changes); other manifests as usual."""
    import budgetmap.dataset as gateway

    real = gateway.open_dataset

    def open_dataset(path, isolated=False):
        if str(path) != str(DEMO):
            return real(path, isolated)
        if "demo" not in _LOADED:
            _LOADED["demo"] = real(path, isolated)
        return _LOADED["demo"]
    monkeypatch.setattr(gateway, "open_dataset", open_dataset)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["warnings", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_json_contract_on_the_demo(capsys):
    code, out, err = run(capsys, str(DEMO), "--year", "2025", "--period", "Q2", "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert (doc["year"], doc["period"]) == (2025, "Q2")
    (w,) = doc["warnings"]
    for key, kind in CONTRACT.items():
        assert isinstance(w[key], kind), key
    assert (w["project"], w["district"], w["severity"]) == ("Northgate Precinct Renovation", "D29", "red")
    assert 0 <= w["actual_rate"] < w["planned_rate"] <= 1
    assert w["shortfall"] == pytest.approx((w["planned_rate"] - w["actual_rate"]) * w["budget"], abs=0.01)
    assert {"over_budget", "stale", "indicators"} <= doc.keys()
    assert all(f["project"] != w["project"] for f in doc["over_budget"])


def test_the_default_is_the_latest_period_and_text_is_one_notice_per_department(capsys):
    code, out, _ = run(capsys, str(DEMO))
    assert code == 0
    assert out.splitlines() == ["Police: 1 project behind plan at FY2025 Q4: Northgate Precinct Renovation (red, "
                                "48 points behind, $2,732,502 short)."]
    code, out, _ = run(capsys, str(DEMO), "--year", "FY 2021-22", "--period", "q2")
    lines = out.splitlines()
    assert code == 0 and [line.split(":")[0] for line in lines] == ["Housing", "Parks & Recreation", "Water"]
    assert lines[2].startswith("Water: 1 project behind plan at FY2022 Q2: Riverside Water Main Replacement (amber, ")


@pytest.mark.parametrize("period,fail_on,code", [
    ("Q2", "red", 1), ("Q2", "amber", 1),       # FY2025 Q2: one red
    ("Q1", "red", 1),
])
def test_fail_on_with_a_red_warning(capsys, period, fail_on, code):
    assert run(capsys, str(DEMO), "--year", "2025", "--period", period, "--fail-on", fail_on)[0] == code


def test_fail_on_amber_and_red_with_an_amber_warning_only(tmp_path, capsys):
    spending = "2025,Q1,Roads,Bridge,A,400000,100000\n2025,Q2,Roads,Bridge,A,600000,200000\n"  # exactly 10 behind
    manifest = str(plan_city(tmp_path, spending=spending, plans=BRIDGE_PLAN))
    assert run(capsys, manifest, "--fail-on", "red")[0] == 0
    assert run(capsys, manifest, "--fail-on", "amber")[0] == 1
    assert run(capsys, manifest, "--period", "Q1", "--fail-on", "amber")[0] == 0  # on plan at Q1
    assert run(capsys, manifest)[0] == 0


def test_no_warnings_passes_every_fail_on(capsys):
    code, out, _ = run(capsys, str(DEMO), "--year", "2024", "--period", "Q4", "--fail-on", "amber")
    assert code == 0 and "no project behind plan at FY2024 Q4" in out


def test_a_department_filter(capsys):
    code, out, _ = run(capsys, str(DEMO), "--year", "2022", "--period", "Q2", "--dept", "Water", "--json")
    assert code == 0 and {w["department"] for w in json.loads(out)["warnings"]} == {"Water"}


@pytest.mark.parametrize("args,says", [
    (("--year", "2019"), "error: FY2019 is not monitored; the dataset can be monitored at FY2021 Q1 through "
                         "FY2025 Q4 (20 quarters, --period Q1..Q4)"),
    (("--year", "2025", "--period", "Q5"), "error: 'Q5' is not a period"),
    (("--year", "2026", "--period", "Q1"), "error: FY2026 Q1 is not a monitored period; the dataset can be "
                                           "monitored at FY2021 Q1 through FY2025 Q4"),
])
def test_unknown_year_or_period_is_exit_2_with_one_line_listing_the_valid_ones(capsys, args, says):
    code, out, err = run(capsys, str(DEMO), *args)
    assert code == 2 and out == "" and err.startswith(says) and err.count("\n") == 1
    code, out, _ = run(capsys, str(DEMO), *args, "--json")
    assert code == 2 and json.loads(out)["error"].startswith(says.removeprefix("error: "))


def test_no_plans_and_broken_data_are_exit_2(city, capsys):
    manifest = city()
    code, _, err = run(capsys, str(manifest))
    assert code == 2 and err.startswith("error: the dataset has no plans: add a [plans] table")
    (manifest.parent / "districts.geojson").write_text("{not json")
    code, _, err = run(capsys, str(manifest), "--json")
    assert code == 2 and "districts.geojson" in err and "Traceback" not in err


def test_the_module_entry_point(tmp_path):
    out = subprocess.run([sys.executable, "-m", "budgetmap", "warnings", str(DEMO), "--period", "Q2",
                          "--fail-on", "red", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr
    assert json.loads(out.stdout)["warnings"][0]["project"] == "Northgate Precinct Renovation"
