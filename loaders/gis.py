"""Opening GIS files (GeoJSON, shapefiles, GeoPackage...) through pyogrio, in a steward's words.

GDAL is precise but speaks of itself ("'/vsizip//srv/x.zip' not recognized as
being in a supported file format"), and with several layers in a file it reads
the first one without a word. Here the layer is chosen on purpose (a file with
several needs the manifest to name one, and the message lists them) and a file
GDAL cannot open is described by what it should have been, without server paths.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from budgetmap.model.errors import LoadError
from loaders.files import scrub

#: What each extension should hold, for messages about a file that does not open.
FORMATS = {
    ".geojson": "GeoJSON (a complete FeatureCollection)", ".json": "GeoJSON (a complete FeatureCollection)",
    ".topojson": "TopoJSON", ".gpkg": "a GeoPackage", ".fgb": "a FlatGeobuf file",
    ".shp": "a shapefile (with its .shx and .dbf beside it)",
    ".zip": "a zipped shapefile (a zip holding the .shp with its .shx and .dbf)",
}
#: Formats that hold one layer, always: there is nothing to choose. Not .geojson or .json: GDAL reads
#: a TopoJSON file by its content whatever its name, and TopoJSON may hold several layers.
ONE_LAYER = (".shp", ".fgb")
_UNREADABLE = ("not recognized as being in a supported file format", "not recognized as a supported dataset name",
               "does not exist in the file system", "No such file or directory")


def failure(exc: BaseException, path: Path, name: str) -> LoadError:
    """A pyogrio/GDAL error as a message naming the file as the manifest does, and saying what to do."""
    text = scrub(str(exc), path, name).strip().rstrip(".")
    what = FORMATS.get(path.suffix.lower(), "a GIS file")
    reason = "" if any(marker in text for marker in _UNREADABLE) else f" ({text})"
    return LoadError(f"{name}: is not {what} that can be read{reason}; export it again from your GIS "
                     "(or give the file the extension of its format)")


def choose_layer(path: Path, name: str, layer: Any, key: str, section: str) -> str | None:
    """The layer to read: the one the manifest names, or the only one; LoadError listing them otherwise.

    ``key`` is the manifest key that names a layer in this section (``layer`` for
    boundaries, ``gis_layer`` for tables).
    """
    if layer is None and path.suffix.lower() in ONE_LAYER:
        return None  # listing opens the file: a cost for nothing
    import pyogrio

    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise failure(exc, path, name) from None
    listed = ", ".join(repr(x) for x in layers)
    if layer is not None:
        if str(layer) not in layers:
            raise LoadError(f"{name}: has no layer {str(layer)!r}; its layers are {listed}: set {key} = \"...\" "
                            f"under [{section}] to one of them")
        return str(layer)
    if len(layers) > 1:
        raise LoadError(f"{name}: has {len(layers)} layers ({listed}); say which to read with {key} = \"...\" "
                        f"under [{section}]")
    return None
