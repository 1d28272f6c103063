"""Progress of a long read, as a plain callback: ``progress(fraction, what)``, fraction from 0 to 1.

The loaders know nothing of Streamlit: the page passes a function that moves its
bar (``ui.add_data``), the sandbox passes one that sends the figures to the app
(``loaders.sandbox``), and everyone else passes nothing. ``part`` maps one step's
own 0..1 onto its share of the whole, so a reader reports its fraction without
knowing what comes before or after it; fractions only ever go up.
"""
from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[float, str], None]


def nothing(fraction: float, what: str) -> None:
    """The callback of a caller that does not show progress."""


def part(progress: Progress | None, start: float, end: float) -> Progress:
    """A callback for one step that fills ``start``..``end`` of ``progress``; never goes back."""
    if progress is None:
        return nothing
    last = [start]

    def step(fraction: float, what: str) -> None:
        value = start + (end - start) * min(max(float(fraction), 0.0), 1.0)
        if value >= last[0]:
            last[0] = value
            progress(value, what)
    return step
