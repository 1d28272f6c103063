"""budgetmap.fmt: how every number reads, table-driven from the issue's own examples."""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from budgetmap import fmt

NAN = float("nan")

CASES = [
    # (function, args, expected)
    (fmt.of, (827, 3138), "827 of 3,138"),
    (fmt.plural, (2299, "district"), "2,299 districts"),
    (fmt.plural, (1, "district"), "1 district"),
    (fmt.money, (70_000.0, "USD"), "$70,000"),
    (fmt.money, (70_000.0, "CHF"), "CHF 70,000"),
    (fmt.money, (-1_234.5, "EUR", True), "-€1,234.50"),
    (fmt.money, (0.0,), "$0"),
    (fmt.money, (-0.004,), "$0"),
    (fmt.money, (None,), "no data"),
    (fmt.money, (NAN,), "no data"),
    (fmt.money, (1e15,), "$1,000,000,000,000,000"),
    (fmt.money_cents, (-12_345,), "-$123.45"),
    (fmt.money_cents, (10**22, "GBP"), "£100,000,000,000,000,000,000.00"),
    (fmt.money_cents, (None,), "no data"),
    (fmt.compact_money, (1_250_000,), "$1.2M"),
    (fmt.compact_money, (3_000_000_000, "JPY"), "¥3B"),
    (fmt.compact_money, (-830_000,), "-$830K"),
    (fmt.compact_money, (0.25,), "$0.25"),
    (fmt.compact_money, (NAN,), "no data"),
    (fmt.count, (3138,), "3,138"),
    (fmt.count, (np.int64(10_334),), "10,334"),
    (fmt.count, (0,), "0"),
    (fmt.count, (-4500,), "-4,500"),
    (fmt.count, (10**20,), "100,000,000,000,000,000,000"),
    (fmt.count, (None,), "no data"),
    (fmt.count, (pd.NA,), "no data"),
    (fmt.percent, (12.345,), "12.3%"),
    (fmt.percent, (-0.5, 2), "-0.50%"),
    (fmt.percent, (12_500.0, 0), "12,500%"),
    (fmt.percent, (NAN,), "no data"),
    (fmt.number, (1234.5,), "1,234.5"),
    (fmt.number, (40.0,), "40"),
    (fmt.number, (0.00012, 4), "0.0001"),
    (fmt.number, (-0.0001,), "0"),
    (fmt.number, (None,), "no data"),
    (fmt.year, (2025,), "2025"),
    (fmt.year, (2025.0,), "2025"),
    (fmt.year, (np.int64(2025),), "2025"),
    (fmt.year, (None,), "year not stated"),
    (fmt.year, (NAN,), "year not stated"),
    (fmt.population_year, (2020,), "population of 2020"),
    (fmt.population_year, (None,), "year not stated"),
    (fmt.fine_money, (12.345,), "$12.35"),
    (fmt.fine_money, (1812.4,), "$1,812"),
    (fmt.fine_money, (250_000,), "$250K"),
    (fmt.in_sentence, ("Statewide",), "statewide"),
    (fmt.in_sentence, ("NYC-wide",), "NYC-wide"),
]


@pytest.mark.parametrize(("func", "args", "expected"), CASES,
                         ids=[f"{f.__name__}{a!r}" for f, a, _ in CASES])
def test_each_number_reads_as_the_issue_asks(func, args, expected):
    assert func(*args) == expected


LEGENDS = [
    # edges, kind, currency -> labels
    ([1226, 50_000, 729_500], "money", "USD", ["$1.2K – $50.0K", "$50.0K – $729.5K"]),
    ([1377.4, 1794.2, 1926.0, 3553.3], "money", "USD", ["$1,377 – $1,794", "$1,794 – $1,926", "$1,926 – $3,553"]),
    ([12.5, 40, 99.99], "money", "USD", ["$12.50 – $40.00", "$40.00 – $99.99"]),
    ([1e6, 2.5e9], "money", "EUR", ["€1.0M – €2.5B"]),
    ([0, 1e6, 2.5e9], "money", "CHF", ["CHF 0 – CHF 1.0M", "CHF 1.0M – CHF 2.5B"]),
    ([-1500, 0, 300], "money", "USD", ["-$1,500 – $0", "$0 – $300"]),
    ([0.1, 0.5, 1.0], "percent", "USD", ["0.1% – 0.5%", "0.5% – 1.0%"]),
    ([100, 100], "percent", "USD", ["100%"]),
    ([1, 4, 2500], "count", "USD", ["1 – 4", "4 – 2,500"]),
    ([100_000, 100_100, 100_200], "money", "USD", ["$100.0K – $100.1K", "$100.1K – $100.2K"]),
]


def _shape(text: str) -> tuple[str, int]:
    """A label's style: its suffix letter (or none) and its number of decimals."""
    match = re.search(r"([\d,]+)(?:\.(\d+))?([KMBT]?)", text)
    return match.group(3), len(match.group(2) or "")


@pytest.mark.parametrize(("edges", "kind", "currency", "expected"), LEGENDS)
def test_a_legend_is_written_in_one_style(edges, kind, currency, expected):
    labels = fmt.legend_ranges(edges, kind, currency)
    assert labels == expected
    style = fmt.legend_style(edges, kind, currency)
    ends = [style(v) for v in edges if v]
    if style.divisor:  # one suffix and one precision for every non-zero end
        assert len({_shape(t) for t in ends}) == 1, ends
    else:  # each end its own suffix, but all at one precision
        assert len({_shape(t)[1] for t in ends if _shape(t)[0]}) == 1, ends


def test_the_issue_legend_no_longer_mixes_plain_and_compact():
    labels = fmt.legend_ranges([1226, 729_500])
    assert labels != ["$1,226 – $729.5K"] and labels == ["$1.2K – $729.5K"]


def test_change_legends_sign_rises_and_falls_but_not_zero():
    style = fmt.legend_style([-1500, 0, 300], "money")
    assert [style(v, signed=True) for v in (-1500, 0, 300)] == ["−$1,500", "$0", "+$300"]


def test_distinct_breaks_stay_distinct_and_only_zero_reads_as_zero():
    edges = [0.001, 0.002, 0.003, 1_000_000]
    texts = [fmt.legend_style(edges)(v) for v in edges]
    assert len(set(texts)) == len(texts)
    assert "$0" not in texts and texts[0] == "$0.001"


@pytest.mark.parametrize("value", [None, NAN, math.inf, pd.NA, np.float64("nan")])
def test_missing_values_never_read_as_none_or_nan(value):
    for func in (fmt.money, fmt.count, fmt.percent, fmt.number, fmt.compact_money, fmt.fine_money,
                 fmt.year, fmt.legend_style([1, 2])):
        text = func(value)
        assert text and "None" not in text and "nan" not in text.lower() and "inf" not in text.lower(), (func, text)


def test_missing_text_tells_empty_cells_from_text_and_numbers():
    assert [fmt.missing_text(v) for v in (None, NAN, pd.NA, pd.NaT)] == [True] * 4
    assert [fmt.missing_text(v) for v in ("None", "", 0, [1.0], 0.0)] == [False] * 5
