"""Who may see and do what: roles from the sign-in's claims, and which datasets a session lists.

No Streamlit here: ``ui.auth`` reads ``st.user`` and ``st.secrets`` and hands the
claims and the ``[budgetmap.roles]`` table to these functions, so the rules are
tested as plain functions and the same rules hold on every page.

The rules:

* No sign-in configured (no ``[auth]`` in secrets): the app is open, as before
  sign-in existed. Every session may add and remove datasets and give opinions,
  and drafts are listed (marked as drafts) because nobody could sign in to see
  them otherwise.
* Sign-in configured: an anonymous session and a signed-in viewer see published
  datasets only; an editor also sees drafts and may add, remove and mark them; a
  reviewer may give opinions on warnings. Roles come from the role table only,
  never from a claim the user can choose: an e-mail address counts only when the
  provider does not say it is unverified.
* A dataset whose manifest cannot be read is treated as a draft: its ``draft``
  key cannot be known, so it is not shown to the public (fail closed).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")


class Role(StrEnum):
    """What a signed-in person may do beyond looking at published datasets."""

    VIEWER = "viewer"  # anyone signed in: published datasets only
    EDITOR = "editor"  # adds and removes datasets, marks drafts, sees drafts
    REVIEWER = "reviewer"  # gives opinions on early warnings


#: The role table's keys (``[budgetmap.roles]`` in secrets.toml) -> the role each grants.
TABLE_KEYS = {"editor": Role.EDITOR, "reviewer": Role.REVIEWER}
#: Claim read for ``group:NAME`` entries unless the table names another (``groups_claim``).
GROUPS_CLAIM = "groups"


class AccessConfigError(ValueError):
    """The role table is written wrongly; the message names the key and what to write."""


@dataclass(frozen=True)
class Access:
    """One session's rights. ``open``: no sign-in is configured, so nothing is held back."""

    open: bool
    signed_in: bool = False
    roles: frozenset[Role] = frozenset()
    who: str = ""  # the e-mail (or name) shown beside the sign-out button

    def can(self, role: Role) -> bool:
        """True when this session may act as ``role`` (always, on an open app)."""
        return self.open or role in self.roles

    @property
    def sees_drafts(self) -> bool:
        """Drafts are listed only for editors (and on an open app, where nobody can sign in)."""
        return self.can(Role.EDITOR)


#: No sign-in configured: the app as it was before sign-in existed.
OPEN = Access(open=True)
#: Sign-in configured, nobody signed in.
ANONYMOUS = Access(open=False)


@dataclass(frozen=True)
class RoleTable:
    """Who holds which role: e-mail addresses, ``@domain`` for a whole domain, ``group:NAME`` for a group."""

    members: Mapping[Role, frozenset[str]]
    groups_claim: str = GROUPS_CLAIM


def role_table(raw: Mapping[str, object] | None) -> RoleTable:
    """Read ``[budgetmap.roles]``: ``editor = [...]``, ``reviewer = [...]``, optional ``groups_claim``.

    Raises AccessConfigError for an unknown key or a value that is not a list of
    texts, so a typo never silently leaves an editor out (or lets a viewer in).
    """
    raw = dict(raw or {})
    claim = raw.pop("groups_claim", GROUPS_CLAIM)
    if not isinstance(claim, str) or not claim.strip():
        raise AccessConfigError('[budgetmap.roles] groups_claim must be a claim name in quotes, e.g. "groups"')
    members: dict[Role, frozenset[str]] = {}
    for key, value in raw.items():
        if key not in TABLE_KEYS:
            raise AccessConfigError(f"[budgetmap.roles] has an unknown key {key!r}: use "
                                    f"{', '.join(TABLE_KEYS)} or groups_claim")
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise AccessConfigError(f'[budgetmap.roles] {key} must be a list of texts, e.g. {key} = '
                                    '["ana@city.gov", "@budget.city.gov", "group:budget-office"]')
        members[TABLE_KEYS[key]] = frozenset(v.strip().lower() for v in value if v.strip())
    return RoleTable(members, claim.strip())


def _groups(claims: Mapping[str, object], claim: str) -> set[str]:
    value = claims.get(claim)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return set()
    return {str(v).strip().lower() for v in value if str(v).strip()}


def _email(claims: Mapping[str, object]) -> str:
    """The verified e-mail address, lower case; "" when absent or marked unverified."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or claims.get("email_verified") is False:
        return ""
    return email.strip().lower()


def roles_for(claims: Mapping[str, object], table: RoleTable) -> frozenset[Role]:
    """The roles a signed-in person holds: viewer always, others when the table names them."""
    email = _email(claims)
    domain = "@" + email.rsplit("@", 1)[1] if email else ""
    groups = {f"group:{g}" for g in _groups(claims, table.groups_claim)}
    held = {Role.VIEWER}
    for role, names in table.members.items():
        if (email and (email in names or domain in names)) or groups & names:
            held.add(role)
    return frozenset(held)


def session_access(configured: bool, claims: Mapping[str, object] | None,
                   table: RoleTable | None) -> Access:
    """A session's Access: open when sign-in is not configured, anonymous when nobody is signed in.

    ``table`` None (the role table could not be read) grants no role beyond viewer.
    """
    if not configured:
        return OPEN
    if not claims:
        return ANONYMOUS
    roles = roles_for(claims, table) if table is not None else frozenset({Role.VIEWER})
    who = str(claims.get("email") or claims.get("name") or claims.get("sub") or "")
    return Access(open=False, signed_in=True, roles=roles, who=who)


def visible(entries: Iterable[T], access: Access, is_draft: Callable[[T], bool]) -> list[T]:
    """The entries this session may list and open: drafts only for those who see drafts."""
    return [e for e in entries if access.sees_drafts or not is_draft(e)]
