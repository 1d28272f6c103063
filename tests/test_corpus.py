"""Every corpus case through ``check``: exit 2 with a useful message, or exit 0 reconciled to the cent.

Never exit 1, never a traceback, never a hang, never an absolute path, GDAL's
words or an internal column name, and nothing on stderr but the message. The
whole corpus runs in one driver process (tests/corpus/driver.py); a sample goes
through ``python -m budgetmap check`` itself, to hold the real command to it too.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from corpus import Case, all_cases

CASES = all_cases()
#: Words that mean nothing to a data steward, or give the server's insides away.
JARGON = ("/vsizip/", "not recognized as being in a supported file format", "__amount", "Traceback",
          "GEOSException", "DataSourceError", "pyogrio", "hunter2", "RecursionError")
#: A refusal says what to do: one of these words introduces the fix.
FIX = re.compile(r"\b(set|add|use|give|name|write|remove|fix|quote|check|rename|save|export|point|list|"
                 r"replace|put|make|choose|split|delete|pick|convert|correct|must be|needs?|declare|"
                 r"say|keep|one of|did you mean|drop)\b", re.I)
#: One of each kind through the real command (each costs an interpreter start, seconds on a busy machine).
SAMPLE = ("manifest_toml_deep_array", "file_spending_fifo", "geometry_one_null", "file_geojson_not_json",
          "geometry_nan_coordinate")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    """Build every case into its own folder and run them all in one driver process."""
    root = tmp_path_factory.mktemp("corpus")
    manifests = {name: str(case.build(root / name)) for name, case in CASES.items()}
    results = root / "results.jsonl"
    try:
        subprocess.run([sys.executable, str(ROOT / "tests" / "corpus" / "driver.py"), str(results),
                        *manifests.values()], cwd=ROOT, timeout=900, capture_output=True)
    except subprocess.TimeoutExpired:
        pass  # the cases done so far are in the results; the missing one hung
    by_manifest = {}
    if results.exists():
        by_manifest = {r["manifest"]: r for r in map(json.loads, results.read_text(encoding="utf-8").splitlines())}
    return root, {name: by_manifest.get(m) for name, m in manifests.items()}


def _report_text(report: dict) -> str:
    """Everything a load report tells a person: problems, notes, warnings, keys, as one text."""
    parts = [report.get("manifest", "")]
    for table in report["tables"]:
        parts += [table["file"], *(p["message"] for p in table["problems"]), *table["notes"]]
    parts += [json.dumps(u, ensure_ascii=False) for u in report["unmatched"]] + report["warnings"]
    return "\n".join(parts)


def _judge(case: Case, result: dict | None, root: Path) -> None:
    assert result is not None, "the check hung or crashed the driver before this case finished"
    out, err = result["stdout"], result["stderr"]
    assert result["code"] in (0, 2), f"exit {result['code']}:\n{err}"
    for word in JARGON:
        assert word not in out and word not in err, f"{word!r} shown:\n{err or out}"
    assert str(root) not in out and str(root) not in err, f"an absolute path is shown:\n{err or out}"
    if case.code == 2:
        assert result["code"] == 2, f"loaded instead of refusing:\n{out[:2000]}"
        message = json.loads(out)["error"]
        assert err == f"error: {message}\n", f"stderr holds more than the message:\n{err}"
        assert case.file in message, f"the message does not name {case.file}: {message}"
        assert FIX.search(message), f"the message does not say what to do: {message}"
        for text in case.says:
            assert text in message, f"{text!r} not in: {message}"
        return
    assert result["code"] == 0, f"refused: {err}"
    assert err == "", f"stderr is not empty:\n{err}"
    report = json.loads(out)
    rec = report["reconciliation"]
    assert rec["balanced"] and rec["cents"]["input_total"] == case.total, rec
    text = _report_text(report)
    for needle in case.says:
        assert needle in text, f"{needle!r} not in the load report:\n{text}"


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 80
    assert sum(c.code == 2 for c in CASES.values()) >= 40 and sum(c.code == 0 for c in CASES.values()) >= 25


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str, corpus: tuple[Path, dict[str, dict]]) -> None:
    root, results = corpus
    _judge(CASES[name], results[name], root)


@pytest.mark.parametrize("name", SAMPLE)
def test_the_real_command(name: str, tmp_path: Path) -> None:
    """The command itself (its own interpreter, a timeout) behaves as the driver said."""
    case = CASES[name]
    manifest = case.build(tmp_path / name)
    try:
        run = subprocess.run([sys.executable, "-m", "budgetmap", "check", str(manifest), "--json"], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("the check hung")
    _judge(case, {"code": run.returncode, "stdout": run.stdout, "stderr": run.stderr}, tmp_path)
