"""Invented neighbourhood names for the Riverbend demo city.

Names are picked by where a district lies, so the map reads like a real city:
mills and landings along the river, older names near downtown, subdivision-style
names at the edge. "St. Anne's" and "Mill & Quarry" are always used, because real
district names carry apostrophes and ampersands and the app must cope with both.
"""
from __future__ import annotations

DOWNTOWN = "Downtown"
RIVER = ("Mill & Quarry", "Harbor Point", "Old Mill", "Ferry Landing", "Heron Bend",
         "Boatworks", "Riverside", "Canal Flats", "Lock Street", "Driftwood",
         "Tannery Row", "Willow Bank", "Bridgeport", "Sandbar", "Oxbow", "Millrace", "Towpath")
CENTRAL = ("St. Anne's", "Market Square", "Union Hill", "College Park", "Brewery District",
           "Capitol Hill", "Linden Park", "Hawthorne", "Foundry", "Railyard")
OUTER = ("Cedar Heights", "Prairie View", "Oak Ridge", "Maple Grove", "Fox Hollow",
         "Willow Creek", "Stonegate", "Timber Ridge", "Sunset Hills", "Meadowbrook",
         "Northgate", "Eastwood", "Birchwood", "Orchard Hill", "Quail Run", "Aspen Park",
         "Clover Fields", "Kettle Moraine", "Bluestem", "Pine Bluff")


def pick_names(on_river: list[bool], dist_km: list[float], central_km: float = 3.5) -> list[str]:
    """One name per district (districts ordered outwards from downtown, downtown first)."""
    pools = {"river": list(RIVER), "central": list(CENTRAL), "outer": list(OUTER)}
    names = []
    for i, (river, dist) in enumerate(zip(on_river, dist_km)):
        if i == 0:
            names.append(DOWNTOWN)
            continue
        land = "central" if dist < central_km else "outer"
        order = ["river", land] if river else [land]
        pool = next(pools[k] for k in [*order, "outer", "central", "river"] if pools[k])
        names.append(pool.pop(0))
    if not {"St. Anne's", "Mill & Quarry"} <= set(names):
        raise AssertionError("the demo must keep the names with an apostrophe and an ampersand")
    return names
