"""Open a dataset: load it through the loaders and reconcile its money."""
from __future__ import annotations

from pathlib import Path

from budgetmap.reconcile import reconcile
from loaders.dataset import load_dataset
from loaders.model import Dataset


def primary_amount(dataset: Dataset) -> str:
    """Actual spending when the data has it, else budget: what the maps show by default."""
    return "actual_cents" if dataset.has_actual or not dataset.has_budget else "budget_cents"


def open_dataset(path: str | Path) -> Dataset:
    """Load a manifest into a Dataset whose report carries the whole-file reconciliation."""
    dataset, rejected = load_dataset(path)
    amount = primary_amount(dataset)
    dataset.report.reconciliation = reconcile(dataset.spending, amount, dataset.currency,
                                              rejected.get(amount, 0))
    return dataset
