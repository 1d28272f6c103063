"""How people name the districts of one layer: a label that tells each apart, and what a name resolves to.

Real boundary files repeat names (31 US counties are called "Washington"), so a
picker, a written summary or a story title showing only the name would be
ambiguous, and a book saying ``district = "Washington"`` could mean any of them.
The label is worked out once per layer: the name where it is the layer's only
one, else the name with the district id ("Washington (53033)"). Names that differ
only in case or spacing count as repeats, since a reader cannot tell them apart
either. Where every name is unique (the demo city) the label is the name itself.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import NamedTuple

#: Candidates listed when a name is shared; the rest are counted ("and 21 more").
MAX_CANDIDATES = 10


def _folded(text: str) -> str:
    """What a reader sees as the same name: case and runs of spaces ignored."""
    return " ".join(text.split()).casefold()


def display_labels(ids: Iterable[object], names: Iterable[object]) -> dict[str, str]:
    """District id -> a label no other district of the layer shares.

    A repeated name gets its id in parentheses. Should that collide with another
    district's own name (a district really called "Washington (53033)"), the id is
    added again to the ones still alike, so the loop ends: ids are unique.
    """
    ids = [str(i) for i in ids]
    labels = {i: "" if n is None else str(n) for i, n in zip(ids, names)}
    for _ in range(len(ids) + 1):
        seen: dict[str, list[str]] = defaultdict(list)
        for i, label in labels.items():
            seen[_folded(label)].append(i)
        alike = [i for group in seen.values() if len(group) > 1 for i in group]
        if not alike:
            break
        for i in alike:
            labels[i] = f"{labels[i]} ({i})" if labels[i] else i
    return labels


class Shared(NamedTuple):
    """What a name several districts have resolves to: no district, but the words listing the candidates."""

    reason: str


@dataclass(frozen=True)
class DistrictNames:
    """One layer's districts as people name them.

    ``lookup`` resolves an id, a label, or a name (or the first part of a label
    built from several columns, ``short``) that only one district has; ``shared``
    holds the names several districts have, with their ids, so a caller can list
    the candidates instead of guessing or saying "unknown".
    """

    labels: Mapping[str, str]  # district id -> display label
    lookup: Mapping[str, str]  # id, label or unique name -> district id
    shared: Mapping[str, tuple[str, ...]]  # a name several districts have -> their ids, by label

    @classmethod
    def of(cls, ids: Iterable[object], names: Iterable[object],
           short: Iterable[object] | None = None) -> "DistrictNames":
        """From a layer's ids and names (and, for labels of several columns, the first column's values)."""
        ids = [str(i) for i in ids]
        names = ["" if n is None else str(n) for n in names]
        labels = display_labels(ids, names)
        owners: dict[str, list[str]] = defaultdict(list)
        for column in (names, None if short is None else ["" if s is None else str(s) for s in short]):
            for i, name in zip(ids, column or ()):
                if name.strip() and i not in owners[name]:
                    owners[name].append(i)
        lookup = {name: found[0] for name, found in owners.items() if len(found) == 1}
        lookup |= {label: i for i, label in labels.items()} | {i: i for i in ids}
        shared = {name: tuple(sorted(found, key=labels.__getitem__))
                  for name, found in owners.items() if len(found) > 1 and name not in lookup}
        return cls(MappingProxyType(labels), MappingProxyType(lookup), MappingProxyType(shared))

    def label(self, district_id: str) -> str:
        """The display label of a district (its id when the layer does not have it)."""
        return self.labels.get(district_id, district_id)

    def candidates(self, name: str, most: int = MAX_CANDIDATES) -> str:
        """The refusal of a shared name, listing its districts (id and label) so the reader can pick one:
        'is the name of 31 districts; give the id or the label of one: 01001 "Washington (01001)", … and 21 more'."""
        ids = self.shared.get(name, ())
        listed = ", ".join(f"{i} {json.dumps(self.labels[i], ensure_ascii=False)}" for i in ids[:most])
        more = f" and {len(ids) - most} more" if len(ids) > most else ""
        return f"is the name of {len(ids):,} districts; give the id or the label of one: {listed}{more}"

    @cached_property
    def choices(self) -> Mapping[str, str | Shared]:
        """``lookup`` plus the shared names, which give ``Shared``; its values are the ids only."""
        return _Choices(self)


class _Choices(Mapping[str, "str | Shared"]):
    """A read-only view: a resolving text -> its id, a shared name -> Shared (worded when asked)."""

    def __init__(self, names: DistrictNames) -> None:
        self._names = names

    def __getitem__(self, key: str) -> str | Shared:
        if key in self._names.lookup:
            return self._names.lookup[key]
        if key in self._names.shared:
            return Shared(self._names.candidates(key))
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names.lookup)

    def __len__(self) -> int:
        return len(self._names.lookup)
