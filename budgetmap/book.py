"""A budget book: many map views, listed in a TOML file, printed as images and one PDF.

A bad view (a typo, a year the data lacks, a missing file) must not cost the
others: each view succeeds or fails on its own, the failure names the view by
number and title, and the PDF keeps every page that worked. Datasets and
district outlines are loaded once however many views use them.
"""
from __future__ import annotations

import dataclasses
import re
import tomllib
from difflib import get_close_matches
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # drawing pulls in matplotlib, geopandas and mapclassify: seconds the CLI's
    # --help and a book file's own errors should not wait for, so they are imported when drawing
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.path import Path as MplPath

    from budgetmap.model import Dataset

BOOK_KEYS = {"title", "manifest", "base_url", "svg", "dpi", "pdf", "view"}
VIEW_KEYS = {"manifest", "map", "title", "name", "dataset"}  # besides the URL parameters (all text)
DEFAULT_BASE_URL = "http://localhost:8501"
#: A book of 500 maps is already hours of drawing; its TOML is a few hundred bytes a view.
MAX_VIEWS = 500
MAX_BYTES = 1024 * 1024


class BookError(ValueError):
    """The book file itself cannot be read; nothing is drawn."""


@dataclass
class Book:
    path: Path
    title: str
    views: list[dict[str, Any]]
    manifest: str | None = None
    base_url: str = DEFAULT_BASE_URL
    svg: bool = False
    dpi: int = 300
    pdf: str = ""


@dataclass
class Outcome:
    index: int
    label: str
    files: list[Path] = field(default_factory=list)
    error: str = ""


def read_book(path: str | Path) -> Book:
    """The book's settings and its [[view]] tables (checked one by one when drawn)."""
    path = Path(path)
    try:
        if not path.is_file():  # a FIFO or a device would be read forever
            raise BookError(f"{path}: not a file" if path.exists() else f"{path}: no such file")
        if path.stat().st_size > MAX_BYTES:
            raise BookError(f"{path}: {path.stat().st_size / 1024 / 1024:.1f} MB; a book file is at most "
                            f"{MAX_BYTES // 1024 // 1024} MB ({MAX_VIEWS} views)")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BookError(f"{path}: cannot read the book ({exc.strerror or exc})") from None
    except RecursionError:
        raise BookError(f"{path}: not valid TOML (nested too deeply to read)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BookError(f"{path}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - BOOK_KEYS)
    if unknown:
        raise BookError(f"{path}: unknown setting(s) {', '.join(unknown)} (known: {', '.join(sorted(BOOK_KEYS))})")
    views = data.get("view", [])
    if not isinstance(views, list) or not views or not all(isinstance(v, dict) for v in views):
        raise BookError(f"{path}: no views; list them as [[view]] tables")
    if len(views) > MAX_VIEWS:
        raise BookError(f"{path}: {len(views):,} views; a book holds at most {MAX_VIEWS}")
    dpi = data.get("dpi", 300)
    if not isinstance(dpi, int) or not 50 <= dpi <= 1200:
        raise BookError(f"{path}: dpi must be a whole number from 50 to 1200, not {dpi!r}")
    return Book(path, str(data.get("title", path.stem)), views, data.get("manifest"),
                str(data.get("base_url", DEFAULT_BASE_URL)), bool(data.get("svg", False)), dpi,
                str(data.get("pdf", "")))


def slug(text: str) -> str:
    """A file-name-safe stem: letters, digits and dashes only, whatever the title holds."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-") or "view"


def _guess_label(table: dict[str, Any]) -> str:
    """What a view is called before its map exists: its title, else its kind, measure and year."""
    from budgetmap.fields import MAX_TEXT
    if table.get("title"):
        return str(table["title"])[:MAX_TEXT]
    parts = [f"{table.get('map', 'spending')} map", str(table.get("indicator") or table.get("measure") or "")]
    if "year" in table:
        parts.append(f"FY{table['year']}")
    return " ".join(p for p in parts if p)[:MAX_TEXT]


class _Sources:
    """Datasets and their outlines, loaded once per manifest (failures remembered too)."""

    def __init__(self) -> None:
        self._loaded: dict[Path, tuple[Dataset, dict[str | None, list[MplPath]]] | LoadError] = {}

    def get(self, manifest: Path) -> tuple[Dataset, dict[str | None, list[MplPath]]]:
        from budgetmap.dataset import open_dataset
        from budgetmap.model.errors import LoadError

        key = manifest.resolve()
        if key not in self._loaded:
            try:
                dataset = open_dataset(key)
                self._loaded[key] = (dataset, {})
            except LoadError as exc:
                self._loaded[key] = exc
        found = self._loaded[key]
        if isinstance(found, LoadError):
            raise found
        return found


def _draw(book: Book, table: dict[str, Any], index: int, out: Path, sources: _Sources,
          pdf: PdfPages, base_url: str, svg: bool, dpi: int) -> Outcome:
    from budgetmap.fields import Refused, Text
    from budgetmap.permalink import URL_FIELDS
    from budgetmap.render.furniture import context_for
    from budgetmap.render.static import district_paths, figure, file_metadata, page_settings, save
    from budgetmap.snapshot import ViewError, build, dataset_key, link, parse_view

    outcome = Outcome(index, _guess_label(table))
    unknown = [k for k in table if k not in VIEW_KEYS and k not in URL_FIELDS]
    if unknown:
        known = sorted(VIEW_KEYS | set(URL_FIELDS))
        hints = [f"{k} (did you mean {close[0]}?)" if (close := get_close_matches(k, known, 1)) else k
                 for k in sorted(unknown)]
        raise ViewError(f"unknown setting(s) {', '.join(hints)}")
    for key in sorted(VIEW_KEYS & set(table)):
        if table[key] == "":
            continue
        try:
            Text().take(table[key])
        except Refused as exc:
            raise ViewError(f"{key}: {exc}") from None
    manifest = table.get("manifest", book.manifest)
    if not manifest:
        raise ViewError("no manifest: give one in the view or at the top of the book")
    manifest_path = book.path.parent / str(manifest)
    dataset, paths = sources.get(manifest_path)
    kind = str(table.get("map", "spending"))
    view = parse_view({k: v for k, v in table.items() if k not in VIEW_KEYS})
    view, spec = build(dataset, kind, view)
    if table.get("title"):
        spec = dataclasses.replace(spec, title=str(table["title"]))
    outcome.label = spec.title if not table.get("title") else outcome.label
    key = str(table.get("dataset") or dataset_key(manifest_path))
    districts = dataset.layer(spec.layer).districts
    if spec.layer not in paths:  # outlines are drawn once per layer and reused by every view
        paths[spec.layer] = district_paths(districts)
    fig = figure(spec, districts, permalink=link(base_url, kind, key, view, spec), paths=paths[spec.layer],
                 context=context_for(dataset, spec.layer))
    stem = f"{index:02d}-{slug(str(table.get('name') or spec.title))}"
    for fmt in ("png", "svg") if svg else ("png",):
        target = out / f"{stem}.{fmt}"
        target.write_bytes(save(fig, fmt, dpi=dpi, **file_metadata(spec)))
        outcome.files.append(target)
    with page_settings():
        pdf.savefig(fig)
    return outcome


def make_book(book: Book, out: Path, *, base_url: str | None = None, svg: bool | None = None,
              dpi: int | None = None, echo: Callable[[str], None] = print) -> tuple[list[Outcome], Path | None]:
    """Draw every view into ``out``; (one outcome per view, the PDF or None when no page worked)."""
    from matplotlib.backends.backend_pdf import PdfPages

    from budgetmap.model.errors import LoadError
    from budgetmap.render.static import page_settings
    from budgetmap.snapshot import ViewError

    out.mkdir(parents=True, exist_ok=True)
    pdf_path = out / (book.pdf or f"{book.path.stem}.pdf")
    sources, outcomes, total = _Sources(), [], len(book.views)
    base_url = base_url or book.base_url
    # fonts are embedded when the document closes: inside page_settings, so as TrueType (pdf.fonttype 42)
    # whose text can be searched and read aloud, not Type 3 glyphs that extract as garbage
    with page_settings(), PdfPages(pdf_path, metadata={"Title": book.title, "CreationDate": None,
                                                       "Keywords": "budget book, budget map"}) as pdf:
        for index, table in enumerate(book.views, start=1):
            try:
                outcome = _draw(book, table, index, out, sources, pdf, base_url,
                                book.svg if svg is None else svg, dpi or book.dpi)
                echo(f"[{index}/{total}] {outcome.label} … ok")
            except (ViewError, LoadError, OSError) as exc:
                outcome = Outcome(index, _guess_label(table), error=str(exc))
            except Exception as exc:  # noqa: BLE001 - one broken view must not stop the book
                outcome = Outcome(index, _guess_label(table), error=f"unexpected {type(exc).__name__}: {exc}")
            if outcome.error:
                echo(f"[{index}/{total}] {outcome.label} … FAILED: {outcome.error}")
            outcomes.append(outcome)
        pages = pdf.get_pagecount()
        pdf.infodict()["Subject"] = f"{book.title}: {pages} map page{'s' if pages != 1 else ''}, each with its summary"
    if not pages:  # matplotlib writes an empty document; no pages is no book
        pdf_path.unlink(missing_ok=True)
    return outcomes, pdf_path if pages else None
