"""Spending, capital projects and project plans for the Riverbend demo city.

Amounts are built in integer cents, like the app holds them, so the CSV totals are
exact. Operating programs are shared out to districts by a "driver" (residents,
street miles, area, or need concentrated downtown) times a persistent per-district
factor, which makes spending per resident differ two- to three-fold between
districts, as it does in real cities. A few odd lines are planted on purpose so the
reconciliation has something to show: citywide lines, lines with no location and
exactly one line for an unknown district (D99).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

YEARS = (2021, 2022, 2023, 2024, 2025)
QUARTERS = ("Q1", "Q2", "Q3", "Q4")       # fiscal quarters; Q1 is July-September
CITYWIDE = "Citywide"
UNKNOWN_DISTRICT = "D99"
CAPITAL_FUND = "Capital Improvement Fund"

Row = tuple[int, str, str, str, str, str, str, int, int]   # year .. district, budget, actual cents
PlanRow = tuple[str, int, str, float]


@dataclass(frozen=True)
class Program:
    """An operating program and how its money is shared out to districts."""

    department: str
    program: str
    fund: str
    millions: float        # FY2021 city-wide budget, USD millions
    driver: str            # population, safety, need, busy, local, area or citywide
    spread: float = 0.25   # sigma of the persistent per-district lognormal factor
    presence: float = 1.0  # share of districts where the program has a site


PROGRAMS = (
    Program("Transportation", "Street Maintenance", "Gas Tax Fund", 62.0, "local", 0.2),
    Program("Transportation", "Traffic Signals & Safety", "General Fund", 18.0, "busy"),
    Program("Transportation", "Street Lighting", "General Fund", 9.0, "local", 0.15),
    Program("Parks & Recreation", "Park Maintenance", "General Fund", 34.0, "area", 0.45),
    Program("Parks & Recreation", "Recreation Programs", "General Fund", 27.0, "population", 0.35, 0.8),
    Program("Parks & Recreation", "Urban Forestry", "General Fund", 8.0, "area", 0.3),
    Program("Police", "Patrol", "General Fund", 185.0, "safety", 0.2),
    Program("Police", "Investigations", "General Fund", 68.0, "safety", 0.3),
    Program("Police", "Emergency Communications", "General Fund", 24.0, "citywide"),
    Program("Fire & Rescue", "Fire Suppression", "General Fund", 118.0, "population", 0.3),
    Program("Fire & Rescue", "Emergency Medical Services", "General Fund", 54.0, "safety", 0.2),
    Program("Fire & Rescue", "Fire Prevention", "General Fund", 10.0, "population", 0.2),
    Program("Water", "Distribution & Mains", "Water Utility Fund", 84.0, "local", 0.3),
    Program("Water", "Water Quality", "Water Utility Fund", 29.0, "population", 0.15),
    Program("Libraries", "Branch Services", "General Fund", 37.0, "population", 0.3, 0.7),
    Program("Libraries", "Youth & Literacy", "General Fund", 9.0, "need", 0.3),
    Program("Libraries", "Digital Collections", "General Fund", 4.0, "citywide"),
    Program("Housing", "Affordable Housing Grants", "Housing Trust Fund", 44.0, "need", 0.6, 0.55),
    Program("Housing", "Homeless Services", "General Fund", 39.0, "need", 0.4),
)

# Seasonal shape of a fiscal year: parks and paving peak in summer (Q1) and spring (Q4).
SEASON = {"Parks & Recreation": (0.31, 0.21, 0.18, 0.30), "Transportation": (0.30, 0.24, 0.17, 0.29)}
FLAT = (0.24, 0.25, 0.25, 0.26)

# Capital project templates: department, program, fund, name pattern, median size ($M).
CAPITAL = (
    ("Transportation", "Street Maintenance", CAPITAL_FUND, "{name} Street Reconstruction", 9.0),
    ("Water", "Distribution & Mains", "Water Utility Fund", "{name} Water Main Replacement", 12.0),
    ("Parks & Recreation", "Park Maintenance", CAPITAL_FUND, "{name} Playfields Renovation", 4.0),
    ("Fire & Rescue", "Fire Suppression", CAPITAL_FUND, "Fire Station {n} Replacement", 14.0),
    ("Libraries", "Branch Services", CAPITAL_FUND, "{name} Branch Library Renovation", 6.0),
    ("Transportation", "Traffic Signals & Safety", CAPITAL_FUND, "{name} Safety Corridor", 5.0),
    ("Housing", "Affordable Housing Grants", "Housing Trust Fund", "{name} Affordable Housing Site", 18.0),
    ("Parks & Recreation", "Recreation Programs", CAPITAL_FUND, "{name} Community Center", 11.0),
    ("Police", "Patrol", CAPITAL_FUND, "{name} Precinct Renovation", 7.0),
    ("Water", "Water Quality", "Water Utility Fund", "{name} Reservoir Seismic Upgrade", 20.0),
)
N_PROJECTS = 20
N_LAGGING = 6


def _drivers(d: pd.DataFrame) -> dict[str, np.ndarray]:
    """What each kind of program's money follows, per district."""
    core = np.exp(-d["dist_km"].to_numpy() / 2.5)   # 1 downtown, under 0.05 at the edge
    pop = d["population"].to_numpy(dtype=float)
    # Downtown draws commuters and visitors: police and EMS calls per resident run high.
    return {"population": pop, "safety": pop * (1 + 3.0 * core), "need": pop * (0.3 + 4.0 * core),
            "busy": d["street_miles_busy"].to_numpy(), "local": d["street_miles_local"].to_numpy(),
            "area": d["area_km2"].to_numpy()}


def _cents(x: float) -> int:
    return int(round(x * 100))


def operating_rows(d: pd.DataFrame, rng: np.random.Generator) -> list[Row]:
    """Operating budget and actual per program, district and quarter, growing ~3.5 % a year.

    Each program gets its own growth wobble and each district a persistent factor,
    so shares drift a little from year to year but the map stays recognisable.
    """
    drivers = _drivers(d)
    ids = d["district_id"].tolist()
    growth = np.cumprod([1.0] + list(1.035 + rng.normal(0, 0.008, len(YEARS) - 1)))
    rows: list[Row] = []
    for prog in PROGRAMS:
        season = SEASON.get(prog.department, FLAT)
        prog_growth = growth * np.cumprod(1 + rng.normal(0, 0.012, len(YEARS)))
        if prog.driver == "citywide":
            shares, where = np.array([1.0]), [CITYWIDE]
        else:
            present = rng.random(len(ids)) < prog.presence
            present[0] = True                      # downtown has every service
            weight = drivers[prog.driver] * rng.lognormal(0, prog.spread, len(ids)) * present
            shares, where = weight / weight.sum(), ids
        for y, year in enumerate(YEARS):
            annual = prog.millions * 1e6 * prog_growth[y]
            for share, district in zip(shares, where):
                if share == 0:
                    continue
                year_noise = rng.normal(1.0, 0.03)
                for q, quarter in enumerate(QUARTERS):
                    budget = annual * share * year_noise * season[q] * rng.normal(1.0, 0.015)
                    actual = budget * rng.normal(0.985, 0.035)
                    rows.append((year, quarter, prog.department, prog.program, prog.fund, "",
                                 district, _cents(budget), _cents(actual)))
    return rows


def odd_rows(d: pd.DataFrame, rng: np.random.Generator) -> list[Row]:
    """Lines the reconciliation must account for: no location, refunds, one unknown district."""
    rows: list[Row] = []
    for year in YEARS:   # prior-year billing refunds, booked centrally, negative
        refund = -rng.uniform(90_000, 260_000)
        rows.append((year, "Q4", "Water", "Customer Billing", "Water Utility Fund", "", "", 0,
                     _cents(refund)))
    grant = rng.uniform(1.2e6, 1.8e6)    # a housing grant not yet tied to a site
    rows.append((2025, "Q3", "Housing", "Affordable Housing Grants", "Housing Trust Fund", "", "",
                 _cents(grant), _cents(grant * 0.97)))
    rows.append((2023, "Q2", "Parks & Recreation", "Park Maintenance", "General Fund", "",
                 UNKNOWN_DISTRICT, 4_821_000, 5_137_745))   # a typo'd district code
    return rows


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _split(total: int, cumulative: np.ndarray) -> list[int]:
    """Integer cents per quarter whose sum is exactly total times the last cumulative share."""
    running = [int(round(total * c)) for c in cumulative]
    return [b - a for a, b in zip([0] + running[:-1], running)]


def capital_rows(d: pd.DataFrame, rng: np.random.Generator) -> tuple[list[Row], list[PlanRow]]:
    """About twenty capital projects, each in one district, with quarterly plans.

    The budget follows the plan (an S-curve of cumulative spending); the actuals of
    N_LAGGING projects start late and run slow, so an early-warning view has real
    laggards to find. Two projects close out with a negative quarter (a contractor
    credit), as happens in real ledgers.
    """
    quarters = [(y, q) for y in YEARS for q in QUARTERS]
    lagging = set(rng.choice(N_PROJECTS, N_LAGGING, replace=False).tolist())
    credits = [i for i in range(N_PROJECTS) if i not in lagging][:2]
    rows: list[Row] = []
    plans: list[PlanRow] = []
    sites = rng.permutation(len(d))[:N_PROJECTS]          # one project per district at most
    templates = rng.permutation(N_PROJECTS) % len(CAPITAL)
    for i in range(N_PROJECTS):
        dept, program, fund, pattern, median = CAPITAL[templates[i]]
        k = int(sites[i])
        name = pattern.format(name=d["name"].iloc[k], n=k + 1)
        total = _cents(rng.lognormal(np.log(median * 1e6), 0.35))
        # Staggered starts keep a steady pipeline, so capital does not swamp year totals.
        start = min(max(round(i * 16 / (N_PROJECTS - 1)) + int(rng.integers(-1, 2)), 0), 16)
        n = int(rng.integers(4, min(12, len(quarters) - start) + 1))
        plan = _smoothstep(np.arange(1, n + 1) / n)
        budgets = _split(total, plan)
        if i in lagging:
            delay, pace = int(rng.integers(1, 4)), rng.uniform(0.55, 0.8)
            actual_cum = pace * _smoothstep((np.arange(1, n + 1) - delay) / n)
            actuals = [round(a * rng.normal(1.0, 0.05)) for a in _split(total, actual_cum)]
        else:
            actuals = [round(b * rng.normal(0.98, 0.06)) for b in budgets]
            if i in credits:
                actuals[-1] = -round(total * rng.uniform(0.004, 0.012))
        for t in range(n):
            year, quarter = quarters[start + t]
            rows.append((year, quarter, dept, program, fund, name, d["district_id"].iloc[k],
                         budgets[t], int(actuals[t])))
            plans.append((name, year, quarter, round(float(plan[t]), 4)))
    return rows, plans


def _steady_growth(operating: list[Row], capital: list[Row], rng: np.random.Generator) -> list[Row]:
    """Rescale operating lines so that budget totals grow 3-4.5 % a year.

    Capital spending is lumpy (a big project starting can add 5 % to one year), and
    in real budgets operating appropriations absorb that; without this, the demo's
    year totals would jump around in a way no city council would adopt.
    """
    def by_year(rows: list[Row]) -> np.ndarray:
        totals = dict.fromkeys(YEARS, 0)
        for r in rows:
            totals[r[0]] += r[7]
        return np.array([totals[y] for y in YEARS], dtype=float)

    op, cap = by_year(operating), by_year(capital)
    growth = np.cumprod([1.0, *rng.uniform(1.03, 1.045, len(YEARS) - 1)])
    factor = dict(zip(YEARS, ((op[0] + cap[0]) * growth - cap) / op))
    return [(*r[:7], round(r[7] * factor[r[0]]), round(r[8] * factor[r[0]])) for r in operating]


def spending_rows(d: pd.DataFrame, rng: np.random.Generator) -> tuple[list[Row], list[PlanRow]]:
    """All spending lines (sorted for a stable, readable file) and the capital plans."""
    capital, plans = capital_rows(d, rng)
    operating = _steady_growth(operating_rows(d, rng), capital, rng)
    rows = operating + odd_rows(d, rng) + capital
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[5], r[6]))
    plans.sort(key=lambda p: (p[0], p[1], p[2]))
    return rows, plans
