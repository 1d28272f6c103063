"""What money buys: the gap to goal against per-resident spending, district by district.

The pairs are exactly the Money vs results map's (``bivariate.pair``: spending per
resident of the indicator's own department, or the view's filters, against the
indicator's gap to goal, positive when better than the goal). On them: Pearson's
correlation (scipy) and an ordinary least squares line gap = a + b x spending
(statsmodels), with the slope's 95% confidence interval; optionally one control
column from the district table (density, income...), whose slope is then
"holding the control fixed".

Districts are few and not a random sample, and spending follows need as much as
it buys results, so the numbers describe, they do not prove. Below
``MIN_DISTRICTS`` pairs the result carries a plain warning.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from budgetmap import fmt
from budgetmap.bivariate import pair
from budgetmap.model import Dataset
from budgetmap.targets import indicator_layer
from budgetmap.view import SpendingView

#: Fewer districts with both numbers than this: "too few for a conclusion". Ten is the usual rule of thumb
#: (about ten observations per estimated coefficient, Harrell 2015) and leaves 8 degrees of freedom.
MIN_DISTRICTS = 10
CONFIDENCE = 0.95
#: The control column made from two others: residents per km².
DENSITY = "density"


@dataclass(frozen=True)
class MoneyAndResults:
    """Correlation and regression of the gap to goal on per-resident spending (NaN when not computable)."""

    indicator: str
    indicator_year: int
    spending_year: int | None
    departments: tuple[str, ...]  # whose money is counted (empty: all)
    ids: tuple[str, ...]  # the districts with both numbers (and the control), in the layer's order
    r: float  # Pearson's correlation of spending and gap
    r_p: float  # its two-sided p-value
    slope: float  # gap units per extra dollar per resident
    slope_low: float  # the slope's confidence interval
    slope_high: float
    slope_p: float
    intercept: float
    r_squared: float
    control: str | None = None
    control_slope: float = float("nan")
    warning: str = ""  # '' when the districts suffice
    spending_spread: float = float("nan")  # standard deviation of spending per resident: sets the sentence's step

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def step(self) -> float:
        """The round amount of spending per resident the sentence (and the app's panel) states the slope for."""
        return _step(self.spending_spread)

    def sentence(self, unit: str = "", currency: str = "USD") -> str:
        """'Across 31 districts, each extra $100 per resident goes with a gap 0.8 points better (95% CI -0.2
        to 1.8; r = 0.25): the interval includes zero, so no clear relation.' plus the warning, if any."""
        if not math.isfinite(self.slope):
            return self.warning
        step = _step(self.spending_spread)
        unit = "points" if unit == "%" else unit
        change = self.slope * step
        way = "better" if change >= 0 else "worse"
        low, high = self.slope_low * step, self.slope_high * step
        money = fmt.money(step, currency)
        held = f", holding {self.control} fixed" if self.control else ""
        whose = f" of {', '.join(self.departments)} spending" if self.departments else ""
        text = (f"Across {fmt.plural(self.n, 'district')}, each extra {money} per resident{whose} goes with a gap "
                f"{_num(abs(change))} {unit} {way}{held} ({CONFIDENCE:.0%} CI {_num(low)} to {_num(high)}; "
                f"r = {self.r:.2f}").replace("  ", " ")
        verdict = ("the interval includes zero, so no clear relation" if low <= 0 <= high
                   else "more money goes with better results" if low > 0 else "more money goes with worse results")
        return " ".join(p for p in (f"{text}): {verdict}.", self.warning) if p)

    def to_dict(self) -> dict:
        def num(x: float) -> float | None:
            return float(x) if math.isfinite(x) else None
        return {"indicator": self.indicator, "indicator_year": self.indicator_year,
                "spending_year": self.spending_year, "departments": list(self.departments), "n": self.n,
                "districts": list(self.ids), "r": num(self.r), "r_p": num(self.r_p), "slope": num(self.slope),
                "slope_ci": [num(self.slope_low), num(self.slope_high)], "confidence": CONFIDENCE,
                "slope_p": num(self.slope_p), "intercept": num(self.intercept), "r_squared": num(self.r_squared),
                "control": self.control, "control_slope": num(self.control_slope), "warning": self.warning}


def _step(spread: float) -> float:
    """A round step of spending for the sentence: the power of ten at or below the spread ($1 at least)."""
    if not math.isfinite(spread) or spread <= 0:
        return 1.0
    return float(10 ** max(0, math.floor(math.log10(spread))))


def _num(x: float) -> str:
    """Two significant figures, never in e-notation: 0.0018, 0.37, 3.4, 12."""
    if x == 0:
        return "0"
    decimals = max(0, 1 - math.floor(math.log10(abs(x))))
    return f"{x:,.{decimals}f}"


def controls(dataset: Dataset, layer: str | None = None) -> list[str]:
    """Numeric columns of the district table a regression can hold fixed (``density`` when it can be made)."""
    frame = dataset.layer(layer).districts
    skip = {"district_id", "name", frame.geometry.name}
    numeric = [c for c in frame.columns if c not in skip and pd.api.types.is_numeric_dtype(frame[c])
               and frame[c].notna().any()]
    if {"population", "area_km2"} <= set(numeric):
        numeric.append(DENSITY)
    return numeric


def _control_values(dataset: Dataset, layer: str | None, column: str) -> np.ndarray:
    frame = dataset.layer(layer).districts
    if column == DENSITY:
        area = frame["area_km2"].astype(float).where(frame["area_km2"] > 0)
        return (frame["population"].astype(float) / area).to_numpy(float)
    return frame[column].astype(float).to_numpy(float)


def _warning(n: int, spending: np.ndarray, gap: np.ndarray) -> str:
    if n < 3:
        return (f"Only {fmt.count(n)} district(s) have both a spending figure and a gap to goal: nothing can be "
                "computed.")
    if np.ptp(spending) == 0 or np.ptp(gap) == 0:
        return "Every district has the same spending per resident or the same gap: there is no relation to measure."
    if n < MIN_DISTRICTS:
        return (f"Only {fmt.count(n)} districts have both numbers: too few for a conclusion "
                f"(at least {MIN_DISTRICTS} are needed); read the line as a description, not a finding.")
    return ""


def money_and_results(dataset: Dataset, view: SpendingView, control: str | None = None) -> MoneyAndResults | None:
    """The Money vs results pairs of ``view``, correlated and regressed; None when the map has no pairs.

    ``control`` is a column of ``controls(dataset, layer)``; a KeyError names the choices otherwise.
    """
    pairing = pair(dataset, view)
    if pairing is None:
        return None
    layer = indicator_layer(dataset, view.layer)
    if control is not None and control not in controls(dataset, layer):
        raise KeyError(f"control {control!r} is not a numeric district column "
                       f"(choose from {', '.join(controls(dataset, layer)) or 'none'})")
    frame = pairing.frame
    x, y = frame["spending"].to_numpy(float), frame["gap"].to_numpy(float)
    extra = _control_values(dataset, layer, control) if control else np.zeros(len(frame))
    ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(extra)
    ids = tuple(str(i) for i in frame.loc[ok, "district_id"])
    x, y, extra = x[ok], y[ok], extra[ok]
    warning = _warning(len(ids), x, y)
    nan = float("nan")
    base = dict(indicator=pairing.indicator, indicator_year=pairing.indicator_year,
                spending_year=pairing.spending_year, departments=pairing.departments, ids=ids, control=control,
                spending_spread=float(np.std(x, ddof=1)) if len(x) > 1 else float("nan"))
    if len(ids) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return MoneyAndResults(**base, r=nan, r_p=nan, slope=nan, slope_low=nan, slope_high=nan, slope_p=nan,
                               intercept=nan, r_squared=nan, warning=warning)
    return MoneyAndResults(**base, **_fit(x, y, extra if control else None), warning=warning)


def _fit(x: np.ndarray, y: np.ndarray, extra: np.ndarray | None) -> dict[str, float]:
    """Pearson's r and the OLS line (with the control as a second column when given)."""
    from scipy.stats import pearsonr
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    r = pearsonr(x, y)
    columns = np.column_stack([x] if extra is None else [x, extra])
    fit = OLS(y, add_constant(columns, has_constant="add")).fit()
    low, high = fit.conf_int(alpha=1 - CONFIDENCE)[1]
    return dict(r=float(r.statistic), r_p=float(r.pvalue), slope=float(fit.params[1]), slope_low=float(low),
                slope_high=float(high), slope_p=float(fit.pvalues[1]), intercept=float(fit.params[0]),
                r_squared=float(fit.rsquared),
                control_slope=float(fit.params[2]) if extra is not None else float("nan"))
