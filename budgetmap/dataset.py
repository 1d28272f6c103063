"""Open a dataset: the file/database implementation behind the model (loaders), and its defaults."""
from __future__ import annotations

from pathlib import Path

from budgetmap.model import Dataset
from budgetmap.model.ledger import primary_amount as ledger_primary_amount


def primary_amount(dataset: Dataset) -> str:
    """Actual spending when the data has it, else budget: what the maps show by default."""
    return ledger_primary_amount(dataset.ledger)


def open_dataset(path: str | Path) -> Dataset:
    """Load a manifest into a Dataset whose report carries the whole-file reconciliation."""
    from loaders.dataset import load_dataset  # the loaders produce the model; the domain only opens them

    return load_dataset(path)
