"""The forms a value handed to the app can take: one choice, a fiscal year, a whole number, a number, text.

``budgetmap.fields`` names, per setting, which of these its value must be; each
kind's ``take`` returns the typed value or raises ``Refused`` with words fit for
a note (what the value is not, and what would be accepted). No data is needed
to check a form, so a year of 40,000,000 never becomes a range to build.
"""
from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from budgetmap.classify import CLASS_RANGE
from budgetmap.model.years import parse_fiscal_year

MAX_TEXT = 200  # characters: no department, district, layer or indicator name is longer
MAX_ITEMS = 100  # departments (programs, funds) chosen at once; a multiselect of more is unreadable
MAX_BREAKS = CLASS_RANGE[1]  # upper bounds of at most nine classes
MAX_NUMBER = 1e15  # a class break beyond a quadrillion is a typo
SHOWN = 60  # characters of a refused value repeated in a message (a 10 kB value is not echoed)
_NUMBER = re.compile(r"[-+]?([0-9]{1,20}(\.[0-9]{0,20})?|\.[0-9]{1,20})([eE][-+]?[0-9]{1,3})?")
_WHOLE = re.compile(r"[0-9]{1,3}")


def shown(value: Any) -> str:
    """A value as a message repeats it: quoted, and cut short."""
    text = repr(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def listing(values: Iterable[Any], most: int = 12) -> str:
    items = [str(v) for v in values]
    shown_items = ", ".join(items[:most])
    return shown_items + (f", … ({len(items)} in all)" if len(items) > most else "") if items else "none"


class Refused(ValueError):
    """One value not of its field's form; the message says what it is not."""


class Problem(NamedTuple):
    """A setting that was not used, and why (one line, fit for a note or an error)."""

    name: str
    reason: str

    def text(self, prefix: str = "") -> str:
        return f"{prefix}{self.name}: {self.reason}"


class Kind:
    """The form of one value (one item of a list); each kind overrides `take`."""

    def take(self, raw: Any) -> Any:
        raise NotImplementedError


class Choice(Kind):
    def __init__(self, options: Collection[str], what: str) -> None:
        self.options, self.what = options, what

    def take(self, raw: Any) -> str:
        if isinstance(raw, str) and raw in self.options:
            return raw
        raise Refused(f"{shown(raw)} is not {self.what} (choose from {listing(self.options)})")


class Year(Kind):
    expected = "a fiscal year such as 2016 or FY 2015-16"

    def take(self, raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, str | int | float) or len(str(raw)) > 20:
            raise Refused(f"{shown(raw)} is not {self.expected}")
        year, reason = parse_fiscal_year(str(raw).strip())
        if year is None:
            raise Refused(f"{shown(raw)} {reason or 'is not ' + self.expected}")
        return year


class Whole(Kind):
    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def take(self, raw: Any) -> int:
        value = raw if isinstance(raw, int) and not isinstance(raw, bool) else \
            int(raw) if isinstance(raw, str) and _WHOLE.fullmatch(raw.strip()) else None
        if value is None or not self.low <= value <= self.high:
            raise Refused(f"{shown(raw)} is not a whole number from {self.low} to {self.high}")
        return value


class Number(Kind):
    def take(self, raw: Any) -> float:
        value = float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else \
            float(raw) if isinstance(raw, str) and _NUMBER.fullmatch(raw.strip()) else None
        if value is None or not math.isfinite(value) or abs(value) > MAX_NUMBER:
            raise Refused(f"{shown(raw)} is not a number (at most {MAX_NUMBER:,.0f} either way)")
        return value


class Text(Kind):
    def take(self, raw: Any) -> str:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raise Refused(f"{shown(raw)} is a number; write names as text, in quotes")
        if not isinstance(raw, str):
            raise Refused(f"{shown(raw)} is not text")
        if not raw.strip():
            raise Refused("is blank")
        if len(raw) > MAX_TEXT:
            raise Refused(f"{shown(raw)} is longer than {MAX_TEXT} characters")
        return raw
