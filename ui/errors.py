"""Failures at the page boundary: a plain message for the person, the details for the server log.

A dataset that cannot be read or loaded must stay with that dataset: its failure,
whatever it is (a LoadError, or a RecursionError from a manifest nested 20,000 deep,
a MemoryError, an OSError), becomes one message naming files relative to the
catalogue's folders, never a traceback or a server path, and everything else
keeps working. Unexpected exceptions are logged with their traceback.
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

from budgetmap.model.errors import LoadError

LOG = logging.getLogger("budgetmap.ui")
if not LOG.handlers and not logging.getLogger().handlers:  # Streamlit configures only its own loggers
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOG.addHandler(_handler)
APP_ROOT = Path(__file__).resolve().parents[1]
#: an absolute path (not part of a URL or of a relative path): keep only its last part
_ABSOLUTE = re.compile(r"(?<![\w.:/~-])/(?:[^\s'\"/:,;()]+/)+([^\s'\"/:,;()]+)")
_PLAIN = {
    RecursionError: "it is nested too deeply to read",
    MemoryError: "it needs more memory than this server has",
    TimeoutError: "reading it took too long",
}


def plain(text: str, folders: Iterable[str | Path] = ()) -> str:
    """``text`` with paths under ``folders`` (and the app's own folder) made relative,
    and any other absolute path cut to its file name."""
    roots = {APP_ROOT, *(Path(f) for f in folders)}
    prefixes = {str(p) for r in roots for p in (r, r.resolve())}
    for prefix in sorted(prefixes, key=len, reverse=True):
        text = text.replace(prefix.rstrip(os.sep) + os.sep, "")
    return _ABSOLUTE.sub(lambda m: m.group(1), text)


def message(exc: BaseException, manifest: str | Path, *, loading: bool = False) -> str:
    """What a person is told when ``manifest`` cannot be read (or its dataset loaded);
    unexpected failures are logged with their traceback."""
    manifest = Path(manifest)
    folders = (manifest.parent,)
    if isinstance(exc, LoadError):
        return plain(str(exc), folders)
    doing = "loading the dataset of" if loading else "reading the manifest"
    LOG.error("budgetmap: %s %s failed", doing, manifest, exc_info=exc)
    why = next((text for kind, text in _PLAIN.items() if isinstance(exc, kind)), None)
    if why is None and isinstance(exc, OSError) and exc.strerror:
        why = plain(exc.strerror, folders).lower()
    why = why or f"an unexpected {type(exc).__name__}"
    what = "the dataset could not be loaded" if loading else "the manifest could not be read"
    return f"{manifest.name}: {what} ({why}). Other datasets are not affected; the details are in the server's log."
