"""Choosing a GIS file's layer: a file with several needs the manifest to name one, whatever its name."""
from __future__ import annotations

from pathlib import Path

import pytest

from budgetmap.model.errors import LoadError
from loaders.gis import choose_layer

#: two layers (wards, zones) in one TopoJSON file
TOPOLOGY = ('{"type":"Topology","arcs":[[[0,0],[1,0],[0,1],[-1,0],[0,-1]],[[5,5],[1,0],[0,1],[-1,0],[0,-1]]],'
            '"objects":{"wards":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[0]],'
            '"properties":{"id":"W1"}}]},"zones":{"type":"GeometryCollection","geometries":[{"type":"Polygon",'
            '"arcs":[[1]],"properties":{"id":"Z9"}}]}}}')


@pytest.mark.parametrize("name", ["wards.topojson", "wards.json", "wards.geojson"])
def test_a_topojson_of_two_layers_is_refused_under_any_name(tmp_path: Path, name: str) -> None:
    """GDAL reads a TopoJSON by its content, so a .json or .geojson name may hold several layers too."""
    path = tmp_path / name
    path.write_text(TOPOLOGY, encoding="utf-8")
    with pytest.raises(LoadError, match=r"has 2 layers \('wards', 'zones'\); say which to read with layer"):
        choose_layer(path, name, None, "layer", "districts")
    assert choose_layer(path, name, "zones", "layer", "districts") == "zones"
