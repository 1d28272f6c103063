"""Loads that never finish well, for the sandbox tests (``loaders.sandbox.load_isolated(target=...)``).

Each takes the manifest path as the real loader does and runs in the sandboxed
child, so what it does to that process is what a hostile file would do.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

HERE = "devtools.bombs"


def _started(path: str) -> None:
    """Count starts beside the manifest, so a test can tell a remembered refusal from a new load."""
    with open(Path(path).parent / "starts.txt", "a", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()}\n")


def sleep_forever(path: str) -> None:
    """A read that never returns (a FIFO nobody writes to, a stalled network share)."""
    _started(path)
    while True:
        time.sleep(1)


def spin_forever(path: str) -> None:
    """A parser stuck in a loop, holding a core."""
    _started(path)
    while True:
        pass


def allocate_forever(path: str) -> None:
    """Memory without bound (a decompression bomb), touching every page it takes."""
    _started(path)
    held = []
    while True:
        held.append(b"x" * (32 * 2**20))


def die(path: str) -> None:
    """The process ends under the loader (the kernel's OOM killer, a crash in a C library)."""
    os.kill(os.getpid(), signal.SIGKILL)


def fail(path: str) -> None:
    """A bug: an exception that is not a LoadError."""
    _started(path)
    raise ValueError("a loader bug, not the data's fault")


def slow_if_bomb(path: str):
    """The real loader, except that a manifest named bomb*.toml never finishes."""
    if Path(path).name.startswith("bomb"):
        sleep_forever(path)
    from loaders.dataset import load_dataset

    return load_dataset(path)
