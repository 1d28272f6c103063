"""The one timing loop the in-process benchmarks share: the median of repeated calls."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], reps: int, warm_up: bool = False) -> float:
    """Median wall time of ``reps`` calls of ``fn``; ``warm_up`` makes one untimed call first
    (caches, lazy imports), so the figure is the steady one."""
    if warm_up:
        fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
