"""Find the join rules (``loaders.keyrules``) that explain many unmatched keys at once.

266 county keys that miss by a zero each are one rule (``pad = 5``), not 266
aliases. The finder proposes candidate rules from the keys themselves (the
digit widths of the ids, leading and trailing words seen on either side, case,
punctuation, accents, another boundary column, and a table column that tells
repeated names apart, ``match_also``), scores each by the money and keys it
would bring onto the map, and picks greedily: each suggestion is counted on top
of the ones before it, so accepting them all in order leaves off the map only
keys no pattern explains. A candidate that would move or drop a key already
matched by the current rules is never proposed.

Keys and ``match_also``: until a table says ``match_also`` its keys are plain
("Washington"); a candidate pairing them with a column is scored on the pairs
the reader gathered (``loaders.keypairs``: "Washington | OR", "Washington | WA"),
and once chosen the search goes on over those pairs.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from budgetmap.model.report import SuggestedRule, UnmatchedKey
from loaders.keypairs import KeyPairs
from loaders.keyrules import (KEY_RULES, MATCH_ALSO, MATCH_ON, RULE_KEYS, SEPARATOR, KeyMatcher, boundary_names,
                              boundary_values, head, rule_toml, width)

MAX_ROUNDS = 6
MIN_KEYS = 2  # a pattern explains at least this many keys
_LEADING = re.compile(r"^([^\W\d_][^\d]*?)[\s\-_:#.]*\d")
_TRAILING = re.compile(r"^\S.*?[\s,]+([^\W\d_][\w.]*)$")
_LEAD_WORD = re.compile(r"^([^\W\d_][\w.]*(?:\s+of)?)[\s,]+\S")  # "County of Adams" -> "County of"
_WORD = re.compile(r"[^\W_]+")
#: Columns GIS software adds to number features: never what a table's key means ("MC UNCLAIMED #14" is not
#: feature 14), so the finder does not try them (a manifest may still name one).
ROW_NUMBERS = re.compile(r"(objectid|fid|oid|gid|ogc_fid|globalid|shape_(leng|length|area))(_\d+)?", re.I)


def _words(texts: Sequence[str], pattern: re.Pattern[str], most: int = 3) -> list[str]:
    counts = Counter(m.group(1).strip() for t in texts if (m := pattern.match(t)) and m.group(1).strip())
    return [w for w, n in counts.most_common(most) if n >= 2 or len(texts) < 4]


def _tokens(text: str) -> set[str]:
    """The words of a text, loosely: accents and case ignored, numbers without leading zeros."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return {str(int(w)) if w.isdigit() else w for w in _WORD.findall(plain.casefold())}


def _extras(keys: Sequence[str], values: Sequence[str], current: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Normalising rules worth trying against one set of boundary values: case, punctuation, accents,
    words to strip (seen leading or trailing in the keys or the values), zero-padding, and pairs of them."""
    widths = sorted({len(v) for v in values if v.isdigit()})
    pads = [{"pad": w} for w in widths if w > 1 and current.get("pad") != w]
    singles: list[dict[str, Any]] = [{flag: True} for flag in ("ignore_case", "ignore_punctuation", "ignore_accents")
                                     if not current.get(flag)]
    for key, patterns in (("strip_prefix", (_LEADING, _LEAD_WORD)), ("strip_suffix", (_TRAILING,))):
        have = list(current.get(key, ()))
        found = [w for p in patterns for w in _words(list(keys), p) + _words(list(values), p)]
        for word in dict.fromkeys(found):
            if word.casefold() not in {h.casefold() for h in have}:
                singles.append({key: [*have, word]})
    out: list[dict[str, Any]] = [{}, *singles, *pads]
    out += [{**s, **p} for s in singles for p in pads]
    out += [{**s, "ignore_case": True} for s in singles if "ignore_case" not in s and not current.get("ignore_case")]
    return out


def boundary_columns(districts: Any) -> dict[str, list[str]]:
    """Columns a key could name instead of the id: the boundary file's own columns, then the model's
    name. The file's column comes first so a suggestion names what the file holds, which a change of
    the label (``name``) leaves alone."""
    return {column: boundary_values(districts, column, "", "") for column in [*boundary_names(districts)[2:], "name"]}


class Finder:
    """One table's greedy search; matchers are built once per rule set and kept for the rounds after."""

    def __init__(self, ids: Sequence[str], columns: Mapping[str, Sequence[str]], pairs: KeyPairs,
                 retarget: bool = True) -> None:
        self.ids, self.columns, self.pairs = list(ids), columns, pairs
        #: whether other boundary columns may be tried as match_on: not when most of the table's keys
        #: already meet the current target (a column of names with a few odd keys is still names)
        self.retarget = retarget
        self._matchers: dict[str, KeyMatcher] = {}
        #: per column that can stand for the id (not one a table column looks like: a state column is a
        #: match_also, not a match_on): the words its values hold
        also = {b for like in pairs.looks_like.values() for b in like}
        seen = [self.ids]  # each set of values is tried once, under its first name; none that repeats the ids
        self._vocabulary: dict[str, set[str]] = {}
        for column, values in columns.items():
            if column not in also and len(set(values)) > 1 and values not in seen and not _numbering(column, values):
                seen.append(list(values))
                self._vocabulary[column] = set().union(*(_tokens(v) for v in values))
        self._ids_vocabulary = set().union(*(_tokens(i) for i in self.ids))
        #: (key, value) -> "key | value", written once
        self.pair_keys = {column: {pair: f"{pair[0]}{SEPARATOR}{pair[1]}" for pair in found}
                          for column, found in pairs.pairs.items()}

    def matcher(self, rules: Mapping[str, Any]) -> KeyMatcher:
        cache = repr(sorted(rules.items()))
        if cache not in self._matchers:
            on, also = rules.get(MATCH_ON), rules.get(MATCH_ALSO) or {}
            first = list(self.columns[on]) if on else self.ids
            targets = list(zip(first, *(self.columns[b] for b in also.values()))) if also else \
                (first if on else None)
            self._matchers[cache] = KeyMatcher(self.ids, rules, targets)
        return self._matchers[cache]

    def targets(self, keys: Sequence[str], rules: Mapping[str, Any]) -> list[str | None]:
        """None (the current target), then the boundary columns that share a word with two keys or more."""
        words = [_tokens(k) for k in keys]
        near = rules.get(MATCH_ON) or sum(bool(w & self._ids_vocabulary) for w in words) >= MIN_KEYS
        out: list[str | None] = [None] if near or not self.retarget else []
        for column, vocabulary in self._vocabulary.items() if self.retarget else ():
            if column != rules.get(MATCH_ON) and sum(bool(w & vocabulary) for w in words) >= MIN_KEYS:
                out.append(column)
        return out

    def candidates(self, keys: Sequence[str], rules: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        """Rule sets worth trying on top of ``rules``; each is what a suggestion would add."""
        alsos: list[dict[str, str] | None] = [None]
        if not rules.get(MATCH_ALSO):
            alsos += [{t: b} for t, like in self.pairs.looks_like.items() for b in like if b in self.columns]
        heads = [head(k, width(rules)) for k in keys]
        seen: list[dict[str, Any]] = []
        for target in self.targets(heads, rules):
            on = target or rules.get(MATCH_ON)
            values = self.columns[on] if on else self.ids
            for extra in _extras(heads, values, rules):
                for also in alsos:
                    candidate = {**({MATCH_ON: target} if target else {}), **extra,
                                 **({MATCH_ALSO: also} if also else {})}
                    if candidate and candidate not in seen and not all(rules.get(k) == v
                                                                       for k, v in candidate.items()):
                        seen.append(candidate)
                        yield candidate


def _numbering(column: str, values: Sequence[str]) -> bool:
    """Whether a column only numbers the features: named so by GIS software, or 1..n (0..n-1) in file order."""
    if ROW_NUMBERS.fullmatch(column):
        return True
    if not all(v.isdigit() for v in values):
        return False
    numbers = [int(v) for v in values]
    return numbers in (list(range(1, len(values) + 1)), list(range(len(values))))


def _merged(current: Mapping[str, Any], candidate: Mapping[str, Any]) -> dict[str, Any]:
    rules = {**current, **candidate}
    return {k: rules[k] for k in RULE_KEYS if k in rules}  # registry order


def _words_of(rules: Mapping[str, Any]) -> str:
    parts = []
    for key, value in rules.items():
        if key in KEY_RULES:
            parts.append(KEY_RULES[key].describe(value))
        elif key == MATCH_ON:
            parts.append(f"match keys to the boundary column {value!r}")
        else:
            parts += [f"tell repeated names apart by the table's column {t!r} against the boundary column {b!r}"
                      for t, b in value.items()]
    return "; ".join(parts)


def search(table: str, unmatched: Sequence[UnmatchedKey], district_ids: Sequence[str],
           columns: Mapping[str, Sequence[str]], current: Mapping[str, Any],
           matched: Mapping[str, str], currency: str | None = None,
           pairs: KeyPairs | None = None, placed: int = 0) -> list[tuple[SuggestedRule, dict[str, str]]]:
    """Suggested rules for one table, best first, each counted after the ones before it, with the keys it joins.

    ``columns`` are boundary columns a key could name instead of the id (the
    name, the file's columns), aligned with ``district_ids``; ``matched`` maps
    keys that the current rules join (not exact ids, not aliases) to their
    district, which no suggestion may change; ``pairs`` are the reader's (key,
    column) pairs, for ``match_also``. With ``match_also`` the keys a suggestion
    joins are pairs, "Washington | OR". ``placed`` counts the table's distinct keys
    already on the map: when they outnumber the unmatched ones, the keys are what
    the current target holds, and no other boundary column is tried as ``match_on``.
    """
    left = {u.key: u for u in unmatched if u.key}
    finder = Finder(district_ids, columns, pairs or KeyPairs(), retarget=placed < len(left))
    rules = dict(current)
    out: list[tuple[SuggestedRule, dict[str, str]]] = []
    for _ in range(MAX_ROUNDS):
        best: tuple[tuple[int, int], dict[str, Any], dict[str, str], dict[str, UnmatchedKey]] | None = None
        for candidate in finder.candidates(list(left), rules):
            trial = _merged(rules, candidate)
            found = _score(finder, trial, rules, left, matched, table)
            if found is None:
                continue
            hits, universe, fixed = found
            if len(hits) < MIN_KEYS:
                continue  # one key is an alias, not a pattern
            score = (sum(universe[k].amount_cents or 0 for k in hits), len(hits))
            if best is None or score > best[0] or (score == best[0] and len(candidate) < len(best[1])):
                best = (score, candidate, hits, universe, fixed)
        if best is None:
            break
        (cents, count), candidate, hits, universe, fixed = best
        rules = _merged(rules, candidate)
        example = max(hits, key=lambda k: (universe[k].amount_cents or 0, k))
        shown = {k: rules[k] for k in rules if k in candidate}
        out.append((SuggestedRule(
            table=table, description=f"{_words_of(shown)} ('{example}' → '{hits[example]}')", keys=count,
            amount_cents=cents, rows=sum(universe[k].rows for k in hits), rules=shown,
            toml=rule_toml(table, shown), currency=currency, examples=tuple(sorted(hits)[:5])), hits))
        matched = {**fixed, **hits}
        left = {k: u for k, u in universe.items() if k not in hits}
        if not left:
            break
    return out


def _score(finder: Finder, trial: Mapping[str, Any], rules: Mapping[str, Any], left: Mapping[str, UnmatchedKey],
           matched: Mapping[str, str], table: str) -> tuple[dict[str, str], dict, dict[str, str]] | None:
    """(keys joined, the keys as the trial writes them, the matched keys as it writes them), or None
    when the trial would move or drop a key the rules already placed."""
    matcher = finder.matcher(trial)
    if not trial.get(MATCH_ALSO) or rules.get(MATCH_ALSO):
        if any(matcher.match(k) != d for k, d in matched.items()):
            return None  # it would move (or drop) money the rules already put on the map
        return matcher.match_many(left), dict(left), dict(matched)
    column = next(iter(trial[MATCH_ALSO]))
    universe: dict[str, UnmatchedKey] = {}
    fixed: dict[str, str] = {}
    hits: dict[str, str] = {}
    memo: dict[str, str] = {}
    written = finder.pair_keys.get(column, {})
    for pair, (rows, cents) in finder.pairs.pairs.get(column, {}).items():
        if pair[0] in matched:
            if matcher.match_parts(pair, memo) != matched[pair[0]]:
                return None
            fixed[written[pair]] = matched[pair[0]]
        elif pair[0] in left:
            universe[written[pair]] = UnmatchedKey(table, written[pair], rows, cents)
            found = matcher.match_parts(pair, memo)
            if found is not None:
                hits[written[pair]] = found
    return hits, universe, fixed
