"""Match table keys to district ids, and explain every key that does not match.

Exact matching (after trimming and reading "12.0" as "12"), then only the
patterns the manifest names (join rules, ``loaders.keyrules``), then single
aliases: a join that silently "fixes" keys can put money in the wrong district.
Near misses are suggested instead, with the reason: patterns as rules
(``loaders.rulefinder``), leftovers as aliases.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from rapidfuzz import fuzz, process

from loaders.keyrules import MATCH_ALSO, SEPARATOR, KeyMatcher, head, width

_PREFIX_WORDS = re.compile(r"\b(district|ward|council|precinct|zone|area|no\.?|number|#)\s*", re.I)
_INTEGRAL_FLOAT = re.compile(r"^([+-]?\d+)\.0+$")


def clean_keys(values: pd.Series) -> pd.Series:
    """Key text as a join sees it: trimmed, missing as "", integral floats as integers."""
    text = values.astype("string").fillna("").str.strip()
    # the pattern as text, so pandas hands it to pyarrow's regex engine (5x faster at 350,000 keys
    # than the compiled pattern, which falls back to Python's re one key at a time)
    text = text.str.replace(_INTEGRAL_FLOAT.pattern, r"\1", regex=True)
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




class Suggester:
    """Near-miss guesses against one set of candidates, indexed once.

    Each test of ``suggest`` (same text but for case, spacing and punctuation,
    the same number, one name inside the other, close spelling) is a lookup or
    a search over a few candidates, not a scan of every candidate per key: the
    3,221 US counties have hundreds of unmatched keys at once.
    """

    def __init__(self, candidates: Sequence[str]) -> None:
        self.candidates = [str(c) for c in candidates]
        self._lower = _group(self.candidates, str.lower)
        self._squash = _group(self.candidates, _squash)
        self._digits = _group(self.candidates, _digits)
        self._by_word: dict[str, list[str]] = {}
        for c in self.candidates:
            for w in _words(c):
                self._by_word.setdefault(w, []).append(c)
        self._by_numbers: dict[tuple[str, ...], list[str]] = {}
        for c in self.candidates:
            self._by_numbers.setdefault(tuple(_numbers(c)), []).append(c)

    def suggest(self, key: str) -> tuple[str | None, str | None]:
        """Best guess of the candidate a key meant, and why; (None, reason) when it is ambiguous."""
        if not key:
            return None, None
        for why, index, form in (
                ("differs only in upper/lower case", self._lower, key.lower()),
                ("differs only in spaces or punctuation", self._squash, _squash(key)),
                ("same number written differently (zero-padding, a prefix such as 'District', "
                 "or integer vs text)", self._digits, _digits(key))):
            hits = index.get(form, []) if form is not None else []
            if len(hits) == 1:
                return hits[0], why
        if "/" in key:
            parts = [p.strip() for p in key.split("/")]
            if any(p.lower() in self._lower for p in parts):
                return None, (f"a shared area naming {len(parts)} districts ({', '.join(parts)}); "
                              "it cannot be split automatically")
        words = _words(key)
        near = {c for w in words for c in self._by_word.get(w, ())}
        contains = [c for c in self.candidates if c in near and (_words(c) < words or words < _words(c))]
        if len(contains) > 1:  # prefer a single district over shared "A/B" areas
            contains = [c for c in contains if "/" not in c]
        if len(contains) == 1:
            return contains[0], "one name contains the other"
        same_numbers = self._by_numbers.get(tuple(_numbers(key)), [])
        if same_numbers:
            best = process.extractOne(key.upper(), [c.upper() for c in same_numbers], scorer=fuzz.ratio,
                                      score_cutoff=82)
            if best is not None:
                return same_numbers[best[2]], "close spelling"
        return None, None


def _group(candidates: Sequence[str], form: Callable[[str], str | None]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in candidates:
        f = form(c)
        if f is not None:
            out.setdefault(f, []).append(c)
    return out


def suggest(key: str, candidates: Sequence[str]) -> tuple[str | None, str | None]:
    """One near-miss guess (build a ``Suggester`` once when there are many keys)."""
    return Suggester(candidates).suggest(key)


def table_keys(frame: pd.DataFrame, column: str | None, options: Mapping[str, Any], file: str,
               section: str) -> pd.Series:
    """Each row's join key: the district column's text, or with ``match_also`` its parts joined by
    ``SEPARATOR`` ("Washington | Oregon"); "" where the district cell is empty (no location)."""
    if column is None:
        return pd.Series("", index=frame.index, dtype=object)
    also = options.get(MATCH_ALSO) or {}
    if not also:
        return frame[column]
    from loaders.tables import require_columns

    require_columns(frame, {f"{MATCH_ALSO}.{c}": c for c in also}, file=file, section=section)
    return compose(clean_keys(frame[column]), [clean_keys(frame[c]) for c in also])


def compose(keys: pd.Series, others: Sequence[pd.Series]) -> pd.Series:
    """Keys and the also-columns' cells as one text per row, the empty key staying empty; trimmed, as
    every reader trims its keys ("Adams |" when the state is blank), so both engines write the same."""
    out = keys.astype(object).copy()
    for other in others:
        out = out + SEPARATOR + other.astype(object)
    return out.str.strip().where(keys.ne(""), "").astype(object)


def match_keys(raw: pd.Series, district_ids: Iterable[str], aliases: Mapping[str, str],
               citywide: Iterable[str], rules: Mapping[str, Any] | None = None,
               targets: Sequence[str] | Sequence[tuple[str, ...]] | None = None) -> tuple[pd.Series, pd.Series]:
    """Return (district_id or None, location) for each raw key.

    A key matches its district exactly, else by the table's join rules
    (``loaders.keyrules``; ``targets`` are the boundary column they compare with
    when ``match_on`` names one), else by an alias (whose value may itself need
    the rules). location is ``district``, ``citywide`` (a value the manifest
    names as the whole city), ``no_location`` (empty) or ``unmatched``. With
    ``match_also`` a key is "name | other" (``table_keys``): its first part alone
    may still be an exact id, and an alias may name the whole key or its first part.
    """
    ids = [str(i) for i in district_ids]
    id_set = set(ids)
    keys = clean_keys(raw)
    parts = width(rules or {})
    matcher = KeyMatcher(ids, rules, targets) if rules else None
    alias_map = {str(k).strip(): str(v).strip() for k, v in aliases.items()}

    def resolve(key: str) -> str | None:
        first = head(key, parts)
        if first in id_set:
            return first
        found = matcher.match(key) if matcher is not None else None
        named = key if key in alias_map else first if first in alias_map else None
        if found is None and named is not None:
            target = alias_map[named]
            found = target if target in id_set else (matcher.match(target) if matcher is not None else None)
        return found

    distinct = pd.unique(keys.to_numpy(dtype=object))
    resolved = {k: resolve(k) for k in distinct}
    mapped = keys.map(resolved)
    citywide_set = {c.strip().lower() for c in citywide}
    heads = keys if parts == 1 else keys.map(lambda k: head(k, parts))
    is_city = heads.str.lower().isin(citywide_set)
    is_empty = keys.eq("")
    is_match = mapped.notna() & ~is_city & ~is_empty
    location = pd.Series("unmatched", index=raw.index, dtype=object)
    location[is_match] = "district"
    location[is_city] = "citywide"
    location[is_empty] = "no_location"
    district = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    district[is_match] = mapped[is_match]
    return district, location
