"""Find the join rules (``loaders.keyrules``) that explain many unmatched keys at once.

266 county keys that miss by a zero each are one rule (``pad = 5``), not 266
aliases. The finder proposes candidate rules from the keys themselves (the
digit widths of the ids, leading and trailing words seen on either side, case,
punctuation, accents, another boundary column), scores each by the money and
keys it would bring onto the map, and picks greedily: each suggestion is
counted on top of the ones before it, so accepting them all in order leaves
off the map only keys no pattern explains. A candidate that would move a key
already matched by the current rules is never proposed.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from budgetmap.model.report import SuggestedRule, UnmatchedKey
from loaders.keyrules import KEY_RULES, MATCH_ON, KeyMatcher, active, rule_toml

MAX_ROUNDS = 6
MIN_KEYS = 2  # a pattern explains at least this many keys
_LEADING = re.compile(r"^([^\W\d_][^\d]*?)[\s\-_:#.]*\d")
_TRAILING = re.compile(r"^\S.*?[\s,]+([^\W\d_][\w.]*)$")


def _words(texts: Sequence[str], pattern: re.Pattern[str], most: int = 3) -> list[str]:
    counts = Counter(m.group(1).strip() for t in texts if (m := pattern.match(t)) and m.group(1).strip())
    return [w for w, n in counts.most_common(most) if n >= 2 or len(texts) < 4]


def _candidates(keys: Sequence[str], ids: Sequence[str], columns: Mapping[str, Sequence[str]],
                current: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Rule sets worth trying on top of ``current``; each is what a suggestion would add."""
    widths = sorted({len(i) for i in ids if i.isdigit() and i.startswith("0")} |
                    {len(i) for i in ids if i.isdigit()})
    pads = [{"pad": w} for w in widths if w > 1 and current.get("pad") != w]
    singles: list[dict[str, Any]] = [{flag: True} for flag in ("ignore_case", "ignore_punctuation", "ignore_accents")
                                     if not current.get(flag)]
    for key, pattern in (("strip_prefix", _LEADING), ("strip_suffix", _TRAILING)):
        have = list(current.get(key, ()))
        for word in _words(list(keys), pattern) + _words(list(ids), pattern):
            if word.casefold() not in {h.casefold() for h in have}:
                singles.append({key: [*have, word]})
    singles += [{MATCH_ON: column} for column in columns if current.get(MATCH_ON) != column]
    seen: list[dict[str, Any]] = []
    for base in [*singles, *pads]:
        for extra in ({}, *pads, {"ignore_case": True}):
            candidate = {**base, **extra}
            if candidate not in seen and not all(current.get(k) == v for k, v in candidate.items()):
                seen.append(candidate)
                yield candidate


def _merged(current: Mapping[str, Any], candidate: Mapping[str, Any]) -> dict[str, Any]:
    rules = {**current, **candidate}
    return {k: rules[k] for k in (*KEY_RULES, MATCH_ON) if k in rules}  # registry order


def search(table: str, unmatched: Sequence[UnmatchedKey], district_ids: Sequence[str],
           columns: Mapping[str, Sequence[str]], current: Mapping[str, Any],
           matched: Mapping[str, str], currency: str | None = None) -> list[tuple[SuggestedRule, dict[str, str]]]:
    """Suggested rules for one table, best first, each counted after the ones before it, with the keys it joins.

    ``columns`` are boundary columns a key could name instead of the id (the
    name, kept text columns), aligned with ``district_ids``; ``matched`` maps
    keys that the current rules join (not exact ids, not aliases) to their
    district, which no suggestion may change.
    """
    ids = [str(i) for i in district_ids]
    left = {u.key: u for u in unmatched if u.key}
    rules = dict(current)
    out: list[tuple[SuggestedRule, dict[str, str]]] = []
    for _ in range(MAX_ROUNDS):
        best: tuple[tuple[int, int], dict[str, Any], dict[str, str]] | None = None
        for candidate in _candidates(list(left), ids, columns, rules):
            trial = _merged(rules, candidate)
            on = trial.get(MATCH_ON)
            if on is not None and on not in columns:
                continue
            matcher = KeyMatcher(ids, trial, columns[on] if on else None)
            if any(matcher.match(k) != d for k, d in matched.items()):
                continue  # it would move (or drop) money the rules already put on the map
            hits = matcher.match_many(left)
            if len(hits) < MIN_KEYS:
                continue  # one key is an alias, not a pattern
            score = (sum(left[k].amount_cents or 0 for k in hits), len(hits))
            if best is None or score > best[0] or (score == best[0] and len(candidate) < len(best[1])):
                best = (score, candidate, hits)
        if best is None:
            break
        (cents, count), candidate, hits = best
        rules = _merged(rules, candidate)
        example = max(hits, key=lambda k: (left[k].amount_cents or 0, k))
        shown = {k: rules[k] for k in rules if k in candidate}
        words = "; ".join(KEY_RULES[k].describe(v) if k in KEY_RULES else f"match keys to the boundary column {v!r}"
                          for k, v in shown.items())
        out.append((SuggestedRule(
            table=table, description=f"{words} ('{example}' → '{hits[example]}')", keys=count,
            amount_cents=cents, rows=sum(left[k].rows for k in hits), rules=shown,
            toml=rule_toml(table, shown), currency=currency, examples=tuple(sorted(hits)[:5])), hits))
        matched = {**matched, **hits}
        left = {k: u for k, u in left.items() if k not in hits}
        if not left:
            break
    return out


def boundary_columns(districts: Any) -> dict[str, list[str]]:
    """Text columns of a boundary layer that keys could name instead of the id (the name first)."""
    out: dict[str, list[str]] = {}
    for column in districts.columns:
        if column in ("district_id", "geometry", "population", "area_km2"):
            continue
        values = districts[column]
        if values.map(lambda v: isinstance(v, str)).all():
            texts = [str(v) for v in values]
            if texts != [str(i) for i in districts["district_id"]]:
                out[column] = texts
    return out


def table_suggestions(table: str, unmatched: Sequence[UnmatchedKey], districts: Any,
                      options: Mapping[str, Any], matched: Mapping[str, str],
                      currency: str | None) -> tuple[list[SuggestedRule], list[UnmatchedKey]]:
    """The rules suggested for one table, and its unmatched keys with alias hints only for the leftovers.

    ``matched`` maps every key the table matched to its district; exact ids and
    aliases are set aside here, so only keys the current rules placed are held fixed.
    """
    mine = [u for u in unmatched if u.table == table]
    if not mine:
        return [], list(unmatched)
    ids = [str(i) for i in districts["district_id"]]
    current = active(options)
    columns = boundary_columns(districts)
    aliases = {str(k).strip() for k in options.get("aliases", {})}
    by_rules: dict[str, str] = {}
    if current:
        on = current.get(MATCH_ON)
        matcher = KeyMatcher(ids, current, columns.get(on) if on else None)
        id_set = set(ids)
        by_rules = {k: d for k, d in matched.items()
                    if k not in id_set and k not in aliases and matcher.match(k) == d}
    found = search(table, mine, ids, columns, current, by_rules, currency)
    explained = {key: rule for rule, hits in found for key in hits}
    out = [replace(u, suggestion=None, why=f"explained by the suggested rule: {explained[u.key].description}")
           if u.table == table and u.key in explained else u for u in unmatched]
    rules = [rule for rule, _ in found]
    leftovers = [u for u in out if u.table == table and u.suggestion]
    if leftovers:
        rules.append(_aliases(table, leftovers, currency))
    return rules, out


def _aliases(table: str, leftovers: Sequence[UnmatchedKey], currency: str | None) -> SuggestedRule:
    """The last suggestion: one alias per key that no pattern explains but a near miss does."""
    from budgetmap.report_text import aliases_snippet

    pairs = {u.key: u.suggestion for u in leftovers}
    shown = ", ".join(f"'{k}' → '{v}'" for k, v in list(pairs.items())[:3])
    more = f" and {len(pairs) - 3} more" if len(pairs) > 3 else ""
    return SuggestedRule(
        table=table, description=f"aliases for {len(pairs)} key(s) no pattern explains, by near miss: {shown}{more}",
        keys=len(pairs), amount_cents=sum(u.amount_cents or 0 for u in leftovers),
        rows=sum(u.rows for u in leftovers), rules={"aliases": pairs},
        toml=aliases_snippet(table, list(leftovers)) + "\n", currency=currency, examples=tuple(list(pairs)[:5]))

