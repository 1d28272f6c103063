"""The data model, owned by the domain: loaders and databases produce it, everything else reads it.

Nothing here imports a loader, a renderer or streamlit.
"""
from budgetmap.model.dataset import INDICATOR_COLUMNS, INDICATOR_PERIOD_COLUMNS, SHORT_NAME, Dataset, IndicatorMeta, Layer
from budgetmap.model.ledger import CATEGORY_COLUMNS, DistrictTotals, Ledger, SpendingQuery
from budgetmap.model.names import DistrictNames
from budgetmap.model.money import LOCATIONS, Reconciliation, exact_group_sum, exact_sum
from budgetmap.model.periods import MONTH, QUARTER, Period
from budgetmap.model.plans import PlanSettings, PlanStep, Plans, ProjectPlan
from budgetmap.model.report import LoadReport, MissingDistrict, RowProblem, SuggestedRule, TableReport, UnmatchedKey

__all__ = ["CATEGORY_COLUMNS", "INDICATOR_COLUMNS", "INDICATOR_PERIOD_COLUMNS", "LOCATIONS", "MONTH", "QUARTER",
           "SHORT_NAME", "Dataset", "DistrictNames", "DistrictTotals", "IndicatorMeta", "Layer", "Ledger", "LoadReport",
           "MissingDistrict", "Period", "PlanSettings", "PlanStep", "Plans", "ProjectPlan", "Reconciliation",
           "RowProblem", "SpendingQuery", "SuggestedRule", "TableReport", "UnmatchedKey", "exact_group_sum",
           "exact_sum"]
