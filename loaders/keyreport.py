"""Join diagnostics shared by every table that refers to districts: unmatched keys, districts with no
data, and the suggested rules (loaders.rulefinder) with what each key's hint says after them."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from budgetmap.model import LoadReport, MissingDistrict, UnmatchedKey
from budgetmap.model.report import SuggestedRule
from loaders.joins import Suggester
from loaders.keypairs import KeyPairs
from loaders.keyrules import MATCH_ALSO, SEPARATOR, active, head, width
from loaders.rulefinder import Finder, boundary_columns, search

MAX_SUGGESTED_KEYS = 500


def unmatched_keys(table: str, frame: pd.DataFrame, district_ids: list[str],
                   amount: str | None = None) -> list[UnmatchedKey]:
    """Every distinct key that matched no district, with its rows, money and a suggestion."""
    bad = frame[frame["location"] == "unmatched"]
    if bad.empty:
        return []
    grouped = bad.groupby("raw_district", sort=True)
    rows = grouped["rows"].sum() if "rows" in bad.columns else grouped.size()  # a frame of sums says how many
    money: dict[object, int] = {}  # exact Python ints per key; keys with no amount at all stay absent
    if amount:
        for key, cents in zip(bad["raw_district"].to_numpy(dtype=object), bad[amount].to_numpy(dtype=object)):
            if not pd.isna(cents):
                money[key] = money.get(key, 0) + int(cents)
    out = []
    suggester = Suggester(district_ids)
    for i, (key, count) in enumerate(rows.sort_values(ascending=False).items()):
        guess, why = suggester.suggest(str(key)) if i < MAX_SUGGESTED_KEYS else (None, None)
        out.append(UnmatchedKey(table, str(key), int(count), money.get(key), guess, why))
    return out


def missing_districts(table: str, frame: pd.DataFrame, districts: pd.DataFrame,
                      unmatched: list[UnmatchedKey]) -> list[MissingDistrict]:
    """Districts no row refers to; the unmatched keys are the likely culprits."""
    used = set(frame.loc[frame["location"] == "district", "district_id"])
    spare = Suggester([u.key for u in unmatched])
    out = []
    for did, name in zip(districts["district_id"], districts["name"]):
        if did in used:
            continue
        guess, why = spare.suggest(did) if spare.candidates else (None, None)
        if guess is None and name != did and spare.candidates:
            guess, why = spare.suggest(name)
        out.append(MissingDistrict(table, did, name, guess, why))
    return out

def suggest_rules(report: LoadReport, table: str, joined: pd.DataFrame, districts: pd.DataFrame,
                  options: Mapping[str, Any], currency: str | None = None, pairs: KeyPairs | None = None) -> None:
    """Add the join rules that would bring this table's unmatched keys onto the map (loaders.rulefinder).

    ``joined`` has one row per key or line (``raw_district``, ``district_id``,
    ``location``); keys a suggested rule explains lose their one-key alias hint,
    and keys that fit several districts are said to, never guessed. ``pairs`` are
    the reader's (key, other column) pairs, for ``match_also`` (loaders.keypairs).
    """
    if not any(u.table == table for u in report.unmatched):
        return
    placed = joined[joined["location"] == "district"]
    matched = dict(zip(placed["raw_district"].astype(str).str.strip(), placed["district_id"].astype(str)))
    rules, unmatched = table_suggestions(table, report.unmatched, districts, options, matched, currency, pairs)
    report.unmatched[:] = unmatched
    report.suggested_rules.extend(rules)


def table_suggestions(table: str, unmatched: Sequence[UnmatchedKey], districts: Any,
                      options: Mapping[str, Any], matched: Mapping[str, str], currency: str | None,
                      pairs: KeyPairs | None = None) -> tuple[list[SuggestedRule], list[UnmatchedKey]]:
    """The rules suggested for one table, and its unmatched keys with alias hints only for the leftovers.

    ``matched`` maps every key the table matched to its district; exact ids and
    aliases are set aside here, so only keys the current rules placed are held fixed.
    """
    mine = [u for u in unmatched if u.table == table]
    if not mine:
        return [], list(unmatched)
    ids = [str(i) for i in districts["district_id"]]
    current = active(options)
    finder = Finder(ids, boundary_columns(districts), pairs or KeyPairs())
    parts = width(current)
    aliases = {str(k).strip() for k in options.get("aliases", {})}
    by_rules: dict[str, str] = {}
    if current:
        matcher, id_set = finder.matcher(current), set(ids)
        by_rules = {k: d for k, d in matched.items() if head(k, parts) not in id_set and k not in aliases
                    and head(k, parts) not in aliases and matcher.match(k) == d}
    found = search(table, mine, ids, finder.columns, current, by_rules, currency, finder.pairs, len(matched))
    final = dict(current)
    for rule, _ in found:
        final.update(rule.rules)
    explained = _explained(mine, found, finder.pairs, final, parts)
    why = {**_ambiguous([u for u in mine if u.key not in explained], finder, current, final, districts),
           **explained}
    out = [replace(u, suggestion=None, why=why[u.key]) if u.table == table and u.key in why else u
           for u in unmatched]
    rules = [rule for rule, _ in found]
    leftovers = [u for u in out if u.table == table and u.suggestion]
    if leftovers:
        rules.append(_aliases(table, leftovers, currency))
    return rules, out


def _explained(mine: Sequence[UnmatchedKey], found: Sequence[tuple[SuggestedRule, dict[str, str]]],
               pairs: KeyPairs, final: Mapping[str, Any], parts: int) -> dict[str, str]:
    """Key -> "explained by the suggested rule: ..." for the keys the suggestions join (all their pairs, or some)."""
    keys = {u.key for u in mine}
    hit: dict[str, list[str]] = {}
    for rule, hits in found:
        for key in hits:
            origin = key if key in keys else head(key, parts + 1)
            hit.setdefault(origin, []).append(rule.description)
    column = next(iter(final.get(MATCH_ALSO) or {}), None) if parts == 1 else None
    total = Counter(k for k, _ in pairs.pairs.get(column, {})) if column else Counter()
    joined = Counter(head(k, 2) for _, hits in found for k in hits if k not in keys) if column else Counter()
    out = {}
    for key, rules in hit.items():
        share = f" ({joined[key]} of its {total[key]} pairs)" if column and joined[key] < total[key] else ""
        out[key] = f"{'partly ' if share else ''}explained by the suggested rule: {rules[0]}{share}"
    return out


def _ambiguous(mine: Sequence[UnmatchedKey], finder: Finder, current: Mapping[str, Any], final: Mapping[str, Any],
               districts: Any) -> dict[str, str]:
    """Key -> why it is not joined: it fits several districts under the current rules, or the suggested ones."""
    names = dict(zip(districts["district_id"].astype(str), districts["name"].astype(str)))
    column = next(iter(final.get(MATCH_ALSO) or {}), None) if not current.get(MATCH_ALSO) else None
    by_key: dict[str, list[str]] = {}
    for (key, value), _ in finder.pairs.pairs.get(column, {}).items() if column else ():
        by_key.setdefault(key, []).append(f"{key}{SEPARATOR}{value}")
    out = {}
    for u in mine:
        fits = finder.matcher(current).candidates(u.key) if current else []
        if not fits and final != current:
            forms = by_key.get(u.key, []) if column else [u.key]
            fits = sorted({d for f in forms for d in finder.matcher(final).candidates(f)})
        if len(fits) > 1:
            shown = ", ".join(f"{d} ({names.get(d, d)})" for d in fits[:5]) + \
                (f" and {len(fits) - 5} more" if len(fits) > 5 else "")
            fix = ("its other columns do not tell them apart either; add an alias for the one it means"
                   if final.get(MATCH_ALSO) else "add the column that tells them apart (match_also, such as "
                   "the state) or an alias for the one it means")
            out[u.key] = f"fits {len(fits)} districts: {shown}; a key is never joined by guess: {fix}"
    return out


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
