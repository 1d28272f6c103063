"""Entry point for ``python -m budgetmap``: a message and an exit code, never a traceback."""
import os
import sys

from budgetmap.cli import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:  # e.g. piped into `head`: the reader has what it wanted
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 0
except Exception as exc:  # noqa: BLE001
    print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
    code = 1
sys.exit(code)
