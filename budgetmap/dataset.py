"""Open a dataset: the file/database implementation behind the model (loaders), and its defaults."""
from __future__ import annotations

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
    """Read only the manifest (no data); raises LoadError when it cannot be read."""
    from loaders.manifest import read_manifest

    manifest = read_manifest(path)
    tables = (*manifest.layers, manifest.population, manifest.spending, *manifest.indicators, manifest.plans)
    files = (manifest.path, *(t.path for t in tables if t and t.path))
    boundary = manifest.districts.path
    return ManifestInfo(manifest.name, tuple(files), boundary is None or boundary.exists())
