"""Benchmark: static snapshots and a 20-view budget book against a naive geopandas baseline.

Run:  .venv/bin/python bench/bench_snapshot.py            (demo, and Chicago wards if ../shared/data)
      .venv/bin/python bench/bench_snapshot.py --reps 9
      .venv/bin/python bench/bench_snapshot.py --quick    (3 reps, demo only, 6-view book)

Both sides draw the same numbers on the same 11 x 8 in page at 300 dpi, in one process:

* ours: ``budgetmap.render.static.render(spec, districts, "png", dpi=300)`` from a MapSpec
  (title, subtitle, legend with counts, zero and no-data swatches, hatching, notes,
  reconciliation, source, permalink);
* naive: the textbook ``GeoDataFrame.plot(column=..., scheme="quantiles", k=5,
  cmap="YlGnBu", legend=True)`` with a title, ``plt.savefig(dpi=300)`` — no hatching,
  notes, counts or link.

The MapSpec is built once outside the per-PNG timing (it is what the app builds anyway,
and the naive side gets the same values from it for free). Book timings include it:
ours is ``make_book`` (dataset loaded once, a PNG per view and one PDF page per view);
the naive book loops over the same views building the spec, plotting, saving a PNG and
adding the figure to a ``PdfPages``. Medians of --reps; results in
bench/results/bench_snapshot.json.
"""
from __future__ import annotations

import argparse
import io
import json
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

from budgetmap.book import Book, make_book  # noqa: E402
from budgetmap.dataset import open_dataset  # noqa: E402
from budgetmap.render.static import render  # noqa: E402
from budgetmap.snapshot import build, parse_view  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DEMO = ROOT / "geodata" / "demo" / "manifest.toml"
CHICAGO = ROOT / "examples" / "chicago_wards.toml"
SHARED = ROOT.parent / "shared" / "data"
DPI = 300


def naive_png(spec, districts, out=None) -> bytes:
    """What most notebooks do: GeoDataFrame.plot with a mapclassify scheme, then savefig."""
    # money-vs-results maps carry no single value: the naive plot gets the class number instead
    values = {f.district_id: f.value if f.value is not None else (f.class_index if f.class_index >= 0 else None)
              for f in spec.features}
    frame = districts.assign(value=districts["district_id"].map(values).astype(float))
    fig, ax = plt.subplots(figsize=(11, 8))
    with warnings.catch_warnings():  # mapclassify: "not enough unique values" on class-number maps
        warnings.simplefilter("ignore", UserWarning)
        frame.plot(column="value", scheme="quantiles", k=5, cmap="YlGnBu", legend=True, ax=ax,
                   edgecolor="#4d4d4d", linewidth=0.4, missing_kwds={"color": "#bdbdbd"})
    ax.set_title(spec.title.replace("$", r"\$"))
    ax.set_axis_off()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    if out is not None:
        out.savefig(fig)
    plt.close(fig)
    return buf.getvalue()


def timed(fn, reps: int) -> tuple[float, list[float]]:
    fn()  # warm-up: font cache, glyphs, imports
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), samples


def book_views(dataset, n: int) -> list[dict]:
    """n views of one dataset: spending measures and years, targets, changes, money vs results."""
    years = dataset.fiscal_years
    kinds: list[dict] = []
    for year in reversed(years):
        for measure in ("per_capita", "total", "share"):
            kinds.append({"measure": measure, "year": year})
    extra: list[dict] = [{"map": "change", "base": years[0], "year": years[-1]},
                         {"map": "change", "base": years[0], "year": years[-1], "change": "percent"}]
    if not dataset.indicators.empty and dataset.indicators["district_id"].notna().any():
        extra += [{"map": "target", "year": years[-1]}, {"map": "target", "indicator": "response_time_min"},
                  {"map": "bivariate"}]
    views = extra + kinds
    return [dict(v) for v in (views * (n // len(views) + 1))[:n]]


def naive_book(manifest: Path, views: list[dict], out: Path) -> None:
    dataset = open_dataset(manifest)
    with PdfPages(out / "naive.pdf") as pdf:
        for i, table in enumerate(views, start=1):
            kind = table.get("map", "spending")
            _, spec = build(dataset, kind, parse_view({k: v for k, v in table.items() if k != "map"}))
            (out / f"{i:02d}.png").write_bytes(naive_png(spec, dataset.districts, pdf))


def run_dataset(name: str, manifest: Path, reps: int, book_size: int) -> dict:
    dataset = open_dataset(manifest)
    _, spec = build(dataset, "spending", parse_view({"measure": "per_capita"}))
    ours, ours_s = timed(lambda: render(spec, dataset.districts, "png", permalink="http://localhost:8501/x", dpi=DPI),
                         reps)
    naive, naive_s = timed(lambda: naive_png(spec, dataset.districts), reps)
    fmts = {fmt: timed(lambda f=fmt: render(spec, dataset.districts, f), reps)[0] for fmt in ("svg", "pdf")}
    views = book_views(dataset, book_size)
    book = Book(manifest, f"bench {name}", [dict(v, manifest=str(manifest)) for v in views])
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        outcomes, _ = make_book(book, Path(tmp) / "ours", dpi=DPI, echo=lambda line: None)
        ours_book = time.perf_counter() - start
        assert not [o for o in outcomes if o.error], [o.error for o in outcomes if o.error]
        (Path(tmp) / "naive").mkdir()
        start = time.perf_counter()
        naive_book(manifest, views, Path(tmp) / "naive")
        naive_book_s = time.perf_counter() - start
    return {"dataset": name, "districts": len(dataset.districts),
            "vertices": int(sum(len(g.exterior.coords) if g.geom_type == "Polygon" else
                                sum(len(p.exterior.coords) for p in g.geoms) for g in dataset.districts.geometry)),
            "png_ours_s": ours, "png_naive_s": naive, "png_ours_samples": ours_s, "png_naive_samples": naive_s,
            "svg_ours_s": fmts["svg"], "pdf_ours_s": fmts["pdf"], "book_views": len(views),
            "book_ours_s": ours_book, "book_naive_s": naive_book_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="3 reps, demo only, a 6-view book")
    args = parser.parse_args()
    reps, size = (3, 6) if args.quick else (args.reps, 20)
    datasets = [("demo", DEMO)]
    if not args.quick and (SHARED / "chicago").exists():
        datasets.append(("chicago_wards", CHICAGO))
    rows = [run_dataset(name, path, reps, size) for name, path in datasets]
    print(f"{'dataset':<15}{'districts':>10}{'PNG ours':>10}{'PNG naive':>11}{'SVG ours':>10}{'PDF ours':>10}"
          f"{'book':>6}{'book ours':>11}{'book naive':>12}")
    for r in rows:
        print(f"{r['dataset']:<15}{r['districts']:>10}{r['png_ours_s']:>9.2f}s{r['png_naive_s']:>10.2f}s"
              f"{r['svg_ours_s']:>9.2f}s{r['pdf_ours_s']:>9.2f}s{r['book_views']:>6}"
              f"{r['book_ours_s']:>10.1f}s{r['book_naive_s']:>11.1f}s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {"python": platform.python_version(), "machine": platform.machine(), "matplotlib": matplotlib.__version__,
            "dpi": DPI, "reps": reps}
    (RESULTS / "bench_snapshot.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
