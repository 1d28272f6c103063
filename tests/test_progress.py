"""Progress for long reads: the loaders call a plain ``progress(fraction, what)``, the page shows a bar.

The fractions must only go up and end at 1.0, reach the page from the sandbox
process the app loads in, and come from the read itself (the share of a CSV's
text parsed, of a Parquet file's row groups), never from reading a file twice.
"""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from budgetmap.dataset import open_dataset, preview_table
from conftest import ROOT
from devtools.testcity import write_grid_city
from loaders.progress import part
from loaders.tables import read_table


class Heard:
    """A callback that keeps what it hears."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def __call__(self, fraction: float, what: str) -> None:
        self.calls.append((fraction, what))

    @property
    def fractions(self) -> list[float]:
        return [f for f, _ in self.calls]


def _rising_to_one(heard: Heard) -> None:
    assert heard.fractions, "nothing was heard"
    assert heard.fractions == sorted(heard.fractions), heard.fractions
    assert heard.fractions[-1] == 1.0 and all(0.0 <= f <= 1.0 for f in heard.fractions)


def test_a_long_csv_reports_the_share_of_its_text_parsed(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("year,district,cost\n" + "".join(f"2024,{i % 7},{i}.50\n" for i in range(70_000)),
                    encoding="utf-8")
    heard = Heard()
    frame = read_table(path, display_name="big.csv", progress=heard)
    assert len(frame) == 70_000
    _rising_to_one(heard)
    # every 20,000 rows: three reports on the way (20k, 40k, 60k rows: ~0.26, ~0.51, ~0.77 of 0.9), then done
    between = [f for f in heard.fractions if 0 < f < 1]
    assert len(between) == 3 and between[0] == pytest.approx(20_000 / 70_001 * 0.9, abs=0.02)
    assert "60,000 rows" in heard.calls[2][1] and heard.calls[-1][1] == "read big.csv: 70,000 rows"


def test_a_parquet_file_reports_its_row_groups_and_reads_like_pandas(tmp_path):
    frame = pd.DataFrame({"year": [2024] * 4000, "district": [str(i % 9) for i in range(4000)],
                          "cost": pd.array([i if i % 5 else None for i in range(4000)], dtype="Int64")})
    frame.loc[7, "cost"] = 90_000_000_000_000_001  # beyond 2**53: must not pass through a float
    path = tmp_path / "t.parquet"
    frame.to_parquet(path, row_group_size=1000)
    heard = Heard()
    read = preview_table(path, None, heard)
    _rising_to_one(heard)
    assert heard.fractions[:4] == pytest.approx([0.225, 0.45, 0.675, 0.9])
    assert "row group 4 of 4" in heard.calls[3][1]
    assert read["cost"].iloc[7] == "90000000000000001" and read["cost"].iloc[5] == ""
    assert read.equals(read_table(path, display_name="t.parquet"))


def test_part_maps_a_step_onto_its_share_and_never_goes_back():
    heard = Heard()
    step = part(heard, 0.25, 0.75)
    for fraction in (0.0, 0.5, 0.4, 1.0, 2.0):
        step(fraction, "x")
    assert heard.fractions == [0.25, 0.5, 0.75, 0.75]


def _city(tmp_path):
    rows = [("2024", str(int(i)), f"{n}.00") for n, i in enumerate(["01001", "01003", "01005"], start=1)]
    return write_grid_city(tmp_path / "c", ["01001", "01003", "01005"], ["A", "B", "C"], rows)


@pytest.mark.parametrize("isolated", [False, True])
def test_loading_reports_each_step_up_to_one_also_from_the_sandbox(tmp_path, isolated):
    heard = Heard()
    dataset = open_dataset(_city(tmp_path), isolated=isolated, progress=heard)
    assert dataset.report.suggested_rules  # the keys miss by a zero: the rule search ran
    _rising_to_one(heard)
    said = " / ".join(w for _, w in heard.calls)
    for step in ("reading the boundaries", "reading the spending table", "joining the keys",
                 "finding join rules", "loaded"):
        assert step in said, said


def test_the_page_shows_both_reads_ending_at_100(monkeypatch, tmp_path):
    from budgetmap import workspace

    city = _city(tmp_path)
    monkeypatch.setenv(workspace.ENV, str(tmp_path / "ws"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at = at.switch_page("app_pages/8_Add_your_data.py").run()
    assert not at.get("progress"), "no bar before there are files"
    at.file_uploader(key="add_boundary_upload").upload("districts.geojson",
                                                        (city.parent / "districts.geojson").read_bytes(),
                                                        "application/geo+json").run()
    at.file_uploader(key="add_table_upload").upload("spending.csv", (city.parent / "spending.csv").read_bytes(),
                                                     "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    bars = at.get("progress")
    assert [b.proto.value for b in bars] == [100, 100]
    texts = [b.proto.text.replace("\\", "") for b in bars]
    assert texts[0] == "Read districts.geojson (3 features) and spending.csv (3 rows)"
    assert texts[1].startswith("Draft loaded")
    at.run()  # a rerun takes the draft from the cache: its bar is replayed, still at 100%
    assert [b.proto.value for b in at.get("progress")] == [100, 100]
