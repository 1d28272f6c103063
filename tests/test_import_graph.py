"""The import graph the architecture promises, read from the source with ``ast``.

files -> loaders -> model -> analysis -> map kinds -> renderers and outputs:
loaders depend on the domain's model, never the reverse; the domain reaches the
loaders through one gateway (``budgetmap.dataset``); nothing below the app
imports streamlit; and no two modules import each other at load time.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("budgetmap", "loaders", "ui", "app_pages")
#: The one domain module allowed to import the loaders: it opens a manifest and
#: hands back the model (budgetmap/dataset.py says why).
GATEWAY = "budgetmap.dataset"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {_module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}
    found["app"] = ROOT / "app.py"
    return found


MODULES = _modules()


def _imports(path: Path, top_level_only: bool) -> set[str]:
    """Absolute module names imported by a file (``from a.b import c`` gives a.b and a.b.c)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    if top_level_only:  # also imports under a top-level if/try (not inside functions)
        nodes = [n for top in tree.body for n in ast.walk(top)
                 if not isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        nodes += [n for top in tree.body if isinstance(top, ast.ClassDef) for n in top.body]
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out |= {f"{node.module}.{alias.name}" for alias in node.names}
    return out


def _project(names: set[str]) -> set[str]:
    return {n for n in names if n in MODULES}


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_graph_is_found():
    assert {"budgetmap.model.dataset", "loaders.dataset", "ui.data", "budgetmap.sources.duckdb"} <= set(MODULES)
    assert "loaders.dataset" in _imports(MODULES[GATEWAY], top_level_only=False)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _in(m, "budgetmap") and m != GATEWAY))
def test_the_domain_never_imports_a_loader(module):
    bad = sorted(n for n in _imports(MODULES[module], top_level_only=False) if _in(n, "loaders"))
    assert not bad, f"{module} imports {bad}; go through {GATEWAY}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _in(m, "budgetmap.model")))
def test_the_model_imports_only_the_model(module):
    mine = {n for n in _imports(MODULES[module], top_level_only=False) if _in(n, "budgetmap")}
    bad = sorted(n for n in mine if not _in(n, "budgetmap.model") and n != "budgetmap")
    assert not bad, f"{module} imports {bad}: the model depends on nothing else of the app"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _in(m, "budgetmap") or _in(m, "loaders")))
def test_domain_loaders_and_renderers_never_import_streamlit_or_the_app(module):
    names = _imports(MODULES[module], top_level_only=False)
    bad = sorted(n for n in names if _in(n, "streamlit") or _in(n, "ui") or _in(n, "app_pages") or n == "app")
    assert not bad, f"{module} imports {bad}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _in(m, "ui") or _in(m, "app_pages") or m == "app"))
def test_the_app_reads_data_only_through_the_domain(module):
    bad = sorted(n for n in _imports(MODULES[module], top_level_only=False) if _in(n, "loaders"))
    assert not bad, f"{module} imports {bad}; open data through {GATEWAY}"


def test_no_import_cycles_at_load_time():
    graph = {m: _project(_imports(p, top_level_only=True)) - {m} for m, p in MODULES.items()}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for nxt in sorted(graph[module]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [module, nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    # a package importing its own submodules in __init__ is not a cycle of behaviour
    real = [c for c in cycles if not any(_in(b, a) or _in(a, b) for a, b in zip(c, c[1:]))]
    assert not real, f"import cycles: {real}"


def test_a_page_reads_no_raw_frame():
    """Pages and builders ask the Dataset's interface; nobody outside the model reaches its ledger's rows."""
    offenders = []
    for module, path in MODULES.items():
        if _in(module, "budgetmap.model") or _in(module, "budgetmap.sources") or _in(module, "loaders"):
            continue
        text = path.read_text(encoding="utf-8")
        for needle in (".to_frame()", "._frame", ".ledger._"):
            if needle in text:
                offenders.append(f"{module}: {needle}")
    assert not offenders
