"""Read a manifest's tables and boundaries from PostgreSQL / PostGIS instead of files.

Many finance offices keep budgets and council districts in a database; exporting
CSVs by hand for every refresh loses rows and dates. A database source reads into
exactly the frame a file gives (trimmed strings, "" for NULL, the file readers'
own typing rules), so money parsing, joins and the load report (rows from 2,
features from 1) do not know where the data came from.

Sessions are read-only and time-limited: a manifest's ``query`` is run as written,
and a load must never change the city's data or hang the app. Identifiers are
quoted with ``psycopg.sql.Identifier``, never pasted into SQL. Passwords come from
PGPASSWORD or ~/.pgpass (libpq reads them itself) and never appear in a message.
"""
from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely
from psycopg import errors, sql
from pyproj import CRS
from pyproj.exceptions import CRSError

from loaders.manifest import TableSpec
from loaders.problems import LoadError
from loaders.sources import check_url, database_name, table_name
from loaders.tables import _cell_text, _frame, require_columns

STATEMENT_TIMEOUT_MS = 30_000  # a load that takes longer is a mistake (a missing WHERE, a lock)
CONNECT_TIMEOUT_S = 10
NOT_COLUMNS = {"values"}  # manifest text keys that are not column names
_GEOMETRY_TYPES = sql.SQL("SELECT to_regtype('geometry')::oid, to_regtype('geography')::oid")


def session_options() -> str:
    """libpq ``options``: every statement read-only and stopped after STATEMENT_TIMEOUT_MS."""
    return f"-c default_transaction_read_only=on -c statement_timeout={int(STATEMENT_TIMEOUT_MS)}"


def connect(url: str, *, where: str | None = None) -> psycopg.Connection:
    """A read-only, autocommit session; connection problems as a one-line LoadError naming ``where``.

    The options override any ``options`` in the url or PGOPTIONS, so a manifest
    cannot turn read-only off.
    """
    where = where or database_name(url)
    check_url(where, url)
    try:
        return psycopg.connect(url, options=session_options(), connect_timeout=CONNECT_TIMEOUT_S,
                               application_name="budgetmap", autocommit=True)
    except psycopg.Error as exc:
        raise LoadError(f"{where}: {_connect_problem(_first_line(exc), url)}") from None


def read_sql_table(spec: TableSpec) -> pd.DataFrame:
    """The section's table or query as read_table gives a CSV: trimmed strings, "" = missing.

    Geometry columns are left out (as a GIS file's are when read as a table);
    every manifest column must be in the result.
    """
    assert spec.url is not None
    with connect(spec.url, where=spec.display_name) as conn:
        names, types, rows, geo_types = _fetch(conn, spec)
    keep = [j for j, t in enumerate(types) if t not in geo_types]
    frame = _frame([[names[j] for j in keep], *([_cell_text(r[j]) for j in keep] for r in rows)],
                   spec.display_name)
    require_columns(frame, _manifest_columns(spec), file=spec.display_name, section=spec.section,
                    noun="table")
    return frame


def read_sql_boundaries(spec: TableSpec) -> gpd.GeoDataFrame:
    """The section's table or query as a GeoDataFrame: its one geometry column and text attributes.

    The CRS is the SRID's entry in spatial_ref_sys (SRID 0: none declared, which
    read_boundaries treats like a file without a CRS).
    """
    assert spec.url is not None
    with connect(spec.url, where=spec.display_name) as conn:
        names, types, rows, geo_types = _fetch(conn, spec)
        shapes = [j for j, t in enumerate(types) if t in geo_types]
        geoms = _shapes(spec, names, shapes, rows)
        srids = sorted({int(s) for s in shapely.get_srid(geoms[~shapely.is_missing(geoms)])} - {0})
        if len(srids) > 1:
            raise LoadError(f"{spec.display_name}: column {names[shapes[0]]!r} mixes SRIDs "
                            f"{', '.join(map(str, srids))}; transform them to one (ST_Transform) in a query")
        crs = _crs(conn, spec, srids[0]) if srids else None
    others = [j for j in range(len(names)) if j != shapes[0]]
    frame = _frame([[names[j] for j in others], *([_cell_text(r[j]) for j in others] for r in rows)],
                   spec.display_name) if others else pd.DataFrame(index=range(len(rows)))
    require_columns(frame, _manifest_columns(spec), file=spec.display_name, section=spec.section,
                    noun="table")
    geometry = gpd.GeoSeries(shapely.set_srid(geoms, 0), index=frame.index)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=crs)


def _shapes(spec: TableSpec, names: list[str], shapes: list[int], rows: list[tuple[Any, ...]]) -> np.ndarray:
    """The one geometry column's shapes (the server sends hex EWKB text: the SRID travels with each)."""
    if len(shapes) != 1:
        listed = ", ".join(names[j] for j in shapes)
        raise LoadError(f"{spec.display_name}: " + (
            f"has no geometry column (PostGIS geometry or geography); columns are: {', '.join(names)}"
            if not shapes else f"has several geometry columns ({listed}); "
                               "name one with query = \"SELECT ..., the_one FROM ...\""))
    try:
        return shapely.from_wkb(np.array([r[shapes[0]] for r in rows], dtype=object))
    except shapely.errors.GEOSException as exc:
        raise LoadError(f"{spec.display_name}: column {names[shapes[0]]!r} is not readable geometry "
                        f"({exc})") from None


def _fetch(conn: psycopg.Connection,
           spec: TableSpec) -> tuple[list[str], list[int], list[tuple[Any, ...]], set[int]]:
    """Column names, type oids, rows, and the oids of PostGIS's geometry types (if installed)."""
    if spec.table is not None:
        statement: sql.Composable = sql.SQL("SELECT * FROM {}").format(
            sql.Identifier(*table_name(spec.display_name, spec.table)))
    else:
        statement = sql.SQL(spec.query or "")  # type: ignore[arg-type]  # the manifest's SQL, as written
    try:
        cursor = conn.execute(statement)
        if cursor.description is None:
            raise LoadError(f"{spec.display_name}: the query returns no result (is it a SELECT?)")
        names = [d.name for d in cursor.description]
        types = [d.type_code for d in cursor.description]
        rows = cursor.fetchall()
        geo_types = {oid for oid in conn.execute(_GEOMETRY_TYPES).fetchone() or () if oid}
    except psycopg.Error as exc:
        raise LoadError(f"{spec.display_name}: {_query_problem(exc, spec)}") from None
    return names, types, rows, geo_types


def _manifest_columns(spec: TableSpec) -> dict[str, str]:
    """Manifest key -> column for every column the section names, listed as the file loaders list them."""
    columns = {k: v for k, v in spec.columns.items() if k not in NOT_COLUMNS} | spec.listed_columns()
    keep, years = spec.options.get("keep", []), spec.options.get("years", [])
    columns |= {f"keep[{c}]": c for c in keep if isinstance(c, str)} if isinstance(keep, list) else {}
    columns |= {f"years[{i}]": c for i, c in enumerate(years) if isinstance(c, str)} if isinstance(years, list) else {}
    return columns


def _crs(conn: psycopg.Connection, spec: TableSpec, srid: int) -> CRS | None:
    """The CRS the server's spatial_ref_sys gives an SRID (EPSG codes in practice)."""
    try:
        row = conn.execute(sql.SQL("SELECT auth_name, auth_srid, srtext FROM spatial_ref_sys WHERE srid = %s"),
                           (srid,)).fetchone()
    except psycopg.Error as exc:
        raise LoadError(f"{spec.display_name}: cannot look up SRID {srid} ({_first_line(exc)})") from None
    try:
        if row and row[0] and row[1]:
            return CRS.from_user_input(f"{row[0]}:{row[1]}")
        if row and row[2]:
            return CRS.from_wkt(row[2])
        return CRS.from_epsg(srid)
    except CRSError:
        if spec.options.get("crs"):
            return None  # the manifest's crs replaces it
        raise LoadError(f"{spec.display_name}: SRID {srid} is not a CRS pyproj knows; "
                        "set crs = \"EPSG:....\" under [districts]") from None


def _first_line(exc: BaseException) -> str:
    """The server's message, one line, with the password (should libpq ever echo it) removed."""
    text = " ".join(str(exc).split("\n")[0].split())
    secret = os.environ.get("PGPASSWORD")
    return text.replace(secret, "***") if secret else text


def _user(url: str) -> str:
    return urlsplit(url).username or os.environ.get("PGUSER") or "(default user)"


def _connect_problem(message: str, url: str) -> str:
    """What went wrong connecting, in a steward's words, with the fix."""
    low = message.lower()
    if "connection refused" in low:
        return ("cannot connect: connection refused (is PostgreSQL running there and accepting "
                "TCP/IP connections on that port?)")
    if "failed to resolve host" in low or "could not translate host name" in low:
        return "cannot connect: the server's host name is not known (check the url's host)"
    if "timeout expired" in low or "timed out" in low or "no route to host" in low \
            or "network is unreachable" in low:
        return f"cannot connect: the server is not reachable (no answer within {CONNECT_TIMEOUT_S} s)"
    if "no password supplied" in low:
        return (f"authentication failed for user {_user(url)!r}: no password given; "
                "put it in PGPASSWORD or ~/.pgpass")
    if "authentication failed" in low or ("role" in low and "does not exist" in low) or "pg_hba.conf" in low:
        return (f"authentication failed for user {_user(url)!r} (check the user in the url and the "
                "password in PGPASSWORD or ~/.pgpass)")
    if "database" in low and "does not exist" in low:
        database = urlsplit(url).path.lstrip("/") or "(default)"
        return f"database {database!r} does not exist on the server"
    return f"cannot connect ({message.removeprefix('connection failed: ')})"


def _query_problem(exc: psycopg.Error, spec: TableSpec) -> str:
    """What went wrong reading, naming the table (it is in the display name) and the server's words."""
    message = _first_line(exc)
    what = "the query" if spec.query is not None else "the table"
    if isinstance(exc, errors.UndefinedTable):
        return (f"table does not exist (or user {_user(spec.url or '')!r} cannot see it)"
                if spec.query is None else f"the query names a table that does not exist ({message})")
    if isinstance(exc, errors.QueryCanceled):
        return (f"{what} took longer than the statement timeout of {STATEMENT_TIMEOUT_MS / 1000:g} s "
                "(loaders.postgis.STATEMENT_TIMEOUT_MS) and was stopped")
    if isinstance(exc, errors.InsufficientPrivilege):
        return f"user {_user(spec.url or '')!r} may not read {what} ({message})"
    if isinstance(exc, errors.ReadOnlySqlTransaction):
        return f"{what} tries to write, but budgetmap reads through read-only sessions ({message})"
    return f"{what} cannot be read ({message})"

