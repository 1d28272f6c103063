"""Join diagnostics: exact matching, and suggestions for the real-world near misses."""
from __future__ import annotations

import pandas as pd
import pytest

from loaders.joins import clean_keys, match_keys, suggest

PORTLAND = ["ARGAY TERRACE", "BROOKLYN", "PORTLAND DOWNTOWN", "LLOYD", "PEARL DISTRICT",
            "SELLWOOD-MORELAND", "OLD TOWN", "BRIDLEMILE", "MC UNCLAIMED #14", "MC UNCLAIMED #5",
            "SOUTHWEST HILLS"]


@pytest.mark.parametrize("key,expected", [
    ("ARGAY", "ARGAY TERRACE"),
    ("BROOKLYN ACTION CORPS", "BROOKLYN"),
    ("DOWNTOWN", "PORTLAND DOWNTOWN"),
    ("LLOYD DISTRICT", "LLOYD"),
    ("PEARL", "PEARL DISTRICT"),
    ("SELLWOOD-MORELAND IMPROVEMENT LEAGUE", "SELLWOOD-MORELAND"),
    ("Bridlemile", "BRIDLEMILE"),
    ("BRIDLEMILLE", "BRIDLEMILE"),
])
def test_portland_name_traps_get_the_right_suggestion(key, expected):
    assert suggest(key, PORTLAND)[0] == expected


def test_numbers_that_differ_are_never_close_spellings():
    assert suggest("MC UNCLAIMED #1", PORTLAND)[0] is None


def test_shared_areas_are_explained_not_guessed():
    guess, why = suggest("BRIDLEMILE/SOUTHWEST HILLS", PORTLAND)
    assert guess is None and "shared area" in why


@pytest.mark.parametrize("key,ids,expected", [
    ("District 1", ["1", "2", "3", "4"], "1"),
    ("1", ["District 1", "District 2"], "District 1"),
    ("007", ["7", "70"], "7"),
    ("Ward 12", ["12", "21"], "12"),
])
def test_number_keys_in_other_dress(key, ids, expected):
    assert suggest(key, ids)[0] == expected


def test_keys_are_matched_exactly_after_trimming_and_integer_floats():
    raw = pd.Series([" 1 ", "1.0", 2, "District 1", "citywide", None, "3"])
    district, location = match_keys(raw, ["1", "2"], {"District 1": "1"}, ["Citywide"])
    assert district.tolist() == ["1", "1", "2", "1", None, None, None]
    assert location.tolist() == ["district", "district", "district", "district",
                                 "citywide", "no_location", "unmatched"]
    assert clean_keys(pd.Series([12.0, "x "])).tolist() == ["12", "x"]
