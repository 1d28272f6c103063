"""Colour-blind-safe palettes, one declarative table sampled from matplotlib.

Every palette is sequential and safe for the common colour-vision deficiencies
(ColorBrewer's sequential schemes, viridis, cividis and inferno), and none starts
near white, so the white "zero" swatch and the grey "no data" swatch stay distinct.

A washed-out projector flattens colour first and lightness last, so the
high-contrast palette picks its classes by lightness: evenly spaced in WCAG
contrast (log of relative luminance + 0.05) from pale yellow to black, which
makes every step between neighbouring classes as large as it can be.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import matplotlib
import numpy as np
from matplotlib.colors import to_hex

NO_DATA = "#bdbdbd"
ZERO = "#ffffff"
OUTLINE = "#4d4d4d"


@dataclass(frozen=True)
class Palette:
    key: str
    label: str
    cmap: str
    start: float = 0.18  # skip the near-white end of ColorBrewer ramps
    stop: float = 1.0
    even_contrast: bool = False  # classes evenly spaced in contrast, not along the ramp (cmap must darken steadily)

    def colors(self, k: int) -> list[str]:
        """k hex colours from light (low values) to dark (high values)."""
        return list(_colors(self, k))


@lru_cache(maxsize=256)
def _colors(palette: Palette, k: int) -> tuple[str, ...]:
    """Cached: every map build asks for its palette's colours, and the even-contrast ramp
    samples 2,048 colours to space its classes (5% of the server's time under bench_load)."""
    if k <= 0:
        return ()
    cmap = matplotlib.colormaps[palette.cmap]
    positions = [0.6] if k == 1 else np.linspace(palette.start, palette.stop, k)
    if palette.even_contrast and k > 1:
        along = np.linspace(palette.start, palette.stop, 2048)
        darkness = -np.log([luminance(to_hex(cmap(float(p)))) + 0.05 for p in along])
        positions = np.interp(np.linspace(darkness[0], darkness[-1], k), darkness, along)
    return tuple(to_hex(cmap(float(p))) for p in positions)


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a hex colour."""
    rgb = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two hex colours (1 to 21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (always at least 4.58:1)."""
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#ffffff") else "#ffffff"


PALETTES: dict[str, Palette] = {p.key: p for p in (
    Palette("YlGnBu", "Yellow–green–blue (ColorBrewer)", "YlGnBu"),
    Palette("Blues", "Blues (ColorBrewer)", "Blues"),
    Palette("PuBu", "Purple–blue (ColorBrewer)", "PuBu"),
    Palette("Oranges", "Oranges (ColorBrewer)", "Oranges"),
    Palette("viridis", "Viridis", "viridis_r", start=0.0, stop=0.92),
    Palette("cividis", "Cividis", "cividis_r", start=0.0, stop=0.95),
    Palette("contrast", "High contrast (projectors)", "inferno_r", start=0.06, stop=0.94, even_contrast=True),
)}
DEFAULT_PALETTE = "YlGnBu"
