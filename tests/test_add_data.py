"""The workspace and the "Add your data" page: safe names, guesses by content, a draft that joins
after one click, a saved dataset the catalogue and `check` read, and removal."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from devtools.testcity import write_grid_city
from budgetmap import workspace
from budgetmap.dataset import guess_columns, preview_boundaries, preview_table

FIPS = ["01001", "01003", "01005", "01007", "01009", "01011"]


def fips_city(folder: Path) -> Path:
    """Six districts with zero-padded FIPS-like ids; the spending table writes them as integers."""
    rows = [("2025", str(int(i)), f"{100 * (n + 1)}.25") for n, i in enumerate(FIPS)]
    rows.append(("2025", "99999", "7.00"))  # truly no district
    return write_grid_city(folder, FIPS, [f"County {n}" for n in range(len(FIPS))], rows)


@pytest.mark.parametrize("name, safe", [("../../etc/passwd", "passwd"), ("..\\..\\boot.ini", "boot.ini"),
                                        (".hidden.csv", "hidden.csv"), ("my wards (2024).geojson",
                                                                        "my_wards_2024.geojson"),
                                        ("..", "file"), ("a/b/../c.zip", "c.zip")])
def test_uploaded_file_names_stay_in_their_folder(name, safe):
    assert workspace.safe_name(name) == safe


def test_the_workspace_defaults_to_the_users_data_directory(monkeypatch, tmp_path):
    monkeypatch.delenv(workspace.ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert workspace.root() == tmp_path / "data" / "budgetmap" / "workspace"
    monkeypatch.setenv(workspace.ENV, str(tmp_path / "ws"))
    assert workspace.root() == tmp_path / "ws"


def test_save_never_overwrites_and_remove_takes_only_workspace_keys(tmp_path):
    space = tmp_path / "ws"
    _, draft = workspace.draft(folder=space)
    workspace.store(draft, "t.csv", b"x")
    first = workspace.save(draft, "Grid City!", ["t.csv"], 'name = "a"\n', folder=space)
    second = workspace.save(draft, "Grid City!", ["t.csv"], 'name = "b"\n', folder=space)
    assert (first.parent.name, second.parent.name) == ("grid-city", "grid-city-2")
    assert [p.parent.name for p in workspace.manifests(space)] == ["grid-city", "grid-city-2"], "drafts not listed"
    assert not workspace.remove("../ws", folder=space) and not workspace.remove(".drafts", folder=space)
    assert workspace.remove("grid-city", folder=space)
    assert [p.parent.name for p in workspace.manifests(space)] == ["grid-city-2"]


def test_store_refuses_a_file_over_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(workspace, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ValueError, match="the limit is"):
        workspace.store(tmp_path, "big.csv", b"x" * 11)
    assert not (tmp_path / "big.csv").exists()


def test_the_key_column_is_guessed_by_content_against_zero_padded_ids(tmp_path):
    fips_city(tmp_path)
    frame = preview_table(tmp_path / "spending.csv")
    frame.insert(0, "ward", ["3"] * len(frame))  # named like a key, but its values meet one id at most
    guess = guess_columns(preview_boundaries(tmp_path / "districts.geojson"), frame)
    assert (guess.boundary_id, guess.boundary_name) == ("code", "label")
    assert (guess.key, guess.year, guess.amount, guess.department) == ("district", "year", "cost", "dept")
    assert guess.key_share == pytest.approx(6 / 7)


def test_district_n_keys_are_guessed_against_the_names(tmp_path):
    write_grid_city(tmp_path, ["a", "b", "c"], ["1", "2", "3"], [("2025", f"District {n}", "5") for n in (1, 2, 3)])
    guess = guess_columns(preview_boundaries(tmp_path / "districts.geojson"), preview_table(tmp_path / "spending.csv"))
    assert guess.key == "district" and guess.key_share == 1.0


# --------------------------------------------------------------------------- the page


def _page(monkeypatch, space: Path) -> AppTest:
    monkeypatch.setenv(workspace.ENV, str(space))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    return at.switch_page("app_pages/8_Add_your_data.py").run()


def _no_traceback(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_the_page_uploads_accepts_a_rule_saves_and_removes(monkeypatch, tmp_path):
    city = tmp_path / "city"
    fips_city(city)
    space = tmp_path / "ws"
    at = _page(monkeypatch, space)
    _no_traceback(at)
    at.file_uploader(key="add_boundary_upload").upload("../districts.geojson",
                                                        (city / "districts.geojson").read_bytes(),
                                                        "application/geo+json").run()
    at.file_uploader(key="add_table_upload").upload("spending.csv", (city / "spending.csv").read_bytes(),
                                                     "text/csv").run()
    _no_traceback(at)
    assert at.selectbox(key="add_col_key").value == "district"
    previews = [c.value for c in at.caption if "rows, columns" in c.value]
    assert len(previews) == 2 and not any("\\\\" in c for c in previews), "file names escaped once, not twice"
    summary = [m.value for m in at.markdown if "rows matched" in m.value]
    assert summary and "0 of 7 rows matched" in summary[0].replace("\\", ""), summary
    accept = [b for b in at.button if b.key and b.key.startswith("add_accept_")]
    assert accept, "a rule is suggested for integer keys against zero-padded ids"
    accept[0].click().run()
    _no_traceback(at)
    text = [m.value for m in at.markdown if "rows matched" in m.value][0].replace("\\", "")
    assert "6 of 7 rows matched, $2,101.50 of $2,108.50 on the map" in text, text
    at.text_input(key="add_name").set_value("FIPS county").run()
    at.button(key="add_save").click().run()
    _no_traceback(at)
    saved = space / "fips-county" / "manifest.toml"
    assert saved.is_file() and "pad = 5" in saved.read_text(encoding="utf-8")
    assert sorted(p.name for p in saved.parent.iterdir()) == ["districts.geojson", "manifest.toml", "spending.csv"]
    out = subprocess.run([sys.executable, "-m", "budgetmap", "check", str(saved), "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    cents = json.loads(out.stdout)["reconciliation"]["cents"]
    assert (cents["districts"], cents["unmatched"]) == (210150, 700), "only the key with no district is off the map"
    # another session's picker lists it by its folder's name
    at2 = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at2.query_params["dataset"] = "fips-county"
    at2.run()
    _no_traceback(at2)
    assert at2.selectbox(key="dataset").value == "fips-county"
    assert "FIPS county" in " ".join([*(m.value for m in at2.markdown), *(t.value for t in at2.title)]).replace("\\", ""), "it opened the saved dataset"
    at.run()
    remove = [b for b in at.button if b.key == "add_remove_fips-county"]
    assert remove, [b.key for b in at.button]
    remove[0].click().run()
    _no_traceback(at)
    assert not saved.parent.exists()


def test_a_broken_workspace_manifest_is_listed_with_its_error(monkeypatch, tmp_path):
    space = tmp_path / "ws"
    (space / "broken").mkdir(parents=True)
    (space / "broken" / "manifest.toml").write_text("name = \n", encoding="utf-8")
    at = _page(monkeypatch, space)
    _no_traceback(at)
    listed = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "broken (cannot be opened)" in listed and "manifest.toml" in listed, listed


def test_a_broken_upload_gets_the_loaders_message_and_no_traceback(monkeypatch, tmp_path):
    at = _page(monkeypatch, tmp_path / "ws")
    at.file_uploader(key="add_boundary_upload").upload("wards.geojson", b'{"type": "FeatureCollection", "feat',
                                                        "application/geo+json").run()
    at.file_uploader(key="add_table_upload").upload("t.csv", b"year,ward,cost\n2025,1,5\n", "text/csv").run()
    _no_traceback(at)
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any(e.startswith("wards.geojson: is not GeoJSON") for e in errors), errors
    assert not [m for m in at.markdown if "rows matched" in m.value]


def test_files_from_the_import_folder_with_a_layer_and_a_sheet_picker(monkeypatch, tmp_path):
    import geopandas as gpd
    import pandas as pd

    city = tmp_path / "city"
    fips_city(city)
    source = tmp_path / "import"
    source.mkdir()
    frame = gpd.read_file(city / "districts.geojson")
    frame.iloc[:2].to_file(source / "county.gpkg", layer="roads")  # the first layer is not the districts
    frame.to_file(source / "county.gpkg", layer="counties")
    spending = pd.read_csv(city / "spending.csv", dtype=str)
    with pd.ExcelWriter(source / "budget.xlsx") as book:
        pd.DataFrame({"note": ["cover sheet"]}).to_excel(book, sheet_name="Cover", index=False)
        spending.to_excel(book, sheet_name="Spending", index=False)
    (source / "notes.txt.exe").write_text("x", encoding="utf-8")  # not a data file: not offered
    monkeypatch.setenv(workspace.IMPORT_ENV, str(source))
    at = _page(monkeypatch, tmp_path / "ws")
    at.radio(key="add_boundary_how").set_value("From the import folder").run()
    at.radio(key="add_table_how").set_value("From the import folder").run()
    assert at.selectbox(key="add_boundary_import").options == ["(none)", "county.gpkg"]
    at.selectbox(key="add_boundary_import").set_value("county.gpkg").run()
    at.selectbox(key="add_table_import").set_value("budget.xlsx").run()
    assert at.selectbox(key="add_layer").options == ["roads", "counties"]
    at.selectbox(key="add_layer").set_value("counties").run()
    at.selectbox(key="add_sheet").set_value("Spending").run()
    _no_traceback(at)
    text = [m.value for m in at.markdown if "rows matched" in m.value][0].replace("\\", "")
    assert "0 of 7 rows matched, $0.00 of $2,108.50 on the map" in text, text
    assert at.selectbox(key="add_col_key").value == "district" and at.selectbox(key="add_col_amount").value == "cost"


def test_abandoned_drafts_are_pruned_and_fresh_ones_kept(tmp_path):
    import os
    import time

    old_token, old = workspace.draft(folder=tmp_path)
    workspace.store(old, "a.csv", b"x")
    day_ago = time.time() - 3 * 24 * 3600
    for path in (old / "a.csv", old):
        os.utime(path, (day_ago, day_ago))
    kept_token, kept = workspace.draft(folder=tmp_path)
    assert not old.exists() and kept.is_dir(), "a new session's draft prunes the abandoned one"
    assert workspace.draft(kept_token, folder=tmp_path) == (kept_token, kept), "a session keeps its draft"
    assert workspace.draft("../../etc", folder=tmp_path)[0] != "../../etc", "a token is never a path"


def test_the_population_column_is_guessed_by_name_and_content():
    import pandas as pd

    from loaders.guess import population_column

    attributes = pd.DataFrame({"GEOID": ["01001", "01003"], "ALAND": ["1500", "2500"],
                               "Pop_2020": ["58,805", "231,767"], "pop_note": ["n/a", "x"]})
    assert population_column(attributes, ("GEOID",)) == "Pop_2020"  # ALAND is whole numbers but not named so
    assert population_column(attributes.drop(columns=["Pop_2020"])) == ""


def test_the_page_picks_the_population_column_and_the_draft_has_per_resident_figures(monkeypatch, tmp_path):
    city = tmp_path / "city"
    fips_city(city)
    space = tmp_path / "ws"
    at = _page(monkeypatch, space)
    for key, name, mime in (("add_boundary_upload", "districts.geojson", "application/geo+json"),
                            ("add_table_upload", "spending.csv", "text/csv")):
        at.file_uploader(key=key).upload(name, (city / name).read_bytes(), mime).run()
    _no_traceback(at)
    assert at.selectbox(key="add_col_pop").value == "pop"
    draft, = space.glob(".drafts/*/manifest.toml")
    assert 'population = "pop"' in draft.read_text(encoding="utf-8")
    from budgetmap.dataset import open_dataset

    assert open_dataset(draft).layers[0].districts["population"].tolist() == [1000.0 * (i + 1) for i in range(6)]
    at.selectbox(key="add_col_pop").set_value("(none)").run()
    assert "population" not in draft.read_text(encoding="utf-8").split("[spending]")[0]


INDICATORS = ("Ward,Measure,FY,Result,Goal\n"
              "1001,Streets in good repair,2025,61.5,70\n1003,Streets in good repair,2025,75,70\n"
              "1005,Streets in good repair,2025,68,70\n1007,Streets in good repair,2025,80,70\n"
              "1009,Streets in good repair,2025,66,70\n1011,Streets in good repair,2025,72,70\n"
              "42,Streets in good repair,2025,50,70\n")


def test_an_indicator_table_is_guessed_by_content_and_header(tmp_path):
    from budgetmap.dataset import guess_indicator_columns
    fips_city(tmp_path)
    (tmp_path / "results.csv").write_text(INDICATORS, encoding="utf-8")
    guess = guess_indicator_columns(preview_boundaries(tmp_path / "districts.geojson"),
                                    preview_table(tmp_path / "results.csv"))
    assert (guess.key, guess.year, guess.indicator, guess.actual, guess.target) == ("Ward", "FY", "Measure",
                                                                                     "Result", "Goal")
    assert guess.key_share == pytest.approx(6 / 7)


def test_the_page_takes_an_indicator_table_and_the_saved_dataset_has_targets(monkeypatch, tmp_path):
    city = tmp_path / "city"
    fips_city(city)
    (city / "results.csv").write_text(INDICATORS, encoding="utf-8")
    space = tmp_path / "ws"
    at = _page(monkeypatch, space)
    for role, name, mime in (("boundary", "districts.geojson", "application/geo+json"),
                             ("table", "spending.csv", "text/csv"), ("indicators", "results.csv", "text/csv")):
        at.file_uploader(key=f"add_{role}_upload").upload(name, (city / name).read_bytes(), mime).run()
    _no_traceback(at)
    assert at.selectbox(key="add_ind_target").value == "Goal"
    offered = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Indicators table: zero-pad" in offered and "6 rows onto the map" in offered, offered
    for _ in range(2):   # pad = 5 for the spending table, then for the indicator table
        [b for b in at.button if b.key and b.key.startswith("add_accept_")][0].click().run()
        _no_traceback(at)
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "6 of 7 indicator rows matched a district; 1 indicator" in text, text
    left = [frame for frame in (d.value for d in at.dataframe) if "table" in frame.columns]
    assert left and sorted(zip(left[0]["table"], left[0]["key"])) == [("indicators", "42"), ("spending", "99999")]
    at.text_input(key="add_name").set_value("Results county").run()
    at.button(key="add_save").click().run()
    _no_traceback(at)
    saved = space / "results-county" / "manifest.toml"
    manifest = saved.read_text(encoding="utf-8")
    import tomllib
    assert tomllib.loads(manifest)["indicators"] == {"pad": 5, "path": "results.csv", "district": "Ward", "year": "FY",
                                                     "indicator": "Measure", "actual": "Result", "target": "Goal"}
    assert (saved.parent / "results.csv").is_file()
    out = subprocess.run([sys.executable, "-m", "budgetmap", "check", str(saved), "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    table = next(t for t in json.loads(out.stdout)["tables"] if t["table"] == "indicators")
    assert (table["rows_read"], table["rows_used"]) == (7, 6)
    assert [u["key"] for u in json.loads(out.stdout)["unmatched"] if u["table"] == "indicators"] == ["42"]
