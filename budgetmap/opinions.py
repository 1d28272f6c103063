"""Reviewer opinions on early warnings, kept in the workspace across restarts.

Outside experts review the monitoring data and send opinions back to the units
(the practice issue 12 comes from). An opinion belongs to one warning: a dataset
(its key in URLs), a project and the period it was given at. They live in one
SQLite file in the workspace (``opinions.sqlite``, standard library only) so every
session of the server sees the same list and a restart keeps it.

Opinions are written by people, so their text is data: it is stored as typed,
with control characters removed and a length cap, and never rendered as markup
(the renderers treat it like any other data text).
"""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

FILE = "opinions.sqlite"
MAX_TEXT = 4000
MAX_AUTHOR = 120
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS opinion (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset TEXT NOT NULL,
    project TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    period TEXT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS opinion_by_project ON opinion (dataset, project);
"""


class OpinionError(ValueError):
    """An opinion that cannot be stored (empty, or not text); the message says what to change."""


@dataclass(frozen=True)
class Opinion:
    """One reviewer's dated opinion on one project's warning at one period."""

    id: int
    dataset: str
    project: str
    year: int
    period: str
    author: str
    text: str
    created: datetime


def clean_text(value: object, limit: int, what: str) -> str:
    """``value`` as stored: text without control characters (newlines and tabs kept), trimmed, capped."""
    if not isinstance(value, str):
        raise OpinionError(f"the {what} must be text")
    text = _CONTROL.sub("", value).strip()
    if not text:
        raise OpinionError(f"the {what} is empty; write it before saving")
    if len(text) > limit:
        raise OpinionError(f"the {what} is {len(text):,} characters long; at most {limit:,} are kept, shorten it")
    return text


class OpinionStore:
    """Opinions in one SQLite file; each call opens its own connection, so sessions can share it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def in_workspace(cls, folder: Path) -> OpinionStore:
        """The store of a workspace folder (the file is made on the first write)."""
        return cls(Path(folder) / FILE)

    @contextmanager
    def _connect(self, write: bool) -> Iterator[sqlite3.Connection]:
        if write:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            if write:
                conn.executescript(_SCHEMA)
            with conn:
                yield conn
        finally:
            conn.close()

    def add(self, dataset: str, project: str, year: int, period: str, author: str, text: str,
            when: datetime | None = None) -> Opinion:
        """Store an opinion and return it with its id; ``when`` defaults to now (UTC)."""
        created = (when or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
        row = (clean_text(dataset, 200, "dataset"), clean_text(project, 500, "project"), int(year),
               clean_text(period, 20, "period"), clean_text(author, MAX_AUTHOR, "reviewer's name"),
               clean_text(text, MAX_TEXT, "opinion"), created.isoformat())
        with self._connect(write=True) as conn:
            cur = conn.execute("INSERT INTO opinion (dataset, project, fiscal_year, period, author, body, created) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)", row)
            new_id = int(cur.lastrowid or 0)
        return Opinion(new_id, row[0], row[1], row[2], row[3], row[4], row[5], created)

    def for_dataset(self, dataset: str, project: str | None = None) -> list[Opinion]:
        """A dataset's opinions (one project's with ``project``), oldest first."""
        if not self.path.exists():
            return []
        sql = ("SELECT id, dataset, project, fiscal_year, period, author, body, created FROM opinion "
               "WHERE dataset = ?")
        args: list[object] = [dataset]
        if project is not None:
            sql += " AND project = ?"
            args.append(project)
        with self._connect(write=False) as conn:
            try:
                rows = conn.execute(sql + " ORDER BY created, id", args).fetchall()
            except sqlite3.OperationalError:   # a file with no table yet
                return []
        return [Opinion(int(r[0]), r[1], r[2], int(r[3]), r[4], r[5], r[6], datetime.fromisoformat(r[7]))
                for r in rows]

    def remove(self, opinion_id: int) -> bool:
        """Delete one opinion (an editor's correction); True when it existed."""
        if not self.path.exists():
            return False
        with self._connect(write=True) as conn:
            return conn.execute("DELETE FROM opinion WHERE id = ?", (int(opinion_id),)).rowcount > 0
