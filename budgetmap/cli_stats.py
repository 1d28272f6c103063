"""``python -m budgetmap stats MANIFEST (--indicator KEY | --measure NAME) --year Y [--weights ...] [--json]``.

Clusters, hot spots, outliers and small numbers of the values one map shows
(docs/analysis.md). Flags are the app's URL parameters where they mean the same
(``--dept`` is ``?dept=``), read and checked by the same table, so a value the
data does not have is one line on stderr and exit code 2, naming what it has.
The statistics libraries are imported only when the command runs: PySAL alone
takes seconds, and ``check`` should not wait for it.
"""
from __future__ import annotations

import argparse
import json
import sys

from budgetmap import fmt


#: flag -> (URL parameter, help) of the view settings the command takes besides --indicator/--measure
VIEW_FLAGS = {"year": "fiscal year (2016, FY16 and FY 2015-16 all mean 2016); default: the latest",
              "layer": "boundary layer (a [[layers]] key); default: the default layer",
              "amount": "spending measures: actual or budget",
              "since": "spending measures: first fiscal year of several added up"}
LIST_FLAGS = {"dept": "spending measures: department filter (repeat for several)",
              "program": "spending measures: program filter (repeatable)",
              "fund": "spending measures: fund filter (repeatable)"}


HELP = "clusters (Moran's I, LISA), hot spots (Gi*), outliers and small numbers of one map's district values"


def add_command(sub: argparse._SubParsersAction) -> None:
    """Register ``stats`` on the main parser (the registries' keys are listed without importing PySAL)."""
    from budgetmap.stats.outliers import DEFAULT_OUTLIER_RULE, OUTLIER_RULES
    from budgetmap.stats.spatial import ALPHA
    from budgetmap.stats.values import INDICATOR_BASES
    from budgetmap.stats.weights import DEFAULT_WEIGHTS, WEIGHTS

    stats = sub.add_parser("stats", help=HELP)
    stats.add_argument("manifest", help="path to the dataset manifest (TOML)")
    what = stats.add_mutually_exclusive_group(required=True)
    what.add_argument("--indicator", help="an indicator key: the values of its target map")
    what.add_argument("--measure", help="a spending measure (total, per_capita, per_km2, share)")
    for name, text in VIEW_FLAGS.items():
        stats.add_argument(f"--{name}", help=text)
    for name, text in LIST_FLAGS.items():
        stats.add_argument(f"--{name}", action="append", help=text)
    stats.add_argument("--weights", default=DEFAULT_WEIGHTS, choices=list(WEIGHTS),
                       help=f"who neighbours whom (default {DEFAULT_WEIGHTS}); row-standardised")
    stats.add_argument("--on", default="value", choices=list(INDICATOR_BASES),
                       help="indicators: the reported value (default) or the gap to goal")
    stats.add_argument("--outliers", default=DEFAULT_OUTLIER_RULE, choices=list(OUTLIER_RULES),
                       help=f"outlier rule (default {DEFAULT_OUTLIER_RULE})")
    stats.add_argument("--alpha", type=_level, default=ALPHA, help=f"significance level (default {ALPHA:g})")
    stats.add_argument("--smooth", action="store_true",
                       help="per-resident measures: run the statistics on empirical Bayes smoothed rates")
    stats.add_argument("--money", action="store_true",
                       help="indicators: also correlate the gap to goal with per-resident spending")
    stats.add_argument("--control", help="with --money: a numeric district column to hold fixed (or density)")
    stats.add_argument("--json", action="store_true", help="machine-readable result")
    stats.set_defaults(run=_stats)


def _level(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number such as 0.05") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1")
    return value


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _stats(args: argparse.Namespace) -> int:
    from budgetmap.dataset import open_dataset
    from budgetmap.model.errors import LoadError
    from budgetmap.snapshot import ViewError, check_view, parse_view
    from budgetmap.stats.analysis import analyse
    from budgetmap.stats.report import to_dict
    from budgetmap.stats.values import indicator_values, measure_values

    kind = "target" if args.indicator is not None else "spending"
    values = {"indicator": args.indicator, "measure": args.measure}
    values |= {name: getattr(args, name) for name in (*VIEW_FLAGS, *LIST_FLAGS)}
    if args.money and kind != "target":
        return _fail("--money: give an --indicator (money is set against an indicator's gap to goal)")
    if args.control and not args.money:
        return _fail("--control: only with --money")
    try:
        view = parse_view(values, prefix="--")
        dataset = open_dataset(args.manifest)
        view = check_view(dataset, kind, view, prefix="--")
    except (ViewError, LoadError) as exc:
        return _fail(str(exc))
    subject = indicator_values(dataset, view, args.on) if kind == "target" else measure_values(dataset, view)
    if subject is None:
        return _fail("--indicator: the data has no indicator by district")
    if args.smooth and not subject.per_resident:
        return _fail(f"--smooth: {subject.label} is not a per-resident rate (smoothing needs --measure per_capita)")
    result = analyse(dataset, subject, weights=args.weights, alpha=args.alpha, outlier_rule=args.outliers,
                     smooth=args.smooth)
    out = {"dataset": dataset.name} | to_dict(result)
    if args.money:
        from budgetmap.stats.money import money_and_results

        try:
            money = money_and_results(dataset, view, args.control)
        except KeyError as exc:
            return _fail(f"--control: {exc.args[0]}")
        from budgetmap.targets import meta_for

        unit = meta_for(dataset, subject.key).unit
        out["money"] = (money.to_dict() | {"sentence": money.sentence(unit, dataset.currency)}
                        if money is not None else None)
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print(_text(out))
    return 0


def _text(out: dict) -> str:
    """The result for a person: the summary, then every district with something to say."""
    year = out["year"]
    years = f"FY{year[0]}–FY{year[-1]}" if isinstance(year, list) else f"FY{year}"
    lines = [f"{out['label']} — {out['dataset']}, {years}",
             f"{out['weights_label']} (row-standardised), {out['permutations']} permutations (seed {out['seed']}), "
             f"significance level {out['alpha']:g}; {fmt.of(out['n'], out['districts'])} districts tested", "",
             out["summary"], ""]
    names = out["names"]
    flagged = []
    for district, name in names.items():
        notes = []
        lisa = out["lisa"].get(district)
        if lisa and lisa["significant"]:
            notes.append(f"{lisa['quadrant']} (p = {lisa['p_sim']:.3f})")
        gi = out["gi"].get(district)
        if gi and gi["class"] != "ns":
            notes.append(f"Gi* {gi['class']} (p = {gi['p_sim']:.3f})")
        for key, word in (("outliers", "outlier"), ("small_numbers", "small numbers"), ("islands", "island")):
            if district in out[key]:
                notes.append(word)
        if notes:
            flagged.append(f"  {district}  {name}: {', '.join(notes)}")
    lines += (["Districts:"] + flagged) if flagged else ["No district is significant, an outlier or flagged."]
    money = out.get("money")
    if money:
        lines += ["", f"Money and results: {money['sentence']}"]
    return "\n".join(lines)
