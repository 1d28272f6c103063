"""The early-warning digest as one PDF: the map page, then the watch list, the flags, notices and opinions.

What a finance office prints or mails after each quarter. The map page is the
same page a snapshot of the warning map draws (``render.static.figure``); the
pages after it are set as real text (``pdf.fonttype`` 42 through
``page_settings``), so every name can be searched and copied and none is ever
markup or maths (``parse_math=False``).
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from budgetmap import fmt, monitor
from budgetmap.mapspec import MapSpec
from budgetmap.monitor.notices import plain, points
from budgetmap.opinions import Opinion
from budgetmap.render.furniture import PageContext
from budgetmap.render.page import wrap
from budgetmap.render.static import figure, page_settings
from budgetmap.watch_export import opinion_line

PAGE = (8.5, 11.0)  # inches, portrait: a list reads down the page
MARGIN = 0.7
SIZES = {"title": 15.0, "heading": 12.0, "text": 9.5}
LEADING = 1.45  # line height as a multiple of the font size


@dataclass(frozen=True)
class _Line:
    text: str
    style: str  # a key of SIZES


def _warning_line(w: monitor.ProjectWarning, currency: str) -> str:
    return (f"{w.severity.upper()} · {plain(w.project)} · {plain(w.department)} · {plain(w.district_name or 'no district')}: "
            f"planned {w.planned_rate:.1%}, actual {w.actual_rate:.1%}, {points(w.shortfall_points)} points behind, "
            f"{fmt.money_cents(w.shortfall_cents, currency)} short, {w.periods_behind} period(s) behind in a row")


def lines(found: monitor.Watch, opinions: Sequence[Opinion] = ()) -> list[_Line]:
    """The text pages' lines before wrapping: headings, then one paragraph per finding."""
    cur = found.currency
    counts = found.counts()
    out = [_Line(f"Early warning digest — {plain(found.dataset)}", "title"),
           _Line(f"{found.period.name}, data as of {found.as_of or 'not stated'}: {fmt.count(counts['red'])} red, "
                 f"{fmt.count(counts['amber'])} amber of {fmt.count(found.monitored)} monitored projects; tolerance "
                 f"{points(float(found.settings.tolerance))} points.", "text"),
           _Line("Watch list (behind plan, red first)", "heading")]
    out += [_Line(_warning_line(w, cur), "text") for w in found.warnings] or [_Line("No project is behind plan.", "text")]
    for w in found.warnings:
        for o in opinions:
            if o.project == w.project and (o.year, o.period) == (found.period.year, found.period.label):
                out.append(_Line(f"    Opinion on {plain(w.project)}: {plain(opinion_line(o))}", "text"))
    if found.over_budget:
        out.append(_Line("Over budget", "heading"))
        out += [_Line(f"{plain(f.project)} · {plain(f.department)}: spent {fmt.money_cents(f.spent_cents, cur)} of "
                      f"{fmt.money_cents(f.budget_cents, cur)} ({fmt.money_cents(f.over_cents, cur)} over)", "text")
                for f in found.over_budget]
    if found.stale:
        out.append(_Line("No actuals reported", "heading"))
        out += [_Line(f"{plain(f.project)} · {plain(f.department)}: {', '.join(p.name for p in f.periods)}", "text")
                for f in found.stale]
    if found.indicators:
        out.append(_Line("Indicators off their in-year path", "heading"))
        out += [_Line(f"{w.severity.upper()} · {plain(w.label)} · {plain(w.district_name or 'citywide')}: "
                      f"{w.value:g} against {w.path_value:g} on the path to {w.target:g}", "text")
                for w in found.indicators]
    out.append(_Line("Notices", "heading"))
    out += [_Line(n.text, "text") for n in monitor.notices(found)] or [_Line("No department has a finding.", "text")]
    out.append(_Line("Reviewer opinions", "heading"))
    out += [_Line(f"{plain(o.project)}, FY{o.year} {plain(o.period)}: {plain(opinion_line(o))}", "text")
            for o in opinions] or [_Line("No opinion yet.", "text")]
    return out


def _pages(items: list[_Line]) -> list[list[tuple[float, str, str]]]:
    """(y from the top in inches, text, style) per page, wrapped to the page's width."""
    width, bottom = PAGE[0] - 2 * MARGIN, PAGE[1] - MARGIN
    pages: list[list[tuple[float, str, str]]] = [[]]
    y = MARGIN
    for item in items:
        size = SIZES[item.style]
        if item.style == "heading":
            y += size / 72 * 0.6
        for text in wrap(item.text, width, size, "bold" if item.style != "text" else "normal"):
            step = size * LEADING / 72
            if y + step > bottom:
                pages.append([])
                y = MARGIN
            y += step
            pages[-1].append((y, text, item.style))
    return pages


def digest_pdf(spec: MapSpec | None, districts: gpd.GeoDataFrame | None, found: monitor.Watch,
               opinions: Sequence[Opinion] = (), *, permalink: str = "",
               context: PageContext = PageContext()) -> bytes:
    """The digest's bytes: the map page (when there is a map), then the text pages."""
    out = io.BytesIO()
    with page_settings(), PdfPages(out, metadata={"Title": f"Early warning digest {found.period.name}",
                                                  "CreationDate": None}) as pdf:
        if spec is not None and districts is not None:
            pdf.savefig(figure(spec, districts, permalink=permalink, context=context), facecolor="white")
        for page in _pages(lines(found, opinions)):
            fig = Figure(figsize=PAGE)
            for y, text, style in page:
                fig.text(MARGIN / PAGE[0], 1 - y / PAGE[1], text, fontsize=SIZES[style],
                         fontweight="normal" if style == "text" else "bold", va="baseline", parse_math=False)
            pdf.savefig(fig, facecolor="white")
    return out.getvalue()
