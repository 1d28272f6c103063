"""Watch list downloads (CSV, Excel) and the PDF digest: formula-safe, hostile names kept as text.

The town: one red project whose name is a spreadsheet formula, in a department
named like an HTML tag, in a district named like a JavaScript template literal;
a reviewer's opinion that is a formula too. Budget 1,000,000, planned 40% by
FY2025 Q2, 250,000 spent: red, 150,000 short, 15 points behind.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook
from plancity import plan_city

from budgetmap import digest, monitor, watch_export
from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.opinions import OpinionStore
from budgetmap.view import SpendingView
from devtools.pdftext import pdf_text

PROJECT = '=HYPERLINK("http://evil.test","click")'
DEPARTMENT = "<img src=x onerror=alert(1)>"
DISTRICT = "`${alert(1)}`"
OPINION = "=cmd|' /C calc'!A0 is what the unit wrote"
AUTHOR = "@Reviewer"


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


SPENDING_TEXT = _csv_text([["2025", "Q1", DEPARTMENT, PROJECT, "A", "400000", "100000"],
                           ["2025", "Q2", DEPARTMENT, PROJECT, "A", "600000", "150000"]])
PLANS_TEXT = _csv_text([["project", "fiscal_year", "quarter", "planned_cumulative_rate"],
                        [PROJECT, "2025", "Q1", "0.10"], [PROJECT, "2025", "Q2", "0.40"]])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile_watch")
    dataset = open_dataset(plan_city(folder, spending=SPENDING_TEXT, plans=PLANS_TEXT,
                                     names=[DISTRICT, "B", "C", "D"]))
    store = OpinionStore(folder / "opinions.sqlite")
    store.add("hostile", PROJECT, 2025, "Q2", AUTHOR, OPINION, when=datetime(2026, 11, 30, tzinfo=timezone.utc))
    return dataset, monitor.watch(dataset), store.for_dataset("hostile")


def test_the_town_is_red_by_hand(hostile):
    _, found, _ = hostile
    (w,) = found.warnings
    assert (w.project, w.severity, w.shortfall_cents, w.district_name) == (PROJECT, "red", 15_000_000, DISTRICT)


def test_csv_is_formula_safe_and_keeps_numbers(hostile):
    _, found, said = hostile
    rows = list(csv.reader(io.StringIO(watch_export.to_csv(found, said).decode("utf-8-sig"))))
    header = rows.index(watch_export.WATCH_HEADER)
    row = dict(zip(watch_export.WATCH_HEADER, rows[header + 1]))
    assert row["project"] == "'" + PROJECT and row["department"] == DEPARTMENT and row["district"] == DISTRICT
    assert row["shortfall"] == "150000.00" and row["planned_rate"] == "0.4" and row["actual_rate"] == "0.25"
    assert row["opinions"] == f"2026-11-30 {AUTHOR}: {OPINION}", "a cell that starts with a date is no formula"
    opinion_row = next(r for r in rows if r[:1] == ["'" + PROJECT] and r[-1].endswith("unit wrote"))
    assert opinion_row[3:] == ["'" + AUTHOR, "'" + OPINION]
    flat = [cell for r in rows for cell in r]
    assert not any(cell.startswith(("=", "+", "@")) for cell in flat), "no cell starts as a formula"
    raw = watch_export.to_csv(found, said).decode("utf-8-sig")
    assert ",150000.00," in raw, "money is a bare number, not quoted text"


def test_excel_is_formula_safe_with_money_as_numbers(hostile):
    _, found, said = hostile
    book = load_workbook(io.BytesIO(watch_export.to_xlsx(found, said)))
    assert book.sheetnames == ["About", "Watch list", "Notices", "Opinions"], "no flag: no flag sheet"
    sheet = book["Watch list"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]]))
    assert row["project"] == "'" + PROJECT and row["district"] == DISTRICT
    assert row["shortfall"] == 150000 and isinstance(row["shortfall"], (int, float))
    assert book["Opinions"]["E2"].value == "'" + OPINION and book["Opinions"]["D2"].value == "'" + AUTHOR
    for ws in book.worksheets:
        for line in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v.startswith(("=", "+", "@")) for v in line), ws.title


def test_pdf_digest_holds_the_map_list_notice_and_opinion_as_text(hostile):
    dataset, found, said = hostile
    spec = MAP_KINDS["warning"](dataset, SpendingView())
    pdf = digest.digest_pdf(spec, dataset.districts, found, said, permalink="http://localhost:8501/Monitoring")
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert spec.title in text, "the map page comes first"
    for part in (PROJECT, DEPARTMENT, DISTRICT, "planned 40.0%, actual 25.0%", "$150,000.00 short", OPINION,
                 "Reviewer opinions", "Notices"):
        assert part in flat, part
    (note,) = monitor.notices(found)
    assert " ".join(note.text.split()) in flat, "the department's notice is in the digest"
    assert f"Opinion on {PROJECT}: 2026-11-30 {AUTHOR}: {OPINION}" in flat


def test_notice_keeps_hostile_names_as_plain_text(hostile):
    _, found, _ = hostile
    (note,) = monitor.notices(found)
    assert note.text.startswith(f"{DEPARTMENT}: 1 project behind plan at FY2025 Q2: {PROJECT} (red, 15 points")


def test_digest_without_findings_says_so(tmp_path):
    spending = "2025,Q1,Roads,Bridge,A,400000,100000\n2025,Q2,Roads,Bridge,A,600000,400000\n"
    plans = "project,fiscal_year,quarter,planned_cumulative_rate\nBridge,2025,Q1,0.10\nBridge,2025,Q2,0.40\n"
    dataset = open_dataset(plan_city(tmp_path, spending=spending, plans=plans))
    found = monitor.watch(dataset)
    text = pdf_text(digest.digest_pdf(None, None, found))
    assert "No project is behind plan." in text and "No opinion yet." in text
    assert watch_export.file_name(found, "pdf") == "watch-list-2025q2.pdf"
