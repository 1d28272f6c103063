"""The kinds of map the app draws: one table, read by the pages, the cache and the CLI.

Every builder takes a Dataset and a view and returns a MapSpec (or None when the
data cannot support that map), so a new kind of map is one row here.
"""
from __future__ import annotations

from collections.abc import Callable

from budgetmap.bivariate import build_bivariate_map
from budgetmap.cluster_map import build_cluster_map
from budgetmap.compare import build_change_map
from budgetmap.mapspec import MapSpec
from budgetmap.spending_map import build_spending_map
from budgetmap.target_map import build_target_map
from budgetmap.view import SpendingView
from budgetmap.warning_map import build_warning_map
from budgetmap.model import Dataset

Builder = Callable[[Dataset, SpendingView], MapSpec | None]

MAP_KINDS: dict[str, Builder] = {
    "spending": build_spending_map,
    "target": build_target_map,
    "change": build_change_map,
    "bivariate": build_bivariate_map,
    "warning": build_warning_map,
    "cluster": build_cluster_map,
}
