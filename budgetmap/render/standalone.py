"""MapSpec -> one self-contained HTML file: the interactive map, offline, with no requests.

The file reuses the app's own front end rather than a second map: Leaflet's JS and
CSS (read from ``frontend/node_modules`` when the file is made, never committed),
``map.js`` unchanged, and ``standalone.js``, a small bootstrap that plays the part
of Streamlit: it hands ``map.js`` one render message built from the JSON embedded
in the page, and draws the title, legend, notes and details around it.

Safety, in the same terms as the app:

* all data travels as JSON in ``<script type="application/json">`` with ``<``, ``>``
  and ``&`` escaped, so no name can close the tag; the scripts insert every piece of
  data text with ``textContent``;
* a Content-Security-Policy meta tag allows only these exact inline scripts and
  styles (by SHA-256 hash) and nothing else: no host, no fetch, no image, no frame;
* Leaflet's CSS loses its ``url(images/...)`` references (marker and layer-control
  images the map never uses), so nothing is requested even from the local disk.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd

from budgetmap.mapspec import MapSpec
from budgetmap.render.leaflet import FRONTEND, component_args, inline_geometry
from budgetmap.summary import describe

LEAFLET = FRONTEND / "node_modules" / "leaflet"
#: a script or style body must not contain these: the HTML parser would end or re-read it
FORBIDDEN = ("</script", "<!--", "<script", "</style")


def _read(path: Path) -> str:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `npm ci` in {FRONTEND} (Leaflet is installed, not committed)")
    return path.read_text(encoding="utf-8")


def _without_source_maps(text: str) -> str:
    """Source-map comments would make developer tools ask the disk for a .map file."""
    return re.sub(r"^\s*(//# sourceMappingURL=.*|/\*# sourceMappingURL=.*\*/)\s*$", "", text, flags=re.M)


def leaflet_js() -> str:
    """Leaflet's minified build with its BSD-2 licence in front (the licence asks for it)."""
    version = json.loads(_read(LEAFLET / "package.json"))["version"]
    licence = _read(LEAFLET / "LICENSE").replace("*/", "* /")
    return f"/*! Leaflet {version} — https://leafletjs.com\n{licence}*/\n" + \
        _without_source_maps(_read(LEAFLET / "dist" / "leaflet.js"))


def leaflet_css() -> str:
    """Leaflet's CSS without its image references: the map draws no markers or layer switcher."""
    css = _without_source_maps(_read(LEAFLET / "dist" / "leaflet.css"))
    return re.sub(r"url\((['\"]?)images/[^)]*\)", "none", css)


def _inline(text: str, name: str) -> str:
    lowered = text.lower()
    for bad in FORBIDDEN:
        if bad in lowered:
            raise ValueError(f"{name} contains {bad!r} and cannot be inlined safely")
    return text


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def embedded_json(value: Any) -> str:
    """JSON that cannot end its <script> element: <, > and & as \\u escapes (still the same JSON)."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_data(spec: MapSpec, districts: gpd.GeoDataFrame) -> dict[str, Any]:
    """{"args": what map.js draws, "page": the words around it}: plain strings and numbers only."""
    if districts.crs is not None and districts.crs.to_epsg() != 4326:
        districts = districts.to_crs(4326)
    geometry, header = inline_geometry(districts)
    args = component_args(spec, geometry, inline_geometry_header=header, basemap=None)
    page = {
        "title": spec.title, "subtitle": spec.subtitle, "measure_label": spec.measure_label,
        "notes": [describe(spec), *spec.notes], "reconciliation": spec.reconciliation_text,
        "source": spec.source, "as_of": spec.as_of,
        "legend": [{"label": e.label, "fill": e.fill, "count": e.count, "kind": e.kind, "pattern": e.pattern}
                   for e in spec.legend],
        "districts": [{"id": f.district_id, "name": f.name, "label": f.label, "rank": f.rank,
                       "details": [list(d) for d in f.details]} for f in spec.features],
    }
    return {"args": args, "page": page}


BODY = """<header><h1 id="bm-title"></h1><p id="bm-subtitle"></p></header>
<main>
<div id="map" role="region" aria-label="District map"></div>
<aside>
<section aria-labelledby="bm-legend-title"><h2 id="bm-legend-title"></h2><div id="bm-legend" role="list"></div></section>
<section aria-live="polite"><h2 id="bm-detail-title">Selected district</h2><div id="bm-detail"></div></section>
</aside>
</main>
<footer>
<details><summary>Figures by district</summary><table id="bm-table"></table></details>
<div id="bm-notes"></div><p id="bm-reconciliation"></p><p id="bm-source"></p>
<p class="bm-made">Made with budgetmap; map drawn with Leaflet (BSD-2-Clause licence, in this file).</p>
</footer>
<noscript><p>This map needs JavaScript. The figures are in the CSV, Excel and GeoJSON downloads.</p></noscript>"""


#: the map's own scripts, in the order index.html loads them
MAP_SCRIPTS = ("geometry.js", "hatch.js", "points.js", "finder.js", "map.js", "standalone.js")


def standalone_html(spec: MapSpec, districts: gpd.GeoDataFrame) -> str:
    """The whole map as one HTML file that opens from disk, offline, and asks no host for anything."""
    scripts = [_inline(leaflet_js(), "leaflet.js"), *(_inline(_read(FRONTEND / name), name) for name in MAP_SCRIPTS)]
    styles = [_inline(leaflet_css(), "leaflet.css"),
              _inline(_read(FRONTEND / "map.css") + _read(FRONTEND / "standalone.css"), "map.css")]
    csp = ("default-src 'none'; script-src " + " ".join(_hash(s) for s in scripts)
           + "; style-src " + " ".join(_hash(s) for s in styles)
           + "; base-uri 'none'; form-action 'none'")
    data = embedded_json(page_data(spec, districts))
    return "".join([
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        "<title>budgetmap map</title>\n",
        *(f"<style>{s}</style>\n" for s in styles),
        "</head>\n<body>\n", BODY, "\n",
        f'<script type="application/json" id="bm-data">{data}</script>\n',
        *(f"<script>{s}</script>\n" for s in scripts),
        "</body>\n</html>\n",
    ])
