"""Roles and draft rules (budgetmap.access), the workspace's draft mark and the manifest's ``draft`` key."""
from __future__ import annotations

from pathlib import Path

import pytest

from budgetmap import access, workspace
from budgetmap.access import ANONYMOUS, OPEN, Access, AccessConfigError, Role, role_table, roles_for, session_access
from budgetmap.dataset import describe_manifest
from budgetmap.model.errors import LoadError
from conftest import write_city

TABLE = role_table({"editor": ["Ana@City.gov", "@budget.city.gov"], "reviewer": ["group:auditors"],
                    "groups_claim": "roles"})


@pytest.mark.parametrize("claims, roles", [
    ({"email": "ana@city.gov"}, {Role.VIEWER, Role.EDITOR}),  # case of the address ignored
    ({"email": "ANA@city.gov", "email_verified": True}, {Role.VIEWER, Role.EDITOR}),
    ({"email": "ana@city.gov", "email_verified": False}, {Role.VIEWER}),  # unverified address: no role
    ({"email": "kim@budget.city.gov"}, {Role.VIEWER, Role.EDITOR}),  # the whole domain
    ({"email": "kim@notbudget.city.gov"}, {Role.VIEWER}),  # a domain that only ends alike
    ({"email": "bo@city.gov", "roles": ["Auditors"]}, {Role.VIEWER, Role.REVIEWER}),
    ({"email": "bo@city.gov", "roles": "auditors"}, {Role.VIEWER, Role.REVIEWER}),  # one group as text
    ({"email": "bo@city.gov", "groups": ["auditors"]}, {Role.VIEWER}),  # the table reads "roles", not "groups"
    ({"email": "ana@city.gov", "roles": ["auditors"]}, {Role.VIEWER, Role.EDITOR, Role.REVIEWER}),
    ({"sub": "no-email"}, {Role.VIEWER}),
    ({"email": "group:auditors"}, {Role.VIEWER}),  # an "address" cannot pose as a group entry
])
def test_roles_come_from_the_table(claims, roles):
    assert roles_for(claims, TABLE) == frozenset(roles)


@pytest.mark.parametrize("raw, says", [
    ({"editors": ["a@b.c"]}, "unknown key 'editors'"),
    ({"editor": [1, 2]}, "editor must be a list of texts"),
    ({"reviewer": {"a": "b"}}, "reviewer must be a list of texts"),
    ({"groups_claim": ""}, "groups_claim must be a claim name"),
])
def test_a_wrong_role_table_is_refused_with_what_to_write(raw, says):
    with pytest.raises(AccessConfigError, match=says):
        role_table(raw)


def test_no_role_table_means_signed_in_people_are_viewers():
    assert roles_for({"email": "ana@city.gov"}, role_table(None)) == frozenset({Role.VIEWER})


def test_session_access_open_anonymous_and_signed_in():
    assert session_access(False, {"email": "ana@city.gov"}, TABLE) is OPEN  # no sign-in configured
    assert session_access(True, None, TABLE) is ANONYMOUS
    editor = session_access(True, {"email": "ana@city.gov", "name": "Ana"}, TABLE)
    assert editor.signed_in and editor.who == "ana@city.gov" and editor.sees_drafts
    assert editor.can(Role.EDITOR) and not editor.can(Role.REVIEWER)
    broken_table = session_access(True, {"email": "ana@city.gov"}, None)
    assert broken_table.roles == frozenset({Role.VIEWER}) and not broken_table.sees_drafts


def test_open_app_allows_everything_and_anonymous_nothing():
    assert all(OPEN.can(r) for r in Role) and OPEN.sees_drafts
    assert not any(ANONYMOUS.can(r) for r in (Role.EDITOR, Role.REVIEWER)) and not ANONYMOUS.sees_drafts


@pytest.mark.parametrize("who, seen", [
    (OPEN, ["city", "secret"]),
    (ANONYMOUS, ["city"]),
    (Access(open=False, signed_in=True, roles=frozenset({Role.VIEWER, Role.REVIEWER})), ["city"]),
    (Access(open=False, signed_in=True, roles=frozenset({Role.VIEWER, Role.EDITOR})), ["city", "secret"]),
])
def test_drafts_are_listed_only_for_those_who_see_drafts(who, seen):
    entries = [("city", False), ("secret", True)]
    assert [k for k, _ in access.visible(entries, who, lambda e: e[1])] == seen


def _with_top(manifest: Path, line: str) -> Path:
    manifest.write_text(f"{line}\n" + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    return manifest


def test_manifest_draft_key_is_read_and_checked(tmp_path):
    published = write_city(tmp_path / "pub")
    assert describe_manifest(published).draft is False
    draft = _with_top(write_city(tmp_path / "draft"), "draft = true")
    assert describe_manifest(draft).draft is True
    wrong = _with_top(write_city(tmp_path / "wrong"), 'draft = "yes"')
    with pytest.raises(LoadError, match="draft"):
        describe_manifest(wrong)


def test_workspace_draft_mark_is_saved_set_and_cleared(tmp_path):
    source = tmp_path / "upload"
    source.mkdir()
    (source / "a.csv").write_text("x\n1\n", encoding="utf-8")
    space = tmp_path / "ws"
    space.mkdir()
    saved = workspace.save(source, "Grid City", ["a.csv"], 'name = "Grid City"\n', folder=space, unpublished=True)
    key = saved.parent.name
    assert workspace.is_draft(key, space)
    assert workspace.mark_draft(key, False, space) and not workspace.is_draft(key, space)
    assert workspace.mark_draft(key, True, space) and workspace.is_draft(key, space)
    other = workspace.save(source, "Grid City", ["a.csv"], 'name = "Grid City"\n', folder=space)
    assert not workspace.is_draft(other.parent.name, space)  # published unless asked
    assert workspace.mark_draft("no-such", True, space) is False
    assert workspace.mark_draft("../ws", True, space) is False  # only workspace keys
    assert workspace.manifests(space) == [saved, other]  # the mark is not a dataset
