"""Colour-blind-safe palettes, one declarative table sampled from matplotlib.

Every palette is sequential and safe for the common colour-vision deficiencies
(ColorBrewer's sequential schemes, viridis and cividis), and none starts near
white, so the white "zero" swatch and the grey "no data" swatch stay distinct.
"""
from __future__ import annotations

from dataclasses import dataclass

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

    def colors(self, k: int) -> list[str]:
        """k hex colours from light (low values) to dark (high values)."""
        if k <= 0:
            return []
        cmap = matplotlib.colormaps[self.cmap]
        positions = [0.6] if k == 1 else np.linspace(self.start, self.stop, k)
        return [to_hex(cmap(float(p))) for p in positions]


PALETTES: dict[str, Palette] = {p.key: p for p in (
    Palette("YlGnBu", "Yellow–green–blue (ColorBrewer)", "YlGnBu"),
    Palette("Blues", "Blues (ColorBrewer)", "Blues"),
    Palette("PuBu", "Purple–blue (ColorBrewer)", "PuBu"),
    Palette("Oranges", "Oranges (ColorBrewer)", "Oranges"),
    Palette("viridis", "Viridis", "viridis_r", start=0.0, stop=0.92),
    Palette("cividis", "Cividis", "cividis_r", start=0.0, stop=0.95),
)}
DEFAULT_PALETTE = "YlGnBu"
