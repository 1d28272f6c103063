"""The map's static files on disk: each layer's geometry bands and each map's words.

The browser map fetches these over plain HTTP (the app serves the folder as a
component's files, gzip-compressed by Streamlit's server), so a repaint's
WebSocket message carries only small per-district arrays. Every file name is a
content hash: a name never changes meaning, the browser may cache it, and a
second session (or a restart) reuses what the first one wrote.

``BUDGETMAP_CACHE`` names the folder (default: ``budgetmap/map`` in
``$XDG_CACHE_HOME`` or ``~/.cache``). Geometry files are kept; the words of
maps (tooltips and accessible names, one small file per map view) are pruned to
the newest ``MAX_TEXT_FILES``.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from budgetmap.render.geopack import Pack

ENV = "BUDGETMAP_CACHE"
MAX_TEXT_FILES = 400
_pruned = {"writes": 0}


def folder() -> Path:
    """The cache folder, created on first use."""
    env = os.environ.get(ENV, "").strip()
    base = Path(env).expanduser() if env else (
        Path(os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache") / "budgetmap" / "map")
    base.mkdir(parents=True, exist_ok=True)
    return base


def _write(path: Path, data: bytes) -> None:
    """Atomically: a browser never reads half a file, two sessions may write the same one."""
    if path.exists():
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def band_name(key: str, band: int) -> str:
    return f"geo-{key}-{band}.bin"


def header_name(key: str) -> str:
    return f"geo-{key}.json"


def cached_header(key: str) -> dict[str, Any] | None:
    """A layer's header written earlier (by this or another process), or None."""
    path = folder() / header_name(key)
    try:
        header = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    bands_there = all((folder() / band_name(key, i)).exists() for i in range(len(header.get("bands", []))))
    return header if bands_there else None


def write_pack(pack: Pack) -> dict[str, Any]:
    """Write a layer's bands and header; returns the header (with each band's file name)."""
    header = pack.header()
    base = folder()
    for i, band in enumerate(pack.bands):
        _write(base / band_name(pack.key, i), band.data)
        header["bands"][i]["file"] = band_name(pack.key, i)
    _write(base / header_name(pack.key), json.dumps(header, separators=(",", ":")).encode())
    return header


def write_text(content: dict[str, Any]) -> str:
    """Write one map's words (JSON); returns the file name, a hash of the content."""
    data = json.dumps(content, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    name = f"text-{hashlib.sha1(data).hexdigest()[:20]}.json"
    path = folder() / name
    try:  # written before: mark it in use, since pruning keeps the newest by time
        os.utime(path)
    except OSError:
        _write(path, data)
    _pruned["writes"] += 1
    if _pruned["writes"] % 50 == 0:
        prune()
    return name


def prune(keep: int = MAX_TEXT_FILES) -> int:
    """Delete all but the newest ``keep`` text files; returns how many went."""
    texts = sorted(folder().glob("text-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    gone = 0
    for path in texts[keep:]:
        try:
            path.unlink()
            gone += 1
        except OSError:
            pass
    return gone


def read(name: str) -> bytes:
    """A file of the cache by name (tests and the Python reader)."""
    if "/" in name or name.startswith("."):
        raise ValueError(f"not a cache file name: {name!r}")
    return (folder() / name).read_bytes()
