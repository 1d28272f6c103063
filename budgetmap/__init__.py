"""budgetmap: a government's budget and its results on one map.

The pure domain package: nothing here imports streamlit, so every rule is a plain
function that tests and the command line can call.
"""
from budgetmap.dataset import open_dataset

__all__ = ["open_dataset"]
