"""budgetmap: a government's budget and its results on one map.

The pure domain package: nothing here imports streamlit, so every rule is a plain
function that tests and the command line can call. ``open_dataset`` is imported
lazily: the loaders import ``budgetmap.model``, and an eager import here would
make the two packages import each other.
"""
from typing import Any

__all__ = ["open_dataset"]


def __getattr__(name: str) -> Any:
    if name == "open_dataset":
        from budgetmap.dataset import open_dataset

        return open_dataset
    raise AttributeError(name)
