"""Command line: ``python -m budgetmap check MANIFEST [--json] [--max-off-map PCT]``, plus ``snapshot``, ``book``
and ``warnings``.

Exit 0 when the data loads (problems in rows are reported, not fatal), 2 with
the message when it cannot be loaded at all, 3 when it loads but more money
than ``--max-off-map`` allows is off the map. ``snapshot`` and ``book`` (maps as
files) live in ``budgetmap.cli_snapshot``, ``warnings`` (early warning) in ``budgetmap.cli_warnings``.

Importing this module costs next to nothing: the loaders, mapclassify, scipy,
matplotlib and PySAL (seconds together) are imported by the command that needs
them, when it runs, and the ``stats`` options (whose choices come from the
statistics registries) are only built when ``stats`` is the command.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from budgetmap import cli_stats
from budgetmap.cli_snapshot import add_commands
from budgetmap.cli_warnings import add_command as add_warnings


#: Exit status of ``check`` when the data loads but too much money is off the map (2 = cannot load).
OFF_MAP_EXIT = 3


def _check(args: argparse.Namespace) -> int:
    from budgetmap.dataset import open_dataset
    from budgetmap.model.errors import LoadError
    from budgetmap.report_text import report_text

    try:
        dataset = open_dataset(args.manifest)
    except LoadError as exc:
        if args.json:
            print(json.dumps({"error": str(exc)}, indent=2))
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rec = dataset.report.reconciliation
    share = rec.off_map_share if rec is not None else 0.0
    too_much = args.max_off_map is not None and share * 100 > args.max_off_map
    if args.json:
        out = dataset.report.to_dict() | {"currency": dataset.currency,
                                          "districts": len(dataset.districts),
                                          "fiscal_years": dataset.fiscal_years,
                                          "layers": [{"key": layer.key, "label": layer.label,
                                                      "districts": len(layer.districts)}
                                                     for layer in dataset.layers]}
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print(report_text(dataset.report, dataset.currency, dataset.citywide_label))
    if too_much:
        print(f"error: {share:.2%} of the money is off the map, above --max-off-map {args.max_off_map:g}%; "
              "the load report lists it (accept its suggested rules, or fix the keys)", file=sys.stderr)
        return OFF_MAP_EXIT
    return 0


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage (e.g. 5 or 0.5)") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 100")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and still exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="python -m budgetmap",
                                     description="Budget and results on one map.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="load a dataset and print its load report")
    check.add_argument("manifest", help="path to the dataset manifest (TOML)")
    check.add_argument("--json", action="store_true", help="machine-readable report")
    check.add_argument("--max-off-map", type=_percent, metavar="PCT",
                       help=f"exit {OFF_MAP_EXIT} when more than PCT%% of the money read is off the map "
                            "(unknown district, no location or rejected rows)")
    check.set_defaults(run=_check)
    add_commands(sub)
    if _command(sys.argv[1:] if argv is None else argv) == "stats":
        cli_stats.add_command(sub)
    else:  # listed under --help all the same, with the same line
        sub.add_parser("stats", help=cli_stats.HELP)
    add_warnings(sub)
    args = parser.parse_args(argv)
    return int(args.run(args))


def _command(argv: Sequence[str]) -> str | None:
    """The sub-command asked for: the first argument that is not an option (the main parser has
    no option that takes a value)."""
    return next((a for a in argv if not a.startswith("-")), None)
