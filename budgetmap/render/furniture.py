"""A printed map's furniture: the scale bar, the north arrow and what the page says about its boundaries.

A reader measures a printed map with its scale bar, so the bar's length comes
from the ground, not from a rule of thumb: the page's projection is named as a
PROJ string (an equidistant cylindrical with its true-scale parallel at the
map's middle latitude, exactly the lon/lat stretch ``map_area.fit`` draws), and
the bar's length is the geodesic distance (WGS84, ``pyproj.Geod``) across the
middle latitude, rounded to 1, 2 or 5 x 10^n kilometres or miles. The north
arrow's angle is the projection's own meridian convergence at the map's centre
(``Proj.get_factors``), not an assumption that north is up; for the page's
projection it is 0, and any other CRS gets its computed angle.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pyproj

if TYPE_CHECKING:
    from budgetmap.model import Dataset

KM, MILE = 1000.0, 1609.344  # metres
UNITS = {"km": KM, "mi": MILE}
#: The bar's longest length as a share of the map's width, and at most this many inches.
BAR_SHARE, BAR_MAX = 0.3, 2.2
GEOD = pyproj.Geod(ellps="WGS84")
VARIES = 0.02  # a 2% change of scale across the map is worth saying where the bar is true
NOT_STATED = "vintage not stated"


@dataclass(frozen=True)
class PageContext:
    """What a page needs to know about its dataset beyond the MapSpec."""

    vintage: str | None = None  # the boundaries' vintage, from the manifest (``vintage =``)
    units: str = "km"  # "km" or "mi": the scale bar's unit

    @property
    def boundaries_text(self) -> str:
        return f"Boundaries: {self.vintage or NOT_STATED}"


def context_for(dataset: Dataset, layer: str | None) -> PageContext:
    """Vintage of the map's layer, and miles for a dataset counted in US dollars (km otherwise).

    A dataset's currency is the one thing every manifest states that says which
    country it is from; US readers measure in miles, nearly everyone else in km.
    """
    vintage = getattr(dataset.layer(layer), "vintage", None)
    return PageContext(vintage=vintage or None, units="mi" if dataset.currency.upper() == "USD" else "km")


@dataclass(frozen=True)
class ScaleBar:
    """A bar ``length`` inches long that stands for ``distance`` ``unit`` on the ground at ``latitude``."""

    length: float
    distance: float
    unit: str
    latitude: float
    varies: bool = False  # the scale differs by more than VARIES from the map's top to its bottom

    @property
    def label(self) -> str:
        """"2 mi"; on a map tall enough in latitude for the scale to change, "500 km at 70° N"."""
        amount = f"{self.distance:,.0f}" if self.distance >= 1 else f"{self.distance:g}"
        where = f" at {abs(self.latitude):.0f}° {'N' if self.latitude >= 0 else 'S'}" if self.varies else ""
        return f"{amount} {self.unit}{where}"


def page_proj(extent: tuple[float, float, float, float]) -> str:
    """The projection a page is drawn in, as a PROJ string: plate carrée with true scale at the
    middle latitude (x = a·lon·cos(lat_ts), y = a·lat: the page's stretch exactly)."""
    x0, y0, x1, y1 = extent
    return (f"+proj=eqc +lat_ts={(y0 + y1) / 2:.8f} +lon_0={(x0 + x1) / 2:.8f} "
            "+ellps=WGS84 +units=m +no_defs +type=crs")


def ground_metres(lon0: float, lon1: float, lat: float) -> float:
    """Geodesic distance in metres between two points on the same latitude (WGS84)."""
    return float(GEOD.inv(lon0, lat, lon1, lat)[2])


def nice(limit: float) -> float:
    """The largest 1, 2 or 5 x 10^n at most ``limit`` (a length a reader can add up)."""
    power = 10 ** math.floor(math.log10(limit))
    return max(m * power for m in (1, 2, 5) if m * power <= limit)


def scale_bar(width: float, extent: tuple[float, float, float, float], units: str = "km") -> ScaleBar:
    """The bar for a map ``width`` inches wide showing ``extent`` (lon/lat edge to edge).

    True at the middle latitude, where ``page_crs`` has true scale; its length
    is solved against the geodesic, so it holds at any size (a county or a continent).
    """
    x0, y0, x1, y1 = extent
    lat, centre = (y0 + y1) / 2, (x0 + x1) / 2
    degrees_per_inch = (x1 - x0) / width
    longest = min(width * BAR_SHARE, BAR_MAX)
    half = longest * degrees_per_inch / 2
    per_unit = UNITS[units]
    distance = nice(ground_metres(centre - half, centre + half, lat) / per_unit)
    # the inches whose longitude span measures ``distance`` on the ground (bisection: exact to 1e-9)
    lo, hi = 0.0, longest
    for _ in range(60):
        mid = (lo + hi) / 2
        span = mid * degrees_per_inch / 2
        if ground_metres(centre - span, centre + span, lat) / per_unit < distance:
            lo = mid
        else:
            hi = mid
    near = 0.0 if y0 * y1 <= 0 else min(abs(y0), abs(y1))  # the latitude nearest the equator, and farthest
    far = min(max(abs(y0), abs(y1)), 89.9)
    varies = 1 - math.cos(math.radians(far)) / math.cos(math.radians(near)) > VARIES
    return ScaleBar((lo + hi) / 2, distance, units, lat, varies)


@lru_cache(maxsize=256)
def north_angle(crs: str, lon: float, lat: float) -> float:
    """Degrees clockwise from straight up that north points at (lon, lat) in ``crs`` (a proj string or code).

    PROJ's meridian convergence is the angle from the meridian to the grid's
    north, so north on the page is its negative.
    """
    factors = pyproj.Proj(pyproj.CRS.from_user_input(crs)).get_factors(lon, lat)
    return -float(factors.meridian_convergence) + 0.0  # + 0.0: no "-0" in text


def page_north(extent: tuple[float, float, float, float]) -> float:
    """The north arrow's angle on a page showing ``extent``, at the map's centre."""
    x0, y0, x1, y1 = extent
    return north_angle(page_proj(extent), (x0 + x1) / 2, (y0 + y1) / 2)
