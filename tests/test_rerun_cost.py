"""What a rerun no longer repeats: answers a dataset already gave, manifests already read, a full GC.

Found by profiling the server under bench/bench_load.py (bench/README.md):
every rerun of every session re-parsed the manifest several times, asked the
ledger again for categories and totals it had answered, and ran gc.collect(2).
These tests hold the behaviour that must survive the caching.
"""
from __future__ import annotations

import os
import tomllib

import pytest

from budgetmap import dataset as gateway
from budgetmap.dataset import describe_manifest, open_dataset
from budgetmap.model import SpendingQuery
from budgetmap.model.errors import LoadError
from conftest import ROOT, write_city


class CountingLedger:
    """Wraps a ledger and counts the questions that reach it."""

    def __init__(self, ledger) -> None:
        self.inner, self.asked = ledger, []

    def __getattr__(self, name):
        attribute = getattr(self.inner, name)
        if name in ("totals", "categories"):
            def counted(*args, **kwargs):
                self.asked.append(name)
                return attribute(*args, **kwargs)
            return counted
        return attribute


@pytest.fixture
def counted(tmp_path):
    from dataclasses import replace

    loaded = open_dataset(write_city(tmp_path / "town"))
    ledger = CountingLedger(loaded.ledger)
    return replace(loaded, ledger=ledger), ledger


def test_a_dataset_answers_the_same_question_once(counted):
    dataset, ledger = counted
    query = SpendingQuery(years=(2024,))
    first, second = dataset.totals(query), dataset.totals(query)
    assert dict(first.cents) == dict(second.cents) == {"A": 100050, "B": 149975}
    assert first.reconciliation == second.reconciliation and first.reconciliation.balanced
    assert ledger.asked == ["totals"]
    other = dataset.totals(SpendingQuery(years=(2023,)))
    assert dict(other.cents) == {"A": 90000, "C": 0} and ledger.asked == ["totals", "totals"]


def test_answers_kept_cannot_be_changed_by_a_caller(counted):
    dataset, _ = counted
    query = SpendingQuery(years=(2024,))
    with pytest.raises(TypeError):
        dataset.totals(query).cents["A"] = 0  # type: ignore[index]
    departments = dataset.categories("department")
    departments.append("Injected")
    assert dataset.categories("department") == ["Parks", "Roads"]


def test_categories_within_filters_are_answered_apart(counted):
    dataset, ledger = counted
    assert dataset.categories("program", {"department": ["Roads"]}) == ["Paving"]
    assert dataset.categories("program", {"department": ["Parks"]}) == ["Trees"]
    assert dataset.categories("program", {"department": ("Roads",)}) == ["Paving"]
    assert dataset.categories("program", {"department": []}) == ["Paving", "Trees"], "an empty choice filters nothing"
    assert ledger.asked.count("categories") == 3


def test_a_manifest_is_read_again_only_when_it_changes(tmp_path, monkeypatch):
    manifest = write_city(tmp_path / "town")
    reads = []
    real = gateway._read_manifest.__wrapped__
    monkeypatch.setattr(gateway, "_read_manifest", gateway.functools.lru_cache(maxsize=8)(
        lambda path, version: reads.append(path) or real(path, version)))
    assert describe_manifest(manifest).name == describe_manifest(manifest).name == "Testville"
    assert len(reads) == 1
    text = manifest.read_text(encoding="utf-8").replace('name = "Testville"', 'name = "Renamed town"')
    manifest.write_text(text, encoding="utf-8")
    os.utime(manifest, ns=(manifest.stat().st_atime_ns, manifest.stat().st_mtime_ns + 10**9))
    assert describe_manifest(manifest).name == "Renamed town" and len(reads) == 2


def test_a_vanished_boundary_file_shows_without_a_manifest_change(tmp_path):
    manifest = write_city(tmp_path / "town")
    assert describe_manifest(manifest).boundaries_present
    (manifest.parent / "districts.geojson").unlink()
    assert not describe_manifest(manifest).boundaries_present


def test_a_broken_manifest_is_not_kept(tmp_path):
    manifest = write_city(tmp_path / "town")
    good = manifest.read_text(encoding="utf-8")
    manifest.write_text("name = [", encoding="utf-8")
    with pytest.raises(LoadError):
        describe_manifest(manifest)
    manifest.write_text(good, encoding="utf-8")
    os.utime(manifest, ns=(manifest.stat().st_atime_ns, manifest.stat().st_mtime_ns + 10**9))
    assert describe_manifest(manifest).name == "Testville"


def test_the_server_does_not_run_a_full_gc_after_every_rerun():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
