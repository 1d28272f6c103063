"""The manifest schema (loaders/manifest_keys.py): one table that validation, messages and docs all read."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import ROOT

from budgetmap.model.dataset import DIRECTIONS
from budgetmap.rollups import ROLLUPS
from loaders.manifest import read_manifest
from loaders.manifest_keys import DUPLICATES, ENGINES, SECTIONS, docs_block
from loaders.problems import LoadError
from loaders.schema import BOOL, TEXTS, Key, shown

REFERENCE = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
BASE = {
    "top level": "",
    "districts": '[districts]\npath = "d.geojson"\nid = "code"\n',
    "spending": '[spending]\npath = "s.csv"\nyear = "y"\namount = "a"\n',
    "population": '[population]\npath = "p.csv"\ndistrict = "d"\npopulation = "n"\n',
    "indicators": '[indicators]\npath = "i.csv"\nindicator = "n"\nyear = "y"\nactual = "a"\n',
    "plans": '[plans]\npath = "x.csv"\n',
}
LAYERS = '[[layers]]\npath = "d.geojson"\nid = "code"\nkey = "wards"\n'
SECTION_KEYS = {"districts", "layers", "population", "spending", "indicators", "plans", "meta"}


def _wrong(key: Key) -> str:
    """A value of another type than the key takes, as TOML text."""
    if key.type is BOOL:
        return '"yes"'
    if key.type.name in ("year", "number"):
        return '"soon"'
    if key.type.name.startswith(("a table", "table")) or key.type is TEXTS or "list" in key.type.name:
        return "5"
    return "[1, 2]"


def _set(text: str, line: str) -> str:
    """A section's text with ``key = value`` replacing the key's line, or added after the header."""
    key = line.split("=")[0].strip()
    lines = text.splitlines()
    for i, old in enumerate(lines):
        if old.split("=")[0].strip() == key:
            lines[i] = line
            return "\n".join(lines) + "\n"
    return "\n".join([*lines[:1], line, *lines[1:]]) + "\n" if lines else line + "\n"


def _manifest(tmp_path: Path, section: str, line: str) -> Path:
    """The base manifest with ``line`` in ``section`` ("layers" swaps [districts] for one [[layers]] table)."""
    parts = dict(BASE)
    if section == "layers":
        parts["districts"] = _set(LAYERS, line)
    elif section == "indicators.meta.KEY":
        parts["indicators"] += f"[indicators.meta.x]\n{line}\n"
    else:
        parts[section] = _set(parts[section], line)
    path = tmp_path / "city.toml"
    path.write_text("".join(parts.values()), encoding="utf-8")
    return path


CHECKED = [(section, key) for section in (*BASE, "layers", "indicators.meta.KEY")
           for key in SECTIONS[section].values() if key.name not in SECTION_KEYS]
LABEL = {"top level": "top level:", "layers": "[layers #1]", "indicators.meta.KEY": "[indicators.meta.x]"}


@pytest.mark.parametrize("section,key", CHECKED, ids=[f"{s}.{k.name}" for s, k in CHECKED])
def test_every_key_refuses_another_type_naming_section_key_type_and_value(tmp_path, section, key):
    value = _wrong(key)
    with pytest.raises(LoadError) as err:
        read_manifest(_manifest(tmp_path, section, f"{key.name} = {value}"))
    message = str(err.value)
    where = LABEL.get(section, f"[{section}]")
    assert message.startswith(f"city.toml: {where} '{key.name}' must be {key.type.expected}, like "), message
    assert message.endswith(f"; found {shown(tomllib.loads(f'x = {value}')['x'])}"), message


@pytest.mark.parametrize("section,key,registry", [
    ("indicators.meta.KEY", "rollup", ROLLUPS), ("indicators.meta.KEY", "direction", DIRECTIONS),
    ("top level", "engine", ENGINES), ("spending", "duplicates", DUPLICATES),
])
def test_allowed_values_are_the_registries(tmp_path, section, key, registry):
    """Every registry entry is accepted and nothing else: adding a roll-up rule needs no manifest code."""
    for value in registry:
        read_manifest(_manifest(tmp_path, section, f'{key} = "{value}"'))
    with pytest.raises(LoadError, match=f"'{key}' must be one of " + ", ".join(f'"{v}"' for v in registry)):
        read_manifest(_manifest(tmp_path, section, f'{key} = "no such rule"'))


def test_the_docs_tables_are_the_schema():
    """docs/reference.md holds exactly the generated tables (python -m loaders.manifest_keys rewrites them)."""
    assert docs_block() in REFERENCE, "docs/reference.md is out of date: run python -m loaders.manifest_keys"
    for section, keys in SECTIONS.items():
        for name in keys:
            assert f"| `{name}` |" in REFERENCE, f"{section}.{name} is not documented"


def test_the_shipped_manifests_pass_the_schema():
    for path in [ROOT / "geodata" / "demo" / "manifest.toml", *sorted((ROOT / "examples").glob("*.toml"))]:
        if path.name != "book_demo.toml":  # a budget book, not a manifest
            assert read_manifest(path).name


def test_a_toml_array_nested_20000_deep_is_a_load_error(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    with pytest.raises(LoadError, match="deep.toml: is not a manifest: its arrays or tables are nested too deeply"):
        read_manifest(path)


@pytest.mark.parametrize("path", ['""', '"  "', "3"])
def test_an_empty_or_non_text_path_is_refused_not_read_as_the_folder(tmp_path, path):
    (tmp_path / "stray.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    manifest = tmp_path / "city.toml"
    manifest.write_text(f'[districts]\npath = {path}\nid = "code"\n', encoding="utf-8")
    with pytest.raises(LoadError, match=r"\[districts\] 'path' must be a file path .*not empty"):
        read_manifest(manifest)


def _with_aliases(tmp_path: Path, aliases: str) -> Path:
    path = tmp_path / "city.toml"
    path.write_text(BASE["districts"] + BASE["spending"] + f"[spending.aliases]\n{aliases}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("aliases,needle", [
    ('"D01" = "D02"\n"D02" = "D01"', 'aliases form a cycle, "D01" -> "D02" -> "D01"'),
    ('"x" = "D01"\n"D01" = "D02"\n"D02" = "x"', "cycle"),
    ('"1" = "D01"\n"D01" = "District 1"', 'chain "1" -> "D01" -> "District 1", but aliases resolve in one step'),
    ('"A " = "B"\n"A" = "C"', '"A" twice'),
])
def test_alias_cycles_chains_and_repeats_are_refused(tmp_path, aliases, needle):
    path = _with_aliases(tmp_path, aliases)
    with pytest.raises(LoadError, match="city.toml: \\[spending\\]") as err:
        read_manifest(path)
    assert needle in str(err.value)


def test_an_alias_to_itself_and_one_step_aliases_are_fine(tmp_path):
    path = _with_aliases(tmp_path, '"D1" = "D01"\n"D01" = "D01"\n" 2 " = "D02"')
    assert read_manifest(path).spending.options["aliases"] == {"D1": "D01", "D01": "D01", " 2 ": "D02"}
