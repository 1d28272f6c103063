"""A written summary of any map, for screen readers, the budget book and people who skim.

"Downtown spends the most per resident ($3,553.26) and Canal Flats the least
($1,237.10); 2 districts have no data." Built from the MapSpec alone, so it
always says what the map shows.
"""
from __future__ import annotations

from budgetmap import fmt
from budgetmap.mapspec import NO_DATA_CLASS, ZERO_CLASS, FeatureStyle, MapSpec


def _count(n: int, one: str, many: str) -> str:
    words = {0: "no", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
             8: "eight", 9: "nine"}
    return f"{words.get(n, fmt.count(n))} {one if n == 1 else many}"


def _detail(feature: FeatureStyle, name: str) -> str:
    return dict(feature.details).get(name, feature.label)


def _gaps_tail(spec: MapSpec) -> str:
    missing = sum(1 for f in spec.features if f.class_index == NO_DATA_CLASS)
    zero = sum(1 for f in spec.features if f.class_index == ZERO_CLASS)
    parts = []
    if missing:
        parts.append(f"{_count(missing, 'district has', 'districts have')} no data")
    if zero:
        parts.append(f"{_count(zero, 'district has', 'districts have')} zero")
    return "; " + " and ".join(parts) if parts else ""


def _ranked(spec: MapSpec) -> list[FeatureStyle]:
    return sorted((f for f in spec.features if f.rank is not None), key=lambda f: f.rank)


def _spending(spec: MapSpec) -> str:
    ranked = [f for f in _ranked(spec) if f.class_index != ZERO_CLASS]
    if not ranked:
        return f"{spec.measure_label}: no district has data for this selection."
    top, bottom = ranked[0], ranked[-1]
    text = f"{top.name} has the highest {spec.measure_label.lower()} ({top.label})"
    if bottom is not top:
        text += f" and {bottom.name} the lowest ({bottom.label})"
    return text + _gaps_tail(spec) + "."


def _target(spec: MapSpec) -> str:
    meta = spec.meta
    ranked = _ranked(spec)
    if not ranked:
        return "No district has a value for this indicator and year."
    goal = f"the goal of {meta['goal_text']}" if meta.get("goal") is not None else \
        f"the {fmt.in_sentence(spec.citywide_label)} figure"
    text = f"{fmt.of(meta['meeting'], meta['with_data'])} districts meet {goal}"
    best, worst = ranked[0], ranked[-1]
    text += f"; {best.name} does best ({best.label}, {_detail(best, 'Gap')})"
    if worst is not best:
        text += f" and {worst.name} worst ({worst.label}, {_detail(worst, 'Gap')})"
    return text + _gaps_tail(spec) + "."


def _change(spec: MapSpec) -> str:
    values = [f for f in spec.features if f.value is not None]
    if not values:
        return "No district can be compared between the two years."
    rose = sum(1 for f in values if f.value > 0)
    fell = sum(1 for f in values if f.value < 0)
    top = max(values, key=lambda f: f.value)
    low = min(values, key=lambda f: f.value)
    text = f"{spec.measure_label}: rose in {fmt.count(rose)} and fell in {fmt.of(fell, len(values))} districts"
    text += f"; the largest rise is {top.name} ({top.label})" if top.value > 0 else ""
    text += f"; the largest fall is {low.name} ({low.label})" if low.value < 0 else ""
    return text + _gaps_tail(spec) + "."


def _bivariate(spec: MapSpec) -> str:
    cells = {}
    for f in spec.features:
        if f.class_index >= 0:
            cells.setdefault(f.label, []).append(f.name)
    if not cells:
        return "No district has both spending and a result to compare."
    common = max(cells.items(), key=lambda kv: len(kv[1]))
    misses = sum(1 for f in spec.features if f.pattern == "hatch")
    return (f"{fmt.count(len(cells))} of the 9 combinations occur; the most common is {common[0]} "
            f"({fmt.plural(len(common[1]), 'district')}); {fmt.plural(misses, 'district')} miss the goal"
            + _gaps_tail(spec) + ".")


def _warning(spec: MapSpec) -> str:
    behind = sorted((f for f in spec.features if f.value), key=lambda f: (f.rank or 0, f.name))
    watched = sum(1 for f in spec.features if f.value is not None)
    at = spec.meta.get("period_name", "")
    if not watched:
        return f"No district has a monitored project at {at}."
    if not behind:
        return f"No district has money behind plan at {at}; {_count(watched, 'district has', 'districts have')} " \
               "monitored projects."
    named = ", ".join(f"{f.name} ({f.label})" for f in behind)
    return (f"{_count(len(behind), 'district has', 'districts have').capitalize()} money behind plan at {at}: "
            f"{named}; "
            f"{_count(watched - len(behind), 'other district has', 'other districts have')} monitored projects "
            "on plan.")


def describe(spec: MapSpec) -> str:
    """One or two sentences that say what the map shows, named districts first."""
    meta = spec.meta
    if spec.kind == "warning":
        return _warning(spec)
    if spec.kind == "cluster":
        return meta["summary"]  # budgetmap.stats.words: the statistics in plain language
    if "base_year" in meta:
        return _change(spec)
    if "grid" in meta:
        return _bivariate(spec)
    if "indicator" in meta:
        return _target(spec)
    return _spending(spec)
