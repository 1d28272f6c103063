"""Drafts and sign-in on the pages (AppTest): who lists a draft, who may add data, who may give opinions."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, write_city

TIMEOUT = 60
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-cookie-secret",
        "client_id": "budgetmap", "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
ROLES = {"roles": {"editor": ["ed@city.gov"], "reviewer": ["rev@city.gov"]}}
EDITOR = {"is_logged_in": True, "email": "ed@city.gov", "email_verified": True, "name": "Ed"}
VIEWER = {"is_logged_in": True, "email": "vi@city.gov", "email_verified": True, "name": "Vi"}
ANONYMOUS = {"is_logged_in": False}


@pytest.fixture
def draft_city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A published city ('open') and a draft one ('secret', ``draft = true``) added to the catalogue."""
    published = write_city(tmp_path / "open").rename(tmp_path / "open" / "open.toml")
    draft = write_city(tmp_path / "secret", names=["Hidden A", "Hidden B", "Hidden C", "Hidden D"])
    text = draft.read_text(encoding="utf-8").replace('"Testville"', '"Secret budget"', 1)
    draft.write_text("draft = true\n" + text, encoding="utf-8")
    draft = draft.rename(tmp_path / "secret" / "secret.toml")
    monkeypatch.setenv("BUDGETMAP_DATASETS", f"{published}:{draft}")
    return draft


def run(page: str, user: dict | None, signed: bool = True, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if signed:
        at.secrets["auth"] = AUTH
        at.secrets["budgetmap"] = ROLES
    if user is not None:
        at.user.clear()
        at.user.update(user)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at if page == "app.py" else at.switch_page(page).run()


def picker(at: AppTest):
    return next(s for s in at.sidebar.selectbox if s.label == "Dataset")


@pytest.mark.parametrize("user", [ANONYMOUS, VIEWER], ids=["anonymous", "viewer"])
def test_a_draft_is_not_listed_for_anonymous_or_viewer(draft_city, user):
    at = run("app.py", user)
    assert not at.exception
    options = picker(at).options
    assert "Testville" in options and not any("Secret budget" in o for o in options)


@pytest.mark.parametrize("user", [ANONYMOUS, VIEWER], ids=["anonymous", "viewer"])
def test_a_drafts_url_is_an_unknown_dataset(draft_city, user):
    at = run("app.py", user, dataset="secret")
    assert not at.exception
    assert picker(at).value == "demo"
    unknown = run("app.py", user, dataset="nothing")
    assert [t.value.replace("secret", "nothing") for t in at.toast] == [t.value for t in unknown.toast], \
        "the same words as for a key that does not exist"
    assert any("No dataset 'secret' here" in t.value for t in at.toast)
    assert not any("Hidden" in m.value for m in at.markdown)
    assert not any("Secret budget" in t.value for t in at.title)


def test_an_editor_lists_and_opens_the_draft(draft_city):
    at = run("app_pages/1_Spending_map.py", EDITOR, dataset="secret")
    assert not at.exception
    box = picker(at)
    assert box.value == "secret" and "Secret budget (draft)" in box.options
    assert any(">Signed in as ed@city.gov (viewer, editor)</p>" in m.value for m in at.sidebar.markdown)
    assert [b.label for b in at.sidebar.button] == ["Sign out"]


def test_without_sign_in_configured_everything_is_listed_and_there_is_no_button(draft_city):
    at = run("app.py", None, signed=False)
    assert not at.exception
    assert "Secret budget (draft)" in picker(at).options
    assert not [b for b in at.sidebar.button if "Sign" in b.label]


def test_anonymous_sees_a_sign_in_button(draft_city):
    at = run("app.py", ANONYMOUS)
    assert [b.label for b in at.sidebar.button] == ["Sign in"]


@pytest.mark.parametrize("user, may", [(ANONYMOUS, False), (VIEWER, False), (EDITOR, True)])
def test_add_your_data_is_for_editors(user, may):
    at = run("app_pages/8_Add_your_data.py", user)
    assert not at.exception
    assert bool(at.get("file_uploader")) is may
    assert any("needs the editor role" in i.value for i in at.info) is not may


def test_a_role_table_with_a_typo_grants_nothing_and_says_so(draft_city):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    at.secrets["budgetmap"] = {"roles": {"editors": ["ed@city.gov"]}}
    at.user.clear()
    at.user.update(EDITOR)
    at.run()
    assert not any("Secret budget" in o for o in picker(at).options)
    assert any("unknown key 'editors'" in e.value for e in at.sidebar.error)


def test_load_report_shows_no_server_path_to_a_viewer(tmp_path, monkeypatch):
    bad = ("year,district,dept,program,fund,cost\n2024,A,Parks,Trees,General,12\n"
           "2024,B,Parks,Trees,General,twelve\n2024,Z9,Parks,Trees,General,7\n")
    manifest = write_city(tmp_path / "deep" / "folder", spending=bad)
    manifest = manifest.rename(manifest.with_name("rough.toml"))
    monkeypatch.setenv("BUDGETMAP_DATASETS", str(manifest))
    at = run("app_pages/2_Load_report.py", VIEWER, dataset="rough")
    assert not at.exception
    texts = [e.value for kind in ("markdown", "caption", "code", "error", "warning", "info", "success")
             for e in at.get(kind)]
    texts += [e.label for e in at.expander]
    texts += [df.value.astype(str).to_csv() for df in at.dataframe]
    assert any("rough.toml" in t for t in texts), "the manifest is named"
    assert any("twelve" in t for t in texts), "the bad row is listed"
    assert not [t for t in texts if str(tmp_path) in t or "/tmp/" in t]


REVIEWER = {"is_logged_in": True, "email": "rev@city.gov", "email_verified": True, "name": "Rev"}


@pytest.mark.parametrize("user, may", [(ANONYMOUS, False), (EDITOR, False), (REVIEWER, True)],
                         ids=["anonymous", "editor", "reviewer"])
def test_opinions_on_warnings_are_for_reviewers(tmp_path, monkeypatch, user, may):
    monkeypatch.setenv("BUDGETMAP_WORKSPACE", str(tmp_path))
    at = run("app_pages/9_Monitoring.py", user)
    assert not at.exception
    forms = [b for b in at.button if b.proto.label.startswith("Add an opinion on")]
    assert bool(forms) is may
    assert any("Signed-in reviewers can add an opinion" in c.value for c in at.caption) is not may


def test_a_workspace_draft_is_published_by_an_editors_switch(tmp_path, monkeypatch):
    from budgetmap import workspace

    city = write_city(tmp_path / "upload", names=["Ward A", "Ward B", "Ward C", "Ward D"])
    text = city.read_text(encoding="utf-8").replace('"Testville"', '"Grid draft"', 1)
    files = [p.name for p in city.parent.iterdir() if p != city]
    space = tmp_path / "ws"
    space.mkdir()
    monkeypatch.setenv("BUDGETMAP_WORKSPACE", str(space))
    key = workspace.save(city.parent, "Grid draft", files, text, folder=space, unpublished=True).parent.name
    assert "Grid draft" not in " ".join(picker(run("app.py", ANONYMOUS)).options)
    at = run("app_pages/8_Add_your_data.py", EDITOR)
    switch = at.toggle(key=f"add_draft_{key}")
    assert switch.value is True, "the switch shows the saved mark"
    switch.set_value(False).run()
    assert not at.exception and not workspace.is_draft(key, space)
    assert "Grid draft" in picker(run("app.py", ANONYMOUS)).options, "published: listed for everyone"


def test_a_signed_in_reviewers_opinion_carries_their_address(tmp_path, monkeypatch):
    from budgetmap.opinions import OpinionStore

    monkeypatch.setenv("BUDGETMAP_WORKSPACE", str(tmp_path))
    at = run("app_pages/9_Monitoring.py", REVIEWER)
    assert "opinion_0_author" not in [t.key for t in at.text_input], "no name to type: it is the sign-in's"
    at.text_area(key="opinion_0_text").set_value("Tender slipped")
    at.button[[b.proto.label for b in at.button].index("Add an opinion on Northgate Precinct Renovation")].click()
    at.run()
    assert not at.exception
    said = OpinionStore.in_workspace(tmp_path).for_dataset("demo")
    assert [(o.author, o.text) for o in said] == [("rev@city.gov", "Tender slipped")]
