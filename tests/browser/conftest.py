"""Browser-test fixtures: one real Streamlit server per session, Debian's Chromium,
and a helper that opens a page while recording every request and console error.

No downloads: Chromium is /usr/bin/chromium (never ``playwright install``), and the
server runs the app from this checkout on a free local port.
"""
from __future__ import annotations

import importlib.util
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from devtools.browser import CHROMIUM as CHROMIUM_PATH  # noqa: E402
from devtools.browser import CHROMIUM_ARGS, MAP_FRAME, NON_LOCAL  # noqa: E402,F401
from devtools.server import start_streamlit, stop_streamlit  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(CHROMIUM_PATH)
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
HOSTILE_KEY = "hostile"
BOUNDARY_KEY = "boundaries"
LAYERED_KEY = "layered"


def _shared_conftest():
    """tests/conftest.py under its own module name (it is not a package, and when only
    tests/browser is collected pytest does not load it)."""
    spec = importlib.util.spec_from_file_location("budgetmap_tests_conftest", ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_shared = _shared_conftest()
write_city = _shared.write_city
HOSTILE_NAMES: list[str] = list(_shared.HOSTILE_NAMES)
#: ids write_city gives its four districts, in the order of the names passed to it
HOSTILE_IDS = list("ABCD")
HOSTILE_INDICATORS = """
[indicators]
path = "indicators.csv"
indicator = "indicator"
year = "year"
district = "district"
actual = "actual"
target = "target"

[indicators.meta.score]
label = "<b>Score</b> & $5 `${alert(4)}`"
unit = "%"
"""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real Streamlit server with Chromium (Playwright)")


# --------------------------------------------------------------------------- server

@pytest.fixture(scope="session")
def hostile_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 4-district test city with XSS-style names, as <tmp>/hostile.toml (dataset key 'hostile')."""
    folder = tmp_path_factory.mktemp("hostile_city")
    manifest = write_city(folder, names=HOSTILE_NAMES, manifest_extra=HOSTILE_INDICATORS)
    # an indicator whose label is hostile too, so target maps, stories and legends are exercised
    (folder / "indicators.csv").write_text("indicator,year,district,actual,target\n" + "".join(
        f"score,2024,{d},{v},50\n" for d, v in zip(HOSTILE_IDS, (40, 55, 60, 45))), encoding="utf-8")
    return manifest.rename(manifest.with_name(f"{HOSTILE_KEY}.toml"))


@pytest.fixture(scope="session")
def boundary_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test city with boundaries valid from FY2024 (so FY2023 gets a note), key 'boundaries'."""
    folder = tmp_path_factory.mktemp("boundary_city")
    manifest = write_city(folder)
    text = manifest.read_text(encoding="utf-8")
    assert 'population = "pop"\n' in text and 'name = "Testville"\n' in text
    text = text.replace('population = "pop"\n', 'population = "pop"\nvalid_from = 2024\n', 1)
    # A name of its own: two catalogue entries with the same name are one option to the
    # sidebar's Dataset selectbox, and ?dataset=hostile then opened this city (reported).
    text = text.replace('name = "Testville"\n', 'name = "Boundaryville"\n', 1)
    manifest.write_text(text, encoding="utf-8")
    return manifest.rename(manifest.with_name(f"{BOUNDARY_KEY}.toml"))


@pytest.fixture(scope="session")
def layered_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A town with two boundary layers and projects located by coordinates, key 'layered'."""
    from devtools.testcity import write_layered_city

    manifest = write_layered_city(tmp_path_factory.mktemp("layered_city"))
    return manifest.rename(manifest.with_name(f"{LAYERED_KEY}.toml"))


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory, hostile_manifest: Path, boundary_manifest: Path,
               layered_manifest: Path):
    """One real budgetmap server for the whole session; stopped at the end."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    extra = os.pathsep.join([str(hostile_manifest), str(boundary_manifest), str(layered_manifest)])
    server = start_streamlit("app.py", log=log, env_extra={"BUDGETMAP_DATASETS": extra})
    try:
        yield server
    finally:
        stop_streamlit(server)


# --------------------------------------------------------------------------- browser

@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    chromium = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


def is_local(url: str) -> bool:
    """True for URLs that stay on this machine (or never touch the network)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error", "javascript"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


#: streamlit/streamlit#7074: opening a sub-page URL directly makes the frontend ask
#: /<Page>/_stcore/health and /<Page>/_stcore/host-config, which 404 (and log a console
#: error each). These two requests -- and only these -- are ignored.
KNOWN_404 = re.compile(r"^/[^/]+/_stcore/(health|host-config)$")


@dataclass
class Visit:
    """A page plus everything it did: requests (all frames), websockets, console errors, dialogs."""
    page: object
    base: str
    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    console: list[tuple[str, str, str]] = field(default_factory=list)  # (type, text, url)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def goto(self, path: str) -> "Visit":
        self.page.goto(self.base + path, wait_until="domcontentloaded")
        return self

    def non_local_urls(self) -> list[str]:
        return sorted({u for u in self.requests + self.websockets if not is_local(u)})

    def console_errors(self) -> list[str]:
        """Console errors and uncaught exceptions, minus the two known 404s (streamlit#7074)."""
        errors = []
        for kind, text, url in self.console:
            if kind != "error":
                continue
            if "404" in text and KNOWN_404.match(urlsplit(url).path):
                continue  # streamlit/streamlit#7074 (see KNOWN_404)
            errors.append(f"{text} [{url}]")
        return errors + [f"pageerror: {e}" for e in self.page_errors]

    def map_frame(self):
        """The budgetmap component's Frame (waits for it to be attached)."""
        # a fresh server's first run (imports, the dataset, the layer's shapes) takes 25-30 s on a
        # loaded 2-core machine: longer than Playwright's 30 s default wait
        handle = self.page.wait_for_selector(MAP_FRAME, state="attached", timeout=120_000)
        frame = handle.content_frame()
        assert frame is not None, "the map iframe has no content frame"
        return frame

    def wait_for_map(self, count: int | None = None, timeout: float = 45_000):
        """Wait until the map iframe has painted (data-painted) with ``count`` paths (or any).

        Should Streamlit mount the map afresh meanwhile (its frame detached), the new frame is
        waited for instead; on a timeout the error says what the map and the page were doing."""
        from playwright.sync_api import Error as PlaywrightError
        frame = self.map_frame()
        for _ in range(3):
            try:
                frame.wait_for_function(_PAINTED, arg=count, timeout=timeout)
                return frame
            except PlaywrightError:
                if not frame.is_detached():
                    raise AssertionError(f"the map did not paint {count or 'any'} districts in "
                                         f"{timeout / 1000:.0f} s: {self._map_state(frame)}") from None
                frame = self.map_frame()
        raise AssertionError("the map's frame kept being replaced")

    def _map_state(self, frame) -> str:
        """What the map frame and the page say of themselves, for a failed wait's message."""
        try:
            there = frame.evaluate(_MAP_STATE)
        except Exception as exc:  # noqa: BLE001 - only a message
            there = f"(frame unreadable: {exc})"
        app = self.page.locator("[data-testid=stApp]")
        script = app.get_attribute("data-test-script-state") if app.count() else "no app"
        return (f"map {there}; script {script}; {self.page.locator(MAP_FRAME).count()} map frames; "
                f"console errors {self.console_errors()[:3]}")


_PAINTED = """(n) => document.body && document.body.hasAttribute('data-painted') &&
    (n === null ? document.querySelectorAll('path.leaflet-interactive').length > 0
                : document.querySelectorAll('path.leaflet-interactive').length === n)"""
_MAP_STATE = """() => { const b = document.body; if (!b) return 'no body';
    const a = n => b.getAttribute(n);
    return JSON.stringify({painted: a('data-painted'), error: a('data-error'), drawn: a('data-drawn'),
                           paths: document.querySelectorAll('path.leaflet-interactive').length}); }"""


def visitor(browser, server):
    """(open_page, close_all): ``open_page(path)`` opens server/path in a fresh context and records it."""
    contexts = []

    def open_page(path: str, *, wait: bool = True) -> Visit:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        context.set_default_timeout(30_000)
        page = context.new_page()
        rec = Visit(page, server.url)
        context.on("request", lambda req: rec.requests.append(req.url))
        page.on("websocket", lambda ws: rec.websockets.append(ws.url))
        page.on("console", lambda msg: rec.console.append((msg.type, msg.text, msg.location.get("url", ""))))
        page.on("pageerror", lambda exc: rec.page_errors.append(str(exc)))

        def on_dialog(dialog):
            rec.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()
        page.on("dialog", on_dialog)
        # Nothing may leave the machine: a non-local request is recorded (above) and refused.
        context.route(NON_LOCAL, lambda route: route.abort())
        if wait:
            rec.goto(path)
        return rec

    def close_all() -> None:
        for context in contexts:
            context.close()
    return open_page, close_all


@pytest.fixture
def visit(browser, app_server):
    """Factory: ``visit(path)`` opens http://server/path in a fresh context and records it."""
    open_page, close_all = visitor(browser, app_server)
    yield open_page
    close_all()
