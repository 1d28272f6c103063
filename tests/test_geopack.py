"""The browser map's geometry files: quantised, delta-encoded varints, one file per zoom band."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import geopandas as gpd
import numpy as np
import pytest
import shapely

from budgetmap.render import geopack, mapfiles
from budgetmap.render.leaflet import FRONTEND, layer_geometry


def test_varints_and_zigzag_match_the_protocol_buffers_reference():
    # protobuf's encoding guide: 1 -> 01, 150 -> 96 01, 300 -> AC 02; zigzag 0,-1,1,-2,2147483647 -> 0,1,2,3,4294967294
    assert geopack.varints(np.array([1, 150, 300, 0, 127, 128])) == bytes.fromhex("01 9601 ac02 00 7f 8001")
    assert geopack.zigzag(np.array([0, -1, 1, -2, 2147483647, -2147483648])).tolist() == [
        0, 1, 2, 3, 4294967294, 4294967295]
    values = np.array([0, 5, 2**14, 2**21 + 7, 2**35 + 1], dtype=np.uint64)
    assert geopack.read_varints(geopack.varints(values)).tolist() == values.tolist()


def _layer() -> tuple[tuple[str, ...], np.ndarray]:
    """A polygon with a hole, a two-part district, a tiny one and plain squares."""
    holed = shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    two = shapely.MultiPolygon([shapely.box(5, 0, 6, 1), shapely.box(7, 3, 8, 4)])
    tiny = shapely.box(9, 9, 9 + 1e-9, 9 + 1e-9)  # far below one grid step
    geoms = np.array([holed, two, tiny, shapely.box(4, 0, 5, 4), shapely.box(0, 4, 9, 10)], dtype=object)
    return ("hole", "two", "tiny", "E", "N"), geoms


def test_a_band_decodes_to_the_shapes_within_half_a_grid_step():
    ids, geoms = _layer()
    packed = geopack.pack(ids, geoms)
    header = packed.header()
    shapes = geopack.unpack(header, packed.bands[-1].data)
    assert [len(parts) for parts in shapes] == [1, 2, 1, 1, 1], "one entry per district, parts kept"
    assert len(shapes[0][0]) == 2, "the hole is kept"
    step = 10 / (geopack.QUANTISATION - 1)
    for district, geom in zip(shapes, geoms):
        rebuilt = shapely.MultiPolygon([shapely.Polygon(p[0], p[1:]) for p in district])
        if geom.area > 1e-6:
            assert abs(rebuilt.area - geom.area) < 1e-3 * geom.area
            assert shapely.hausdorff_distance(rebuilt, geom) <= step
    assert shapes[2][0] and len(shapes[2][0][0]) >= 1, "a district smaller than a grid step is still drawn"


def _wiggly_grid(n: int = 8) -> np.ndarray:
    """An n x n coverage of squares with many vertices on every shared border."""
    cells = [shapely.box(i, j, i + 1, j + 1) for i in range(n) for j in range(n)]
    return shapely.segmentize(np.array(cells, dtype=object), 0.01)


def test_coarse_bands_have_fewer_points_and_no_gaps_between_neighbours():
    geoms = _wiggly_grid()
    ids = tuple(f"C{i}" for i in range(len(geoms)))
    packed = geopack.pack(ids, geoms)
    assert len(packed.bands) >= 2 and packed.bands[-1].max_zoom == float("inf")
    coarse, full = packed.bands[0], packed.bands[-1]
    assert coarse.points < 0.5 * full.points and coarse.max_zoom in {top for _, top in geopack.BANDS}
    shapes = geopack.unpack(packed.header(), coarse.data)
    polys = [shapely.Polygon(d[0][0]) for d in shapes]
    union = shapely.union_all(polys)
    assert abs(union.area - sum(p.area for p in polys)) < 1e-6, "neighbours do not overlap"
    assert abs(union.area - 64) < 1e-3 and len(shapely.get_parts(union)) == 1, "and leave no gaps"


def test_the_full_band_is_far_smaller_than_the_geojson_it_replaces():
    rng = np.random.default_rng(4)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(rng.random((2000, 2)))))
    cells = shapely.intersection(cells, shapely.box(0, 0, 1, 1))
    packed = geopack.pack(tuple(str(i) for i in range(len(cells))), cells)
    geojson = json.dumps([json.loads(shapely.to_geojson(shapely.set_precision(c, 1e-5))) for c in cells])
    assert len(packed.bands[-1].data) < 0.2 * len(geojson.encode())


def test_layer_files_are_written_once_and_found_again(tmp_path, monkeypatch):
    monkeypatch.setenv(mapfiles.ENV, str(tmp_path))
    ids, geoms = _layer()
    frame = gpd.GeoDataFrame({"district_id": list(ids)}, geometry=list(geoms), crs=4326)
    first = layer_geometry(frame)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([mapfiles.header_name(first.key)]
                           + [mapfiles.band_name(first.key, i) for i in range(len(first.header["bands"]))])
    stamp = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    again = layer_geometry(frame)
    assert again.key == first.key and again.header == first.header
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == stamp, "nothing rewritten"
    moved = frame.assign(geometry=frame.geometry.translate(0.5, 0))
    assert layer_geometry(moved).key != first.key, "other shapes, another file"


def test_text_files_are_pruned_to_the_newest(tmp_path, monkeypatch):
    monkeypatch.setenv(mapfiles.ENV, str(tmp_path))
    names = [mapfiles.write_text({"n": i}) for i in range(12)]
    assert len(set(names)) == 12
    assert mapfiles.prune(keep=5) == 7 and len(list(tmp_path.glob("text-*.json"))) == 5
    with pytest.raises(ValueError):
        mapfiles.read("../etc/passwd")


def test_a_text_file_written_again_is_kept_by_pruning(tmp_path, monkeypatch):
    """A view shown again reuses its file: that file is in use, however old it is."""
    monkeypatch.setenv(mapfiles.ENV, str(tmp_path))
    names = [mapfiles.write_text({"n": i}) for i in range(6)]
    for i, name in enumerate(names):
        os.utime(tmp_path / name, (1_000_000 + i, 1_000_000 + i))  # oldest first
    assert mapfiles.write_text({"n": 0}) == names[0]
    mapfiles.prune(keep=2)
    assert sorted(p.name for p in tmp_path.glob("text-*.json")) == sorted([names[0], names[5]])


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_browser_decoder_reads_what_python_wrote():
    ids, geoms = _layer()
    packed = geopack.pack(ids, geoms)
    header = packed.header()
    script = (FRONTEND / "geometry.js").read_text() + """
      const head = JSON.parse(process.argv[1]);
      const bytes = Uint8Array.from(Buffer.from(process.argv[2], "base64"));
      console.log(JSON.stringify(window.BudgetmapGeometry.decode(head, bytes)));
    """
    import base64

    out = subprocess.run(["node", "-e", "var window = {};" + script, json.dumps(header),
                          base64.b64encode(packed.bands[-1].data).decode()],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    browser = json.loads(out)
    python = geopack.unpack(header, packed.bands[-1].data)
    for b, p in zip(browser, python):
        parts = b if isinstance(b[0][0][0], list) else [b]  # one part comes unwrapped, as Leaflet takes it
        assert len(parts) == len(p)
        for bp, pp in zip(parts, p):
            for bring, pring in zip(bp, pp):
                assert np.allclose(np.array(bring)[:, ::-1], np.array(pring), atol=1e-9), "(lat, lng) of each point"


def test_encoding_reports_progress_once_per_step_and_not_when_cached(tmp_path, monkeypatch):
    monkeypatch.setenv(mapfiles.ENV, str(tmp_path))
    geoms = _wiggly_grid(4)
    frame = gpd.GeoDataFrame({"district_id": [f"C{i}" for i in range(len(geoms))]}, geometry=list(geoms), crs=4326)
    heard: list[tuple[float, str]] = []
    layer_geometry(frame, lambda fraction, what: heard.append((fraction, what)))
    fractions = [f for f, _ in heard]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert "16 districts" in heard[0][1] and len(heard) == len(geopack.BANDS) + 2
    again: list = []
    layer_geometry(frame, lambda fraction, what: again.append(fraction))
    assert again == [], "the files exist: nothing to encode"


def test_a_layer_across_the_180th_meridian_is_fitted_where_it_is(tmp_path, monkeypatch):
    monkeypatch.setenv(mapfiles.ENV, str(tmp_path))
    # an Alaska-like block and an island chain from 172°E across 180° (one island straddles it)
    chain = [shapely.box(172 + 2 * i, 51, 173 + 2 * i, 52) for i in range(4)]  # 172..179
    straddle = shapely.MultiPolygon([shapely.box(179.5, 51.5, 180, 52), shapely.box(-180, 51.5, -179.5, 52)])
    east = [shapely.box(-178 + 2 * i, 52, -177 + 2 * i, 53) for i in range(4)]
    main = shapely.box(-165, 55, -140, 70)
    frame = gpd.GeoDataFrame({"district_id": [f"A{i}" for i in range(10)]},
                             geometry=[*chain, straddle, *east, main], crs=4326)
    geometry = layer_geometry(frame)
    (south, west), (north, east_edge) = geometry.bounds
    assert east_edge - west < 60, "the chain sits beside the mainland, not across the globe"
    assert west == pytest.approx(172 - 360) and east_edge == pytest.approx(-140)
    shapes = geopack.unpack(geometry.header, mapfiles.read(geometry.header["bands"][-1]["file"]))
    straddling = [x for part in shapes[4] for ring in part for x, _ in ring]
    assert max(straddling) <= -179.5 + 1e-6 and min(straddling) >= -180.5 - 1e-6, "both halves side by side"


def test_outlines_thin_when_districts_are_small(tmp_path, monkeypatch):
    monkeypatch.setenv(mapfiles.ENV, str(tmp_path))
    small = [shapely.box(i * 0.1, j * 0.1, i * 0.1 + 0.1, j * 0.1 + 0.1) for i in range(60) for j in range(60)]
    few = [shapely.box(i, 0, i + 1, 1) for i in range(4)]
    weight = {n: layer_geometry(gpd.GeoDataFrame({"district_id": [str(k) for k in range(len(g))]},
                                                 geometry=g, crs=4326)).outline_weight
              for n, g in (("small", small), ("few", few))}
    assert weight["few"] == 1.0 and 0.2 <= weight["small"] < 0.5
