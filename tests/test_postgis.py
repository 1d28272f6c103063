"""The demo city loaded from a real PostgreSQL + PostGIS server gives the same maps as its files.

The server is the session's ``pg_server`` (tests/conftest.py, devtools/postgres.py).
Tables are loaded from the demo's own files, once as text and once typed (INTEGER
years, NUMERIC amounts, double precision indicators), so any difference in the
maps would come from reading the database.
"""
from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import psycopg
import pytest
import shapely
from psycopg import sql

from budgetmap import cli
from budgetmap.maps import MAP_KINDS
from budgetmap.view import SpendingView
from devtools.server import free_port
from loaders import postgis
from budgetmap.model import SpendingQuery
from loaders.dataset import load_dataset
from loaders.manifest import read_manifest
from loaders.problems import LoadError
from loaders.tables import read_table

DEMO_DIR = Path(__file__).resolve().parents[1] / "geodata" / "demo"
DB = "riverbend"
TYPED = {"fiscal_year": "integer", "budget": "numeric(14,2)", "actual": "numeric(14,2)",
         "target": "double precision", "standard": "double precision"}


def _copy(conn: psycopg.Connection, table: tuple[str, str], header: list[str], rows: list[list[str]],
          types: dict[str, str]) -> None:
    """CREATE TABLE schema.name (typed per ``types``, else text) and COPY the rows ("" -> NULL)."""
    columns = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(types.get(c, "text")))
                                 for c in header)
    conn.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(*table), columns))
    with conn.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(*table), sql.SQL(", ").join(map(sql.Identifier, header)))) as copy:
        for row in rows:
            copy.write_row([v if v != "" else None for v in row])


def _csv(name: str) -> tuple[list[str], list[list[str]]]:
    with open(DEMO_DIR / name, newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def _districts(conn: psycopg.Connection, name: str, srid: int, srid_out: int | None = None) -> None:
    """The demo's district file as a PostGIS table (geometry in ``srid_out``, default as stored)."""
    frame = gpd.read_file(DEMO_DIR / "districts.geojson")
    conn.execute(sql.SQL("CREATE TABLE {} (district_id text PRIMARY KEY, name text, population integer, "
                         "street_miles_busy double precision, street_miles_local double precision, "
                         "geom geometry)").format(sql.Identifier("gis", name)))
    shape = sql.SQL("ST_SetSRID(ST_GeomFromWKB(%s), %s)")
    if srid_out is not None:
        shape = sql.SQL("ST_Transform({}, %s)").format(shape)
    insert = sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s, {})").format(sql.Identifier("gis", name), shape)
    with conn.cursor() as cur:
        cur.executemany(insert, [(r.district_id, r.name, int(r.population), r.street_miles_busy,
                                  r.street_miles_local, shapely.to_wkb(r.geometry), srid,
                                  *([srid_out] if srid_out is not None else []))
                                 for r in frame.itertuples()])


@pytest.fixture(scope="session")
def riverbend(pg_server):
    """Database "riverbend": gis."Districts" (+ a UTM copy), spending/indicators as text and typed."""
    with psycopg.connect(pg_server.admin_conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB)))
    with psycopg.connect(pg_server.admin_conninfo(DB), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION postgis")
        conn.execute("CREATE SCHEMA gis")
        _districts(conn, "Districts", 4326)          # a capital letter: needs quoting
        _districts(conn, "districts_utm", 4326, 32616)
        for name in ("spending", "indicators", "plans"):
            header, rows = _csv(f"{name}.csv")
            _copy(conn, ("public", f"{name}_text"), header, rows, {})
            if name != "plans":
                _copy(conn, ("public", f"{name}_typed"), header, rows, TYPED)
    return pg_server


@pytest.fixture(autouse=True)
def _password(request, monkeypatch):
    """libpq reads the password from PGPASSWORD, as a steward's session would."""
    if "riverbend" in request.fixturenames:
        monkeypatch.setenv("PGPASSWORD", request.getfixturevalue("riverbend").password)


def pg_manifest(folder: Path, url: str, **sources: str) -> Path:
    """The demo manifest written to ``folder``, with sections' ``path`` replaced: section="table = ..."."""
    text = (DEMO_DIR / "manifest.toml").read_text(encoding="utf-8")
    files = {"districts": "districts.geojson", "spending": "spending.csv", "indicators": "indicators.csv",
             "plans": "plans.csv"}
    for section, source in sources.items():
        old = f'path = "{files[section]}"'
        assert old in text
        text = text.replace(old, f"url = {json.dumps(url)}\n{source}")
    for name in files.values():  # the sections left as files still read the demo's files
        text = text.replace(f'path = "{name}"', f"path = {json.dumps(str(DEMO_DIR / name))}")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "manifest.toml"
    path.write_text(text, encoding="utf-8")
    return path


def all_tables(kind: str) -> dict[str, str]:
    return {"districts": 'table = "gis.Districts"', "spending": f'table = "public.spending_{kind}"',
            "indicators": f'table = "public.indicators_{kind}"', "plans": 'table = "public.plans_text"'}


def spending_map(dataset, **view):
    return MAP_KINDS["spending"](dataset, SpendingView(**view))


def features(spec) -> list[tuple]:
    return [(f.district_id, f.name, f.value, f.label, f.class_index, f.fill) for f in spec.features]


def counts(dataset) -> list[tuple]:
    return [(t.table, t.rows_read, t.rows_used, t.problem_count) for t in dataset.report.tables]


def items(dataset) -> pd.DataFrame:
    """Every line item with an actual amount, through the ledger (the dataset hands out no frame)."""
    return dataset.line_items(SpendingQuery(), limit=10**9)


@pytest.fixture(scope="module")
def from_files():
    return load_dataset(DEMO_DIR / "manifest.toml")


@pytest.mark.parametrize("kind", ["text", "typed"])
def test_demo_from_postgis_maps_like_the_files_to_the_cent(riverbend, tmp_path, from_files, kind):
    dataset = load_dataset(pg_manifest(tmp_path, riverbend.url(DB), **all_tables(kind)))
    assert dataset.report.reconciliation == from_files.report.reconciliation  # rejected rows' money included
    for view in ({}, {"measure": "total", "amount": "budget"}, {"fiscal_year": 2022, "measure": "per_km2"}):
        ours, theirs = spending_map(dataset, **view), spending_map(from_files, **view)
        assert features(ours) == features(theirs)
        assert ours.reconciliation == theirs.reconciliation and ours.reconciliation
        assert ours.legend == theirs.legend
    assert counts(dataset) == counts(from_files)
    names = [t.file for t in dataset.report.tables]
    assert names[0] == f"table gis.Districts on 127.0.0.1:{riverbend.port}/{DB}"
    assert f"table public.spending_{kind} on 127.0.0.1:{riverbend.port}/{DB}" in names
    ours_rows, file_rows = items(dataset), items(from_files)
    assert ours_rows["actual_cents"].sum() == file_rows["actual_cents"].sum()
    assert ours_rows["source_row"].tolist() == file_rows["source_row"].tolist()
    # a table has no row order: the server may return a row COPY put into an earlier page's gap
    key = ["indicator", "fiscal_year", "district_id"]
    pd.testing.assert_frame_equal(dataset.indicators.sort_values(key, ignore_index=True),
                                  from_files.indicators.sort_values(key, ignore_index=True))
    def plans(d):  # rows numbered in the order the server returns them: compare what each row says
        return [(p.project, p.department, p.budget_cents, p.district_id, [(s.period, s.planned) for s in p.steps])
                for p in d.plans.projects]
    assert plans(dataset) == plans(from_files) and len(plans(dataset)) == 20
    assert shapely.equals_exact(dataset.districts.geometry.values, from_files.districts.geometry.values,
                                tolerance=0).all()


def test_integer_and_numeric_columns_read_as_the_csv_text_would(riverbend, tmp_path):
    with psycopg.connect(riverbend.admin_conninfo(DB), autocommit=True) as conn:
        _copy(conn, ("public", "wards"), ["ward", "cost", "share", "note"],
              [["1", "10.50", "2.0", " x "], ["12", "3", "0.25", ""]],
              {"ward": "integer", "cost": "numeric(8,2)", "share": "double precision"})
    spec = read_manifest(pg_manifest(tmp_path, riverbend.url(DB), plans='table = "public.wards"')).plans
    frame = postgis.read_sql_table(dataclasses.replace(spec, columns={}))  # the raw table, no plan columns asked
    (tmp_path / "wards.csv").write_text("ward,cost,share,note\n1,10.50,2,x\n12,3.00,0.25,\n")
    assert frame.equals(read_table(tmp_path / "wards.csv", display_name="wards.csv"))
    assert frame.map(type).eq(str).all().all()


def test_query_sources_filter_rows_and_name_the_geometry(riverbend, tmp_path, from_files):
    manifest = pg_manifest(
        tmp_path, riverbend.url(DB),
        districts='query = "SELECT geom, district_id, name, population, street_miles_busy, street_miles_local '
                  'FROM gis.\\"Districts\\" ORDER BY district_id"',
        spending='query = "SELECT * FROM public.spending_typed WHERE fiscal_year = 2024"')
    dataset = load_dataset(manifest)
    assert dataset.fiscal_years == [2024]
    assert len(items(dataset)) == int((items(from_files)["fiscal_year"] == 2024).sum())
    ours, theirs = spending_map(dataset, fiscal_year=2024), spending_map(from_files, fiscal_year=2024)
    assert [(f.district_id, f.value, f.label) for f in ours.features] == \
        [(f.district_id, f.value, f.label) for f in theirs.features]
    assert ours.reconciliation == theirs.reconciliation
    assert dataset.report.tables[1].file == f"query of [spending] on 127.0.0.1:{riverbend.port}/{DB}"


def test_srid_of_the_table_is_its_crs(riverbend, tmp_path, from_files):
    manifest = pg_manifest(tmp_path, riverbend.url(DB), districts='table = "gis.districts_utm"')
    spec = read_manifest(manifest).districts
    assert postgis.read_sql_boundaries(spec).crs.to_epsg() == 32616
    dataset = load_dataset(manifest)
    assert dataset.districts.crs.to_epsg() == 4326
    assert shapely.equals_exact(dataset.districts.geometry.values, from_files.districts.geometry.values,
                                tolerance=1e-7).all()


def _error(manifest: Path) -> str:
    with pytest.raises(LoadError) as info:
        load_dataset(manifest)
    return str(info.value)


def test_missing_table_names_host_database_and_table(riverbend, tmp_path):
    message = _error(pg_manifest(tmp_path, riverbend.url(DB), spending='table = "public.nope"'))
    assert message == (f"table public.nope on 127.0.0.1:{riverbend.port}/{DB}: table does not exist "
                       "(or user 'budgetmap' cannot see it)")


def test_wrong_column_lists_the_tables_columns(riverbend, tmp_path):
    manifest = pg_manifest(tmp_path, riverbend.url(DB), spending='table = "public.spending_typed"')
    manifest.write_text(manifest.read_text().replace('actual = "actual"\ndepartment',
                                                     'actual = "actuals"\ndepartment'))
    message = _error(manifest)
    assert message.startswith(f"table public.spending_typed on 127.0.0.1:{riverbend.port}/{DB}: column "
                              "'actuals' (set by spending.actual in the manifest) is not in the table; "
                              "columns are: fiscal_year, quarter, department")
    assert "Did you mean 'actual'?" in message


@pytest.mark.parametrize("what", ["refused", "password", "database"])
def test_connection_problems_are_one_clear_line_without_the_password(riverbend, tmp_path, monkeypatch, what):
    url = riverbend.url(DB)
    if what == "refused":
        url = url.replace(f":{riverbend.port}/", f":{free_port()}/")  # nothing listens there
    elif what == "password":
        monkeypatch.setenv("PGPASSWORD", "not-the-Password-42")
    else:
        url = riverbend.url("nodb")
    message = _error(pg_manifest(tmp_path, url, spending='table = "public.spending_text"'))
    port = url.split(":")[-1].split("/")[0]
    assert message.startswith(f"table public.spending_text on 127.0.0.1:{port}/{url.rsplit('/', 1)[1]}: ")
    assert "\n" not in message and riverbend.password not in message and "not-the-Password-42" not in message
    assert {"refused": "cannot connect: connection refused",
            "password": "authentication failed for user 'budgetmap'",
            "database": "database 'nodb' does not exist"}[what] in message


def test_a_password_in_the_url_is_refused_before_connecting(riverbend, tmp_path):
    for url in (f"postgresql://budgetmap:S3cret-pw@127.0.0.1:{riverbend.port}/{DB}",
                f"postgresql://budgetmap@127.0.0.1:{riverbend.port}/{DB}?password=S3cret-pw"):
        with pytest.raises(LoadError) as info:
            read_manifest(pg_manifest(tmp_path, url, spending='table = "public.spending_text"'))
        message = str(info.value)
        assert "carries a password; put it in PGPASSWORD or ~/.pgpass, never in the manifest" in message
        assert "S3cret" not in message


@pytest.mark.parametrize("source, expected", [
    ('table = "public.spending_text"\nquery = "SELECT 1"', "exactly one of 'table'"),
    ("", "exactly one of 'table'"),
    ('table = "a.b.c"', "'table' must be \"schema.name\""),
])
def test_a_database_source_needs_exactly_one_table_or_query(tmp_path, source, expected):
    with pytest.raises(LoadError, match="spending"):
        read_manifest(pg_manifest(tmp_path, "postgresql://u@h:5/db", spending=source))
    with pytest.raises(LoadError) as info:
        read_manifest(pg_manifest(tmp_path, "postgresql://u@h:5/db", spending=source))
    assert expected in str(info.value)


def test_path_and_url_together_are_refused(tmp_path):
    manifest = pg_manifest(tmp_path, "postgresql://u@h:5/db", spending='table = "t"\npath = "spending.csv"')
    with pytest.raises(LoadError, match=r"\[spending\] has both 'path' and 'url'"):
        read_manifest(manifest)


def test_sessions_are_read_only_whatever_the_url_says(riverbend):
    for url in (riverbend.url(DB), riverbend.url(DB) + "?options=-c%20default_transaction_read_only%3Doff"):
        with postgis.connect(url) as conn:
            for statement in ("CREATE TABLE public.evil (a int)",
                              "INSERT INTO public.plans_text (project) VALUES ('evil')",
                              "DELETE FROM public.spending_text"):
                with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                    conn.execute(statement)
            assert conn.execute("SHOW statement_timeout").fetchone() == ("30s",)


def test_a_writing_query_and_a_slow_query_are_stopped(riverbend, tmp_path, monkeypatch):
    message = _error(pg_manifest(tmp_path / "w", riverbend.url(DB),
                                 plans="query = \"DELETE FROM public.plans_text RETURNING *\""))
    assert "tries to write, but budgetmap reads through read-only sessions" in message
    monkeypatch.setattr(postgis, "STATEMENT_TIMEOUT_MS", 200)
    message = _error(pg_manifest(tmp_path / "s", riverbend.url(DB), plans='query = "SELECT pg_sleep(5)"'))
    assert message == (f"query of [plans] on 127.0.0.1:{riverbend.port}/{DB}: the query took longer than the "
                       "statement timeout of 0.2 s (loaders.postgis.STATEMENT_TIMEOUT_MS) and was stopped")


def test_cli_check_reads_a_postgis_manifest(riverbend, tmp_path, capsys):
    manifest = pg_manifest(tmp_path, riverbend.url(DB), **all_tables("typed"))
    assert cli.main(["check", str(manifest), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    files = [t["file"] for t in report["tables"]]
    assert f"table public.spending_typed on 127.0.0.1:{riverbend.port}/{DB}" in files
    assert report["districts"] == 31
    assert cli.main(["check", str(pg_manifest(tmp_path / "bad", riverbend.url(DB),
                                              spending='table = "public.nope"'))]) == 2
    assert "table public.nope" in capsys.readouterr().err
