"""Tests for loaders.tables: reading files as text, money to cents, fiscal years, wide tables."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.problems import LoadError, RowProblem
from loaders.tables import melt_years, read_table, require_columns, with_source_rows
from loaders.values import fiscal_year_of_label, parse_amounts, parse_fiscal_years

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def cents(*values: str) -> list:
    parsed, problems = parse_amounts(pd.Series(list(values)), file="f.csv", column="c")
    assert problems == []
    return parsed.tolist()


# ---------------------------------------------------------------- problems

def test_row_problem_message_names_file_row_column_value():
    problem = RowProblem("spending.csv", 14, "cost", "12,3x", "is not an amount")
    assert str(problem) == "spending.csv, row 14, column 'cost': '12,3x' is not an amount"
    assert str(RowProblem("spending.csv", None, None, None, "the file is empty")) == \
        "spending.csv: the file is empty"
    assert str(RowProblem("a.csv", 3, "year", "", "the value is missing")) == \
        "a.csv, row 3, column 'year': the value is missing"
    assert problem.__dict__["row"] == 14  # the load report serialises with __dict__


def test_load_error_keeps_message_and_problem():
    problem = RowProblem("a.csv", None, "ward", None, "is not in the file")
    error = LoadError("a.csv: column 'ward' is not in the file", problem)
    assert str(error) == "a.csv: column 'ward' is not in the file"
    assert error.problem is problem
    assert LoadError("x").problem is None


# ---------------------------------------------------------------- amounts

@pytest.mark.parametrize("text, expected", [
    ("1234", 123400),
    ("1,234.56", 123456),
    ("$1,234.56", 123456),
    ("-$1,234.56", -123456),
    ("$-1,234.56", -123456),
    ("(1,234.56)", -123456),
    ("($1,234.56)", -123456),
    ("€12.50", 1250),
    ("£3", 300),
    ("USD 12", 1200),
    ("12 USD", 1200),
    ("12.345", 1235),        # half away from zero, like Excel's ROUND
    ("-12.345", -1235),
    ("12.344", 1234),
    ("0.005", 1),
    ("0.0049", 0),
    ("1.5e3", 150000),
    ("1E-2", 1),
    ("−12", -1200),          # U+2212 minus sign
    (" 12 ", 1200),
    ("+12", 1200),
    ("1234.56-", -123456),   # trailing minus (SAP exports)
    ("1 234 567.89", 123456789),
    ("1,234,567", 123456700),
    (".5", 50),
    ("5.", 500),
    ("-0", 0),
    ("0", 0),
    ("007", 700),
    ("12.5", 1250),
])
def test_amount_formats(text, expected):
    assert cents(text) == [expected]


@pytest.mark.parametrize("text", ["-", "", "N/A", "NA", "n/a", "null", "NULL", "  ", "—", "nan"])
def test_missing_markers_are_na_without_problem(text):
    parsed, problems = parse_amounts(pd.Series([text]), file="f.csv", column="c")
    assert parsed.isna().all() and problems == []


@pytest.mark.parametrize("text", ["12,3x", "abc", "1 234,56", "12,5", "1,23,4", "--12", "(-12)",
                                  "$", ".", "1.2.3", "12 34", "inf", "1e", "$12$34", "ABC 12"])
def test_unreadable_amounts_are_problems(text):
    parsed, problems = parse_amounts(pd.Series([text]), file="f.csv", column="c")
    assert parsed.isna().all()
    assert len(problems) == 1 and problems[0].value == text.strip()
    assert problems[0].reason.startswith("is not an amount")


def test_decimal_comma_gets_a_hint():
    _, problems = parse_amounts(pd.Series(["1 234,56"]), file="f.csv", column="c")
    assert "decimal comma" in problems[0].reason


def test_too_large_amount_is_a_problem():
    parsed, problems = parse_amounts(pd.Series(["1e30", "99999999999999999"]), file="f.csv", column="c")
    assert parsed.isna().all()
    assert [p.reason for p in problems] == ["is too large to be an amount"] * 2


def test_largest_amounts_are_exact():
    assert cents("92233720368547758.07", "-92233720368547758.07") == [2**63 - 1, -(2**63 - 1)]


def test_parentheses_negatives():
    assert cents("(12)", "(0.50)", "($3.00)", "(1,000)") == [-1200, -50, -300, -100000]


def test_cents_sum_exactly():
    parsed = cents("0.10", "0.10", "0.10")
    assert sum(parsed) == 30
    assert sum(cents("0.1", "0.2")) == 30
    parsed, _ = parse_amounts(pd.Series(["0.10"] * 3), file="f.csv", column="c")
    assert parsed.sum() == 30


def test_unparseable_reports_row_and_column():
    values = pd.Series(["1", "12,3x", "", "abc", "12,3x"], index=[10, 11, 12, 13, 14])
    parsed, problems = parse_amounts(values, file="spending.csv", column="cost")
    assert parsed.dtype == "Int64"
    assert list(parsed.index) == [10, 11, 12, 13, 14]
    assert parsed.tolist()[0] == 100 and parsed.isna().tolist() == [False, True, True, True, True]
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("spending.csv", 3, "cost", "12,3x"), ("spending.csv", 5, "cost", "abc"),
        ("spending.csv", 6, "cost", "12,3x")]
    assert str(problems[0]) == "spending.csv, row 3, column 'cost': '12,3x' is not an amount"


def test_first_row_and_rows_override_numbering():
    _, problems = parse_amounts(pd.Series(["x"]), file="f", column="c", first_row=10)
    assert problems[0].row == 10
    _, problems = parse_amounts(pd.Series(["1", "x"]), file="f", column="c", rows=pd.Series([7, 42]))
    assert problems[0].row == 42
    with pytest.raises(ValueError):
        parse_amounts(pd.Series(["1", "x"]), file="f", column="c", rows=[7])


def test_amounts_accept_non_text_series():
    parsed, problems = parse_amounts(pd.Series([1, None, 2.5, float("nan")], dtype=object),
                                     file="f", column="c")
    assert parsed.tolist() == [100, pd.NA, 250, pd.NA] and problems == []


def test_empty_series():
    parsed, problems = parse_amounts(pd.Series([], dtype=str), file="f", column="c")
    assert len(parsed) == 0 and parsed.dtype == "Int64" and problems == []


def test_many_amounts_parse_with_their_problems():
    """30,000 formatted amounts (speed is measured in bench/, not here)."""
    values = pd.Series([f"${i:,}.{i % 100:02d}" for i in range(30_000)] + ["12,3x"] * 10)
    parsed, problems = parse_amounts(values, file="f", column="c")
    assert len(problems) == 10 and parsed.iloc[1234] == 123434 and parsed.iloc[29_999] == 2_999_999


def format_dollars(c: int, parentheses: bool) -> str:
    body = f"${abs(c) // 100:,}.{abs(c) % 100:02d}"
    if c >= 0:
        return body
    return f"({body})" if parentheses else f"-{body}"


@given(st.integers(min_value=-(10**17), max_value=10**17), st.booleans())
def test_formatted_cents_roundtrip(c, parentheses):
    parsed, problems = parse_amounts(pd.Series([format_dollars(c, parentheses)]), file="f", column="c")
    assert problems == []
    assert parsed.iloc[0] == c


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_plain_decimals_roundtrip(d):
    assert cents(str(d)) == [int(d * 100)]


@given(st.lists(st.integers(min_value=-10**9, max_value=10**9), max_size=30))
def test_sum_of_parsed_equals_sum_of_cents(values):
    text = [str(Decimal(v) / 100) for v in values]
    assert sum(cents(*text)) == sum(values)


# ---------------------------------------------------------------- fiscal years

@pytest.mark.parametrize("text", ["2016", "2016.0", "FY2016", "FY 2016", "FY 2015-16", "2015-16",
                                  "2015/16", "FY16", "FY 15-16", "2015-2016", "fy2015-16", "FY-2016",
                                  " FY 2015 - 16 ", "Fiscal Year 2016", "2015–16"])
def test_fiscal_year_variants(text):
    years, problems = parse_fiscal_years(pd.Series([text]), file="f.csv", column="year")
    assert problems == [] and years.tolist() == [2016]
    assert fiscal_year_of_label(text) == 2016


def test_fiscal_year_century_rollover_and_two_digits():
    assert fiscal_year_of_label("1999-00") == 2000
    assert fiscal_year_of_label("FY 99-00") == 2000
    assert fiscal_year_of_label("FY99") == 1999
    assert fiscal_year_of_label("FY05") == 2005


@pytest.mark.parametrize("text", ["next year", "2015-18", "1850", "2150", "16", "15-16", "FY", "2016.5",
                                  "20166", "2016-15"])
def test_invalid_fiscal_years(text):
    years, problems = parse_fiscal_years(pd.Series(["2016", text]), file="f.csv", column="year")
    assert years.tolist()[0] == 2016 and pd.isna(years.tolist()[1])
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "year", text)]
    assert problems[0].reason.startswith("is not a fiscal year")
    assert fiscal_year_of_label(text) is None


def test_missing_fiscal_year_is_na_without_problem():
    years, problems = parse_fiscal_years(pd.Series(["", "NA", "FY 2015-16"]), file="f", column="y")
    assert years.dtype == "Int64" and years.isna().tolist() == [True, True, False] and problems == []


# ---------------------------------------------------------------- reading files

def assert_all_text(frame: pd.DataFrame) -> None:
    for column in frame.columns:
        assert not frame[column].isna().any()
        assert all(isinstance(v, str) for v in frame[column])


def test_csv_lf(tmp_path):
    path = write(tmp_path, "a.csv", b"year,ward,cost\n2016, 1 ,12.50\n2017,2,\n")
    frame = read_table(path, display_name="a.csv")
    assert list(frame.columns) == ["year", "ward", "cost"]
    assert frame.to_dict("list") == {"year": ["2016", "2017"], "ward": ["1", "2"], "cost": ["12.50", ""]}
    assert_all_text(frame)


def test_csv_crlf(tmp_path):
    path = write(tmp_path, "a.csv", b"year,ward\r\n2016,1\r\n2017,\"a\r\nb\"\r\n")
    frame = read_table(path, display_name="a.csv")
    assert frame.to_dict("list") == {"year": ["2016", "2017"], "ward": ["1", "a\r\nb"]}


def test_csv_cr_only_with_quoted_fields(tmp_path):
    data = b'name,amount,note\r"Smith, John","1,234.56","two\rlines"\r"Doe",(5),""\r'
    frame = read_table(write(tmp_path, "mac.csv", data), display_name="mac.csv")
    assert len(frame) == 2
    assert frame["name"].tolist() == ["Smith, John", "Doe"]
    assert frame["amount"].tolist() == ["1,234.56", "(5)"]
    assert frame["note"].tolist() == ["two\rlines", ""]
    parsed, problems = parse_amounts(frame["amount"], file="mac.csv", column="amount")
    assert parsed.tolist() == [123456, -500] and problems == []


def test_utf8_bom_is_removed_from_first_header(tmp_path):
    path = write(tmp_path, "bom.csv", "\ufeffWard ,Name\n1,Montréal\n".encode("utf-8"))
    frame = read_table(path, display_name="bom.csv")
    assert list(frame.columns) == ["Ward", "Name"]
    assert frame["Name"].tolist() == ["Montréal"]


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_latin1_file_decodes(tmp_path, codec):
    path = write(tmp_path, "l1.csv", "district,name\n1,Montréal\n2,Peña\n".encode(codec))
    frame = read_table(path, display_name="l1.csv")
    assert frame["name"].tolist() == ["Montréal", "Peña"]


def test_cp1252_specific_characters(tmp_path):
    path = write(tmp_path, "w.csv", "name,amount\n“Café”,€5\n".encode("cp1252"))
    frame = read_table(path, display_name="w.csv")
    assert frame["name"].tolist() == ["“Café”"] and cents(frame["amount"][0]) == [500]


def test_explicit_encoding(tmp_path):
    path = write(tmp_path, "e.csv", "name\nPeña\n".encode("latin-1"))
    assert read_table(path, display_name="e.csv", encoding="latin-1")["name"].tolist() == ["Peña"]
    with pytest.raises(LoadError, match="e.csv.*not utf-8"):
        read_table(path, display_name="e.csv", encoding="utf-8")
    with pytest.raises(LoadError, match="unknown encoding"):
        read_table(path, display_name="e.csv", encoding="klingon")


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_delimiters_are_sniffed(tmp_path, delimiter):
    d = delimiter
    text = f"year{d}ward{d}cost\n2016{d}1{d}\"1,5\"\n2017{d}2{d}3\n"
    frame = read_table(write(tmp_path, "d.txt", text.encode()), display_name="d.txt")
    assert list(frame.columns) == ["year", "ward", "cost"]
    assert frame["cost"].tolist() == ["1,5", "3"]


def test_semicolon_file_with_decimal_commas(tmp_path):
    path = write(tmp_path, "s.csv", b"jaar;wijk;bedrag\n2016;1;12,50\n2017;2;3\n")
    frame = read_table(path, display_name="s.csv")
    assert frame.to_dict("list") == {"jaar": ["2016", "2017"], "wijk": ["1", "2"], "bedrag": ["12,50", "3"]}


def test_semicolon_sniff_ignores_commas_in_header(tmp_path):
    path = write(tmp_path, "s.csv", b"Amount (USD, thousands);Year\n12;2016\n13;2017\n")
    assert list(read_table(path, display_name="s.csv").columns) == ["Amount (USD, thousands)", "Year"]


def test_tsv_suffix_means_tabs(tmp_path):
    path = write(tmp_path, "t.tsv", b"a\tb,c\n1\t2,3\n")
    assert read_table(path, display_name="t.tsv").to_dict("list") == {"a": ["1"], "b,c": ["2,3"]}


def test_single_column_file(tmp_path):
    assert read_table(write(tmp_path, "one.csv", b"ward\n1\n2\n"), display_name="one.csv")["ward"].tolist() \
        == ["1", "2"]


def test_ragged_rows_and_blank_lines_keep_spreadsheet_rows(tmp_path):
    path = write(tmp_path, "r.csv", b"a,b,c\n1,2\n\n3,4,5,,\n\n\n")
    frame = read_table(path, display_name="r.csv")
    assert frame.values.tolist() == [["1", "2", ""], ["", "", ""], ["3", "4", "5"]]
    assert with_source_rows(frame)["source_row"].tolist() == [2, 3, 4]


def test_row_with_extra_cells_is_an_error(tmp_path):
    path = write(tmp_path, "x.csv", b"a,b\n1,2\n3,4,5\n")
    with pytest.raises(LoadError, match=r"x.csv: row 3 has 3 cells"):
        read_table(path, display_name="x.csv")


def test_blank_unnamed_columns_dropped_and_named_when_filled(tmp_path):
    path = write(tmp_path, "u.csv", b",a,,b,\n1,2,,3,\n")
    frame = read_table(path, display_name="u.csv")
    assert list(frame.columns) == ["column 1", "a", "b"]
    assert frame.values.tolist() == [["1", "2", "3"]]


def test_duplicate_headers_are_named(tmp_path):
    path = write(tmp_path, "dup.csv", b"ward,cost,Ward ,cost\n1,2,3,4\n")
    with pytest.raises(LoadError, match=r"dup.csv: .*'cost'") as info:
        read_table(path, display_name="dup.csv")
    assert "'ward'" not in str(info.value)  # ward and Ward are distinct names
    assert info.value.problem.row == 1


def test_header_only_file_gives_empty_frame(tmp_path):
    frame = read_table(write(tmp_path, "h.csv", b"a,b\n"), display_name="h.csv")
    assert list(frame.columns) == ["a", "b"] and len(frame) == 0


@pytest.mark.parametrize("data", [b"", b"  \n\r\n", "\ufeff".encode()])
def test_empty_file_is_an_error(tmp_path, data):
    with pytest.raises(LoadError, match="empty.csv: .*empty"):
        read_table(write(tmp_path, "empty.csv", data), display_name="empty.csv")


def test_missing_file_and_folder_and_unknown_type(tmp_path):
    with pytest.raises(LoadError, match="spending.csv: file not found"):
        read_table(tmp_path / "nope.csv", display_name="spending.csv")
    with pytest.raises(LoadError, match="folder"):
        read_table(tmp_path, display_name="dir")
    with pytest.raises(LoadError, match="a.json: cannot read '.json'"):
        read_table(write(tmp_path, "a.json", b"{}"), display_name="a.json")


def test_corrupt_files_are_load_errors(tmp_path):
    with pytest.raises(LoadError, match="bad.xlsx: is not an Excel workbook that can be read .*save it again"):
        read_table(write(tmp_path, "bad.xlsx", b"not a zip"), display_name="bad.xlsx")
    with pytest.raises(LoadError, match="bad.parquet: is not a Parquet file that can be read"):
        read_table(write(tmp_path, "bad.parquet", b"not parquet"), display_name="bad.parquet")


def test_xlsx_roundtrip(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Budget"
    sheet.append([" ward ", "fiscal_year", "amount", "note", 2016])
    sheet.append([1, 2016.0, 1234.56, "  Peña ", None])
    sheet.append([2.0, "FY 2015-16", -5, None, 7])
    sheet.append(["3", 2017, 0.1, True, None])
    other = book.create_sheet("Other")
    other.append(["x"])
    other.append([1])
    path = tmp_path / "budget.xlsx"
    book.save(path)

    frame = read_table(path, display_name="budget.xlsx")
    assert list(frame.columns) == ["ward", "fiscal_year", "amount", "note", "2016"]
    assert frame["ward"].tolist() == ["1", "2", "3"]
    assert frame["fiscal_year"].tolist() == ["2016", "FY 2015-16", "2017"]
    assert frame["amount"].tolist() == ["1234.56", "-5", "0.1"]
    assert frame["note"].tolist() == ["Peña", "", "TRUE"]
    assert_all_text(frame)
    assert parse_amounts(frame["amount"], file="budget.xlsx", column="amount")[0].tolist() == [123456, -500, 10]
    assert read_table(path, display_name="budget.xlsx", sheet="Other")["x"].tolist() == ["1"]
    with pytest.raises(LoadError, match="budget.xlsx: has no sheet 'Nope'; its sheets are 'Budget', 'Other'"):
        read_table(path, display_name="budget.xlsx", sheet="Nope")


def test_xlsx_text_columns_keep_zero_padding(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["zip", "n"])
    sheet.append([2134, 2134])
    sheet["A2"].number_format = "00000"
    sheet["B2"].number_format = "00000"
    path = tmp_path / "zips.xlsx"
    book.save(path)
    frame = read_table(path, display_name="zips.xlsx", text_columns=["zip"])
    assert frame.to_dict("list") == {"zip": ["02134"], "n": ["2134"]}


def test_parquet_roundtrip(tmp_path):
    source = pd.DataFrame({"ward": [1, 2, 3], "share": [1.0, float("nan"), 2.5],
                           "name": ["A ", None, "Peña"], "amount": ["$1.00", "(2)", ""]})
    path = tmp_path / "s.parquet"
    source.to_parquet(path)
    frame = read_table(path, display_name="s.parquet")
    assert frame.to_dict("list") == {"ward": ["1", "2", "3"], "share": ["1", "", "2.5"],
                                     "name": ["A", "", "Peña"], "amount": ["$1.00", "(2)", ""]}
    assert_all_text(frame)


def test_parquet_integers_with_nulls_keep_every_digit(tmp_path):
    """An int64 column with a null is not read through float64 (which rounds past 2**53)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "n.parquet"
    pq.write_table(pa.table({"amount": pa.array([90_000_000_000_000_001, None, -(2**53 + 1)], pa.int64()),
                             "flag": pa.array([True, None, False])}), path)
    assert read_table(path, display_name="n.parquet").to_dict("list") == {
        "amount": ["90000000000000001", "", "-9007199254740993"], "flag": ["TRUE", "", "FALSE"]}


def test_parquet_named_index_is_kept(tmp_path):
    path = tmp_path / "i.parquet"
    pd.DataFrame({"pop": [10, 20]}, index=pd.Index(["1", "2"], name="district")).to_parquet(path)
    assert read_table(path, display_name="i.parquet").to_dict("list") == {"district": ["1", "2"],
                                                                          "pop": ["10", "20"]}


# ---------------------------------------------------------------- require_columns

def test_require_columns_suggests_case_match():
    frame = pd.DataFrame(columns=["year", "Ward", "cost"])
    with pytest.raises(LoadError) as info:
        require_columns(frame, {"district": "ward", "year": "year"}, file="spending.csv", section="spending")
    assert str(info.value) == ("spending.csv: column 'ward' (set by spending.district in the manifest) "
                               "is not in the file; columns are: year, Ward, cost. Did you mean 'Ward'?")
    assert info.value.problem.column == "ward"


def test_require_columns_suggests_close_spelling_and_lists_all_missing():
    frame = pd.DataFrame(columns=["fiscal_year", "district", "amount"])
    with pytest.raises(LoadError) as info:
        require_columns(frame, {"district": "distrct", "amount": "amt_total", "year": "fiscal_year"},
                        file="s.csv")
    message = str(info.value)
    assert "'distrct' (set by district in the manifest), 'amt_total' (set by amount" in message
    assert "are not in the file" in message
    assert "Did you mean 'district' for 'distrct'?" in message


def test_require_columns_passes_and_skips_unset_keys():
    frame = pd.DataFrame(columns=["a", "b"])
    require_columns(frame, {"x": "a", "y": "b", "district": ""}, file="f.csv")


def test_require_columns_truncates_long_listings():
    frame = pd.DataFrame(columns=[f"c{i}" for i in range(100)])
    with pytest.raises(LoadError, match=r"\.\.\. \(70 more\)"):
        require_columns(frame, {"k": "zzz"}, file="f.csv")


# ---------------------------------------------------------------- wide tables

def wide_frame() -> pd.DataFrame:
    return pd.DataFrame({"bureau": ["Parks", "Police"], "FY 2015-16": ["100", "-25.50"],
                         "FY 2014-15": ["(3)", ""], "fund": ["GF", "GF"]})


def test_melt_years_keeps_negatives_and_source_rows():
    long = melt_years(wide_frame(), ["FY 2015-16", "FY 2014-15"], file="wide.csv")
    assert list(long.columns) == ["bureau", "fund", "source_row", "fiscal_year", "amount"]
    assert long["fiscal_year"].dtype == "Int64"
    assert long[["bureau", "source_row", "amount"]].values.tolist() == [
        ["Parks", 2, "100"], ["Parks", 2, "(3)"], ["Police", 3, "-25.50"], ["Police", 3, ""]]
    assert long["fiscal_year"].tolist() == [2016, 2015, 2016, 2015]
    parsed, problems = parse_amounts(long["amount"], file="wide.csv", column="amount", rows=long["source_row"])
    assert parsed.tolist()[:3] == [10000, -300, -2550] and problems == []


def test_melt_preserves_existing_source_rows_and_names_value():
    frame = with_source_rows(wide_frame()).iloc[[1]]
    long = melt_years(frame, ["FY 2014-15", "FY 2015-16"], file="wide.csv", value_name="budget")
    assert long["source_row"].tolist() == [3, 3]
    assert long["budget"].tolist() == ["", "-25.50"]
    assert long["fiscal_year"].tolist() == [2015, 2016]
    bad = long.assign(budget=["x", "1"])
    _, problems = parse_amounts(bad["budget"], file="wide.csv", column="FY 2014-15", rows=bad["source_row"])
    assert str(problems[0]) == "wide.csv, row 3, column 'FY 2014-15': 'x' is not an amount"


def test_melt_errors():
    with pytest.raises(LoadError, match=r"wide.csv: year column\(s\) 'FY 2016-17' not in the file"):
        melt_years(wide_frame(), ["FY 2015-16", "FY 2016-17"], file="wide.csv")
    with pytest.raises(LoadError, match="wide.csv: column 'fund' is not a fiscal year"):
        melt_years(wide_frame(), ["FY 2015-16", "fund"], file="wide.csv")
    with pytest.raises(LoadError, match="fiscal year 2016 again"):
        melt_years(wide_frame().assign(**{"2016": "1"}), ["FY 2015-16", "2016"], file="wide.csv")
    with pytest.raises(LoadError, match="'amount'"):
        melt_years(wide_frame().assign(amount="1"), ["FY 2015-16"], file="wide.csv")


def test_with_source_rows():
    frame = with_source_rows(pd.DataFrame({"a": ["x", "y", "z"]}, index=[5, 6, 7]))
    assert frame["source_row"].tolist() == [2, 3, 4]
    with pytest.raises(LoadError, match="'source_row'.*rename"):  # a file's own column of that name
        with_source_rows(frame)


# ---------------------------------------------------------------- real data (skipped without it)

def test_portland_bureau_budget_history():
    path = SHARED_DATA / "portland" / "bureau_budget_history.csv"
    if not path.exists():
        pytest.skip("shared data folder is absent")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\n" not in raw  # BOM and CR-only, as promised
    frame = read_table(path, display_name="bureau_budget_history.csv")
    assert frame.columns[0] == "Fund center code"
    year_columns = [c for c in frame.columns if fiscal_year_of_label(c) is not None]
    assert year_columns[0] == "FY 2015-16" and len(year_columns) == 10
    long = melt_years(frame, year_columns, file="bureau_budget_history.csv")
    assert len(long) == len(frame) * 10
    assert set(long["fiscal_year"].unique()) == set(range(2007, 2017))
    parsed, problems = parse_amounts(long["amount"], file="bureau_budget_history.csv", column="amount",
                                     rows=long["source_row"])
    assert problems == []
    assert (parsed < 0).sum() > 0  # negative transfers and corrections are kept
    assert long["source_row"].min() == 2 and long["source_row"].max() == len(frame) + 1
