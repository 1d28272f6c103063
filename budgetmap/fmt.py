"""Turning numbers into the text people read: money, counts, percentages."""
from __future__ import annotations

import math

SYMBOLS = {"USD": "$", "CAD": "$", "AUD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥"}


def symbol(currency: str) -> str:
    return SYMBOLS.get(currency.upper(), currency.upper() + " ")


def money(value: float | None, currency: str = "USD", cents: bool = False) -> str:
    """'$1,234,567' (or '$512.34' with cents); negative as '-$12'; None as 'no data'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,.2f}" if cents else f"{abs(value):,.0f}"
    return f"{sign}{symbol(currency)}{digits}"


def money_cents(cents: int, currency: str = "USD") -> str:
    """Exact money from integer cents, always with the cents: reconciliation lines use it."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{symbol(currency)}{whole:,}.{rest:02d}"


def compact_money(value: float, currency: str = "USD") -> str:
    """Short money for legends: '$1.2M', '$830K', '$512'."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if v >= size:
            return f"{sign}{symbol(currency)}{v / size:,.1f}{suffix}".replace(".0" + suffix, suffix)
    return f"{sign}{symbol(currency)}{v:,.0f}" if v >= 10 else f"{sign}{symbol(currency)}{v:,.2f}"


def percent(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    return f"{value:.{digits}f}%"


def count(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    return f"{value:,.0f}"


def fine_money(value: float, currency: str = "USD") -> str:
    """Legend money for per-resident figures: cents below 100, whole dollars below 100,000."""
    if abs(value) < 100:
        return money(value, currency, cents=True)
    return money(value, currency) if abs(value) < 100_000 else compact_money(value, currency)
