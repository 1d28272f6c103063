"""Drafts behind a real sign-in: a local OpenID provider, st.login through its form, and who lists a draft.

The provider is ``oidc-provider-mock`` (PyPI), a real OpenID Connect server run
on a free local port in a thread of this process; the app reads a secrets.toml
written to a temporary folder (``STREAMLIT_SECRETS_FILES``), never the
checkout's. The test skips when the provider package is not installed.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import CHROMIUM, start_streamlit, stop_streamlit, write_city

oidc_provider_mock = pytest.importorskip("oidc_provider_mock", reason="oidc-provider-mock is not installed")
pytestmark = pytest.mark.browser

DRAFT_NAME = "Unpublished budget 2027"
DRAFT_KEY = "unpublished"
EDITOR = "editor@city.test"
VIEWER = "viewer@city.test"
REVIEWER = "reviewer@city.test"


@pytest.fixture(scope="module")
def provider():
    """A real OpenID provider on localhost; its login form takes any subject (the e-mail claim is the subject)."""
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory, provider: str):
    """The app with sign-in configured against ``provider`` and one draft dataset; stopped at the end."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    folder = tmp_path_factory.mktemp("auth")
    manifest = write_city(folder / "city", names=["North", "East", "South", "West"])
    text = manifest.read_text(encoding="utf-8").replace('"Testville"', f'"{DRAFT_NAME}"', 1)
    manifest.write_text("draft = true\n" + text, encoding="utf-8")
    manifest = manifest.rename(manifest.with_name(f"{DRAFT_KEY}.toml"))
    secrets = folder / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "a-test-cookie-secret-that-is-long-enough"
client_id = "budgetmap-test"
client_secret = "budgetmap-test-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[budgetmap.roles]
editor = ["{EDITOR}"]
reviewer = ["{REVIEWER}"]
""", encoding="utf-8")
    server = start_streamlit("app.py", log=folder / "streamlit.log",
                             env_extra={"BUDGETMAP_DATASETS": str(manifest),
                                        "STREAMLIT_SECRETS_FILES": str(secrets)})
    try:
        yield server
    finally:
        stop_streamlit(server)


@pytest.fixture(scope="module")
def chromium(browser):
    """The session's Chromium (conftest): a second sync Playwright in the same process cannot start
    once another browser test has started the first."""
    return browser


def _datasets(page) -> list[str]:
    """The sidebar picker's options, as a person sees them when opening it."""
    page.get_by_role("combobox", name="Dataset").click()
    options = page.get_by_role("option")
    options.first.wait_for()
    names = [t.strip() for t in options.all_text_contents()]
    page.keyboard.press("Escape")
    return names


def _sign_in(page, base: str, who: str) -> None:
    """Press the sidebar's Sign in, fill the provider's form, and come back signed in."""
    page.goto(base)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_placeholder("sub").fill(who)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(base)))
    page.get_by_text(f"Signed in as {who}").wait_for(timeout=60_000)


def _title(page) -> str:
    heading = page.locator("h1").first
    heading.wait_for(timeout=60_000)
    return heading.inner_text()


def test_a_draft_is_hidden_until_an_editor_signs_in(auth_server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        base = auth_server.url
        page.goto(base)
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        assert "Riverbend (demo city)" in _datasets(page)
        assert not any(DRAFT_NAME in n for n in _datasets(page)), "anonymous: the draft is not listed"
        page.goto(f"{base}/?dataset={DRAFT_KEY}")
        page.get_by_text(f"No dataset '{DRAFT_KEY}' here").wait_for(timeout=60_000)
        assert DRAFT_NAME not in _title(page)

        _sign_in(page, base, EDITOR)
        assert page.get_by_text(f"Signed in as {EDITOR} (viewer, editor)").is_visible()
        assert f"{DRAFT_NAME} (draft)" in _datasets(page), "the editor lists the draft"
        page.goto(f"{base}/?dataset={DRAFT_KEY}")
        page.get_by_role("heading", name=DRAFT_NAME).wait_for(timeout=60_000)

        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="End session").click()  # the provider's own sign-out page
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        assert not any(DRAFT_NAME in n for n in _datasets(page)), "signed out: hidden again"
    finally:
        context.close()


def test_a_signed_in_viewer_cannot_see_the_draft(auth_server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        base = auth_server.url
        _sign_in(page, base, VIEWER)
        assert page.get_by_text(f"Signed in as {VIEWER} (viewer)").is_visible()
        assert not any(DRAFT_NAME in n for n in _datasets(page))
        page.goto(f"{base}/?dataset={DRAFT_KEY}")
        page.get_by_text(f"No dataset '{DRAFT_KEY}' here").wait_for(timeout=60_000)
        assert DRAFT_NAME not in _title(page)
        page.goto(f"{base}/Add_your_data")
        page.get_by_text("needs the editor role").wait_for(timeout=60_000)
    finally:
        context.close()


@pytest.mark.parametrize("who", [EDITOR, REVIEWER])
def test_signed_in_pages_have_no_serious_or_critical_violation(auth_server, chromium, who):
    """axe on every page as an editor (drafts, Add your data's uploaders) and as a reviewer (the
    opinions form on Monitoring): what only a signed-in person sees is audited too."""
    from devtools import axe

    from .test_a11y_browser import VIEWS
    if not axe.available():
        pytest.skip("axe-core is missing: run scripts/setup.sh --dev")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        base = auth_server.url
        _sign_in(page, base, who)
        found = {}
        for path in [p for p in VIEWS if "dataset=" not in p] + [f"/?dataset={DRAFT_KEY}",
                                                                  f"/Spending_map?dataset={DRAFT_KEY}"]:
            page.goto(base + path)
            axe.settle(page)
            assert page.get_by_text(f"Signed in as {who}").count() == 1, f"still signed in on {path}"
            found[path] = [str(v) for v in axe.audit(page)]
        assert {p: v for p, v in found.items() if v} == {}
    finally:
        context.close()
