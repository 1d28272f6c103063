"""Hardening of the loaders beyond the corpus: plain report values, both ledgers alike, the app's report page."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests"))
from corpus.city import SPENDING, SPENDING_ROWS, write_city  # noqa: E402
from corpus.geometry_cases import _city, _features  # noqa: E402

from budgetmap.dataset import open_dataset  # noqa: E402
from loaders.problems import LoadError  # noqa: E402

PLAIN = (int, float, str, bool, type(None))


def _plain(value: object, where: str = "report") -> list[str]:
    """Every place in a to_dict() tree holding something other than plain JSON-able Python."""
    if isinstance(value, dict):
        return [bad for k, v in value.items() for bad in ([f"{where} key {k!r}"] if type(k) is not str else [])
                + _plain(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [bad for i, v in enumerate(value) for bad in _plain(v, f"{where}[{i}]")]
    return [] if type(value) in PLAIN else [f"{where}: {type(value).__name__}"]


def _rejected_feature_city(folder: Path) -> Path:
    features = _features({3: None})  # D: a feature without geometry
    features[1]["properties"]["pop"] = "inf"
    return _city(folder, features)


def test_a_rejected_boundary_feature_leaves_only_plain_python_in_the_report(tmp_path):
    dataset = open_dataset(_rejected_feature_city(tmp_path / "city"))
    report = dataset.report.to_dict()
    assert _plain(report) == []
    problems = report["tables"][0]["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(2, "pop"), (4, "geometry")]
    json.dumps(report)  # what check --json and the page's download button do


def test_reports_with_unmatched_keys_and_suggested_rules_are_plain_python(tmp_path, demo_manifest):
    rows = [(y, {"A": "District A", "B": "district b"}.get(d, d), p, a) for y, d, p, a in SPENDING_ROWS]
    city = open_dataset(write_city(tmp_path / "city", rows=rows)).report.to_dict()
    assert city["unmatched"] and city["suggested_rules"], "the city exercises both"
    assert _plain(city) == [] and _plain(open_dataset(demo_manifest).report.to_dict()) == []


def test_the_manifest_is_named_not_located(tmp_path):
    dataset = open_dataset(write_city(tmp_path / "city"))
    assert dataset.report.manifest == "manifest.toml"


def test_the_load_report_page_shows_a_rejected_feature(tmp_path, monkeypatch):
    manifest = _rejected_feature_city(tmp_path / "city")
    renamed = manifest.with_name("rejected.toml")
    manifest.rename(renamed)
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(renamed))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["dataset"] = "rejected"
    at.run()
    at.switch_page("app_pages/2_Load_report.py").run()
    assert not at.exception
    rows = [df.value.to_dict("records") for df in at.dataframe]
    assert any(r.get("Row") == 4 and r.get("Column") == "geometry" for table in rows for r in table), rows
    page = (" ".join(c.value for c in at.caption) + " ".join(m.value for m in at.markdown)).replace("\\", "")
    assert str(tmp_path) not in page and "rejected.toml" in page


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_duplicates_are_reported_alike_by_both_ledgers(tmp_path, engine):
    rows = [*SPENDING_ROWS, SPENDING_ROWS[0], SPENDING_ROWS[0]]
    dataset = open_dataset(write_city(tmp_path / engine, rows=rows, top=f'engine = "{engine}"\n'))
    assert dataset.report.engine == engine
    notes = dataset.report.table("spending").notes
    assert notes == ["2 rows repeat an earlier row exactly (every cell the same) and are counted each time: "
                     "rows 10, 11 (same as rows 2, 2), carrying 2,001.00 actual; if they are copies, set "
                     "duplicates = \"drop\" under [spending]"]


def test_dropped_duplicates_are_rejected_rows_and_leave_the_map(tmp_path):
    rows = [*SPENDING_ROWS, SPENDING_ROWS[0]]
    kept = open_dataset(write_city(tmp_path / "kept", rows=rows)).report.reconciliation
    dropped = open_dataset(write_city(tmp_path / "dropped", rows=rows,
                                      spending=SPENDING + 'duplicates = "drop"\n')).report.reconciliation
    assert kept.input_total == dropped.input_total  # the copy is still read, and accounted for
    assert (kept.rejected, dropped.rejected, kept.districts - dropped.districts) == (0, 100050, 100050)
    assert dropped.balanced


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_fifo_given_as_any_table_is_refused_before_it_is_opened(tmp_path):
    manifest = write_city(tmp_path / "city", extra='[plans]\npath = "plans.csv"\n')
    os.mkfifo(manifest.parent / "plans.csv")  # opening it for reading would block until a writer comes
    with pytest.raises(LoadError, match=r"plans.csv: is a named pipe \(FIFO\), not a regular file; point path "
                                        r"under \[plans\]"):
        open_dataset(manifest)
