"""Downloads from the page: the 300-dpi PNG shows the live map's colours; the data and HTML arrive."""
from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from budgetmap.dataset import open_dataset
from budgetmap.maps import MAP_KINDS
from budgetmap.permalink import view_from_params
from budgetmap.render.static import interior_points, pixels

from .conftest import CHROMIUM
from .test_map_browser import DEMO_MANIFEST, SNAPSHOT, demo_districts, wait_for_script_done
from .test_permalink_browser import Params

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: browser tests need Debian's chromium", allow_module_level=True)

from PIL import Image  # noqa: E402

pytestmark = pytest.mark.browser


def download(page, label: str) -> bytes:
    page.get_by_role("button", name="Download").first.click()
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=label).click()
    page.keyboard.press("Escape")
    return open(info.value.path(), "rb").read()


def test_png_snapshot_has_the_live_maps_colours_inside_each_district(visit):
    rec = visit("/Targets?dataset=demo&indicator=pavement_local_good_fair&year=2024")
    frame = rec.wait_for_map(len(demo_districts()))
    wait_for_script_done(rec.page)
    live = {d: fill for d, fill, _ in frame.evaluate(SNAPSHOT)}
    hatched = set(frame.evaluate("() => Array.from(document.querySelectorAll('path[data-pattern=hatch]'))"
                                 ".map(p => p.getAttribute('data-district'))"))
    link = rec.page.locator("a.bm-permalink").first.get_attribute("href")
    png = download(rec.page, "Snapshot PNG (300 dpi)")
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    dataset = open_dataset(DEMO_MANIFEST)
    spec = MAP_KINDS["target"](dataset, view_from_params(Params(parse_qs(urlsplit(link).query))))
    points = interior_points(dataset.districts)
    cols, rows = pixels(spec, dataset.districts, points.x.to_numpy(), points.y.to_numpy(), permalink=link)
    checked = 0
    for did, col, row in zip(dataset.districts["district_id"], cols, rows):
        c, r = int(col), int(row)
        want = [int(live[did][i:i + 2], 16) for i in (1, 3, 5)]
        if did in hatched:  # one period of the hatch (12 lines an inch at 300 dpi): fill is the commonest colour
            square = image[r - 12:r + 13, c - 12:c + 13].reshape(-1, 3)
            colours, counts = np.unique(square, axis=0, return_counts=True)
            assert colours[counts.argmax()].tolist() == want, f"{did}: not the live map's {live[did]}"
        else:
            assert image[r, c].tolist() == want, f"{did}: the snapshot is not the live map's {live[did]}"
        checked += 1
    assert checked == len(live) and 0 < len(hatched) < checked


def test_data_and_standalone_downloads_arrive(visit):
    rec = visit("/Spending_map?dataset=demo&year=2023")
    rec.wait_for_map(len(demo_districts()))
    wait_for_script_done(rec.page)
    rows = list(csv.reader(io.StringIO(download(rec.page, "Data CSV").decode("utf-8-sig"))))
    names = {r[1] for r in rows if len(r) > 1 and r[0] in demo_districts()}
    assert names == set(demo_districts().values())
    assert any(r and r[0] == "part" for r in rows), "the reconciliation rows come with the data"
    html = download(rec.page, "Interactive map, offline (HTML)").decode("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "Content-Security-Policy" in html
    assert rec.non_local_urls() == [] and rec.console_errors() == []
