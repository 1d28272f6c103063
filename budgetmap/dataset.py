"""Open a dataset: the file/database implementation behind the model (loaders), and its defaults."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from budgetmap.model import Dataset
from budgetmap.model.ledger import primary_amount as ledger_primary_amount


def primary_amount(dataset: Dataset) -> str:
    """Actual spending when the data has it, else budget: what the maps show by default."""
    return ledger_primary_amount(dataset.ledger)


def open_dataset(path: str | Path, isolated: bool = False) -> Dataset:
    """Load a manifest into a Dataset whose report carries the whole-file reconciliation.

    ``isolated`` parses the files in a separate process with time and memory
    limits (``loaders.sandbox``): what the app does, so one hostile file cannot
    take the server down. The command line loads in its own process already.
    """
    if isolated:
        from loaders.sandbox import load_isolated

        return load_isolated(path)
    from loaders.dataset import load_dataset  # the loaders produce the model; the domain only opens them

    return load_dataset(path)


@dataclass(frozen=True)
class ManifestInfo:
    """What the dataset picker needs before loading: the name, and the files whose change means reload."""

    name: str
    files: tuple[Path, ...]  # the manifest first, then every data file it names
    boundaries_present: bool  # False when the default boundary file is named but absent


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
    name, files, boundary = _read_manifest(str(path), version)
    return ManifestInfo(name, files, boundary is None or boundary.exists())


@functools.lru_cache(maxsize=64)
def _read_manifest(path: str, version: tuple[int, int] | None) -> tuple[str, tuple[Path, ...], Path | None]:
    """(name, files, default boundary file) of one version of a manifest; errors are not kept."""
    from loaders.manifest import read_manifest

    manifest = read_manifest(path)
    tables = (*manifest.layers, manifest.population, manifest.spending, *manifest.indicators, manifest.plans)
    files = (manifest.path, *(t.path for t in tables if t and t.path))
    return manifest.name, tuple(files), manifest.districts.path
