"""MapSpec -> a print-quality page (PNG, SVG or PDF) drawn with matplotlib.

Like the browser map, this only reads the MapSpec: every district gets exactly
``FeatureStyle.fill`` (drawn opaque, so a PNG pixel inside a district *is* that
colour), hatching where ``pattern == "hatch"``, and the legend, notes,
reconciliation, source and as-of date come from the spec as written. Where
things go is decided by ``budgetmap.render.page.layout``; this module draws it.

Data text (district and dataset names, labels) is drawn literally: mathtext is
off for every text (``parse_math=False``) and usetex is forced off, so "$5 and
$9" stays dollars. SVG keeps text as text and PDF embeds TrueType fonts, so
both can be searched and copied.
"""
from __future__ import annotations

import io
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import geopandas as gpd
import matplotlib
import matplotlib.lines
import numpy as np
import shapely
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle
from matplotlib.path import Path

from budgetmap import geo_extent
from budgetmap.map_flags import MARKS, stroke
from budgetmap.mapspec import MapSpec
from budgetmap.palettes import NO_DATA, OUTLINE
from budgetmap.summary import describe
from budgetmap.render.furniture import PageContext
from budgetmap.render.page import NORTH_LEN, PageLayout, Swatch, layout

FORMATS = ("png", "svg", "pdf")
#: Diagonal stripes like the browser's: a dark line with a white edge, so they show on
#: pale and dark fills alike. 12 lines per inch (about 2 mm apart) cover about a fifth of a
#: district, so its fill stays the colour you see.
HATCH = "//"
HATCH_DARK, HATCH_LIGHT = "#1a1a1a", "#ffffff"
HATCH_WIDTHS = (1.6, 0.7)  # points: the white edge, then the dark line on top
OUTLINE_WIDTH = 0.5  # points, for districts big enough (geo_extent.outline_width thins it for small ones)
BROWSER_PX_PER_INCH = 72 / 0.5  # the page draws a browser pixel of line as half a point (see MARK_SCALE)
INSET_FRAME = "#999999"
FRAME_PAD = 0.03  # inches between an inset's districts and its frame
SELECTED_WIDTH = 2.2
MARK_SCALE = 0.5  # points per browser pixel of an outlier's or small-numbers outline
RC = {"text.usetex": False, "svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "budgetmap",
      "font.family": "DejaVu Sans", "path.simplify": False}


_LOCK = threading.RLock()


@contextmanager
def page_settings() -> Iterator[None]:
    """Literal text, searchable SVG/PDF text, stable SVG ids: wrap any save of a page in this.

    rcParams are global and matplotlib is not thread-safe, while Streamlit serves
    each session on its own thread, so pages are drawn one at a time.
    """
    with _LOCK, matplotlib.rc_context(RC):
        yield


def district_paths(districts: gpd.GeoDataFrame) -> list[Path]:
    """One compound path per district, exteriors anticlockwise and holes clockwise.

    Orienting the rings makes holes and islands fill correctly under either
    fill rule, whatever winding the source file used. A layer across the
    antimeridian is drawn unwrapped (``geo_extent.unwrap``), as the page lays it out.
    """
    districts = geo_extent.unwrap(districts)
    geoms = shapely.orient_polygons(np.asarray(districts.geometry.values, dtype=object))
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(coords), Path.LINETO, dtype=np.uint8)
    starts = np.r_[0, np.flatnonzero(np.diff(coord_of)) + 1]
    codes[starts] = Path.MOVETO
    codes[np.r_[starts[1:] - 1, len(coords) - 1] if len(coords) else []] = Path.CLOSEPOLY
    owner = part_of[ring_of[coord_of]] if len(coords) else np.array([], dtype=int)
    cuts = np.searchsorted(owner, np.arange(len(geoms) + 1))
    return [Path(coords[a:b], codes[a:b]) for a, b in zip(cuts[:-1], cuts[1:])]


def interior_points(districts: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """A point well inside each district: the centre of its largest inscribed circle.

    Unlike a centroid it is always inside (also for C shapes and islands), and
    unlike ``point_on_surface`` it is as far from every edge as possible, which is
    what a label, or a test sampling a pixel, wants. Found in the page's own
    stretch (longitude scaled by cos(latitude)); ``point_on_surface`` stands in if
    a geometry is empty or invalid.
    """
    geoms = np.asarray(districts.geometry.values, dtype=object)
    _, y0, _, y1 = districts.total_bounds
    scale = np.array([math.cos(math.radians((y0 + y1) / 2)), 1.0])
    stretched = shapely.transform(geoms, lambda c: c * scale)
    try:
        circles = shapely.maximum_inscribed_circle(stretched)
        points = shapely.transform(shapely.get_point(circles, 0), lambda c: c / scale)
        bad = shapely.is_empty(points) | ~shapely.within(points, geoms)
    except shapely.errors.GEOSException:
        points, bad = np.empty(len(geoms), dtype=object), np.ones(len(geoms), bool)
    points[bad] = shapely.point_on_surface(geoms[bad])
    return gpd.GeoSeries(points, index=districts.index, crs=districts.crs)


def pixels(spec: MapSpec, districts: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray, *,
           permalink: str = "", dpi: int = 300, context: PageContext = PageContext()
           ) -> tuple[np.ndarray, np.ndarray]:
    """(column, row) in the PNG that ``render(spec, districts, "png", ...)`` writes, of lon/lat points."""
    return layout(spec, districts, permalink, context=context).to_pixels(lon, lat, dpi)


def figure(spec: MapSpec, districts: gpd.GeoDataFrame, *, permalink: str = "",
           paths: list[Path] | None = None, context: PageContext = PageContext()) -> Figure:
    """The page as a matplotlib Figure (not registered with pyplot, so nothing leaks).

    ``districts`` must be the frame the spec was built from (same order of
    ``district_id``); ``paths`` may pass ``district_paths(districts)`` when one
    frame is drawn many times, as in a budget book. ``context`` brings the boundaries'
    vintage and the scale bar's unit (``furniture.context_for``).
    """
    page = layout(spec, districts, permalink, context=context)
    with page_settings():
        fig = Figure(figsize=page.size)
        _draw_map(fig, page, spec, districts, paths or district_paths(districts))
        _draw_furniture(fig, page)
        for swatch in page.swatches:
            _draw_swatch(fig, swatch)
        for line in page.lines:
            fig.text(line.x, line.y, line.text, transform=fig.dpi_scale_trans, fontsize=line.size,
                     fontweight=line.weight, color=line.color, family=line.family, ha=line.align,
                     va="baseline", parse_math=False, url=line.url)
        fig.add_artist(matplotlib.lines.Line2D([page.lines[0].x, page.size[0] - page.lines[0].x],
                                               [page.rule_y] * 2, transform=fig.dpi_scale_trans,
                                               color="#999999", linewidth=0.5))
    return fig


def save(fig: Figure, fmt: str, *, dpi: int = 300, title: str = "", summary: str = "",
         keywords: str = "") -> bytes:
    """The figure's bytes in ``fmt``; metadata without dates, so the same map gives the same file.

    The written summary goes into the file's description (PDF /Subject, SVG
    dc:description, PNG Description) as well as onto the page as real text, so a
    screen reader or a search finds it whichever it reads.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose png, svg or pdf")
    metadata = {"png": {"Title": title, "Description": summary},
                "svg": {"Title": title, "Date": None, "Description": summary, "Keywords": keywords},
                "pdf": {"Title": title, "CreationDate": None, "Subject": summary, "Keywords": keywords}}[fmt]
    metadata = {k: v for k, v in metadata.items() if v != ""}
    out = io.BytesIO()
    with page_settings():
        fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return out.getvalue()


def render(spec: MapSpec, districts: gpd.GeoDataFrame, fmt: str, *, permalink: str = "",
           dpi: int = 300, context: PageContext = PageContext()) -> bytes:
    """One map page as PNG, SVG or PDF bytes (``dpi`` sets a PNG's resolution)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose png, svg or pdf")
    return save(figure(spec, districts, permalink=permalink, context=context), fmt, dpi=dpi,
                **file_metadata(spec))


def file_metadata(spec: MapSpec) -> dict[str, str]:
    """Title, summary and keywords of a page's file (``save``'s keywords)."""
    words = ["budget map", spec.kind, spec.measure_label]
    return {"title": spec.title, "summary": describe(spec), "keywords": ", ".join(w for w in words if w)}


def _draw_furniture(fig: Figure, page: PageLayout) -> None:
    """The main map's scale bar (a black and a white half, 1/20 in tall) and the north arrow."""
    if page.bar is not None:
        (x, y), length = page.bar_at, page.bar.length
        common = {"transform": fig.dpi_scale_trans, "edgecolor": "#000000", "linewidth": 0.6}
        fig.add_artist(Rectangle((x, y), length, 0.05, facecolor="#ffffff", gid="scale-bar", **common))
        fig.add_artist(Rectangle((x, y), length / 2, 0.05, facecolor="#000000", **common))
    angle = math.radians(page.north)
    up, across = np.array([math.sin(angle), math.cos(angle)]), np.array([math.cos(angle), -math.sin(angle)])
    foot = np.asarray(page.north_at)
    tip = foot + NORTH_LEN * up
    corners = [tip, foot + 0.07 * across, foot + 0.25 * NORTH_LEN * up, foot - 0.07 * across]
    fig.add_artist(Polygon(corners, closed=True, transform=fig.dpi_scale_trans, facecolor="#000000",
                           edgecolor="#000000", linewidth=0.5, gid="north-arrow"))


def _draw_map(fig: Figure, page: PageLayout, spec: MapSpec, districts: gpd.GeoDataFrame,
              paths: list[Path]) -> None:
    """The main map, then each inset in its own framed panel at its own scale."""
    inset = np.zeros(len(districts), dtype=bool)
    for panel in page.insets:
        inset[list(panel.positions)] = True
    _draw_panel(fig, page, page.map_box, page.extent, np.flatnonzero(~inset), spec, districts, paths)
    w, h = page.size
    for panel in page.insets:
        b = panel.box
        _draw_panel(fig, page, b, panel.extent, np.asarray(panel.positions), spec, districts, paths)
        fig.add_artist(Rectangle((b.x - FRAME_PAD, b.y - FRAME_PAD), b.w + 2 * FRAME_PAD, b.h + 2 * FRAME_PAD,
                                 transform=fig.dpi_scale_trans,
                                 facecolor="none", edgecolor=INSET_FRAME, linewidth=0.6))


def _draw_panel(fig: Figure, page: PageLayout, b, extent: tuple[float, float, float, float],
                positions: np.ndarray, spec: MapSpec, districts: gpd.GeoDataFrame, paths: list[Path]) -> None:
    w, h = page.size
    ax = fig.add_axes((b.x / w, b.y / h, b.w / w, b.h / h))
    ax.set_axis_off()
    x0, y0, x1, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    outline = OUTLINE_WIDTH * geo_extent.outline_width(districts.iloc[positions], b.w * BROWSER_PX_PER_INCH)
    style = {f.district_id: f for f in spec.features}
    all_ids = list(districts["district_id"])
    ids = [all_ids[p] for p in positions]
    paths = [paths[p] for p in positions]
    fills = [style[i].fill if i in style else NO_DATA for i in ids]
    ax.add_collection(PathCollection(paths, facecolors=fills, edgecolors=OUTLINE, linewidths=outline))
    hatched = [p for p, i in zip(paths, ids) if i in style and style[i].pattern == "hatch"]
    if hatched:
        for colour, width in zip((HATCH_LIGHT, HATCH_DARK), HATCH_WIDTHS):
            layer = PathCollection(hatched, facecolors="none", edgecolors="none", linewidths=0,
                                   hatch=HATCH, hatchcolor=colour)
            layer.set_hatch_linewidth(width)
            ax.add_collection(layer)
        ax.add_collection(PathCollection(hatched, facecolors="none", edgecolors=OUTLINE, linewidths=outline))
    for i, district in enumerate(ids):
        marked = stroke(style[district].marks) if district in style else None
        if marked is not None:  # solid white under the black dashes, as in the browser: they read on dark fills
            line = _mark_line(*marked)
            ax.add_collection(PathCollection([paths[i]], facecolors="none", edgecolors="#ffffff",
                                             linewidths=line["linewidths"], capstyle="butt"))
            ax.add_collection(PathCollection([paths[i]], facecolors="none", edgecolors="#000000", **line))
    if spec.selected in ids:
        ax.add_collection(PathCollection([paths[ids.index(spec.selected)]], facecolors="none",
                                         edgecolors="#000000", linewidths=SELECTED_WIDTH))


def _mark_line(dash: str, width: float) -> dict:
    """The browser's outline of an outlier or small-numbers district at print size (1 px -> MARK_SCALE pt).

    Matplotlib scales dash lengths by the line width, so the pattern is given in widths."""
    return {"linewidths": width * MARK_SCALE,
            "linestyles": [(0, tuple(float(x) / width for x in dash.split()))], "capstyle": "butt"}


def _draw_swatch(fig: Figure, swatch: Swatch) -> None:
    b, entry = swatch.box, swatch.entry
    common = {"transform": fig.dpi_scale_trans}
    if entry is None:  # the key for the selected district's outline
        fig.add_artist(Rectangle((b.x, b.y), b.w, b.h, facecolor="white", edgecolor="#000000",
                                 linewidth=SELECTED_WIDTH, **common))
        return
    dashed = entry.kind == "no_data"
    fig.add_artist(Rectangle((b.x, b.y), b.w, b.h, facecolor=entry.fill, edgecolor=OUTLINE,
                             linewidth=0.8 if dashed else OUTLINE_WIDTH,
                             linestyle=(0, (3, 2)) if dashed else "solid", **common))
    if entry.kind == "mark" and entry.pattern in MARKS:
        line = _mark_line(*MARKS[entry.pattern])
        fig.add_artist(Rectangle((b.x, b.y), b.w, b.h, facecolor="none", edgecolor="#000000",
                                 linewidth=line["linewidths"], linestyle=line["linestyles"][0], capstyle="butt",
                                 **common))
    if entry.pattern == "hatch":
        for colour, width in zip((HATCH_LIGHT, HATCH_DARK), HATCH_WIDTHS):
            layer = Rectangle((b.x, b.y), b.w, b.h, facecolor="none", edgecolor="none", hatch=HATCH,
                              hatchcolor=colour, **common)
            layer.set_hatch_linewidth(width)
            fig.add_artist(layer)
        fig.add_artist(Rectangle((b.x, b.y), b.w, b.h, facecolor="none", edgecolor=OUTLINE,
                                 linewidth=OUTLINE_WIDTH, **common))
