"""Where everything goes on a printed map page, computed before anything is drawn.

The static renderer draws exactly this layout, and tests use the same layout to
find a district's pixel in a PNG, so "where is it?" has one answer. All
positions are in inches from the page's bottom-left corner.

Text is wrapped by measuring it with the font it is drawn in (word widths from
matplotlib's text-to-path engine, plus a small allowance for hinting), so long
names, notes and links wrap instead of running off the page.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from budgetmap import geo_extent
from budgetmap.mapspec import LegendEntry, MapSpec
from budgetmap.render.furniture import PageContext, ScaleBar, page_north, scale_bar
from budgetmap.render.map_area import Box, Inset, MapArea, inset_note, place
from budgetmap.summary import describe

#: Fits A4 (11.69 x 8.27 in) and US Letter (11 x 8.5 in) landscape without scaling.
PAGE = (11.0, 8.0)
MARGIN = 0.5
LEGEND_WIDTH = 3.1
GUTTER = 0.3
SANS, MONO = "DejaVu Sans", "DejaVu Sans Mono"  # bundled with matplotlib: same glyphs everywhere
SLACK = 1.05  # Agg's hinting draws a little wider than the outline measure
SWATCH = (0.42, 0.26)
COUNT_WIDTH = 0.45
FURNITURE = 0.42  # inches under the map kept for the scale bar and the north arrow
BAR_Y = 0.16  # the bar's height above the bottom of that strip
NORTH_LEN = 0.26  # inches, the north arrow's length


@dataclass(frozen=True)
class Line:
    """One line of text, drawn with its baseline at (x, y)."""

    x: float
    y: float
    text: str
    size: float
    weight: str = "normal"
    color: str = "#000000"
    family: str = SANS
    align: str = "left"
    url: str | None = None


@dataclass(frozen=True)
class Swatch:
    """A legend swatch; ``entry`` is None for the selected-district outline key."""

    box: Box
    entry: LegendEntry | None


@dataclass(frozen=True)
class PageLayout:
    size: tuple[float, float]
    lines: tuple[Line, ...]
    swatches: tuple[Swatch, ...]
    map_box: Box
    extent: tuple[float, float, float, float]  # lon/lat drawn edge to edge in map_box
    rule_y: float  # the hairline between the map and the footer
    insets: tuple[Inset, ...] = ()  # far-flung groups, each in its own box at its own scale
    wrap: bool = False  # the layer crosses the antimeridian: east longitudes drawn at lon - 360
    bar: ScaleBar | None = None  # the main map's scale bar, its left end at ``bar_at`` (inches)
    bar_at: tuple[float, float] = (0.0, 0.0)
    north: float = 0.0  # degrees clockwise from up that the north arrow points
    north_at: tuple[float, float] = (0.0, 0.0)  # the arrow's foot

    def to_pixels(self, lon: np.ndarray, lat: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
        """PNG pixel (column, row) of lon/lat points, in the inset that holds them if any; row 0 is the top."""
        x_in, y_in = MapArea(self.map_box, self.extent, self.insets, self.wrap).to_inches(lon, lat)
        return x_in * dpi, (self.size[1] - y_in) * dpi


@lru_cache(maxsize=4096)
def _width(text: str, size: float, weight: str, family: str) -> float:
    prop = FontProperties(family=family, size=size, weight=weight)
    width, _, _ = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return width * SLACK / 72


def text_width(text: str, size: float, weight: str = "normal", family: str = SANS) -> float:
    """Width in inches of one line of text as drawn."""
    return sum(_width(word, size, weight, family) for word in _tokens(text))


def _tokens(text: str) -> list[str]:
    """Words with their following space, measured separately so the cache gets reused."""
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch == " ":
            out.append(text[start:i + 1])
            start = i + 1
    if start < len(text):
        out.append(text[start:])
    return out


def wrap(text: str, width: float, size: float, weight: str = "normal", family: str = SANS) -> list[str]:
    """Greedy word wrap to ``width`` inches; a word longer than a line (a URL) breaks anywhere."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in _tokens(paragraph):
            if text_width((current + word).rstrip(), size, weight, family) <= width:
                current += word
                continue
            if text_width(word.rstrip(), size, weight, family) <= width:
                lines.append(current.rstrip())
                current = word
                continue
            # a word longer than a whole line (a link): break it, starting on this line
            while text_width((current + word).rstrip(), size, weight, family) > width:
                cut = _fit(current + word, width, size, weight, family) - len(current)
                if cut <= 0:
                    lines.append(current.rstrip())
                    current = ""
                    continue
                lines.append(current + word[:cut])
                current, word = "", word[cut:]
            current += word
        lines.append(current.rstrip())
    return lines


def _fit(word: str, width: float, size: float, weight: str, family: str) -> int:
    """How many leading characters of ``word`` fit in ``width`` (at least one)."""
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _width(word[:mid], size, weight, family) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


class _Column:
    """Stacks wrapped text downwards from a top edge."""

    def __init__(self, x: float, top: float, width: float) -> None:
        self.x, self.y, self.width, self.lines = x, top, width, []

    def add(self, text: str, size: float, *, gap: float = 0.0, **style: str) -> None:
        self.y -= gap
        for line in wrap(text, self.width, size, style.get("weight", "normal"), style.get("family", SANS)):
            self.y -= size / 72 * 1.3
            self.lines.append(Line(self.x, self.y + size / 72 * 0.3, line, size, **style))


def footer_texts(spec: MapSpec, permalink: str, insets: str = "",
                 context: PageContext = PageContext()) -> list[tuple[str, dict[str, str]]]:
    """What every page prints under the map, in order, with its style (``insets``: which parts are insets)."""
    small = {"color": "#333333"}
    out = [(describe(spec), {"color": "#000000"})]  # the map in words, as under the browser map
    out += [(note, small) for note in (*spec.notes, insets) if note]
    if spec.reconciliation:
        out.append((f"Reconciliation: {spec.reconciliation_text}", small))
    out.append((f"Source: {spec.source or 'not stated'} · Data as of: {spec.as_of or 'not stated'} · "
                f"{context.boundaries_text}", small))
    if permalink:
        out.append((f"Link: {permalink}", {"color": "#1f4e9c", "family": MONO, "url": permalink}))
    return out


def layout(spec: MapSpec, districts: gpd.GeoDataFrame, permalink: str = "",
           size: tuple[float, float] = PAGE, context: PageContext = PageContext()) -> PageLayout:
    """Title and subtitle on top, map left (scale bar and north arrow under it), legend right,
    notes, sources and the boundaries' vintage at the foot."""
    width, height = size
    inner = width - 2 * MARGIN
    head = _Column(MARGIN, height - MARGIN + 0.1, inner)
    head.add(spec.title, 16, weight="bold")
    head.add(spec.subtitle, 11, gap=0.04, color="#333333")

    groups = geo_extent.far_groups(districts)
    foot = _Column(MARGIN, 0.0, inner)
    for text, style in footer_texts(spec, permalink, inset_note(districts, groups), context):
        foot.add(text, 8.5, gap=0.03, **style)
    foot_height = -foot.y
    shift = MARGIN + foot_height  # the footer was stacked down from 0: lift it onto the margin
    foot_lines = [Line(ln.x, ln.y + shift, ln.text, ln.size, ln.weight, ln.color, ln.family, ln.align, ln.url)
                  for ln in foot.lines]
    rule_y = shift + 0.12
    body = Box(MARGIN, rule_y + 0.15, inner, head.y - 0.2 - (rule_y + 0.15))

    legend_lines, swatches = _legend(spec, Box(width - MARGIN - LEGEND_WIDTH, body.y, LEGEND_WIDTH, body.h))
    map_w = inner - LEGEND_WIDTH - GUTTER
    area = place(districts, Box(body.x, body.y + FURNITURE, map_w, body.h - FURNITURE), groups)
    letters = [Line(i.box.x, i.box.y + i.box.h + 0.04, i.letter, 8, weight="bold") for i in area.insets]
    bar = scale_bar(area.box.w, area.extent, context.units)
    bar_at = (area.box.x, body.y + BAR_Y)
    north, foot_at = page_north(area.extent), (area.box.x + area.box.w - 0.1, body.y + 0.03)
    tip = NORTH_LEN + 0.03  # the "N" just past the arrow's tip, wherever it points
    letter = (foot_at[0] + tip * math.sin(math.radians(north)), foot_at[1] + tip * math.cos(math.radians(north)))
    marks = [Line(bar_at[0] + bar.length + 0.08, bar_at[1] - 0.03, bar.label, 8),
             Line(letter[0], letter[1], "N", 8, weight="bold", align="center")]
    return PageLayout(size, tuple(head.lines + legend_lines + foot_lines + letters + marks), tuple(swatches),
                      area.box, area.extent, rule_y, area.insets, area.wrap, bar, bar_at, north, foot_at)


def _legend(spec: MapSpec, box: Box) -> tuple[list[Line], list[Swatch]]:
    """The legend at full size, or smaller until it fits beside the map (nine classes, a
    locked-classes hatch, zero, no data and a selected district make a tall legend)."""
    for scale in (1.0, 0.85, 0.72, 0.6):
        lines, swatches, bottom = _legend_at(spec, box, scale)
        if bottom >= box.y:
            break
    return lines, swatches


def _legend_at(spec: MapSpec, box: Box, scale: float) -> tuple[list[Line], list[Swatch], float]:
    col = _Column(box.x, box.y + box.h, box.w)
    col.add(spec.measure_label, 10.5, weight="bold")
    col.y -= 0.05
    col.lines.append(Line(box.x + box.w, col.y - 0.12, "districts", 8, color="#555555", align="right"))
    col.y -= 0.18
    size, (sw, sh) = 9.5 * scale, (SWATCH[0] * scale, SWATCH[1] * scale)
    label_x = box.x + sw + 0.12
    label_w = box.w - sw - 0.12 - COUNT_WIDTH
    swatches = []
    entries: list[LegendEntry | None] = list(spec.legend)
    selected = spec.feature(spec.selected) if spec.selected else None
    if selected is not None:
        entries.append(None)
    for entry in entries:
        top = col.y - 0.06 * scale
        label = entry.label if entry is not None else f"Outlined: {selected.name}"
        texts = wrap(label, label_w, size)
        line_h = size / 72 * 1.3
        block = max(sh, len(texts) * line_h)
        swatches.append(Swatch(Box(box.x, top - sh, sw, sh), entry))
        for i, text in enumerate(texts):
            col.lines.append(Line(label_x, top - (i + 1) * line_h + 0.04 * scale, text, size))
        if entry is not None:
            col.lines.append(Line(box.x + box.w, top - line_h + 0.04 * scale, f"{entry.count:,}", size,
                                  align="right"))
        col.y = top - block - 0.04 * scale
    return col.lines, swatches, col.y
