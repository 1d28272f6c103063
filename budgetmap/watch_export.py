"""The watch list as tables: one set of rows for the page, the CSV, the Excel file and the PDF digest.

Sections: about (dataset, period, as-of date, tolerance, counts), the projects
behind plan (red first, as the monitor orders them), over budget, no actuals
reported, indicators off their path, the notices, and the reviewers' opinions.
Money is exact (``Decimal`` dollars from integer cents) and rates are fractions
0..1. Names and opinions are data: every text cell a spreadsheet could run as a
formula gets a leading quote (``exports.neutralise``) in CSV and Excel, and
nothing is ever read as markup.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from budgetmap import monitor
from budgetmap.export_rows import Cell, Row, dollars
from budgetmap.exports import MONEY_FORMAT, neutralise
from budgetmap.opinions import Opinion
from budgetmap.watch_period import canonical

WATCH_HEADER: Row = ["severity", "project", "department", "district_id", "district", "planned_rate", "actual_rate",
                     "shortfall_points", "shortfall", "budget", "spent", "periods_behind", "opinions"]
OVER_HEADER: Row = ["project", "department", "district", "budget", "spent", "over"]
STALE_HEADER: Row = ["project", "department", "district", "periods without actuals", "last reported"]
INDICATOR_HEADER: Row = ["severity", "indicator", "department", "district", "period", "value", "path value",
                         "target", "points behind"]
OPINION_HEADER: Row = ["project", "period", "date", "reviewer", "opinion"]


def opinion_line(opinion: Opinion) -> str:
    """"2026-12-01 A. Reviewer: text" (one line: the digest and a cell)."""
    return f"{opinion.created.date().isoformat()} {opinion.author}: {' '.join(opinion.text.split())}"


def _opinions_at(opinions: Sequence[Opinion], project: str, found: monitor.Watch) -> list[Opinion]:
    return [o for o in opinions if o.project == project and o.year == found.period.year
            and o.period == found.period.label]


def about_rows(found: monitor.Watch) -> list[Row]:
    counts = found.counts()
    return [["Dataset", found.dataset], ["Period", found.period.name], ["As of", found.as_of or "not stated"],
            ["Tolerance (points)", float(found.settings.tolerance)], ["Grace (points)", float(found.settings.grace)],
            ["Projects monitored", found.monitored], ["Red", counts["red"]], ["Amber", counts["amber"]]]


def warning_rows(found: monitor.Watch, opinions: Sequence[Opinion] = ()) -> list[Row]:
    """Header and one row per project behind plan; ``opinions`` holds this period's, joined in one cell."""
    rows: list[Row] = [list(WATCH_HEADER)]
    for w in found.warnings:
        said = "; ".join(opinion_line(o) for o in _opinions_at(opinions, w.project, found))
        rows.append([w.severity, w.project, w.department, w.district_id, w.district_name, w.planned_rate,
                     w.actual_rate, w.shortfall_points, dollars(w.shortfall_cents), dollars(w.budget_cents),
                     dollars(w.spent_cents), w.periods_behind, said])
    return rows


def flag_sections(found: monitor.Watch) -> list[tuple[str, list[Row]]]:
    """(title, header and rows) of each flag that has findings."""
    out = []
    if found.over_budget:
        out.append(("Over budget", [list(OVER_HEADER), *([f.project, f.department, f.district_name,
                                                          dollars(f.budget_cents), dollars(f.spent_cents),
                                                          dollars(f.over_cents)] for f in found.over_budget)]))
    if found.stale:
        out.append(("No actuals reported", [list(STALE_HEADER), *(
            [f.project, f.department, f.district_name, ", ".join(p.name for p in f.periods),
             f.last_reported.name if f.last_reported else "never"] for f in found.stale)]))
    if found.indicators:
        out.append(("Indicators off their in-year path", [list(INDICATOR_HEADER), *(
            [w.severity, w.label, w.department, w.district_name or "citywide", w.period.name, w.value,
             w.path_value, w.target, w.behind_points] for w in found.indicators)]))
    return out


def notice_rows(found: monitor.Watch) -> list[Row]:
    return [["department", "notice"], *([n.department, n.text] for n in monitor.notices(found))]


def opinion_rows(opinions: Sequence[Opinion]) -> list[Row]:
    return [list(OPINION_HEADER), *([o.project, f"FY{o.year} {o.period}", o.created.date().isoformat(), o.author,
                                     o.text] for o in opinions)]


def sections(found: monitor.Watch, opinions: Sequence[Opinion] = ()) -> list[tuple[str, list[Row]]]:
    """Every section in order, titled: what the CSV writes one after another and Excel puts on sheets."""
    return [("About", about_rows(found)), ("Watch list", warning_rows(found, opinions)), *flag_sections(found),
            ("Notices", notice_rows(found)), ("Opinions", opinion_rows(opinions))]


def file_name(found: monitor.Watch, extension: str) -> str:
    return f"watch-list-{canonical(found.period).lower()}.{extension}"


def to_csv(found: monitor.Watch, opinions: Sequence[Opinion] = ()) -> bytes:
    """The sections one after another, each under its title and separated by blank lines (UTF-8 with a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    for i, (title, rows) in enumerate(sections(found, opinions)):
        if i:
            writer.writerow([])
        writer.writerow([title])
        writer.writerows([[neutralise(c) for c in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: Cell) -> Cell:
    value = neutralise(value)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def to_xlsx(found: monitor.Watch, opinions: Sequence[Opinion] = ()) -> bytes:
    """One sheet per section (header bold; money formatted, numbers stay numbers)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sections(found, opinions):
        sheet = book.create_sheet(title[:31])
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=_cell(value))
                if r == 1 and title != "About":
                    cell.font = Font(bold=True)
                elif hasattr(value, "as_tuple"):
                    cell.number_format = MONEY_FORMAT
    book.properties.title = _cell(f"Watch list {found.period.name} — {found.dataset}")
    book.properties.creator = "budgetmap"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
