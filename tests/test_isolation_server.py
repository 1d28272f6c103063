"""A real server, two sessions: one opens a dataset too big to load in time, the other keeps working.

The sessions speak Streamlit's own websocket protocol (devtools/stclient.py), as
a browser tab would. The bomb is a real file: a million line items of CSV read
by the pandas loader, far more than the 6 seconds the server allows here.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from budgetmap.render.leaflet import read_args
from devtools.bigcity import write_big_city
from devtools.server import start_streamlit, stop_streamlit
from devtools.stclient import Session

TIMEOUT = 6  # BUDGETMAP_LOAD_TIMEOUT for this server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("huge")
    manifest = write_big_city(folder / "city", 1_000_000, "csv", engine="pandas")
    huge = manifest.rename(manifest.with_name("huge.toml"))
    running = start_streamlit(ROOT / "app.py", log=folder / "server.log",
                              # protocol sessions run no JavaScript: whole pages from the first run (ui/first_paint.py)
                              env_extra={"BUDGETMAP_DATASETS": str(huge), "BUDGETMAP_LOAD_TIMEOUT": str(TIMEOUT),
                                         "BUDGETMAP_FIRST_PAINT": "whole"})
    try:
        yield running
    finally:
        stop_streamlit(running)


def _tooltips(run) -> dict:
    return read_args(json.loads(run.component().component_instance.json_args))["tooltips"]


async def _both(url: str) -> dict:
    async with Session(url, "Spending_map", "dataset=demo") as worker, \
            Session(url, "Spending_map", "dataset=huge") as bomb:
        opened = await worker.open()
        assert opened.ok and opened.component() is not None, opened.errors
        refused = asyncio.create_task(bomb.open(timeout=TIMEOUT + 60))
        years, runs = worker.options("f_year"), []
        while not refused.done():
            run = await worker.set("f_year", years[len(runs) % len(years)])
            runs.append((run, refused.done()))
        again = await bomb.open(timeout=30)  # asked again: the refusal is remembered
        after = await worker.set("f_measure", "Total spending")
        return {"refused": refused.result(), "runs": runs, "again": again, "after": after}


def test_a_second_session_keeps_working_while_a_bomb_is_refused(server):
    # in a thread of its own: an earlier test (Playwright's sync API) may leave this thread's loop running
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        result = pool.submit(asyncio.run, _both(server.url)).result()
    refused = result["refused"]
    assert refused.status is not None, "the bomb's page finished: it was refused, not left hanging"
    shown = [e.replace("\\", "") for e in refused.errors]  # undo markdown escaping
    assert any(f"city/huge.toml took longer than {TIMEOUT} seconds" in e for e in shown), shown
    assert not any(str(ROOT) in e or "/tmp/" in e for e in shown), "no server path is shown"
    during = [run for run, bomb_done in result["runs"] if not bomb_done]
    assert len(during) >= 2 and all(run.ok for run in during), "the other session was served meanwhile"
    assert len({json.dumps(_tooltips(run), sort_keys=True) for run in during}) >= 2, "with new map data each time"
    assert result["again"].errors == refused.errors
    assert result["after"].ok and _tooltips(result["after"]) != _tooltips(during[-1])
    assert server.process.poll() is None
    with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=5) as health:
        assert health.read().strip() == b"ok"
