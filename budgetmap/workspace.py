"""The workspace: datasets added in the browser, one folder each, kept across restarts.

``BUDGETMAP_WORKSPACE`` names the folder (default: ``budgetmap/workspace`` in the
user's data directory, ``$XDG_DATA_HOME`` or ``~/.local/share``). Each dataset is a
subfolder holding its files and the ``manifest.toml`` the "Add your data" page
wrote, which ``python -m budgetmap check`` reads unchanged. The folder name is the
dataset's key in URLs, so a URL never carries a path. Drafts (files being
uploaded, not yet saved) live under ``.drafts/`` and are never listed.

A saved dataset can be marked *draft* (unpublished: only signed-in editors see
it, ``budgetmap.access``): an empty ``.draft`` file in its folder. A marker file,
not a manifest key, so marking and publishing never rewrite the manifest a person
may have edited; uploads cannot make it, as ``safe_name`` never starts a name with
a dot. (A manifest outside the workspace says ``draft = true`` instead.)

File names from a browser are untrusted: ``safe_name`` keeps only the last part
of the name and plain characters, so an upload cannot leave its folder.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from collections.abc import Mapping
from pathlib import Path

ENV = "BUDGETMAP_WORKSPACE"
IMPORT_ENV = "BUDGETMAP_IMPORT"
MANIFEST = "manifest.toml"
DRAFTS = ".drafts"
DRAFT_MARK = ".draft"  # in a saved dataset's folder: unpublished (see the module's docstring)
#: The largest data file the page takes (the server's ``maxUploadSize`` is the same, in MB).
MAX_UPLOAD_MB = 200
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 2**20
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def root() -> Path:
    """The workspace folder (not created here)."""
    env = os.environ.get(ENV, "").strip()
    if env:
        return Path(env).expanduser()
    data = os.environ.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return Path(data) / "budgetmap" / "workspace"


def import_folder() -> Path | None:
    """The server folder files may be picked from (``BUDGETMAP_IMPORT``), or None when unset or absent."""
    env = os.environ.get(IMPORT_ENV, "").strip()
    folder = Path(env).expanduser() if env else None
    return folder if folder is not None and folder.is_dir() else None


def importable(folder: Path, suffixes: tuple[str, ...]) -> list[str]:
    """Names of the regular files directly in ``folder`` with one of ``suffixes`` (no subfolders, no links out)."""
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() not in suffixes:
            continue
        if path.is_file() and not path.is_symlink():
            out.append(path.name)
    return out


def safe_name(name: str) -> str:
    """A file name that stays in its folder: the last part only, plain characters, no leading dot."""
    last = re.split(r"[\\/]", str(name))[-1]
    stem, dot, suffix = last.rpartition(".")
    if not dot:
        stem, suffix = last, ""
    stem = _UNSAFE.sub("_", stem).strip("._-")[:80] or "file"
    suffix = _UNSAFE.sub("", suffix)[:12].lower()
    return f"{stem}.{suffix}" if suffix else stem


def slug(name: str) -> str:
    """A dataset key from its name: lower case, letters, digits and dashes."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:48]
    return text or "dataset"


def is_key(key: str) -> bool:
    """True for a string that can be a workspace folder name (what ``slug`` makes)."""
    return bool(_KEY.match(key))


def manifests(folder: Path | None = None) -> list[Path]:
    """The workspace datasets' manifests, by folder name (drafts and hidden folders left out)."""
    folder = root() if folder is None else folder
    if not folder.is_dir():
        return []
    return [d / MANIFEST for d in sorted(folder.iterdir())
            if d.is_dir() and not d.name.startswith(".") and is_key(d.name) and (d / MANIFEST).is_file()]


#: A draft untouched this long is an abandoned session's: removed when a new draft starts.
DRAFT_MAX_AGE_S = 2 * 24 * 3600


def draft(token: str | None = None, folder: Path | None = None) -> tuple[str, Path]:
    """(token, folder) of a draft: where one session's uploads wait until saved."""
    drafts = (root() if folder is None else folder) / DRAFTS
    fresh = not (token and re.fullmatch(r"[0-9a-f]{16}", token))
    token = secrets.token_hex(8) if fresh else token
    if fresh:
        prune(drafts)
    path = drafts / token
    path.mkdir(parents=True, exist_ok=True)
    return token, path


def prune(drafts: Path, max_age_s: float = DRAFT_MAX_AGE_S, now: float | None = None) -> list[str]:
    """Delete drafts whose files are all older than ``max_age_s``; returns their tokens."""
    import time

    now = time.time() if now is None else now
    gone = []
    if not drafts.is_dir():
        return gone
    for path in drafts.iterdir():
        if not path.is_dir() or path.is_symlink() or not re.fullmatch(r"[0-9a-f]{16}", path.name):
            continue
        newest = max([path.stat().st_mtime, *(f.stat().st_mtime for f in path.iterdir())])
        if now - newest > max_age_s:
            shutil.rmtree(path, ignore_errors=True)
            gone.append(path.name)
    return gone


def store(folder: Path, name: str, data: bytes) -> Path:
    """Write an uploaded file into ``folder`` under its safe name; refuses files over the upload limit."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(f"{safe_name(name)} is {len(data) / 2**20:.0f} MB; the limit is {MAX_UPLOAD_MB} MB")
    path = folder / safe_name(name)
    path.write_bytes(data)
    return path


def copy_in(folder: Path, source: Path) -> Path:
    """Copy a file picked from the import folder into a draft (the loaders then read the copy)."""
    if source.stat().st_size > MAX_UPLOAD_BYTES:
        raise ValueError(f"{source.name} is over the {MAX_UPLOAD_MB} MB limit")
    target = folder / safe_name(source.name)
    shutil.copyfile(source, target)
    return target


def save(draft_folder: Path, name: str, files: list[str], manifest_text: str,
         folder: Path | None = None, unpublished: bool = False) -> Path:
    """Copy a draft's files and manifest into a new workspace dataset; returns its manifest.

    The key is the slug of ``name``, made unique with -2, -3... so saving never
    overwrites another dataset. ``unpublished`` marks it draft before its manifest
    is written, so no listing ever sees it published for a moment.
    """
    folder = root() if folder is None else folder
    base = slug(name)
    key, n = base, 2
    while (folder / key).exists():
        key, n = f"{base}-{n}", n + 1
    target = folder / key
    target.mkdir(parents=True)
    for file in files:
        shutil.copyfile(draft_folder / safe_name(file), target / safe_name(file))
    if unpublished:
        (target / DRAFT_MARK).touch()
    (target / MANIFEST).write_text(manifest_text, encoding="utf-8")
    return target / MANIFEST


def is_draft(key: str, folder: Path | None = None) -> bool:
    """True when the workspace dataset ``key`` is marked draft (unpublished)."""
    folder = root() if folder is None else folder
    return is_key(key) and (folder / key / DRAFT_MARK).is_file()


def mark_draft(key: str, unpublished: bool, folder: Path | None = None) -> bool:
    """Mark the workspace dataset ``key`` draft (True) or published (False); False when there is no such dataset."""
    folder = root() if folder is None else folder
    target = folder / key
    if not is_key(key) or target.is_symlink() or not (target / MANIFEST).is_file():
        return False
    mark = target / DRAFT_MARK
    if unpublished:
        mark.touch()
    else:
        mark.unlink(missing_ok=True)
    return True


def remove(key: str, folder: Path | None = None) -> bool:
    """Delete the workspace dataset ``key`` (its folder); False when there is none by that key."""
    folder = root() if folder is None else folder
    if not is_key(key):
        return False
    target = folder / key
    if not (target / MANIFEST).is_file() or target.is_symlink():
        return False
    shutil.rmtree(target)
    return True


def _quote(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def manifest_text(name: str, districts: Mapping[str, str], spending: Mapping[str, str],
                  currency: str = "USD", indicators: Mapping[str, str] | None = None) -> str:
    """The manifest of a dataset built on the page: ``[districts]``, ``[spending]`` and, when an
    indicator table was given, ``[indicators]`` keys -> values.

    Empty values are left out (an unset optional column).
    """
    lines = [f"name = {_quote(name)}", f"currency = {_quote(currency)}",
             "note = \"Added with the 'Add your data' page\"", ""]
    sections = [("districts", districts), ("spending", spending)] + ([("indicators", indicators)] if indicators else [])
    for section, keys in sections:
        lines.append(f"[{section}]")
        lines += [f"{key} = {_quote(value)}" for key, value in keys.items() if value not in (None, "")]
        lines.append("")
    return "\n".join(lines)
