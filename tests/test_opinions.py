"""Reviewer opinions: stored in the workspace, shared between stores, cleaned, never lost on restart."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from budgetmap.opinions import MAX_TEXT, OpinionError, OpinionStore


def test_an_opinion_survives_a_new_store_on_the_same_folder(tmp_path):
    first = OpinionStore.in_workspace(tmp_path)
    saved = first.add("riverbend", "Sandbar Community Center", 2022, "Q2", "A. Expert",
                      "Contractor re-bid; expect catch-up by Q4.")
    again = OpinionStore.in_workspace(tmp_path).for_dataset("riverbend")
    assert [(o.id, o.project, o.year, o.period, o.author, o.text) for o in again] == [
        (saved.id, "Sandbar Community Center", 2022, "Q2", "A. Expert", "Contractor re-bid; expect catch-up by Q4.")]
    assert again[0].created.tzinfo is not None


def test_opinions_are_kept_apart_by_dataset_and_project_and_ordered_by_date(tmp_path):
    store = OpinionStore.in_workspace(tmp_path)
    t0 = datetime(2025, 1, 10, 9, 0, tzinfo=timezone.utc)
    store.add("a", "P1", 2025, "Q2", "R", "later", when=t0 + timedelta(days=2))
    store.add("a", "P1", 2025, "Q1", "R", "earlier", when=t0)
    store.add("a", "P2", 2025, "Q2", "R", "other project", when=t0)
    store.add("b", "P1", 2025, "Q2", "R", "other dataset", when=t0)
    assert [o.text for o in store.for_dataset("a", "P1")] == ["earlier", "later"]
    assert sorted(o.text for o in store.for_dataset("a")) == ["earlier", "later", "other project"]
    assert [o.text for o in store.for_dataset("b")] == ["other dataset"]


def test_text_is_stored_as_typed_minus_control_characters(tmp_path):
    store = OpinionStore.in_workspace(tmp_path)
    hostile = "<img src=x onerror=alert(1)> `${alert(1)}` =HYPERLINK(\"x\")\x00\x1b\nsecond line"
    saved = store.add("a", "<b>P</b>", 2025, "Q2", "=cmd|' /C calc'!A0", hostile)
    got = store.for_dataset("a")[0]
    assert got.text == "<img src=x onerror=alert(1)> `${alert(1)}` =HYPERLINK(\"x\")\nsecond line"
    assert got.project == "<b>P</b>" and got.author == "=cmd|' /C calc'!A0"
    assert saved.text == got.text


@pytest.mark.parametrize("text, message", [("   ", "empty"), ("x" * (MAX_TEXT + 1), "at most"), (None, "text")])
def test_an_opinion_that_cannot_be_stored_says_why_and_stores_nothing(tmp_path, text, message):
    store = OpinionStore.in_workspace(tmp_path)
    with pytest.raises(OpinionError, match=message):
        store.add("a", "P", 2025, "Q2", "R", text)
    assert store.for_dataset("a") == []


def test_reading_an_empty_workspace_makes_no_file_and_remove_reports_what_it_did(tmp_path):
    store = OpinionStore.in_workspace(tmp_path / "ws")
    assert store.for_dataset("a") == [] and not (tmp_path / "ws").exists()
    saved = store.add("a", "P", 2025, "Q2", "R", "text")
    assert store.remove(saved.id) is True and store.remove(saved.id) is False
    assert store.for_dataset("a") == []


def test_a_file_without_the_table_reads_as_no_opinions(tmp_path):
    sqlite3.connect(tmp_path / "opinions.sqlite").close()
    assert OpinionStore.in_workspace(tmp_path).for_dataset("a") == []
