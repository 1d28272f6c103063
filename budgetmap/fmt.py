"""Turning numbers into the text people read: money, counts, percentages, years, legends.

The one place that decides how a number looks, so that a count reads "3,138" on the
home page, in the load report, in a snapshot and in the command line alike, money
never shows a stray ".0", a missing value never shows as "None" or "nan", and a
legend's labels share one style. Built on Python's format spec (the ``,`` option
is the thousands separator); no locale library.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Any

SYMBOLS = {"USD": "$", "CAD": "$", "AUD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥"}
#: What a missing number reads as on screen (never "None" or "nan").
NO_DATA = "no data"
#: What a year a dataset does not give reads as.
YEAR_NOT_STATED = "year not stated"
#: The default name of money for the whole place; a manifest's ``citywide_label`` changes it.
CITYWIDE = "Citywide"
MINUS = "−"  # legends and change maps: a true minus sign, as typeset
_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))


def in_sentence(label: str) -> str:
    """A label inside a sentence: 'Statewide' -> 'statewide'; an acronym ('NYC-wide') stays."""
    first = label.split(" ", 1)[0]
    return label if len(first) > 1 and first[:2].isupper() else label[:1].lower() + label[1:]


def missing(value: Any) -> bool:
    """True for None, NaN, pandas' NA and infinities: values that have no digits to show."""
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def missing_text(value: Any) -> bool:
    """True for a cell with nothing in it (None, NaN, pandas' NA or NaT), which a grid would show
    as "None"; text, lists and numbers are not missing."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        type(value).__name__ in ("NAType", "NaTType")


def symbol(currency: str) -> str:
    """'$' for USD; the code and a space ('CHF ') for a currency without a symbol here."""
    return SYMBOLS.get(currency.upper(), currency.upper() + " ")


def _sign(value: float, plus: bool = False) -> str:
    return "-" if value < 0 else ("+" if plus and value > 0 else "")


def money(value: float | None, currency: str = "USD", cents: bool = False) -> str:
    """'$1,234,567' (or '$512.34' with cents); negative as '-$12'; None as 'no data'."""
    if missing(value):
        return NO_DATA
    digits = f"{abs(value):,.2f}" if cents else f"{abs(value):,.0f}"
    if digits.strip("0.,") == "":
        return f"{symbol(currency)}{digits}"  # no '-$0' for a tiny negative
    return f"{_sign(value)}{symbol(currency)}{digits}"


def money_cents(cents: int | None, currency: str = "USD") -> str:
    """Exact money from integer cents, always with the cents: reconciliation lines use it."""
    if missing(cents):
        return NO_DATA
    sign = "-" if cents < 0 else ""
    return f"{sign}{symbol(currency)}{cents_text(abs(int(cents)))}"


def cents_text(cents: int) -> str:
    """'-1,234.56' from integer cents, exact at any size (no float): amounts without a currency."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{whole:,}.{rest:02d}"


def _compact(v: float) -> tuple[float, str]:
    for size, suffix in _SUFFIXES:
        if v >= size:
            return v / size, suffix
    return v, ""


def compact_money(value: float | None, currency: str = "USD") -> str:
    """Short money for legends: '$1.2M', '$830K', '$512'."""
    if missing(value):
        return NO_DATA
    v = abs(value)
    scaled, suffix = _compact(v)
    if suffix:
        text = f"{scaled:,.1f}".removesuffix(".0")
        return f"{_sign(value)}{symbol(currency)}{text}{suffix}"
    return f"{_sign(value)}{symbol(currency)}{v:,.0f}" if v >= 10 else f"{_sign(value)}{symbol(currency)}{v:,.2f}"


def percent(value: float | None, digits: int = 1) -> str:
    """'12.5%'; 'no data' for a missing value."""
    if missing(value):
        return NO_DATA
    return f"{value:,.{digits}f}%"


def count(value: float | None) -> str:
    """A count with thousands separators: '3,138'. Whole numbers stay exact at any size."""
    if missing(value):
        return NO_DATA
    if isinstance(value, Integral):
        return f"{int(value):,}"
    return f"{value:,.0f}"


def of(part: float | None, whole: float | None) -> str:
    """'827 of 3,138': both counts with separators."""
    return f"{count(part)} of {count(whole)}"


def plural(n: float, word: str, many: str | None = None) -> str:
    """'1 district', '2,299 districts'."""
    return f"{count(n)} {word if n == 1 else (many or word + 's')}"


def first_few(texts: Sequence[str], limit: int = 5) -> str:
    """'A, B, C, D, E and 3 more': a report names a few, then counts the rest."""
    more = f" and {count(len(texts) - limit)} more" if len(texts) > limit else ""
    return ", ".join(texts[:limit]) + more


def number(value: float | None, digits: int = 2) -> str:
    """A measured number without trailing zeros: '40', '2.5', '1,234.56'; 'no data' when missing."""
    if missing(value):
        return NO_DATA
    text = f"{value:,.{digits}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def year(value: Any) -> str:
    """A year as written ('2025', never '2,025' or '2025.0'); 'year not stated' when absent."""
    if missing(value):
        return YEAR_NOT_STATED
    return str(int(value))


def population_year(value: Any) -> str:
    """'population of 2025' or 'population, year not stated': the denominator says its year."""
    return YEAR_NOT_STATED if missing(value) else f"population of {year(value)}"


def fine_money(value: float, currency: str = "USD") -> str:
    """Money for per-resident figures: cents below 100, whole dollars below 100,000."""
    if missing(value):
        return NO_DATA
    if abs(value) < 100:
        return money(value, currency, cents=True)
    return money(value, currency) if abs(value) < 100_000 else compact_money(value, currency)


@dataclass(frozen=True)
class LegendStyle:
    """One style for every number of a legend: the same unit, suffix and decimals.

    A legend reading "$1,226 – $729.5K" makes the reader compare two styles; with one
    style chosen from the whole range it reads "$1.2K – $729.5K" (or all plain).
    """

    kind: str  # "money", "percent", "number" or "count"
    currency: str = "USD"
    divisor: float = 1.0
    suffix: str = ""
    decimals: int = 0

    def __call__(self, value: float | None, signed: bool = False) -> str:
        """One edge; ``signed`` writes '+' for a rise and '−' for a fall (change maps)."""
        if missing(value):
            return NO_DATA
        divisor, suffix = (self.divisor, self.suffix)
        if self.divisor == 0:  # each value its own suffix: a range too wide for one
            divisor, suffix = _size(abs(value))
        digits = f"{abs(value) / divisor:,.{self.decimals}f}"
        if digits.strip("0.,") == "":
            digits, suffix, value = "0", "", 0.0  # zero reads '$0', never '$0.0K' or '-$0'
        sign = MINUS if value < 0 and signed else "-" if value < 0 else "+" if signed and value > 0 else ""
        if self.kind == "money":
            return f"{sign}{symbol(self.currency)}{digits}{suffix}"
        if self.kind == "percent":
            return f"{sign}{digits}{suffix}%"
        return f"{sign}{digits}{suffix}"


def _size(v: float) -> tuple[float, str]:
    for size, letter in _SUFFIXES:
        if v >= size:
            return size, letter
    return 1.0, ""


def legend_style(values: Sequence[float], kind: str = "money", currency: str = "USD",
                 max_decimals: int = 2) -> LegendStyle:
    """The style for a legend's class breaks, chosen from their whole range.

    Plain when every break is under 100,000 (money under 100 in cents), else compact with
    the suffix of the largest break (K, M, B); the fewest decimals that keep distinct breaks
    distinct. A range too wide for one suffix ($1,500 to $2.5M) gives each break its own
    suffix at one precision.
    """
    finite = sorted({float(v) for v in values if not missing(v)})
    top = max((abs(v) for v in finite), default=0.0)
    if kind == "count" and top < 100_000:
        return LegendStyle(kind, currency)
    if top < 100_000:
        least = 2 if kind == "money" and 0 < top < 100 else 0
        candidates = [LegendStyle(kind, currency, 1.0, "", d) for d in range(least, max(least, max_decimals) + 1)]
    else:
        divisor, suffix = _size(top)
        candidates = [LegendStyle(kind, currency, size, letter, d) for d in range(1, max_decimals + 2)
                      for size, letter in ((divisor, suffix), (0.0, ""))]
    for style in candidates:  # distinct breaks stay distinct, and only zero reads as zero
        texts = [style(v) for v in finite]
        if len(set(texts)) == len(finite) and all(t != style(0.0) for v, t in zip(finite, texts) if v):
            return style
    return candidates[-1]


def legend_ranges(edges: Sequence[float], kind: str = "money", currency: str = "USD",
                  joiner: str = " – ") -> list[str]:
    """'a – b' for each pair of neighbouring edges (n + 1 edges give n labels), all in one style."""
    style = legend_style(edges, kind, currency)
    return [style(lo) if style(lo) == style(hi) else f"{style(lo)}{joiner}{style(hi)}"
            for lo, hi in zip(edges[:-1], edges[1:])]

