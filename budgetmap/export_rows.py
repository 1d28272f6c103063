"""The tables every export of a map is written from: about, districts, reconciliation.

CSV, Excel and GeoJSON are three spellings of the same rows, built once here, so
a download can never disagree with the map it came from or with another format.
Cells are plain Python values (text, int, float, Decimal or None); spreadsheet
safety is applied by the writers (``exports.neutralise``), not here, because
GeoJSON keeps text exact.
"""
from __future__ import annotations

import math
from decimal import Decimal

from budgetmap.mapspec import FeatureStyle, MapSpec
from budgetmap.reconcile import reconciliation_line
from budgetmap.model import Reconciliation

Cell = str | int | float | Decimal | None
Row = list[Cell]

#: One column per FeatureStyle field, named for scripts and GIS attribute tables;
#: the detail pairs follow under their own labels.
FIXED_COLUMNS: tuple[str, ...] = ("district_id", "name", "value", "label", "class", "class_label",
                                  "fill", "rank", "pattern")
RECONCILIATION_HEADER: Row = ["part", "amount", "cents"]


def detail_columns(spec: MapSpec) -> list[tuple[str, str]]:
    """(detail label, column name) in first-seen order across all districts.

    A detail whose label is already a column (the spending map's "Rank" text beside
    the numeric ``rank``) gets " (detail)" added: GIS tools and spreadsheets treat
    column names case-insensitively, and two equal names would lose one of them.
    """
    taken = {c.casefold() for c in FIXED_COLUMNS}
    out: list[tuple[str, str]] = []
    for feature in spec.features:
        for label, _ in feature.details:
            if any(label == seen for seen, _ in out):
                continue
            name = label
            while name.casefold() in taken:
                name += " (detail)"
            taken.add(name.casefold())
            out.append((label, name))
    return out


def district_header(spec: MapSpec) -> list[str]:
    return [*FIXED_COLUMNS, *(name for _, name in detail_columns(spec))]


def class_label(spec: MapSpec, feature: FeatureStyle) -> str:
    """The legend entry a district is painted as, or "" when the legend does not say.

    Builders number classes in legend order (class i is the i-th "class" entry;
    -1 no data, -2 zero). The entry is only named when its colour is the district's
    fill, so a builder that numbered differently yields a blank, not a wrong label.
    """
    classes = [e for e in spec.legend if e.kind == "class"]
    specials = {-1: "no_data", -2: "zero"}
    if feature.class_index in specials:
        entry = next((e for e in spec.legend if e.kind == specials[feature.class_index]), None)
    else:
        entry = classes[feature.class_index] if 0 <= feature.class_index < len(classes) else None
    return entry.label if entry is not None and entry.fill.lower() == feature.fill.lower() else ""


def number(value: float | int | None) -> float | int | None:
    """Finite numbers stay numbers; NaN and infinities become empty cells (not valid in xlsx or JSON)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def district_row(spec: MapSpec, feature: FeatureStyle, columns: list[tuple[str, str]]) -> Row:
    details = dict(feature.details)
    return [feature.district_id, feature.name, number(feature.value), feature.label, feature.class_index,
            class_label(spec, feature), feature.fill, feature.rank, feature.pattern,
            *(details.get(label) for label, _ in columns)]


def figures(spec: MapSpec) -> list[dict[str, Cell]]:
    """"The numbers behind the map": one record per district, best rank first, every detail kept.

    Read from the MapSpec's typed fields, never from the position of a detail, so
    every map kind shows its own columns: the value under its own name, the rank
    as a number (sorted 2 before 10), and each detail pair under its own label.
    """
    value = spec.value_label or spec.measure_label
    fixed = ["District", "ID", value, "Shown as", "Rank"]
    taken = {c.casefold() for c in fixed}
    names: dict[str, str] = {}
    for feature in spec.features:
        for label, _ in feature.details:
            if label not in names:
                name = label
                while name.casefold() in taken:
                    name += " (detail)"
                taken.add(name.casefold())
                names[label] = name
    records = [{"District": f.name, "ID": f.district_id, value: number(f.value), "Shown as": f.label,
                "Rank": f.rank, **{names[k]: v for k, v in f.details}} for f in spec.features]
    return sorted(records, key=lambda r: (r["Rank"] is None, r["Rank"] or 0))


def district_rows(spec: MapSpec) -> list[Row]:
    """The header, then one row per district in the map's own order."""
    columns = detail_columns(spec)
    return [list(district_header(spec)), *(district_row(spec, f, columns) for f in spec.features)]


def about_rows(spec: MapSpec) -> list[Row]:
    """What the map is, whose data, how current: a table cut loose from the app must say so."""
    rows: list[Row] = [["Title", spec.title], ["Subtitle", spec.subtitle], ["Value", spec.measure_label],
                       ["Source", spec.source], ["As of", spec.as_of]]
    rows += [["Note", note] for note in spec.notes]
    if spec.reconciliation is not None:
        rows.append(["Reconciliation", spec.reconciliation_text])
    rows += [["Legend", e.label, e.fill, e.count] for e in spec.legend]
    return rows


def dollars(cents: int) -> Decimal:
    """Exact money: Decimal keeps every cent that a float might round."""
    return Decimal(int(cents)).scaleb(-2)


def reconciliation_parts(rec: Reconciliation) -> list[tuple[str, int]]:
    """The parts in the order and wording of ``reconciliation_line`` (rejected only when any)."""
    parts = [("Total", rec.input_total), ("In districts", rec.districts), ("Citywide", rec.citywide),
             ("With an unknown district", rec.unmatched), ("With no location", rec.no_location)]
    if rec.other_layer:
        parts.append(("Keyed to another boundary layer", rec.other_layer))
    if rec.rejected:
        parts.append(("In rejected rows", rec.rejected))
    return parts


def reconciliation_rows(rec: Reconciliation | None) -> list[Row]:
    """Header and one row per part (amount in dollars, exact, and the integer cents)."""
    if rec is None:
        return []
    return [list(RECONCILIATION_HEADER), *([name, dollars(c), int(c)] for name, c in reconciliation_parts(rec))]


def checked(spec: MapSpec, rec: Reconciliation | None) -> Reconciliation | None:
    """The reconciliation to export, refusing any that is not the map's own line to the cent.

    A spending map prints a reconciliation line; its export must carry the same parts,
    so they have to be passed (see ``exports.map_reconciliation``) and must reproduce
    that line exactly. Maps without a line export none.
    """
    if rec is None and spec.reconciliation is not None:
        raise ValueError("this map has a reconciliation line: pass its Reconciliation "
                         "(exports.map_reconciliation) so the export carries the same parts")
    if rec is not None and rec != spec.reconciliation:
        raise ValueError("the reconciliation does not match the map's own: "
                         f"{reconciliation_line(rec)!r} != {spec.reconciliation_text!r}")
    return rec
