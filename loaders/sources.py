"""Where a manifest table comes from: a file (``path``) or a PostgreSQL database (``url``).

Checked when the manifest is read, before anything connects, so a steward learns
about a half-written source (a url with neither ``table`` nor ``query``) or a
password pasted into the url at once. Passwords never belong in a manifest: it is
shared, committed and printed in load reports; libpq reads PGPASSWORD and
~/.pgpass by itself.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from loaders.problems import LoadError

SOURCE_KEYS = {"path", "url", "table", "query"}
SCHEMES = ("postgresql", "postgres")
_NO_PASSWORD = "put it in PGPASSWORD or ~/.pgpass, never in the manifest"


def check_source(manifest: str, section: str, table: dict[str, Any]) -> dict[str, str | None]:
    """The database fields of a section (url, table, query; all None for a file), or LoadError."""
    where = f"{manifest}: [{section}]"
    url = table.get("url")
    if url is None:
        stray = sorted({"table", "query"} & table.keys())
        if stray:
            raise LoadError(f"{where} has {' and '.join(map(repr, stray))} but no 'url' "
                            "(postgresql://user@host:port/database)")
        if "path" not in table:
            raise LoadError(f"{where} needs 'path' (a file) or 'url' with 'table' or 'query' (a database)")
        return {"url": None, "table": None, "query": None}
    if "path" in table:
        raise LoadError(f"{where} has both 'path' and 'url'; give one: a file or a database")
    check_url(where, url)
    given = [k for k in ("table", "query") if k in table]
    if len(given) != 1:
        raise LoadError(f"{where} 'url' needs exactly one of 'table' (\"schema.name\") or 'query' "
                        f"(\"SELECT ...\"){'; both are given' if len(given) == 2 else ''}")
    value = table[given[0]]
    if not isinstance(value, str) or not value.strip():
        raise LoadError(f"{where} '{given[0]}' must be non-empty text")
    if given[0] == "table":
        table_name(where, value)
    return {"url": url, "table": value.strip() if given[0] == "table" else None,
            "query": value if given[0] == "query" else None}


def check_url(where: str, url: Any) -> None:
    """A postgresql:// URL without a password (in the user part or as ?password=)."""
    if not isinstance(url, str) or urlsplit(url).scheme not in SCHEMES:
        raise LoadError(f"{where} 'url' must be text like postgresql://user@host:port/database")
    parts = urlsplit(url)
    try:
        password = parts.password
    except ValueError:  # unbalanced brackets and the like: say nothing of the url's content
        raise LoadError(f"{where} 'url' is not a valid postgresql:// URL") from None
    query = {k.lower() for k in parse_qs(parts.query, keep_blank_values=True)}
    if password is not None or "password" in query:
        raise LoadError(f"{where} 'url' carries a password; {_NO_PASSWORD}")


def table_name(where: str, name: str) -> tuple[str, ...]:
    """``"schema.name"`` or ``"name"`` as identifier parts (quoted later, never pasted into SQL)."""
    parts = tuple(p.strip() for p in name.strip().split("."))
    if len(parts) > 2 or not all(parts):
        raise LoadError(f"{where} 'table' must be \"schema.name\" or \"name\", not {name!r}")
    return parts


def database_name(url: str) -> str:
    """``host:port/database`` of a URL, for messages: never the user's password."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname or (query.get("host") or ["localhost"])[0]
    port = port or (query.get("port") or ["5432"])[0]
    database = parts.path.lstrip("/") or (query.get("dbname") or ["(default database)"])[0]
    return f"{host}:{port}/{database}"
