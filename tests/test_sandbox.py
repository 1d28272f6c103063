"""Loading in a separate, limited process (loaders/sandbox.py): same data back, and bombs refused.

The bombs (devtools/bombs.py) run in the sandboxed child in place of the
loader; the big city (devtools/bigcity.py) is a real file that is expensive to
load. Each refusal must come back as a LoadError naming the manifest, the limit
and the setting to change, while this process stays as it was.
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from budgetmap.dataset import open_dataset
from budgetmap.model import SpendingQuery
from budgetmap.model.errors import LoadError
from conftest import ROOT, write_city
from devtools.bigcity import expected_total_cents, write_big_city
from loaders import sandbox
from loaders.sandbox import SETTINGS, Limits, load_isolated

BOMBS = "devtools.bombs:"


@pytest.fixture(autouse=True)
def _fresh_refusals():
    sandbox.forget_refusals()
    yield
    sandbox.forget_refusals()


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def _starts(manifest: Path) -> list[int]:
    path = manifest.parent / "starts.txt"
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_demo_comes_back_from_the_child_as_it_loads_here(demo_manifest):
    here, there = open_dataset(demo_manifest), load_isolated(demo_manifest)
    assert there.report.reconciliation == here.report.reconciliation
    assert there.report.to_dict() == here.report.to_dict()
    for year in here.fiscal_years:
        for amount in ("actual_cents", "budget_cents"):
            query = SpendingQuery(amount=amount, years=(year,))
            assert dict(there.totals(query).cents) == dict(here.totals(query).cents)
    assert there.categories("department") == here.categories("department")
    assert there.districts["geometry"].geom_equals_exact(here.districts["geometry"], 0).all()
    assert there.indicator_frame().reset_index(drop=True).equals(here.indicator_frame().reset_index(drop=True))
    assert dict(there.indicator_meta) == dict(here.indicator_meta)
    with pytest.raises(TypeError):  # still read-only after the trip
        there.indicator_meta["x"] = None  # type: ignore[index]


def test_a_duckdb_dataset_crosses_with_its_sums_exact(tmp_path):
    rows = 30_000
    manifest = write_big_city(tmp_path / "big", rows, "parquet", engine="duckdb")
    dataset = load_isolated(manifest)
    assert dataset.engine == "duckdb"
    assert dataset.report.reconciliation.input_total == expected_total_cents(rows)
    here = open_dataset(manifest)
    query = SpendingQuery(years=(2021,), departments=("Department 3",))
    assert dict(dataset.totals(query).cents) == dict(here.totals(query).cents)
    assert dataset.line_items(query, "7", limit=5).equals(here.line_items(query, "7", limit=5))


def test_a_load_error_in_the_child_comes_back_as_itself(tmp_path):
    manifest = write_city(tmp_path / "broken")
    (manifest.parent / "spending.csv").write_text("year,ward,cost\n2024,A,1\n", encoding="utf-8")
    with pytest.raises(LoadError) as here:
        open_dataset(manifest)
    with pytest.raises(LoadError) as there:
        load_isolated(manifest)
    assert str(there.value) == str(here.value) and "'district'" in str(there.value)
    assert there.value.problem == here.value.problem


def test_a_load_error_pickles_with_its_problem():
    from budgetmap.model.report import RowProblem

    problem = RowProblem("spending.csv", 7, "cost", "12,3x", "is not an amount")
    again = pickle.loads(pickle.dumps(LoadError("spending.csv, row 7: bad", problem)))
    assert isinstance(again, LoadError) and again.problem == problem and str(again) == "spending.csv, row 7: bad"


@pytest.mark.parametrize("bomb", ["sleep_forever", "spin_forever"])
def test_a_load_that_never_ends_is_stopped_at_the_time_limit(tmp_path, bomb):
    manifest = write_city(tmp_path / "hang")
    with pytest.raises(LoadError) as refused:
        load_isolated(manifest, Limits(timeout=2), target=BOMBS + bomb)
    message = str(refused.value)
    assert "hang/manifest.toml" in message and "longer than 2 seconds" in message
    assert "BUDGETMAP_LOAD_TIMEOUT" in message and str(tmp_path) not in message
    (child,) = _starts(manifest)
    assert _gone(child), "the child is killed before the refusal is reported"
    assert open_dataset(manifest, isolated=True).report.reconciliation.balanced, "the next load still works"


def test_memory_without_bound_is_refused_and_stays_in_the_child(tmp_path):
    manifest = write_city(tmp_path / "bomb")
    before = _rss_mb()
    with pytest.raises(LoadError) as refused:
        load_isolated(manifest, Limits(timeout=60, memory_mb=300), target=BOMBS + "allocate_forever")
    message = str(refused.value)
    assert "bomb/manifest.toml" in message and "more than 300 MB" in message
    assert "BUDGETMAP_LOAD_MEMORY_MB" in message
    assert _rss_mb() - before < 150, "the child's memory never reached this process"
    assert _gone(_starts(manifest)[0])


def test_a_child_that_is_killed_becomes_a_message(tmp_path):
    manifest = write_city(tmp_path / "killed")
    with pytest.raises(LoadError, match=r"killed/manifest.toml stopped before it finished \(it was killed\)"):
        load_isolated(manifest, target=BOMBS + "die")


def test_an_unexpected_error_becomes_a_message_and_is_tried_again(tmp_path):
    manifest = write_city(tmp_path / "bug")
    for _ in range(2):
        with pytest.raises(LoadError, match=r"unexpected error \(ValueError: a loader bug"):
            load_isolated(manifest, target=BOMBS + "fail")
    assert len(_starts(manifest)) == 2, "a bug is not remembered as a refusal"


def test_a_refusal_is_remembered_until_the_manifest_changes(tmp_path):
    manifest = write_city(tmp_path / "slow")
    limits = Limits(timeout=1)
    messages = []
    for _ in range(2):
        with pytest.raises(LoadError) as refused:
            load_isolated(manifest, limits, target=BOMBS + "sleep_forever")
        messages.append(str(refused.value))
    assert messages[0] == messages[1] and len(_starts(manifest)) == 1, "the second ask is answered at once"
    manifest.write_text(manifest.read_text() + "\n", encoding="utf-8")
    with pytest.raises(LoadError):
        load_isolated(manifest, limits, target=BOMBS + "sleep_forever")
    assert len(_starts(manifest)) == 2, "a changed manifest is tried again"


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    """A real table far larger than its city: 600,000 line items of CSV read by the pandas loader."""
    return write_big_city(tmp_path_factory.mktemp("big") / "city", 600_000, "csv", engine="pandas")


def test_a_table_too_big_for_the_time_limit_is_refused(big_csv):
    with pytest.raises(LoadError, match=r"city/manifest.toml took longer than 1.5 seconds"):
        load_isolated(big_csv, Limits(timeout=1.5))


def test_a_table_too_big_for_the_memory_limit_is_refused(big_csv):
    with pytest.raises(LoadError, match=r"city/manifest.toml (needed more than 120 MB|stopped before it finished)"):
        load_isolated(big_csv, Limits(timeout=120, memory_mb=120))


def test_limits_come_from_the_environment_and_bad_values_keep_the_defaults():
    env = {"BUDGETMAP_LOAD_TIMEOUT": "7.5", "BUDGETMAP_LOAD_MEMORY_MB": "512", "BUDGETMAP_LOAD_PROCESSES": "3"}
    assert Limits.from_env(env) == Limits(timeout=7.5, memory_mb=512, processes=3)
    bad = {"BUDGETMAP_LOAD_TIMEOUT": "soon", "BUDGETMAP_LOAD_MEMORY_MB": "-1", "BUDGETMAP_LOAD_PROCESSES": "nan"}
    assert Limits.from_env(bad) == Limits() == Limits(timeout=120, memory_mb=4096, processes=2)


def test_every_limit_is_documented():
    docs = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for setting in SETTINGS.values():
        assert setting.env in docs and f"{setting.default:g}" in docs, setting.env
