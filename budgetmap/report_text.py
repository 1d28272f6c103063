"""The load report as plain text, for the terminal and for the app's text view."""
from __future__ import annotations

import json

from budgetmap import fmt
from budgetmap.reconcile import reconciliation_line
from budgetmap.model import LoadReport, UnmatchedKey

MAX_LINES = 25
#: How the report names each ledger (budgetmap.sources; the manifest's ``engine`` chooses).
ENGINE_TEXT = {"pandas": "pandas (in memory)", "duckdb": "DuckDB (SQL group-bys, for millions of rows)"}


def aliases_snippet(section: str, unmatched: list[UnmatchedKey]) -> str:
    """TOML a steward can paste into the manifest to accept the suggestions.

    A table label like "indicators (kpm.csv)" (one of several [[indicators]]) gives
    ``[indicators.aliases]`` with a comment saying which table it goes under.
    """
    lines = [f"{json.dumps(u.key, ensure_ascii=False)} = {json.dumps(u.suggestion, ensure_ascii=False)}" for u in unmatched if u.suggestion]
    name, _, file = section.partition(" (")
    where = f"  # under the [[{name}]] table of {file.removesuffix(')')}" if file else ""
    return f"[{name}.aliases]{where}\n" + "\n".join(lines) if lines else ""


def _tables(report: LoadReport) -> list[str]:
    lines = []
    for t in report.tables:
        lines.append(f"{t.table} ({t.file}): {t.rows_read:,} rows read, {t.rows_used:,} used, "
                     f"{t.rows_rejected:,} not used")
        lines += [f"  note: {n}" for n in t.notes]
        lines += [f"  - {p}" for p in t.problems[:MAX_LINES]]
        if t.problem_count > MAX_LINES:
            lines.append(f"  … and {t.problem_count - MAX_LINES:,} more problems (see --json)")
    return lines


def _joins(report: LoadReport, currency: str) -> list[str]:
    lines = []
    for table in sorted({u.table for u in report.unmatched}):
        keys = [u for u in report.unmatched if u.table == table]
        lines.append(f"{table}: {fmt.count(len(keys))} key(s) match no district:")
        for u in keys[:MAX_LINES]:
            money = f", {fmt.money_cents(u.amount_cents, currency)}" if u.amount_cents is not None else ""
            hint = f" — did you mean '{u.suggestion}'? ({u.why})" if u.suggestion else (
                f" — {u.why}" if u.why else "")
            lines.append(f"  '{u.key}' ({u.rows:,} rows{money}){hint}")
        if len(keys) > MAX_LINES:
            lines.append(f"  … and {fmt.count(len(keys) - MAX_LINES)} more")
        snippet = aliases_snippet(table, keys)
        if snippet:
            lines.append("  to accept the suggestions, add to the manifest:")
            lines += ["    " + s for s in snippet.splitlines()]
    for table in sorted({m.table for m in report.missing}):
        gone = [m for m in report.missing if m.table == table]
        lines.append(f"{table}: {fmt.count(len(gone))} district(s) have no data:")
        for m in gone[:MAX_LINES]:
            hint = f" — perhaps '{m.suggestion}' ({m.why})" if m.suggestion else ""
            lines.append(f"  {m.district_id} ({m.name}){hint}")
    return lines


def report_text(report: LoadReport, currency: str = "USD", citywide: str = fmt.CITYWIDE) -> str:
    """Tables, join diagnostics, warnings and the reconciliation, in that order."""
    lines = [f"Dataset: {report.dataset}", f"Manifest: {report.manifest}",
             f"Line items held by: {ENGINE_TEXT.get(report.engine, report.engine)}", "", "Tables:"]
    lines += ["  " + x for x in _tables(report)]
    joins = _joins(report, currency)
    lines += ["", "Joins:"] + (["  " + x for x in joins] if joins else ["  every key matched a district"])
    if report.suggested_rules:
        lines += ["", "Suggested join rules (each counted after the ones above it; paste to accept):"]
        lines += _rules(report, currency)
    if report.warnings:
        lines += ["", "Warnings:"] + [f"  {w}" for w in report.warnings]
    if report.reconciliation is not None:
        rec = report.reconciliation
        lines += ["", "Reconciliation (all years):", "  " + reconciliation_line(rec, citywide)]
        share = rec.off_map_share
        shown = fmt.percent(share * 100) if share >= 0.001 or share == 0 else "under 0.1%"
        lines.append(f"  Off the map: {fmt.money_cents(rec.off_map, rec.currency)} ({shown} of the "
                     "money read: unknown district, no location or rejected rows)")
    return "\n".join(lines)


def _rules(report: LoadReport, currency: str) -> list[str]:
    lines = []
    for rule in report.suggested_rules:
        money = f", {fmt.money_cents(rule.amount_cents, currency)}" if rule.amount_cents else ""
        lines.append(f"  {rule.table}: {rule.description} — {rule.keys:,} key(s), {rule.rows:,} row(s){money}")
        lines += ["    " + line for line in rule.toml.strip().splitlines()]
    return lines
