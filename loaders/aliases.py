"""A table's ``aliases``: key as written -> district id, in one step, and never a chain or a cycle.

``loaders.joins.match_keys`` tries a key as a district id first, then the join
rules, then the table's aliases, once: an alias's target is used as the district id
(or matched by the rules), never looked up among the aliases again. So an alias
whose target is another alias's key does not do what it seems to: ``"Z9" = "Y9"``
with ``"Y9" = "C"`` sends Z9 to a district "Y9" (or nowhere), and ``"A" = "B"`` with
``"B" = "A"`` means nothing that can be intended. Both are refused when the
manifest is read, with the one-step alias that was meant. An alias whose key is
itself a district id is never used (the id matches first): the load report warns.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from budgetmap.model.errors import LoadError


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def check_aliases(where: str, aliases: Mapping[str, str]) -> dict[str, str]:
    """The aliases as match_keys reads them (trimmed), or LoadError for a repeat, a chain or a cycle."""
    table: dict[str, str] = {}
    for key, target in aliases.items():
        k, t = key.strip(), target.strip()
        if k in table:
            raise LoadError(f"{where} aliases give {_q(k)} twice (keys are compared trimmed); keep one")
        table[k] = t
    for start in table:
        path = [start]
        while table.get(path[-1], path[-1]) != path[-1]:
            path.append(table[path[-1]])
            if path[-1] in path[:-1]:
                chain = " -> ".join(map(_q, path))
                raise LoadError(f"{where} aliases form a cycle, {chain}: an alias maps a key as written to a "
                                "district id in one step, so every target must be a district id, never another "
                                "alias's key: remove the wrong one")
        if len(path) > 2:
            chain = " -> ".join(map(_q, path))
            raise LoadError(f"{where} aliases chain {chain}, but aliases resolve in one step (a key as written -> "
                            f"a district id) and a target is never looked up again: write {_q(start)} = "
                            f"{_q(path[-1])} instead")
    return table


def unused_aliases(table: str, aliases: Mapping[str, str], district_ids: Iterable[str]) -> list[str]:
    """Warnings for aliases whose key is a district id: the id matches first, so they never apply."""
    ids = set(district_ids)
    return [f"{table}: alias {_q(k.strip())} = {_q(v.strip())} is never used: {_q(k.strip())} is a district id, "
            "and ids match before aliases; remove it" for k, v in aliases.items() if k.strip() in ids
            and k.strip() != v.strip()]
