"""``python -m budgetmap warnings MANIFEST [--year Y] [--period P] [--json] [--fail-on red|amber]``.

For a scheduled job that alerts: the notices (one line per department) or the
JSON document (``year``, ``period``, ``warnings`` and a key per flag), and an
exit code a scheduler can act on: 0, or 1 when ``--fail-on`` matches a warning;
2 with one line on stderr when the data cannot load, has no plans, or the year
or period is not one the dataset can be monitored at (the line lists those).
"""
from __future__ import annotations

import argparse
import json
import sys

#: ``--fail-on`` -> the severities that make the command exit FAIL_EXIT.
FAIL_ON = {"red": ("red",), "amber": ("amber", "red")}
FAIL_EXIT = 1


def add_command(sub: argparse._SubParsersAction) -> None:
    """Register the ``warnings`` sub-command on the main parser."""
    cmd = sub.add_parser("warnings", help="projects behind plan (and other early-warning flags) at one period")
    cmd.add_argument("manifest", help="path to the dataset manifest (TOML)")
    cmd.add_argument("--year", help="fiscal year (2025, FY25 and FY 2024-25 all mean 2025); "
                                    "default: the latest monitored period's")
    cmd.add_argument("--period", help="quarter (Q1..Q4) or month (M01..M12, or a month's name); default: the "
                                      "latest monitored period (of --year, when given)")
    cmd.add_argument("--dept", action="append", default=[], help="only this department (repeat for several)")
    cmd.add_argument("--json", action="store_true", help="machine-readable output")
    cmd.add_argument("--fail-on", choices=tuple(FAIL_ON),
                     help=f"exit {FAIL_EXIT} when any warning is red (red), or amber or red (amber)")
    cmd.set_defaults(run=run)


def _refuse(message: str, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"error": message}, indent=2, ensure_ascii=False))
    print(f"error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from budgetmap import monitor
    from budgetmap.dataset import open_dataset
    from budgetmap.model.errors import LoadError

    try:
        dataset = open_dataset(args.manifest)
    except LoadError as exc:
        return _refuse(str(exc), args.json)
    try:
        period = monitor.find_period(dataset, args.year, args.period)
        found = monitor.watch(dataset, period, departments=tuple(args.dept))
    except monitor.PeriodError as exc:
        return _refuse(str(exc), args.json)
    if args.json:
        print(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
    else:
        lines = [n.text for n in monitor.notices(found)]
        print("\n".join(lines) if lines else f"No warnings at {period.name}: {found.monitored} project(s) "
                                              "monitored, none behind plan and no flags.")
    failing = FAIL_ON.get(args.fail_on or "", ())
    return FAIL_EXIT if any(w.severity in failing for w in found.warnings) else 0
