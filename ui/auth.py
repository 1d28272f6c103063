"""Sign-in glue: Streamlit's ``st.login`` (OpenID Connect) and ``st.user`` to ``budgetmap.access``.

Sign-in is on when ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's
own keys: ``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret``,
``server_metadata_url``, or one ``[auth.NAME]`` table per provider). Roles come
from ``[budgetmap.roles]`` in the same file (``budgetmap.access.role_table``).
Without ``[auth]`` the app is open, as before: no button, everything listed.

The session's rights are worked out on every rerun from the signed identity
cookie Streamlit keeps; nothing about them is stored in ``session_state``.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping

import streamlit as st

from budgetmap.access import ANONYMOUS, OPEN, Access, AccessConfigError, Role, RoleTable, role_table, session_access
from ui.text import html, md

LOG = logging.getLogger("budgetmap.ui")
#: keys of ``[auth]`` that are Streamlit's shared settings, not a named provider
_SHARED = {"redirect_uri", "cookie_secret", "expose_tokens", "client_kwargs"}


def _secrets_section(name: str) -> Mapping[str, object] | None:
    try:
        if name not in st.secrets:
            return None
        section = st.secrets[name]
    except (FileNotFoundError, KeyError):  # no secrets.toml at all: sign-in is simply not configured
        return None
    return section.to_dict() if hasattr(section, "to_dict") else dict(section)


def configured() -> bool:
    """True when secrets.toml has an ``[auth]`` section, i.e. sign-in is on."""
    return _secrets_section("auth") is not None


def providers() -> list[str | None]:
    """The provider names to offer: ``[None]`` for a single ``[auth]`` provider, else each ``[auth.NAME]``."""
    auth = _secrets_section("auth") or {}
    named = [k for k, v in auth.items() if isinstance(v, Mapping) and k not in _SHARED]
    return named if named and "client_id" not in auth else [None]


def _roles() -> tuple[RoleTable | None, str]:
    """The role table, or (None, why) when it is written wrongly: then nobody gets a role (fail closed)."""
    raw = (_secrets_section("budgetmap") or {}).get("roles")
    try:
        return role_table(raw if isinstance(raw, Mapping) else None), ""
    except AccessConfigError as exc:
        LOG.error("budgetmap: %s", exc)
        return None, str(exc)


def _claims() -> dict[str, object] | None:
    user = st.user
    if not user.get("is_logged_in"):
        return None
    return {k: v for k, v in user.to_dict().items() if k != "is_logged_in"}


def access() -> Access:
    """This session's rights, from the signed-in identity and the role table."""
    if not configured():
        return OPEN
    claims = _claims()
    if claims is None:
        return ANONYMOUS
    table, _ = _roles()
    return session_access(True, claims, table)


def sidebar() -> None:
    """The sign-in or sign-out button (with who is signed in and their roles); nothing when sign-in is off."""
    if not configured():
        return
    me = access()
    side = st.sidebar
    if me.signed_in:
        roles = ", ".join(r.value for r in Role if r in me.roles)
        # an HTML paragraph, not a caption: Markdown would turn the address into a mailto link,
        # which axe measured at under 4.5:1 in the sidebar (and a link that mails yourself)
        side.markdown(f'<p class="bm-who" style="font-size:0.875rem;margin:0">Signed in as '
                      f'{html(me.who)} ({html(roles)})</p>', unsafe_allow_html=True)
        _, problem = _roles()
        if problem:
            side.error(md(f"The role table in secrets.toml cannot be read, so no one has a role: {problem}"))
        if side.button("Sign out", key="auth_logout"):
            st.logout()
        return
    for name in providers():
        label = "Sign in" if name is None else f"Sign in with {name}"
        if side.button(md(label), key=f"auth_login_{name or ''}"):
            st.login(name) if name else st.login()


def require(role: Role, doing: str) -> bool:
    """True when the session may act as ``role``; otherwise says what sign-in is needed for ``doing``."""
    me = access()
    if me.can(role):
        return True
    who = "signed in" if me.signed_in else "not signed in"
    st.info(md(f"{doing.capitalize()} needs the {role.value} role; you are {who}. "
               "Ask the administrator to add you to the role table, then sign in."))
    return False
