"""Match table keys to district ids, and explain every key that does not match.

Exact matching only (after trimming and reading "12.0" as "12"): a join that
silently "fixes" keys can put money in the wrong district. Near misses are
suggested instead, with the reason, and the manifest's ``aliases`` table is how
a steward accepts a suggestion.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

_PREFIX_WORDS = re.compile(r"\b(district|ward|council|precinct|zone|area|no\.?|number|#)\s*", re.I)
_INTEGRAL_FLOAT = re.compile(r"^([+-]?\d+)\.0+$")


def clean_keys(values: pd.Series) -> pd.Series:
    """Key text as a join sees it: trimmed, missing as "", integral floats as integers."""
    text = values.astype("string").fillna("").str.strip()
    text = text.str.replace(_INTEGRAL_FLOAT, r"\1", regex=True)
    return text.astype(object)


def _squash(key: str) -> str:
    return re.sub(r"[\s\-_.,'’/&]+", "", key.lower())


def _digits(key: str) -> str | None:
    core = _PREFIX_WORDS.sub("", key).strip()
    return str(int(core)) if core.isdigit() else None


def _numbers(key: str) -> list[str]:
    """Numbers in a name: 'Unclaimed #1' and 'Unclaimed #14' are different places, however alike."""
    return [str(int(n)) for n in re.findall(r"\d+", key)]


def _words(key: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", key.lower()))




def suggest(key: str, candidates: Sequence[str]) -> tuple[str | None, str | None]:
    """Best guess of the district a key meant, and why; (None, reason) when it is ambiguous."""
    if not key:
        return None, None
    rules = (
        ("differs only in upper/lower case", lambda c: c.lower() == key.lower()),
        ("differs only in spaces or punctuation", lambda c: _squash(c) == _squash(key)),
        ("same number written differently (zero-padding, a prefix such as 'District', or integer vs text)",
         lambda c: _digits(c) is not None and _digits(c) == _digits(key)),
    )
    for why, test in rules:
        hits = [c for c in candidates if test(c)]
        if len(hits) == 1:
            return hits[0], why
    if "/" in key:
        parts = [p.strip() for p in key.split("/")]
        named = [c for c in candidates if c.lower() in {p.lower() for p in parts}]
        if named:
            return None, f"a shared area naming {len(parts)} districts ({', '.join(parts)}); it cannot be split automatically"
    contains = [c for c in candidates if _words(c) and _words(key) and
                (_words(c) < _words(key) or _words(key) < _words(c))]
    if len(contains) > 1:  # prefer a single district over shared "A/B" areas
        contains = [c for c in contains if "/" not in c]
    if len(contains) == 1:
        return contains[0], "one name contains the other"
    same_numbers = [c for c in candidates if _numbers(c) == _numbers(key)]
    close = difflib.get_close_matches(key.upper(), [c.upper() for c in same_numbers], n=1, cutoff=0.82)
    if close:
        match = next(c for c in same_numbers if c.upper() == close[0])
        return match, "close spelling"
    return None, None


def match_keys(raw: pd.Series, district_ids: Iterable[str], aliases: Mapping[str, str],
               citywide: Iterable[str]) -> tuple[pd.Series, pd.Series]:
    """Return (district_id or None, location) for each raw key.

    location is ``district``, ``citywide`` (a value the manifest names as the
    whole city), ``no_location`` (empty) or ``unmatched``.
    """
    ids = set(district_ids)
    keys = clean_keys(raw)
    alias_map = {str(k).strip(): str(v).strip() for k, v in aliases.items()}
    mapped = keys.map(lambda k: alias_map.get(k, k))
    citywide_set = {c.strip().lower() for c in citywide}
    is_city = keys.str.lower().isin(citywide_set)
    is_empty = keys.eq("")
    is_match = mapped.isin(ids) & ~is_city & ~is_empty
    location = pd.Series("unmatched", index=raw.index, dtype=object)
    location[is_match] = "district"
    location[is_city] = "citywide"
    location[is_empty] = "no_location"
    district = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    district[is_match] = mapped[is_match]
    return district, location
