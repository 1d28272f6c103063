"""Naive baseline for bench_map.py and bench_scale.py: the textbook folium.Choropleth + st_folium page.

It loads the SAME dataset through the project's loaders (``open_dataset``) and maps the
SAME values as budgetmap's page for the year picked in the sidebar, but draws them the way
most Streamlit map apps do: build a folium map in Python on every run and hand the whole
HTML/JS to ``st_folium``. Two maps:

* ``/?dataset=demo`` — spending per resident (``district_values`` with the default
  SpendingView), 5 quantile bins, YlGnBu: the baseline of the Spending map page;
* ``/?map=target&dataset=demo&indicator=pavement_busy_good_fair`` — each district's gap to
  the goal (``budgetmap.targets.district_frame``'s ``gap``, positive = better than the goal),
  6 bins symmetric around 0, RdBu: the baseline of the Targets page (no hatching).

Run on its own:  .venv/bin/streamlit run bench/naive_app.py  then open one of the above
Datasets: demo, the examples/*.toml whose data exists (when ../shared/data exists), and
the manifests listed in BUDGETMAP_DATASETS (key = the manifest file's stem), as in the app.

Deliberately kept (it is the baseline): the dataset load is cached (any Streamlit user
would), everything else runs on each rerun; no basemap tiles (budgetmap draws none by
default either). folium/streamlit-folium load Leaflet, jQuery, Bootstrap... from public
CDNs, so offline this page only works when those requests are answered (bench_map.py
does it with Playwright's page.route).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import numpy as np  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from budgetmap.dataset import open_dataset  # noqa: E402
from budgetmap.spending_map import district_values  # noqa: E402
from budgetmap.targets import district_frame, indicator_years, meta_for  # noqa: E402
from budgetmap.view import SpendingView  # noqa: E402


def manifests() -> dict[str, Path]:
    """Dataset key -> manifest path, the same keys budgetmap's catalogue uses."""
    found = {"demo": ROOT / "geodata" / "demo" / "manifest.toml"}
    if (ROOT.parent / "shared" / "data").exists():
        found.update({p.stem: p for p in sorted((ROOT / "examples").glob("*.toml"))})
    for extra in os.environ.get("BUDGETMAP_DATASETS", "").split(os.pathsep):
        if extra:
            found[Path(extra).stem] = Path(extra)
    return found


@st.cache_resource(show_spinner="Loading the dataset…")
def load(path: str):
    return open_dataset(path)


st.set_page_config(page_title="Naive folium baseline", layout="wide")
available = manifests()
key = st.query_params.get("dataset", "demo")
if key not in available:
    st.error(f"Unknown dataset {key!r}; known: {', '.join(available)}")
    st.stop()
dataset = load(str(available[key]))


def pick_year(years: list[int]) -> int:
    return st.sidebar.select_slider("Fiscal year", years, value=years[-1], format_func=lambda y: f"FY{y}")


if st.query_params.get("map") == "target":
    indicator = st.query_params.get("indicator", "")
    years = indicator_years(dataset, indicator)
    if not years:
        st.error(f"{dataset.name} has no values for indicator {indicator!r}")
        st.stop()
    year = pick_year(years)
    values = district_frame(dataset, indicator, year).set_index("district_id")["gap"].rename("value")
    title, legend, palette = f"{meta_for(dataset, indicator).label}: gap to the goal", "Gap to the goal", "RdBu"
    finite = values[np.isfinite(values)]
    reach = float(finite.abs().max()) if len(finite) and finite.abs().max() > 0 else 1.0
    bins = np.linspace(-reach, reach, 7)  # 3 classes short of the goal, 3 meeting it: a break at 0
else:
    year = pick_year(dataset.fiscal_years)
    frame, _ = district_values(dataset, SpendingView(measure="per_capita", fiscal_year=year))
    values = frame.set_index("district_id")["value"]
    title, legend, palette = "Spending per resident", "Per resident", "YlGnBu"
    finite = values[np.isfinite(values)]
    bins = np.unique(np.quantile(finite, np.linspace(0, 1, 6))) if len(finite) else np.array([0.0, 1.0])
    if len(bins) < 2:
        bins = np.array([bins[0] - 1, bins[0] + 1])
shapes = dataset.districts[["district_id", "name", "geometry"]].copy()
shapes["value"] = shapes["district_id"].map(values).round(2)

st.title(f"{title} — {dataset.name} (naive folium baseline)")
st.caption(f"FY{year}")
minx, miny, maxx, maxy = shapes.total_bounds
fmap = folium.Map(tiles=None)
fmap.fit_bounds([[miny, minx], [maxy, maxx]])
choropleth = folium.Choropleth(
    geo_data=shapes, data=values.reset_index(), columns=["district_id", "value"],
    key_on="feature.properties.district_id", bins=list(bins), fill_color=palette, fill_opacity=0.85,
    nan_fill_color="#bdbdbd", line_color="#4d4d4d", line_weight=1, highlight=True,
    legend_name=title,
).add_to(fmap)
# Its legend (a branca StepColormap) needs d3 from two more CDNs, which the offline
# benchmark can only answer with empty stubs, and then the map script throws before
# drawing ("d3 is not defined"): drop it. The real naive page would also fetch d3.
for child in [name for name in choropleth._children if name.startswith("color_map")]:
    del choropleth._children[child]
folium.GeoJsonTooltip(fields=["name", "value"], aliases=["District", legend]).add_to(choropleth.geojson)
st_folium(fmap, height=560, use_container_width=True)
