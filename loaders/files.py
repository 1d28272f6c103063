"""What a data path must be before anything opens it: a regular file of a bounded size.

A named pipe blocks the reader forever, ``/dev/zero`` never ends and a folder is
read by GDAL as "every file in it", so each path is checked with ``os.stat``
first and refused with a message naming it as the manifest does. Files read
whole into memory (CSV by pandas, workbooks, GIS files, manifests) have a size
bound; bigger spending tables go to DuckDB, which streams them.
"""
from __future__ import annotations

import os
import stat
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from budgetmap.model.errors import LoadError

MB = 1_000_000
#: Manifests are a few kB; anything near this is not a manifest.
MAX_MANIFEST_BYTES = 1 * MB
#: Tables and boundaries read whole into memory (pandas, openpyxl, GDAL); about 10x this in RAM.
MAX_WHOLE_READ_BYTES = 500 * MB

_KINDS = ((stat.S_ISDIR, "is a folder"), (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
          (stat.S_ISCHR, "is a device, not a regular file"), (stat.S_ISBLK, "is a device, not a regular file"),
          (stat.S_ISSOCK, "is a socket, not a regular file"))


def regular_file(path: Path, name: str, *, fix: str, limit: int | None = MAX_WHOLE_READ_BYTES,
                 too_big: str = "") -> None:
    """Raise LoadError unless ``path`` is a regular file (symlinks followed) of at most ``limit`` bytes.

    ``name`` is how messages name the file (as the manifest writes it), ``fix``
    what to do about a wrong path ("point path under [spending] at the file"),
    ``too_big`` what to do about a big file.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise LoadError(f"{name}: file not found; {fix}") from None
    except PermissionError:
        raise LoadError(f"{name}: cannot be opened (permission denied); give the app read access") from None
    except OSError as exc:
        raise LoadError(f"{name}: cannot be opened ({exc.strerror}); {fix}") from None
    for test, what in _KINDS:
        if test(info.st_mode):
            raise LoadError(f"{name}: {what}; {fix}")
    if not stat.S_ISREG(info.st_mode):
        raise LoadError(f"{name}: is not a regular file; {fix}")
    if limit is not None and info.st_size > limit:
        raise LoadError(f"{name}: is {info.st_size / MB:,.0f} MB, more than the {limit / MB:,.0f} MB "
                        f"that can be read at once{'; ' + too_big if too_big else ''}")


_LOCK = threading.RLock()
#: Library warnings that say nothing about the data (they are dropped, not shown).
_NOISE = ("Could not parse column", "Workbook contains no default style", "Data Validation extension",
          "Conditional Formatting extension", "GeoSeries.notna()", "More than one layer found",
          "invalid value encountered")  # NaN coordinates: the loader lists those features itself


@contextmanager
def quiet(notes: list[str] | None = None, *, name: str = "", path: Path | None = None) -> Iterator[None]:
    """Run library calls (GDAL, shapely, openpyxl, pandas) with their warnings caught, never on stderr.

    Warnings that say something about the file become ``notes`` ("reading X: ..."),
    with the server path replaced by ``name``; known noise is dropped.
    ``warnings.catch_warnings`` swaps process-wide state, so the block holds a lock:
    two sessions loading at once cannot leave each other's recorder installed.
    """
    with _LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    if notes is None:
        return
    seen: list[str] = []
    for item in caught:
        text = scrub(str(item.message), path, name)
        if any(n in text for n in _NOISE) or text in seen:
            continue
        seen.append(text)
    notes.extend(f"reading {name}: {text}" if name else text for text in seen)


def scrub(text: str, path: Path | None, name: str) -> str:
    """A library's message without the server's path (GDAL's /vsizip/ prefix too)."""
    text = text.replace("/vsizip/", "")
    if path is not None:
        for form in {str(path), str(Path(path).resolve())}:
            text = text.replace(form, name)
    return text


def unreadable(exc: BaseException, path: Path, name: str) -> LoadError:
    """A library's failure to read a file, in words a steward can act on, without the server's path."""
    from loaders.gis import FORMATS, failure  # GIS formats get GDAL's reasons translated

    suffix = path.suffix.lower()
    if suffix in FORMATS:
        return failure(exc, path, name)
    reason = scrub(str(exc), path, name).strip().rstrip(".") or type(exc).__name__
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return LoadError(f"{name}: is not an Excel workbook that can be read ({reason}); open it in Excel or "
                         "LibreOffice and save it again as .xlsx")
    if suffix in (".parquet", ".pq"):
        return LoadError(f"{name}: is not a Parquet file that can be read ({reason}); write it again, or save "
                         "the table as CSV")
    return LoadError(f"{name}: cannot be read ({reason}); check that the file is complete, or save it again")
