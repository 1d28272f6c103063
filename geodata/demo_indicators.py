"""Service indicators for the Riverbend demo city, per district and year.

The pavement indicators are modelled on Portland's 2016-17 street condition goals
(80 % of busy streets and 70 % of local streets in good or fair condition, at most
2 % and 11 % in poor condition). District levels are spread around the goals so
that in 2025 about a third of the districts meet each one while the citywide
roll-up (weighted by street miles) misses it, as Portland's does; they slip a
little each year, which is the story real pavement data tells. The citywide row is
the manifest's roll-up of the district rows, so the app's own roll-up can be
checked against it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from geodata.demo_spending import YEARS

IndicatorRow = tuple[str, int, str, float, float, float | None]

# key -> manifest meta, plus the city goal ("target") and an outside benchmark ("standard").
META: dict[str, dict[str, object]] = {
    "pavement_busy_good_fair": dict(label="Busy streets in good or fair condition", unit="%",
                                    department="Transportation", direction="higher",
                                    rollup="weighted", weight="street_miles_busy", target=80.0),
    "pavement_busy_poor": dict(label="Busy streets in poor condition", unit="%",
                               department="Transportation", direction="lower",
                               rollup="weighted", weight="street_miles_busy", target=2.0),
    "pavement_local_good_fair": dict(label="Local streets in good or fair condition", unit="%",
                                     department="Transportation", direction="higher",
                                     rollup="weighted", weight="street_miles_local", target=70.0),
    "pavement_local_poor": dict(label="Local streets in poor condition", unit="%",
                                department="Transportation", direction="lower",
                                rollup="weighted", weight="street_miles_local", target=11.0),
    "response_time_min": dict(label="Median emergency response time", unit="min",
                              department="Fire & Rescue", direction="lower",
                              rollup="population", target=6.0, standard=8.0),
    "library_visits_per_capita": dict(label="Library visits per resident", unit="visits",
                                      department="Libraries", direction="higher",
                                      rollup="population", target=5.0),
    "park_access_pct": dict(label="Residents within a 10-minute walk of a park", unit="%",
                            department="Parks & Recreation", direction="higher",
                            rollup="population", target=85.0, standard=55.0),
}
MANIFEST_KEYS = ("label", "unit", "department", "direction", "rollup", "weight", "target")


def _district_values(d: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Values per indicator as an array [year, district]."""
    n, years = len(d), np.arange(len(YEARS))[:, None]
    dist = d["dist_km"].to_numpy()[None, :]
    noise = lambda sd: rng.normal(0.0, sd, (len(YEARS), n))   # noqa: E731 - tiny local helper
    # Busy streets: a persistent district level around 75, slipping ~0.5 points a year.
    # (Only the centre and caps of the levels are tuned: the same numbers are drawn in
    # the same order, so the other indicators do not change.)
    busy_level = np.clip(rng.normal(75.0, 11.0, n), 47.0, 95.0)[None, :]
    busy = np.clip(busy_level - 0.5 * years + noise(1.5), 40.0, 92.0)
    busy_poor = np.clip(2.0 + 0.25 * (80.0 - busy) + noise(1.0), 0.4, 16.0)
    local_level = np.clip(rng.normal(70.0, 11.0, n), 37.0, 90.0)[None, :]
    local = np.clip(local_level - 0.7 * years + noise(1.5), 32.0, 85.0)
    local_poor = np.clip(11.0 + 0.45 * (70.0 - local) + noise(1.8), 3.0, 35.0)
    response = np.clip(4.3 + 0.45 * dist + 0.05 * years + noise(0.35), 3.5, 12.0)
    branch = rng.random(n)[None, :] < 0.7
    visits = np.clip(2.0 + 5.0 * np.exp(-dist / 5.0) + 1.5 * branch - 0.1 * years + noise(0.4), 0.8, 12.0)
    parks = np.clip(rng.normal(96.0, 5.0, n)[None, :] - 3.2 * dist + 0.6 * years + noise(1.0), 35.0, 100.0)
    return {"pavement_busy_good_fair": busy, "pavement_busy_poor": busy_poor,
            "pavement_local_good_fair": local, "pavement_local_poor": local_poor,
            "response_time_min": response, "library_visits_per_capita": visits,
            "park_access_pct": parks}


def indicator_rows(d: pd.DataFrame, rng: np.random.Generator) -> list[IndicatorRow]:
    """District rows and one citywide row (empty district) per indicator and year."""
    values = _district_values(d, rng)
    ids = d["district_id"].tolist()
    rows: list[IndicatorRow] = []
    for key, meta in META.items():
        digits = 2 if key == "library_visits_per_capita" else 1
        weight = d[meta.get("weight", "population")].to_numpy(dtype=float)
        target, standard = float(meta["target"]), meta.get("standard")
        for y, year in enumerate(YEARS):
            district_values = np.round(values[key][y], digits)
            for district, value in zip(ids, district_values):
                rows.append((key, year, district, float(value), target, standard))
            citywide = float(np.round(np.average(district_values, weights=weight), digits))
            rows.append((key, year, "", citywide, target, standard))
    return rows
