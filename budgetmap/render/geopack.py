"""A layer's shapes in the few bytes the browser map needs, one file per zoom band.

The browser gets each layer's geometry once, as a static, content-hashed file
(``budgetmap.render.mapfiles``), never again on a repaint. To keep that file small:

* coordinates are **quantised** to a 100,000 x 100,000 grid over the layer's
  extent (as TopoJSON's ``quantization: 1e5``) and **delta-encoded**: each point
  is stored as the step from the one before, and steps are small numbers;
* numbers are **zigzag varints** (1 byte for a step under 64 grid units, 2 under
  8,192), in one binary stream that the front end reads with a DataView;
* each **zoom band** has its own file: the coarse bands are simplified with
  ``shapely.coverage_simplify``, which simplifies a border shared by two districts
  once, so neighbours stay gap-free, and the full-detail band is fetched only when
  someone zooms in far enough to see the difference.

Layout of one band (all unsigned varints unless said):
``parts`` of each district; ``rings`` of each part; ``points`` of each ring; then
for every point its zigzag x and y step from the previous point (the first from
(0, 0)). Ring closing points are not stored (Leaflet closes rings itself).
Shared borders are still written once per side: at 1e5 quantisation and one or two
bytes a step, that is smaller than a text TopoJSON with shared arcs (bench/bench_scale.py).
"""
from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.errors import GEOSException

QUANTISATION = 100_000
VERSION = 1  # bump when the byte layout changes: the cache key includes it
FIT_PX = 800  # the map's width the coarse bands are simplified for (a typical page column)
#: (simplification tolerance in screen pixels at the fitted zoom, zoom levels past the fit it serves)
BANDS: tuple[tuple[float, float], ...] = ((0.6, 1.5), (0.6 / 8, 4.5))
KEEP = 0.8  # a coarse band worth sending has at most this share of the next band's points


@dataclass(frozen=True)
class Band:
    """One zoom band: the browser uses it up to ``max_zoom`` zoom levels past the fitted view."""

    max_zoom: float  # float("inf") for full detail
    data: bytes
    points: int


@dataclass(frozen=True)
class Pack:
    """A layer's encoded geometry: what the header file says, and the bands' bytes."""

    key: str
    ids: tuple[str, ...]
    bbox: tuple[float, float, float, float]  # minx, miny, maxx, maxy of the encoded coordinates
    bands: tuple[Band, ...]

    def header(self) -> dict:
        """The JSON the browser reads first: ids in drawing order, the grid, and the bands."""
        x0, y0, x1, y1 = self.bbox
        return {"version": VERSION, "key": self.key, "ids": list(self.ids), "bbox": [x0, y0, x1, y1],
                "quantisation": QUANTISATION,
                "bands": [{"max_zoom": None if b.max_zoom == float("inf") else b.max_zoom, "points": b.points,
                           "bytes": len(b.data)} for b in self.bands]}


def geometry_key(ids: tuple[str, ...], geoms: np.ndarray) -> str:
    """A content hash of the shapes and their ids (and the layout version): the cache's file name."""
    digest = hashlib.sha1(f"geopack{VERSION}".encode())
    digest.update("\x1f".join(ids).encode())
    for blob in shapely.to_wkb(geoms, output_dimension=2):
        digest.update(blob)
    return digest.hexdigest()[:20]


def pack(ids: tuple[str, ...], geoms: np.ndarray, key: str | None = None,
         progress: Callable[[float, str], None] | None = None) -> Pack:
    """Encode lon/lat polygons (already unwrapped across the antimeridian) for the browser.

    ``progress(fraction, what)`` hears of each step (simplifying a band takes seconds at
    70,000 districts; the result is cached on disk, so this happens once per layer).
    """
    say = progress or (lambda fraction, what: None)
    geoms = np.asarray(geoms, dtype=object)
    key = key or geometry_key(ids, geoms)
    x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(geoms))
    if not np.isfinite([x0, y0, x1, y1]).all():
        x0 = y0 = 0.0
        x1 = y1 = 1.0
    span = max(x1 - x0, y1 - y0, 1e-9)
    say(0.0, f"encoding the shapes of {len(ids):,} districts")
    full = _encode(geoms, (x0, y0, x1, y1))
    bands = [Band(float("inf"), *full)]
    steps = len(BANDS) + 1
    for step, (pixels, max_zoom) in enumerate(reversed(BANDS), start=1):  # finest coarse band first
        say(step / steps, f"simplifying shared borders for zoom band {len(BANDS) - step + 1} of {len(BANDS)}")
        tolerance = pixels * span / FIT_PX
        if not _worth_it(geoms, tolerance):
            continue
        coarse = _encode(_simplify(geoms, tolerance), (x0, y0, x1, y1))
        if coarse[1] <= KEEP * bands[0].points:
            bands.insert(0, Band(max_zoom, *coarse))
    say(1.0, "shapes ready")
    return Pack(key, tuple(ids), (x0, y0, x1, y1), tuple(bands))


def _worth_it(geoms: np.ndarray, tolerance: float, sample: int = 2000) -> bool:
    """Whether simplifying could save a fifth of the points, judged on an even sample of districts
    shape by shape (fast), before the coverage simplification (12 s at 70,000 districts) is run.
    Shapes with few vertices (a Voronoi city, a grid of wards) are left as they are."""
    picked = geoms[np.linspace(0, len(geoms) - 1, min(sample, len(geoms))).astype(int)]
    before = shapely.get_num_coordinates(picked).sum()
    after = shapely.get_num_coordinates(shapely.simplify(picked, tolerance, preserve_topology=False)).sum()
    return bool(after <= KEEP * before)


def _simplify(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Shared borders simplified once (a coverage); shape by shape if the layer is not a clean coverage."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return shapely.coverage_simplify(geoms, tolerance)
    except (GEOSException, ValueError):
        return shapely.simplify(geoms, tolerance, preserve_topology=True)


def _encode(geoms: np.ndarray, bbox: tuple[float, float, float, float]) -> tuple[bytes, int]:
    """(bytes, points) of one band in the layout of the module docstring."""
    x0, y0, x1, y1 = bbox
    kx = (QUANTISATION - 1) / max(x1 - x0, 1e-12)
    ky = (QUANTISATION - 1) / max(y1 - y0, 1e-12)
    polys, district_of_poly = shapely.get_parts(geoms, return_index=True)
    polys_ok = shapely.get_type_id(polys) == 3  # polygons only (a stray line or point draws nothing)
    polys, district_of_poly = polys[polys_ok], district_of_poly[polys_ok]
    rings, poly_of_ring = shapely.get_rings(polys, return_index=True)
    coords, ring_of_point = shapely.get_coordinates(rings, return_index=True)
    q = np.empty((len(coords), 2), np.int64)
    q[:, 0] = np.rint((coords[:, 0] - x0) * kx)
    q[:, 1] = np.rint((coords[:, 1] - y0) * ky)
    # drop each ring's closing point and repeated points (quantisation can merge neighbours)
    same_ring = np.r_[False, ring_of_point[1:] == ring_of_point[:-1]]
    repeat = same_ring & np.r_[False, (q[1:] == q[:-1]).all(axis=1)]
    last = np.r_[ring_of_point[1:] != ring_of_point[:-1], True]
    keep = ~repeat & ~last
    per_ring = np.bincount(ring_of_point[keep], minlength=len(rings))
    ring_ok = per_ring >= 3
    # a hole or part that shrank below a triangle is left out; a district never disappears:
    # if all of its rings collapsed, its first exterior is kept whole
    first_ring = np.r_[True, poly_of_ring[1:] != poly_of_ring[:-1]]  # exteriors
    poly_ok = np.zeros(len(polys), bool)
    poly_ok[poly_of_ring[first_ring & ring_ok]] = True
    district_has = np.zeros(len(geoms), bool)
    district_has[district_of_poly[poly_ok]] = True
    for d in np.flatnonzero(~district_has):
        candidates = np.flatnonzero(district_of_poly == d)
        if len(candidates):
            poly_ok[candidates[0]] = True
            ext = np.flatnonzero(poly_of_ring == candidates[0])[0]
            ring_ok[ext] = True
            keep |= ring_of_point == ext
            keep &= ~((ring_of_point == ext) & last)
    ring_ok &= poly_ok[poly_of_ring]
    points_kept = keep & ring_ok[ring_of_point]
    per_ring = np.bincount(ring_of_point[points_kept], minlength=len(rings))[ring_ok]
    rings_per_poly = np.bincount(poly_of_ring[ring_ok], minlength=len(polys))[poly_ok]
    parts_per_district = np.bincount(district_of_poly[poly_ok], minlength=len(geoms))
    kept = q[points_kept]
    steps = np.diff(kept, axis=0, prepend=np.zeros((1, 2), np.int64)).ravel()
    structure = np.concatenate([parts_per_district, rings_per_poly, per_ring]).astype(np.int64)
    body = varints(np.concatenate([structure, zigzag(steps)]))
    return body, int(len(kept))


def zigzag(values: np.ndarray) -> np.ndarray:
    """Signed to unsigned so that small steps either way stay small: 0, -1, 1, -2 -> 0, 1, 2, 3."""
    values = values.astype(np.int64)
    return ((values << 1) ^ (values >> 63)).astype(np.uint64)


def varints(values: np.ndarray) -> bytes:
    """LEB128 unsigned varints of non-negative integers, vectorised."""
    values = np.asarray(values, dtype=np.uint64)
    if not len(values):
        return b""
    sizes = np.ones(len(values), np.int64)
    for shift in range(7, 64, 7):
        sizes += values >= (np.uint64(1) << np.uint64(shift))
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    out = np.zeros(int(sizes.sum()), np.uint8)
    for k in range(int(sizes.max())):
        has = sizes > k
        byte = (values[has] >> np.uint64(7 * k)) & np.uint64(0x7F)
        more = (sizes[has] > k + 1).astype(np.uint64) << np.uint64(7)
        out[starts[has] + k] = (byte | more).astype(np.uint8)
    return out.tobytes()


def read_varints(data: bytes) -> np.ndarray:
    """The inverse of ``varints`` (tests and the Python reader use it; the browser has its own)."""
    raw = np.frombuffer(data, np.uint8)
    ends = np.flatnonzero(raw < 0x80)
    out = np.zeros(len(ends), np.uint64)
    start = 0
    for i, end in enumerate(ends):
        value = 0
        for k, byte in enumerate(raw[start:end + 1]):
            value |= (int(byte) & 0x7F) << (7 * k)
        out[i] = value
        start = end + 1
    return out


def unpack(header: dict, data: bytes) -> list[list[list[list[tuple[float, float]]]]]:
    """District -> parts -> rings -> (lon, lat) points of one band, as the browser decodes it."""
    values = read_varints(data).astype(np.int64)
    n = len(header["ids"])
    x0, y0, x1, y1 = header["bbox"]
    q = header["quantisation"] - 1
    sx, sy = (x1 - x0) / q if x1 > x0 else 0.0, (y1 - y0) / q if y1 > y0 else 0.0
    parts = values[:n]
    rings = values[n:n + int(parts.sum())]
    points = values[n + len(rings):n + len(rings) + int(rings.sum())]
    steps = values[n + len(rings) + len(points):]
    steps = (steps >> 1) ^ -(steps & 1)
    xy = np.cumsum(steps.reshape(-1, 2), axis=0)
    out, r, p, c = [], 0, 0, 0
    for d in range(n):
        district = []
        for _ in range(int(parts[d])):
            part = []
            for _ in range(int(rings[r])):
                count = int(points[p])
                part.append([(x0 + x * sx, y0 + y * sy) for x, y in xy[c:c + count]])
                c += count
                p += 1
            r += 1
            district.append(part)
        out.append(district)
    return out
