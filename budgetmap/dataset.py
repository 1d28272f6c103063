"""Open a dataset: the file/database implementation behind the model (loaders), and its defaults."""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from budgetmap.model import Dataset
from budgetmap.model.ledger import primary_amount as ledger_primary_amount

#: ``progress(fraction, what)``: the share of a long read done (0 to 1) and what it is doing (loaders.progress).
Progress = Callable[[float, str], None]

if TYPE_CHECKING:
    import pandas as pd

    from loaders.guess import Guess, IndicatorGuess


def primary_amount(dataset: Dataset) -> str:
    """Actual spending when the data has it, else budget: what the maps show by default."""
    return ledger_primary_amount(dataset.ledger)


def open_dataset(path: str | Path, isolated: bool = False, progress: Progress | None = None) -> Dataset:
    """Load a manifest into a Dataset whose report carries the whole-file reconciliation.

    ``isolated`` parses the files in a separate process with time and memory
    limits (``loaders.sandbox``): what the app does, so one hostile file cannot
    take the server down. The command line loads in its own process already.
    ``progress(fraction, what)`` hears each step of a long load (a plain function:
    the page's bar, never Streamlit itself, lives in ``ui``).
    """
    if isolated:
        from loaders.sandbox import load_isolated

        return load_isolated(path, progress=progress) if progress is not None else load_isolated(path)
    from loaders.dataset import load_dataset  # the loaders produce the model; the domain only opens them

    return load_dataset(path, progress) if progress is not None else load_dataset(path)


@dataclass(frozen=True)
class ManifestInfo:
    """What the dataset picker needs before loading: the name, and the files whose change means reload."""

    name: str
    files: tuple[Path, ...]  # the manifest first, then every data file it names
    boundaries_present: bool  # False when the default boundary file is named but absent
    draft: bool = False  # the manifest's ``draft = true``: only signed-in editors see it (budgetmap.access)


def describe_manifest(path: str | Path) -> ManifestInfo:
    """Read only the manifest (no data); raises LoadError when it cannot be read.

    The app asks several times per rerun of every session (the cache keys are
    the files' modification times), so the parsed manifest is kept until the
    manifest file itself changes; whether the boundary file exists is looked
    up every time.
    """
    path = Path(path)
    try:
        stat = path.stat()
        version: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = None
    name, files, boundary, draft = _read_manifest(str(path), version)
    return ManifestInfo(name, files, boundary is None or boundary.exists(), draft)


@functools.lru_cache(maxsize=64)
def _read_manifest(path: str, version: tuple[int, int] | None) -> tuple[str, tuple[Path, ...], Path | None, bool]:
    """(name, files, default boundary file, draft) of one version of a manifest; errors are not kept."""
    from loaders.manifest import read_manifest

    manifest = read_manifest(path)
    tables = (*manifest.layers, manifest.population, manifest.spending, *manifest.indicators, manifest.plans)
    files = (manifest.path, *(t.path for t in tables if t and t.path))
    return manifest.name, tuple(files), manifest.districts.path, manifest.draft


def preview_layers(path: Path) -> list[str]:
    """The layers of an uploaded GIS file (raises LoadError with the loaders' message)."""
    from loaders.preview import layers

    return layers(path)


def preview_sheets(path: Path) -> list[str]:
    """The sheets of an uploaded workbook ([] for CSV and Parquet)."""
    from loaders.preview import sheets

    return sheets(path)


def preview_boundaries(path: Path, layer: str | None = None) -> pd.DataFrame:
    """An uploaded boundary file's attributes as text (no geometry)."""
    from loaders.preview import boundary_attributes

    return boundary_attributes(path, layer)


def preview_table(path: Path, sheet: str | None = None, progress: Progress | None = None) -> pd.DataFrame:
    """An uploaded spending table as the loaders read it (text cells); ``progress`` hears the share read."""
    from loaders.preview import table

    return table(path, sheet, progress)


def guess_columns(attributes: pd.DataFrame, frame: pd.DataFrame) -> Guess:
    """Which columns are the boundary id and name, the table's key, year, amount and department."""
    from loaders.guess import guess

    return guess(attributes, frame)


def guess_indicator_columns(attributes: pd.DataFrame, frame: pd.DataFrame) -> IndicatorGuess:
    """An indicator table's key (by content, as for spending), year, indicator, result and goal columns."""
    from loaders.guess import indicator_guess

    return indicator_guess(attributes, frame)


def upload_suffixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(boundary, table) file extensions the page takes."""
    from loaders.boundaries import BOUNDARY_SUFFIXES
    from loaders.preview import TABLE_SUFFIXES

    return BOUNDARY_SUFFIXES, TABLE_SUFFIXES
