"""Run ``python -m budgetmap check --json`` on many manifests in one interpreter, as the command would.

Usage: ``python tests/corpus/driver.py RESULTS.jsonl MANIFEST...``. For each
manifest the CLI's ``main`` runs with file descriptors 1 and 2 sent to files of
their own (so output written by C libraries, such as GDAL, is caught too) and an
alarm after ``TIMEOUT`` seconds; an exception escaping ``main`` is what the
command would print as a traceback with exit 1. One JSON line per manifest is
appended to RESULTS as soon as it is done, so a hang still leaves the cases
before it, and names the one it hung on.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


class _Hung(BaseException):
    """Raised by the alarm: BaseException, so no ``except Exception`` in the loaders can swallow it."""


def _alarm(signum: int, frame: object) -> None:
    raise _Hung()


def run_one(manifest: str) -> dict[str, object]:
    """Exit code, stdout and stderr of ``check MANIFEST --json``, fd-level."""
    from budgetmap.cli import main

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush(), sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(out.fileno(), 1), os.dup2(err.fileno(), 2)
        signal.alarm(TIMEOUT)
        try:
            code = main(["check", manifest, "--json"])
        except _Hung:
            code = "timeout"
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # what the command would show: a traceback, exit 1
            traceback.print_exc()
            code = 1
        finally:
            signal.alarm(0)
            sys.stdout.flush(), sys.stderr.flush()
            os.dup2(saved[0], 1), os.dup2(saved[1], 2)
            os.close(saved[0]), os.close(saved[1])
        out.seek(0), err.seek(0)
        return {"manifest": manifest, "code": code, "stdout": out.read().decode("utf-8", "replace"),
                "stderr": err.read().decode("utf-8", "replace")}


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    signal.signal(signal.SIGALRM, _alarm)
    results, manifests = argv[0], argv[1:]
    for manifest in manifests:
        line = json.dumps(run_one(manifest), ensure_ascii=False)
        with open(results, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
