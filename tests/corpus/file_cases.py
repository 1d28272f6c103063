"""Files that are not what the manifest says: pipes, devices, folders, sizes, formats, layers, sheets."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from corpus import case
from corpus.city import (BASE_TOTAL, DISTRICTS, SPENDING, SPENDING_HEADER, SPENDING_ROWS, csv_text,
                         districts_geojson, write_city)

BIG = 600_000_000  # sparse files over the loaders' whole-read bound; they use no disk


def _spending_path(folder: Path, path: str, **parts: str) -> Path:
    return write_city(folder, spending=SPENDING.replace('"spending.csv"', f'"{path}"'), **parts)


@case("file_spending_fifo", 2, file="spending.csv", says=("not a regular file", "named pipe"))
def _spending_fifo(folder: Path) -> Path:
    path = write_city(folder)
    (folder / "spending.csv").unlink()
    os.mkfifo(folder / "spending.csv")
    return path


@case("file_districts_fifo", 2, file="districts.geojson", says=("not a regular file", "named pipe"))
def _districts_fifo(folder: Path) -> Path:
    path = write_city(folder)
    (folder / "districts.geojson").unlink()
    os.mkfifo(folder / "districts.geojson")
    return path


@case("file_spending_dev_zero", 2, file="/dev/zero", says=("not a regular file", "device"))
def _dev_zero(folder: Path) -> Path:
    return _spending_path(folder, "/dev/zero")


@case("file_districts_dev_zero", 2, file="/dev/zero", says=("not a regular file", "device"))
def _districts_dev_zero(folder: Path) -> Path:
    return write_city(folder, districts=DISTRICTS.replace('"districts.geojson"', '"/dev/zero"'))


@case("file_spending_folder", 2, file="data", says=("is a folder", "[spending]"))
def _spending_folder(folder: Path) -> Path:
    (folder / "data").mkdir(parents=True)
    return _spending_path(folder, "data")


@case("file_districts_folder", 2, file="shapes", says=("is a folder", "[districts]"))
def _districts_folder(folder: Path) -> Path:
    (folder / "shapes").mkdir(parents=True)
    (folder / "shapes" / "districts.geojson").write_text(districts_geojson())
    return write_city(folder, districts=DISTRICTS.replace('"districts.geojson"', '"shapes"'))


@case("file_spending_missing", 2, file="nope.csv", says=("not found", "[spending]"))
def _missing(folder: Path) -> Path:
    return _spending_path(folder, "nope.csv")


@case("file_spending_in_subfolder", 2, file="data/spend.csv", says=("'cost'", "spending.amount", "Did you mean"))
def _subfolder(folder: Path) -> Path:
    text = csv_text(("year", "district", "dept", "Cost"), SPENDING_ROWS)
    return write_city(folder, files={"data/spend.csv": text},
                      spending=SPENDING.replace('"spending.csv"', '"data/spend.csv"').replace(
                          'amount = "amount"', 'amount = "cost"'))


@case("file_spending_too_big", 2, file="spending.csv", says=("MB", "engine = \"duckdb\""))
def _spending_big(folder: Path) -> Path:
    path = write_city(folder, top='engine = "pandas"\n')
    with (folder / "spending.csv").open("r+b") as handle:
        handle.truncate(BIG)
    return path


@case("file_districts_too_big", 2, file="districts.geojson", says=("MB",))
def _districts_big(folder: Path) -> Path:
    path = write_city(folder)
    with (folder / "districts.geojson").open("r+b") as handle:
        handle.truncate(BIG)
    return path


def _gpkg(folder: Path, layers: dict[str, bool]) -> None:
    import geopandas as gpd

    frame = gpd.read_file(io.StringIO(districts_geojson()))
    for layer, real in layers.items():
        (frame if real else frame.assign(id="x" + frame["id"])).to_file(folder / "districts.gpkg", layer=layer)


@case("file_gpkg_two_layers", 2, file="districts.gpkg", says=("2 layers", "'notes'", "'wards'", "layer = "))
def _gpkg_two(folder: Path) -> Path:
    folder.mkdir(parents=True)
    _gpkg(folder, {"notes": False, "wards": True})
    return write_city(folder, districts=DISTRICTS.replace("districts.geojson", "districts.gpkg"))


@case("file_gpkg_wrong_layer", 2, file="districts.gpkg", says=("'nope'", "'notes'", "'wards'", "layer = "))
def _gpkg_wrong(folder: Path) -> Path:
    folder.mkdir(parents=True)
    _gpkg(folder, {"notes": False, "wards": True})
    return write_city(folder, districts=DISTRICTS.replace("districts.geojson", "districts.gpkg") + 'layer = "nope"\n')


@case("file_gpkg_layer_named", 0, total=BASE_TOTAL, says=("districts.gpkg",))
def _gpkg_named(folder: Path) -> Path:
    folder.mkdir(parents=True)
    _gpkg(folder, {"notes": False, "wards": True})
    return write_city(folder, districts=DISTRICTS.replace("districts.geojson", "districts.gpkg") + 'layer = "wards"\n')


@case("file_indicators_gpkg_two_layers", 2, file="kpm.gpkg", says=("2 layers", "gis_layer = "))
def _indicators_gpkg(folder: Path) -> Path:
    folder.mkdir(parents=True)
    _gpkg(folder, {"notes": False, "wards": True})
    os.rename(folder / "districts.gpkg", folder / "kpm.gpkg")
    extra = ('[indicators]\npath = "kpm.gpkg"\ndistrict = "id"\nactual = "pop"\n'
             'constant = { indicator = "people", year = 2024 }\n')
    return write_city(folder, extra=extra)


def _workbook(sheets: dict[str, list[tuple]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_NOTES = [("Read me first.",), ("These numbers are provisional.",)]
_DATA = [SPENDING_HEADER, *SPENDING_ROWS]


@case("file_xlsx_notes_first", 2, file="spending.xlsx", says=("'Read me'", "'Data'", "sheet = "))
def _xlsx_notes(folder: Path) -> Path:
    return write_city(folder, files={"spending.xlsx": _workbook({"Read me": _NOTES, "Data": _DATA})},
                      spending=SPENDING.replace("spending.csv", "spending.xlsx"))


@case("file_xlsx_sheet_named", 0, total=BASE_TOTAL)
def _xlsx_named(folder: Path) -> Path:
    return write_city(folder, files={"spending.xlsx": _workbook({"Read me": _NOTES, "Data": _DATA})},
                      spending=SPENDING.replace("spending.csv", "spending.xlsx") + 'sheet = "Data"\n')


@case("file_xlsx_sheet_missing", 2, file="spending.xlsx", says=("'Dat'", "'Data'"))
def _xlsx_missing(folder: Path) -> Path:
    return write_city(folder, files={"spending.xlsx": _workbook({"Read me": _NOTES, "Data": _DATA})},
                      spending=SPENDING.replace("spending.csv", "spending.xlsx") + 'sheet = "Dat"\n')


@case("file_xlsx_corrupt", 2, file="spending.xlsx", says=("Excel",))
def _xlsx_corrupt(folder: Path) -> Path:
    return write_city(folder, files={"spending.xlsx": b"PK\x03\x04 this is not really a workbook"},
                      spending=SPENDING.replace("spending.csv", "spending.xlsx"))


@case("file_geojson_not_json", 2, file="districts.geojson", says=("GeoJSON",))
def _not_json(folder: Path) -> Path:
    return write_city(folder, files={"districts.geojson": "{not json"})


@case("file_geojson_truncated", 2, file="districts.geojson", says=("GeoJSON",))
def _truncated(folder: Path) -> Path:
    return write_city(folder, files={"districts.geojson": districts_geojson()[:300]})


@case("file_zip_corrupt", 2, file="districts.zip", says=("zip",))
def _zip_corrupt(folder: Path) -> Path:
    return write_city(folder, files={"districts.zip": b"PK\x03\x04 truncated"},
                      districts=DISTRICTS.replace("districts.geojson", "districts.zip"))


@case("file_zip_without_shapefile", 2, file="districts.zip", says=("zip", ".shp"))
def _zip_empty(folder: Path) -> Path:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("README.txt", "boundaries to follow")
    return write_city(folder, files={"districts.zip": out.getvalue()},
                      districts=DISTRICTS.replace("districts.geojson", "districts.zip"))


@case("file_districts_as_csv", 2, file="districts.csv", says=("districts.csv", "GeoJSON"))
def _districts_csv(folder: Path) -> Path:
    return write_city(folder, files={"districts.csv": "id,name\nA,Alder\n"},
                      districts=DISTRICTS.replace("districts.geojson", "districts.csv"))


@case("file_spending_docx", 2, file="spending.docx", says=("'.docx'", "CSV"))
def _docx(folder: Path) -> Path:
    return write_city(folder, files={"spending.docx": b"PK\x03\x04"},
                      spending=SPENDING.replace("spending.csv", "spending.docx"))


@case("file_spending_empty", 2, file="spending.csv", says=("empty",))
def _empty(folder: Path) -> Path:
    return write_city(folder, files={"spending.csv": ""})


@case("file_spending_header_only", 2, file="spending.csv", says=("no rows", "row 1"))
def _header_only(folder: Path) -> Path:
    return write_city(folder, rows=[])


@case("file_spending_blank_lines", 2, file="spending.csv", says=("empty",))
def _blank_lines(folder: Path) -> Path:
    return write_city(folder, files={"spending.csv": "\n\n\r\n  \n"})


@case("file_parquet_corrupt", 2, file="spending.parquet", says=("Parquet",))
def _parquet(folder: Path) -> Path:
    return write_city(folder, files={"spending.parquet": b"PAR1 not really PAR1"},
                      spending=SPENDING.replace("spending.csv", "spending.parquet"))


@case("file_csv_utf16", 0, total=BASE_TOTAL)
def _utf16(folder: Path) -> Path:
    return write_city(folder, files={"spending.csv": csv_text(SPENDING_HEADER, SPENDING_ROWS).encode("utf-16")})


@case("file_csv_latin1", 0, total=BASE_TOTAL)
def _latin1(folder: Path) -> Path:
    rows = [(y, d, "Cafés" if k == 0 else dept, a) for k, (y, d, dept, a) in enumerate(SPENDING_ROWS)]
    return write_city(folder, files={"spending.csv": csv_text(SPENDING_HEADER, rows).encode("latin-1")})


@case("file_csv_bom_crlf", 0, total=BASE_TOTAL)
def _bom(folder: Path) -> Path:
    text = csv_text(SPENDING_HEADER, SPENDING_ROWS).replace("\n", "\r\n")
    return write_city(folder, files={"spending.csv": b"\xef\xbb\xbf" + text.encode()})


@case("file_csv_semicolons", 0, total=BASE_TOTAL)
def _semicolons(folder: Path) -> Path:
    return write_city(folder, files={"spending.csv": csv_text(SPENDING_HEADER, SPENDING_ROWS).replace('","', '";"')})


@case("file_tsv", 0, total=BASE_TOTAL)
def _tsv(folder: Path) -> Path:
    text = "\n".join("\t".join(r) for r in [SPENDING_HEADER, *SPENDING_ROWS]) + "\n"
    return write_city(folder, files={"spending.tsv": text}, spending=SPENDING.replace("spending.csv", "spending.tsv"))


@case("file_csv_nul_byte", 0, total=BASE_TOTAL)
def _nul(folder: Path) -> Path:
    rows = [(y, d, "Par\x00ks" if k == 0 else dept, a) for k, (y, d, dept, a) in enumerate(SPENDING_ROWS)]
    return write_city(folder, rows=rows)


@case("file_csv_ragged_row", 2, file="spending.csv", says=("row 3", "cells", "header"))
def _ragged(folder: Path) -> Path:
    text = csv_text(SPENDING_HEADER, SPENDING_ROWS).splitlines()
    text[2] += ',"stray"'
    return write_city(folder, files={"spending.csv": "\n".join(text) + "\n"})


@case("file_csv_repeated_header", 2, file="spending.csv", says=("'amount'", "row 1", "unique"))
def _repeated(folder: Path) -> Path:
    return write_city(folder, files={"spending.csv": csv_text(("year", "district", "amount", "amount"), SPENDING_ROWS)})


@case("file_csv_no_header", 2, file="spending.csv", says=("row 1", "column names"))
def _no_header(folder: Path) -> Path:
    return write_city(folder, files={"spending.csv": ",,,\n" + csv_text(SPENDING_HEADER, SPENDING_ROWS)})


@case("file_unknown_encoding", 2, file="spending.csv", says=("'klingon'", "encoding"))
def _encoding(folder: Path) -> Path:
    return write_city(folder, spending=SPENDING + 'encoding = "klingon"\n')


@case("file_wrong_encoding", 2, file="spending.csv", says=("ascii", "encoding"))
def _wrong_encoding(folder: Path) -> Path:
    rows = [(y, d, "Cafés", a) for y, d, _, a in SPENDING_ROWS]
    return write_city(folder, rows=rows, spending=SPENDING + 'encoding = "ascii"\n')


@case("file_duckdb_fifo", 2, file="spending.csv", says=("named pipe",))
def _duckdb_fifo(folder: Path) -> Path:
    path = write_city(folder, top='engine = "duckdb"\n')
    (folder / "spending.csv").unlink()
    os.mkfifo(folder / "spending.csv")
    return path


@case("file_duckdb_header_only", 2, file="spending.csv", says=("no rows",))
def _duckdb_header(folder: Path) -> Path:
    return write_city(folder, rows=[], top='engine = "duckdb"\n')


@case("file_duckdb_all_rejected", 2, file="spending.csv", says=("no row can be used", "row 2, column 'year'"))
def _duckdb_rejected(folder: Path) -> Path:
    return write_city(folder, rows=[("soon", d, p, a) for _, d, p, a in SPENDING_ROWS], top='engine = "duckdb"\n')


@case("file_duckdb_duplicates", 0, total=BASE_TOTAL + 100050, says=("1 row repeats an earlier row exactly", "row 10"))
def _duckdb_dupes(folder: Path) -> Path:
    return write_city(folder, rows=[*SPENDING_ROWS, SPENDING_ROWS[0]], top='engine = "duckdb"\n')
