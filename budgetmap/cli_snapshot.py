"""``python -m budgetmap snapshot`` and ``python -m budgetmap book``: maps as files, for print.

Flags are named after the app's URL parameters (``--dept`` is ``?dept=``), so a
view moves between the address bar, a book and a command line unchanged. Every
refusal is one line on stderr and exit code 2; a book also exits 2 when any view
failed, after drawing the others.

Only the book's constants are imported to build the parser; the loaders, the
renderer and the map builders when a command runs, so ``--help`` and a usage
error answer at once.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetmap.book import DEFAULT_BASE_URL
from budgetmap import fmt as numbers  # 'fmt' here is a file format

#: flag -> help; each is also the URL parameter of the same name
VIEW_FLAGS = {
    "measure": "spending measure: total, per_capita, per_km2, share",
    "year": "fiscal year shown (2016, FY16 and FY 2015-16 all mean 2016); default: the latest",
    "amount": "actual or budget",
    "scheme": "class breaks: quantiles, equal_interval, natural_breaks, manual",
    "k": "number of classes, 2 to 9",
    "palette": "YlGnBu, Blues, PuBu, Oranges, viridis, cividis",
    "district": "district to outline, by id, label or a name no other district has",
    "since": "first fiscal year of a cumulative (added-up) view",
    "lock": "fiscal year whose class breaks are kept",
    "indicator": "indicator key (target and bivariate maps)",
    "base": "the earlier year of a change map",
    "change": "change map: absolute or percent",
    "div": "diverging palette of target and change maps: RdBu, PuOr, BrBG",
    "period": "warning map: the as-of period, 2025Q2 (or Q2 with --year); default: the latest",
    "behind": "warning map: share (of project budget behind plan) or count (of projects)",
    "of": "cluster map: the statistics of the spending measure (default) or of the indicator",
    "stat": "cluster map: lisa (local Moran quadrants, default) or gi (Getis-Ord Gi* hot and cold spots)",
    "weights": "cluster map: queen (default), rook or knn neighbours",
    "smooth": "on: per-resident rates also smoothed (empirical Bayes)",
    "outliers": "outlier rule every map outlines by: tukey (default) or mad",
}
LIST_FLAGS = {"dept": "department filter (repeat for several)", "program": "program filter (repeatable)",
              "fund": "fund filter (repeatable)", "breaks": "manual class upper bound (repeatable, or 10,20,50)",
              "severity": "warning map: red or amber (repeatable)"}


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register the snapshot and book sub-commands on the main parser."""
    snap = sub.add_parser("snapshot", help="draw one map view as PNG, SVG or PDF")
    snap.add_argument("manifest", help="path to the dataset manifest (TOML)")
    snap.add_argument("--out", required=True, help="file to write; .png, .svg or .pdf sets the format")
    snap.add_argument("--map", default="spending", help="spending (default), target, change, bivariate, warning or cluster")
    for name, text in VIEW_FLAGS.items():
        snap.add_argument(f"--{name}", help=text)
    for name, text in LIST_FLAGS.items():
        snap.add_argument(f"--{name}", action="append", help=text)
    snap.add_argument("--title", default="", help="replace the map's own title")
    _common(snap)
    snap.add_argument("--dataset-key", help="the app's catalogue key for the permalink "
                                            "(default: demo for the demo city, else the manifest's file name)")
    snap.set_defaults(run=_snapshot)

    book = sub.add_parser("book", help="draw every view listed in a TOML file, plus one PDF of them all")
    book.add_argument("views", help="the book: a TOML file of [[view]] tables (see examples/book_demo.toml)")
    book.add_argument("--out", required=True, help="folder to write the images and the PDF into")
    book.add_argument("--svg", action="store_true", default=None, help="also write an SVG of every view")
    _common(book, base_default=None)
    book.set_defaults(run=_book)


def _common(parser: argparse.ArgumentParser, base_default: str | None = DEFAULT_BASE_URL) -> None:
    parser.add_argument("--base-url", default=base_default,
                        help=f"address of the app, for the permalink on each page (default {DEFAULT_BASE_URL})")
    parser.add_argument("--dpi", type=int, help="PNG resolution (default 300)")


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _snapshot(args: argparse.Namespace) -> int:
    from budgetmap.dataset import open_dataset
    from budgetmap.model.errors import LoadError
    from budgetmap.render.static import FORMATS
    from budgetmap.snapshot import ViewError, dataset_key, parse_view, snapshot

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        return _fail(f"--out: cannot tell the format of {args.out!r}; end it in .png, .svg or .pdf")
    dpi = args.dpi or 300
    if not 50 <= dpi <= 1200:
        return _fail(f"--dpi: {dpi} is not from 50 to 1200")
    values = {name: getattr(args, name) for name in VIEW_FLAGS}
    values |= {name: getattr(args, name) for name in LIST_FLAGS}
    if args.breaks:  # numbers may come comma-separated; names may hold commas, so only breaks split
        values["breaks"] = [part for value in args.breaks for part in value.split(",") if part.strip()]
    try:
        view = parse_view(values, prefix="--")
        dataset = open_dataset(args.manifest)
        data, url = snapshot(dataset, args.map, view, fmt, key=args.dataset_key or dataset_key(args.manifest),
                        base_url=args.base_url, dpi=dpi, title=args.title, prefix="--")
    except (ViewError, LoadError) as exc:
        return _fail(str(exc))
    try:
        out.write_bytes(data)
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror or exc}")
    print(f"wrote {out} ({fmt.upper()}{f', {dpi} dpi' if fmt == 'png' else ''}, {numbers.count(len(data) // 1024)} KB)")
    print(f"link: {url}")
    return 0


def _book(args: argparse.Namespace) -> int:
    from budgetmap.book import BookError, make_book, read_book

    if args.dpi is not None and not 50 <= args.dpi <= 1200:
        return _fail(f"--dpi: {args.dpi} is not from 50 to 1200")
    try:
        book = read_book(args.views)
    except BookError as exc:
        return _fail(str(exc))
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        return _fail(f"--out: {out} exists and is not a folder")
    outcomes, pdf = make_book(book, out, base_url=args.base_url, svg=args.svg, dpi=args.dpi,
                              echo=lambda line: print(line, flush=True))
    failed = [o for o in outcomes if o.error]
    done = len(outcomes) - len(failed)
    where = f"; {pdf} has {numbers.plural(done, 'page')}" if pdf else "; no PDF (no view could be drawn)"
    print(f"{numbers.of(done, len(outcomes))} views drawn into {out}{where}")
    for o in failed:
        print(f"error: view {o.index} ({o.label!r}): {o.error}", file=sys.stderr)
    return 2 if failed else 0
