"""Every value a person can hand the app, read and checked in one place.

URL parameters, hearing-list slides, budget-book views and snapshot flags all
name the same view settings, so one table (FIELDS) says, per setting: the view
field it fills, the form of its value with its limits, and where its allowed
values come from (a registry, or the dataset's own years, categories, layers,
indicators and districts). Reading has two steps, and both return the problems
they found instead of raising: `read` checks the form of each value (no data
needed: a year of 40,000,000 never becomes a range to build) and `against`
checks the view against one dataset. A shared link falls back to the defaults
with a note; a book, a flag or a hearing list refuses with the same words.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from budgetmap.classify import CLASS_RANGE, SCHEMES
from budgetmap.compare import COMPARE_MODES
from budgetmap.diverging import DIVERGING
# the kinds of value live in field_kinds; they are imported here too, where callers have always found them
from budgetmap.field_kinds import (MAX_BREAKS, MAX_ITEMS, MAX_NUMBER, MAX_TEXT, SHOWN, Choice,  # noqa: F401
                                   Kind, Number, Problem, Refused, Text, Whole, Year, listing, shown)
from budgetmap.measures import MEASURES, available
from budgetmap.model import Dataset
from budgetmap.model.names import Shared
from budgetmap.palettes import PALETTES
from budgetmap.scatter_axis import SCATTER_AXES
from budgetmap.stats.outliers import OUTLIER_RULES
from budgetmap.stats.spatial import STATISTICS
from budgetmap.stats.weights import WEIGHTS
from budgetmap.targets import indicator_layer, indicator_layers, indicator_years, mapped_indicators
from budgetmap.view import SpendingView
from budgetmap import watch_period
from budgetmap.monitor.rules import SEVERITIES
from budgetmap.warning_map import BEHIND

#: (dataset, view, map kind or None) -> the values the data allows (a Mapping also resolves them)
Allowed = Callable[[Dataset, SpendingView, str | None], Collection[Any] | Mapping[Any, Any] | None]


@dataclass(frozen=True)
class Field:
    name: str  # the URL parameter, the book's and the hearing list's key, the CLI flag
    attr: str  # the SpendingView field it fills
    kind: Kind
    many: int = 0  # a list of at most this many values (0: one value)
    allowed: Allowed | None = field(default=None, compare=False)  # None: any value of the right form
    what: str = ""  # "a fiscal year": the words of "… is not a fiscal year in this data"

    def parse(self, raw: Any) -> Any:
        """The typed value of a raw one (a list for ``many``); raises Refused."""
        if not self.many:
            if isinstance(raw, list | tuple):
                raise Refused(f"{shown(raw)} is a list; give one value")
            return self.kind.take(raw)
        items = [raw] if isinstance(raw, str | int | float) else raw
        if not isinstance(items, list | tuple):
            raise Refused(f"{shown(raw)} is not a list of values")
        if len(items) > self.many:
            raise Refused(f"has {len(items):,} values; at most {self.many} are taken")
        return tuple(self.kind.take(item) for item in items)


def _measures(dataset: Dataset, view: SpendingView, kind: str | None) -> list[str] | None:
    if _of_indicator(view, kind):
        return None  # a target map (or the clusters of an indicator) shows no spending measure
    has_people = bool(dataset.layer(view.layer).districts["population"].notna().any())
    return [m.key for m in available(has_people)]


def _years(dataset: Dataset, view: SpendingView, kind: str | None) -> list[int]:
    """Spending years; an indicator's for a target map; either, when the page is not known."""
    layer = indicator_layer(dataset, view.layer)
    if _of_indicator(view, kind):
        key = view.indicator or next(iter(mapped_indicators(dataset, layer)), None)
        return indicator_years(dataset, key, layer) if key else []
    years = set(dataset.fiscal_years)
    if kind is None:
        years |= {y for key in mapped_indicators(dataset, layer) for y in indicator_years(dataset, key, layer)}
    return sorted(years)


def _of_indicator(view: SpendingView, kind: str | None) -> bool:
    """A map of an indicator's values: the target map, or the cluster map of an indicator."""
    return kind == "target" or (kind == "cluster" and view.stats_of == "indicator")


def _spending_years(dataset: Dataset, view: SpendingView, kind: str | None) -> list[int]:
    return dataset.fiscal_years


def _districts(dataset: Dataset, view: SpendingView, kind: str | None) -> Mapping[str, str | Shared]:
    """District ids, display labels and the exact names of one district only -> the id; a name
    several districts share -> Shared, so the refusal lists them instead of saying "unknown"."""
    return dataset.layer(view.layer).names.choices


def _controls(dataset: Dataset, view: SpendingView) -> list[str]:
    from budgetmap.stats.money import controls

    return controls(dataset, indicator_layer(dataset, view.layer))


def _categories(column: str) -> Allowed:
    return lambda dataset, view, kind: dataset.categories(column)


FIELDS: dict[str, Field] = {f.name: f for f in (
    Field("measure", "measure", Choice(MEASURES, "a measure"), allowed=_measures, what="a measure"),
    Field("year", "fiscal_year", Year(), allowed=_years, what="a fiscal year"),
    Field("amount", "amount", Choice(("actual", "budget"), "an amount")),
    Field("dept", "departments", Text(), MAX_ITEMS, _categories("department"), "a department"),
    Field("program", "programs", Text(), MAX_ITEMS, _categories("program"), "a program"),
    Field("fund", "funds", Text(), MAX_ITEMS, _categories("fund"), "a fund"),
    Field("scheme", "scheme", Choice(SCHEMES, "a classification")),
    Field("k", "k", Whole(*CLASS_RANGE)),
    Field("breaks", "manual_breaks", Number(), MAX_BREAKS),
    Field("palette", "palette", Choice(PALETTES, "a palette")),
    Field("district", "selected", Text(), allowed=_districts, what="a district id or name"),
    Field("since", "since", Year(), allowed=_spending_years, what="a fiscal year"),
    Field("lock", "classes_from", Year(), allowed=_years, what="a fiscal year"),
    Field("indicator", "indicator", Text(), allowed=lambda d, v, k: mapped_indicators(d, indicator_layer(d, v.layer)),
          what="an indicator with district values"),
    Field("base", "base_year", Year(), allowed=_spending_years, what="a fiscal year"),
    Field("compare", "compare", Choice(COMPARE_MODES, "a comparison")),
    Field("change", "change", Choice(("absolute", "percent"), "a kind of change")),
    Field("measure2", "second_measure", Choice(MEASURES, "a measure"), allowed=_measures, what="a measure"),
    Field("div", "diverging", Choice(DIVERGING, "a diverging palette")),
    Field("layer", "layer", Text(), allowed=lambda d, v, k: d.layer_keys(), what="a boundary layer"),
    Field("axis", "scatter_axis", Choice(SCATTER_AXES, "a scatter axis")),
    Field("period", "watch_period", Text(), allowed=lambda d, v, k: watch_period.spellings(d, v), what="a monitored period"),
    Field("severity", "severities", Choice(SEVERITIES, "a severity"), len(SEVERITIES)),
    Field("behind", "behind", Choice(BEHIND, "a way to count projects behind plan")),
    Field("of", "stats_of", Choice(("measure", "indicator"), "what the statistics are of")),
    Field("stat", "statistic", Choice(STATISTICS, "a cluster statistic")),
    Field("weights", "weights", Choice(WEIGHTS, "a kind of spatial weights")),
    Field("smooth", "smoothing", Choice(("off", "on"), "off or on")),
    Field("outliers", "outlier_rule", Choice(OUTLIER_RULES, "an outlier rule")),
    Field("control", "control", Text(), allowed=lambda d, v, k: _controls(d, v), what="a numeric district column"),
)}
#: the layer picks the districts and the indicator the years, so they are checked first
_CHECK_ORDER = sorted(FIELDS.values(), key=lambda f: f.name not in ("layer", "indicator"))


@dataclass(frozen=True)
class Reading:
    """A view, the settings that were not used and why, and which settings were given."""

    view: SpendingView
    problems: tuple[Problem, ...] = ()
    given: frozenset[str] = frozenset()


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str | list | tuple) and len(raw) == 0)


def read(values: Mapping[str, Any]) -> Reading:
    """A view from raw values named as in the URL; a value not of its field's form (or an
    unknown name) is a problem and leaves the setting at its default. Empty values are skipped."""
    changes: dict[str, Any] = {}
    problems: list[Problem] = []
    given: set[str] = set()
    for name, raw in values.items():
        spec = FIELDS.get(name)
        if spec is None:
            problems.append(Problem(str(name)[:SHOWN], f"unknown setting (known: {listing(FIELDS, most=99)})"))
            continue
        if _empty(raw):
            continue
        try:
            changes[spec.attr] = spec.parse(raw)
        except Refused as exc:
            problems.append(Problem(name, str(exc)))
            continue
        given.add(name)
    view = SpendingView().with_(**changes)
    if view.scheme == "manual" and not view.manual_breaks:
        problems.append(Problem("breaks", "scheme manual needs breaks (the upper bounds of the classes)"))
        view = view.with_(scheme=SpendingView().scheme)
    return Reading(view, tuple(problems), frozenset(given))


def against(dataset: Dataset, reading: Reading, kind: str | None = None, *, every: bool = False) -> Reading:
    """The view checked against what ``dataset`` has, for a map of ``kind`` (None: any page).

    Values the data lacks are problems and fall back to the default (a list keeps the
    items it has); a district named by its exact name becomes its id. Only given or
    non-default settings are checked, or ``every`` set one (a book's defaults too).
    """
    view, problems, default = reading.view, list(reading.problems), SpendingView()
    for spec in _CHECK_ORDER:
        value = getattr(view, spec.attr)
        if spec.allowed is None or value in (None, ()) or \
                not (every or spec.name in reading.given or value != getattr(default, spec.attr)):
            continue
        allowed = spec.allowed(dataset, view, kind)
        if allowed is None:
            continue
        kept = []
        for item in value if spec.many else (value,):
            found = allowed[item] if isinstance(allowed, Mapping) and item in allowed else item
            if isinstance(found, Shared):
                problems.append(Problem(spec.name, f"{shown(item)} {found.reason}"))
                continue
            if item in allowed:
                kept.append(found)
                continue
            have = sorted(set(allowed.values())) if isinstance(allowed, Mapping) else allowed
            problems.append(Problem(spec.name, f"{shown(item)} is not {spec.what} in this data "
                                               f"(it has: {listing(have)})"))
        view = view.with_(**{spec.attr: tuple(kept) if spec.many else
                             (kept[0] if kept else getattr(default, spec.attr))})
    return Reading(view, tuple(problems) + _rules(dataset, view, kind), reading.given)


def _rules(dataset: Dataset, view: SpendingView, kind: str | None) -> tuple[Problem, ...]:
    """What one map kind needs beyond single values."""
    if (kind in ("target", "bivariate") or _of_indicator(view, kind)) and not indicator_layers(dataset):
        return (Problem("map", f"the data has no indicator by district, so there is no {kind} map"),)
    years = dataset.fiscal_years
    later = view.fiscal_year if view.fiscal_year is not None else (years[-1] if years else None)
    if kind == "change" and view.base_year is not None and later is not None and view.base_year >= later:
        return (Problem("base", f"FY{view.base_year} is not earlier than FY{later}"),)
    return ()
