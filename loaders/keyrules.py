"""Join rules: patterns that make a table's district keys meet the boundary ids.

Real files differ from their boundaries by patterns, not one key at a time:
integer FIPS 1001 against "01001", "District 1" against "1", "NORTH END"
against "North End". A rule names one such pattern; it is one manifest key in
the table's section (``pad = 5``), applied to both sides of the join (the
table's keys and the boundary ids, or the column named by ``match_on``) before
they are compared. Keys still unmatched after the rules go to the table's
``aliases``, one key at a time.

A name can need a second column to say which district it is: 31 US counties are
called "Washington". ``match_also = { state = "STATE_NAME" }`` compares the table's
``state`` column with the boundary column ``STATE_NAME`` as well; the join key of a
row is then written "Washington | Oregon" (``SEPARATOR``), in the load report and
in ``aliases`` alike, and every rule applies to each part.

``KEY_RULES`` is the registry: the manifest schema, the rule finder
(``loaders.rulefinder``), the docs and the tests read it. A rule that would make
two boundary ids look alike refuses to join either of them (the key stays
unmatched and listed), so a rule can never put money in the wrong district.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Step = Callable[[str], str]


def _texts(value: Any) -> tuple[str, ...]:
    """A rule value that may be one text or a list of texts."""
    return (value,) if isinstance(value, str) else tuple(value)


def _first_strip(patterns: list[re.Pattern[str]]) -> Step:
    """Remove the first pattern that matches, unless nothing would be left of the key."""
    def step(key: str) -> str:
        for pattern in patterns:
            stripped = pattern.sub("", key, count=1)
            if stripped != key and stripped:
                return stripped
        return key
    return step


def _strip_prefix(prefixes: Any) -> Step:
    return _first_strip([re.compile(rf"^{re.escape(p.strip())}[\s\-_:#.]*", re.I)
                         for p in _texts(prefixes) if p.strip()])


def _strip_suffix(suffixes: Any) -> Step:
    return _first_strip([re.compile(rf"[\s\-_,]*{re.escape(s.strip())}$", re.I)
                         for s in _texts(suffixes) if s.strip()])


def _pad(width: Any) -> Step:
    def step(key: str) -> str:
        return str(int(key)).zfill(int(width)) if key.isdigit() else key
    return step


def _accents(on: Any) -> Step:
    def step(key: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))
    return step if on else (lambda key: key)


def _case(on: Any) -> Step:
    return (lambda key: key.casefold()) if on else (lambda key: key)


_PUNCTUATION = re.compile(r"[\s\-_.,;:'’\"/&()#]+")


def _punctuation(on: Any) -> Step:
    return (lambda key: _PUNCTUATION.sub("", key)) if on else (lambda key: key)


@dataclass(frozen=True)
class KeyRule:
    """One pattern; ``step(value)`` turns a key into the form both sides are compared in."""

    key: str  # the manifest key, in the table's section
    kind: str  # "bool", "int", "text" or "texts" (one text or a list of texts)
    label: str  # what it does, for docs and the load report
    example: str
    step: Callable[[Any], Step]

    def describe(self, value: Any) -> str:
        """The rule as the load report says it: 'zero-pad numeric keys to 5 digits'."""
        if self.kind == "texts":
            return f"{self.label}: {', '.join(repr(t) for t in _texts(value))}"
        if self.kind == "int":
            return f"{self.label} to {value} digits"
        return self.label


#: Applied in this order: prefixes and suffixes come off before padding reads the digits.
KEY_RULES: dict[str, KeyRule] = {r.key: r for r in (
    KeyRule("ignore_accents", "bool", "ignore accents", "'Peñalosa' = 'Penalosa'", _accents),
    KeyRule("ignore_case", "bool", "ignore upper and lower case", "'NORTH END' = 'North End'", _case),
    KeyRule("strip_prefix", "texts", "drop a leading word", "'District 1' = '1', 'Ward 03' = '03'", _strip_prefix),
    KeyRule("strip_suffix", "texts", "drop a trailing word", "'Adams County' = 'Adams'", _strip_suffix),
    KeyRule("ignore_punctuation", "bool", "ignore spaces and punctuation", "'St. Johns' = 'St Johns'",
            _punctuation),
    KeyRule("pad", "int", "zero-pad numeric keys", "1001 = '01001' with pad = 5", _pad),
)}
#: The boundary column keys are matched against instead of the id ("name", or a column of the boundary file).
MATCH_ON = "match_on"
#: More table columns compared with boundary columns: { table column = boundary column }.
MATCH_ALSO = "match_also"
RULE_KEYS = (*KEY_RULES, MATCH_ON, MATCH_ALSO)
#: Between the parts of a key with ``match_also``: "Washington | Oregon".
SEPARATOR = " | "
#: Boundary file columns kept beside the model's (loaders.boundaries) carry this prefix in the frame.
FILE_COLUMN = "file:"
_MODEL_COLUMNS = ("district_id", "name")


def active(options: Mapping[str, Any]) -> dict[str, Any]:
    """The rules a table section sets, in application order (booleans set to false are left out)."""
    out = {key: options[key] for key in KEY_RULES if key in options and options[key] not in (False, None, "", ())}
    for key in (MATCH_ON, MATCH_ALSO):
        if options.get(key):
            out[key] = options[key]
    return out


def width(rules: Mapping[str, Any]) -> int:
    """How many parts a join key has: 1, plus one per ``match_also`` column."""
    return 1 + len(rules.get(MATCH_ALSO) or {})


def split(key: str, parts: int) -> tuple[str, ...] | None:
    """The parts of a key written with ``SEPARATOR`` (the last ones are the also-columns), or None."""
    if parts == 1:
        return (key,)
    pieces = key.rsplit(SEPARATOR.strip(), parts - 1)
    return tuple(p.strip() for p in pieces) if len(pieces) == parts else None


def head(key: str, parts: int) -> str:
    """The table's own key of a composite key ("Washington" of "Washington | Oregon")."""
    found = split(key, parts) if parts > 1 else None
    return found[0] if found else key


def boundary_names(districts: Any) -> list[str]:
    """Columns a rule may name: the model's id and name, then the boundary file's own columns."""
    return [*_MODEL_COLUMNS, *(c.removeprefix(FILE_COLUMN) for c in districts.columns
                               if isinstance(c, str) and c.startswith(FILE_COLUMN))]


def boundary_values(districts: Any, column: str, where: str, key: str) -> list[str]:
    """One boundary column's values as text, aligned with the ids: a model column, else the file's column."""
    name = column if column in _MODEL_COLUMNS else f"{FILE_COLUMN}{column}"
    if name not in districts.columns:
        from loaders.problems import LoadError

        raise LoadError(f"{where}: {key} = {column!r} is not a boundary column; the boundaries have: "
                        f"{', '.join(boundary_names(districts))}")
    return ["" if v is None else str(v) for v in districts[name].tolist()]


def join_args(options: Mapping[str, Any], districts: Any, where: str) -> dict[str, Any]:
    """``match_keys`` keyword arguments for a table section: its rules and the boundary values keys meet.

    ``districts`` is the layer's boundary frame; a ``match_on`` or ``match_also``
    column it lacks is refused with the columns it has. With ``match_also`` the
    targets are tuples (the id or ``match_on`` value, then one value per column).
    """
    rules = active(options)
    column = rules.get(MATCH_ON)
    first = boundary_values(districts, column, where, MATCH_ON) if column is not None else None
    also = rules.get(MATCH_ALSO) or {}
    if not also:
        return {"rules": rules, "targets": first}
    ids = [str(i) for i in districts["district_id"]]
    others = [boundary_values(districts, b, where, f"{MATCH_ALSO}.{t}") for t, b in also.items()]
    return {"rules": rules, "targets": list(zip(first if first is not None else ids, *others))}


def normaliser(rules: Mapping[str, Any]) -> Step:
    """One function applying every rule's step in the registry's order."""
    steps = [KEY_RULES[key].step(rules[key]) for key in KEY_RULES if key in rules]

    if len(steps) == 1:
        return steps[0]

    def normal(key: str) -> str:
        for step in steps:
            key = step(key)
        return key
    return normal


class KeyMatcher:
    """Boundary ids indexed once by their normal form under a set of rules.

    ``targets`` are what keys are compared with: the ids, or (``match_on``) the
    values of another boundary column, each standing for its id; with
    ``match_also``, tuples of values (the key's parts are compared one by one).
    """

    def __init__(self, district_ids: Sequence[str], rules: Mapping[str, Any],
                 targets: Sequence[str] | Sequence[tuple[str, ...]] | None = None) -> None:
        self.rules = dict(rules)
        self.normal = normaliser(self.rules)
        self.parts = width(self.rules)
        if self.parts > 1 and (targets is None or not all(isinstance(t, tuple) for t in targets)):
            raise ValueError("match_also needs tuples of boundary values as targets")
        targets = list(district_ids) if targets is None else list(targets)
        forms: dict[Any, Any] = {}  # each distinct value normalised once (names repeat)
        by_normal: dict[Any, set[str]] = {}
        for target, did in zip(targets, district_ids):
            form = forms.get(target)
            if form is None:
                form = forms[target] = self._form(target)
            by_normal.setdefault(form, set()).add(str(did))
        self._index = {n: next(iter(ids)) for n, ids in by_normal.items() if len(ids) == 1}
        #: normal forms two or more districts share: a key landing there is not guessed
        self.ambiguous = {n: sorted(ids) for n, ids in by_normal.items() if len(ids) > 1}

    def _form(self, target: Any) -> Any:
        if self.parts == 1:
            return self.normal(str(target))
        return tuple(self.normal(str(t)) for t in target)

    def _key_form(self, key: str) -> Any:
        if self.parts == 1:
            return self.normal(key)
        parts = split(key, self.parts)
        return None if parts is None else tuple(self.normal(p) for p in parts)

    def match(self, key: str) -> str | None:
        """The district a key names under the rules, or None (no district, or more than one)."""
        return self._index.get(self._key_form(key)) if key else None

    def match_parts(self, parts: tuple[str, ...], memo: dict[str, str]) -> str | None:
        """The district of a key given as its parts (no text to split); ``memo`` keeps each part's normal form."""
        form = []
        for part in parts:
            normal = memo.get(part)
            if normal is None:
                normal = memo[part] = self.normal(part)
            form.append(normal)
        return self._index.get(tuple(form)) if parts[0] else None

    def candidates(self, key: str) -> list[str]:
        """The districts a key could be when the rules make it ambiguous (else an empty list)."""
        return self.ambiguous.get(self._key_form(key), []) if key else []

    def match_many(self, keys: Iterable[str]) -> dict[str, str]:
        """Key -> district for the keys the rules match (each distinct key is normalised once)."""
        out = {}
        for key in set(keys):
            did = self.match(key)
            if did is not None:
                out[key] = did
        return out


def rule_toml(section: str, rules: Mapping[str, Any]) -> str:
    """The TOML lines of some rules under their section ('[spending]' or a commented [[...]] table)."""
    name, _, file = section.partition(" (")
    where = f"  # in the [[{name}]] table of {file.removesuffix(')')}" if file else ""
    lines = [f"{key} = {_toml_value(value)}" for key, value in rules.items()]
    return f"[{name}]{where}\n" + "\n".join(lines) + "\n"


_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _toml_value(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):  # an inline table on one line, so merge_toml replaces it as one key
        pairs = [f"{k if _BARE.fullmatch(k) else json.dumps(k, ensure_ascii=False)} = {_toml_value(v)}"
                 for k, v in value.items()]
        return "{ " + ", ".join(pairs) + " }"
    return "[" + ", ".join(_toml_value(v) for v in value) + "]"
