"""The login control and who the session acts as: an editor (password form or st.login) or anonymous.

Owns the session-state keys that start with "auth_". Password checks go through core.users.verify;
attempts are rate-limited per session and per editor name (across sessions).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from core import users
from core.ratelimit import RateLimiter
from core.review import Actor, Policy
from dashboard import data
from dashboard.text import md

SINGLE_USER_NOTICE = (
    "No editor accounts are configured: submissions are published directly (single-user mode). "
    "See README to add editors."
)
# Anonymous submissions (a form save or a CSV upload each count once) per session.
SUBMISSIONS, SUBMISSION_WINDOW = 10, 600.0
# Login attempts per session (a wrong name or password counts).
LOGINS, LOGIN_WINDOW = 5, 300.0


def secrets() -> Mapping[str, Any]:
    """st.secrets, or {} when no secrets file exists (single-user mode out of the box)."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return {}


def mode() -> str:
    return users.login_mode(secrets())


def policy() -> Policy:
    return users.policy(secrets())


def actor() -> Actor:
    """The session's actor: an editor while logged in as one, else anonymous."""
    editors = policy().editors
    if mode() == "oidc":
        user = st.user
        name = user.get("email") if user.get("is_logged_in") else None
    else:
        name = st.session_state.get("auth_editor")
    if name and name in editors:
        return Actor(name, True)
    return Actor.anonymous()


def submission_wait(who: Actor) -> float:
    """0 when `who` may submit now, else the seconds to wait (editors are not limited)."""
    if who.is_editor:
        return 0.0
    limiter = st.session_state.setdefault("auth_submissions", RateLimiter(SUBMISSIONS, SUBMISSION_WINDOW))
    return limiter.check("submit")


def wait_message(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return (
        f"Too many submissions from this session: at most {SUBMISSIONS} per {SUBMISSION_WINDOW / 60:.0f} "
        f"minutes. Nothing was saved; try again in about {minutes} minute(s)."
    )


def _login() -> None:
    state = st.session_state
    name = (state.get("auth_name") or "").strip()
    password = state.get("auth_password") or ""
    state["auth_password"] = ""  # never kept beyond this attempt
    state.pop("auth_error", None)
    session = state.setdefault("auth_limiter", RateLimiter(LOGINS, LOGIN_WINDOW))
    wait = session.check("login") or data.login_limiter().check(f"login:{name.casefold()}")
    if wait:
        state["auth_error"] = f"Too many login attempts: try again in {max(1, round(wait / 60))} minute(s)."
        return
    if users.verify(name, password, secrets()):
        state["auth_editor"] = name
    else:
        state["auth_error"] = "Wrong editor name or password."


def _logout() -> None:
    for key in ("auth_editor", "auth_error"):
        st.session_state.pop(key, None)


def _oidc_provider() -> str | None:
    section = secrets().get("auth") or {}
    named = [k for k, v in section.items() if isinstance(v, Mapping) and "client_id" in v]
    return None if "client_id" in section or not named else named[0]


def sidebar() -> Actor:
    """The login / logout control (or the single-user notice) in the sidebar; returns the actor."""
    who = actor()
    with st.sidebar:
        if policy().single_user:
            st.info(SINGLE_USER_NOTICE, icon=":material/person:")
            return who
        if who.is_editor:
            st.caption(f"Signed in as editor **{md(who.name)}**")
            if mode() == "oidc":
                st.button("Log out", key="auth_logout", on_click=st.logout)
            else:
                st.button("Log out", key="auth_logout", on_click=_logout)
            return who
        if mode() == "oidc":
            if st.user.get("is_logged_in"):
                st.caption(f"Signed in as {md(st.user.get('email') or '?')}, who is not an editor.")
                st.button("Log out", key="auth_logout", on_click=st.logout)
            else:
                st.button(
                    "Editor login",
                    key="auth_oidc",
                    on_click=st.login,
                    args=(_oidc_provider(),) if _oidc_provider() else (),
                )
            return who
        with st.expander("Editor login", expanded=bool(st.session_state.get("auth_error"))):
            with st.form("auth_login", border=False):
                st.text_input("Editor name", key="auth_name", autocomplete="username")
                st.text_input("Password", type="password", key="auth_password", autocomplete="current-password")
                st.form_submit_button("Log in", on_click=_login)
            if st.session_state.get("auth_error"):
                st.error(st.session_state["auth_error"])
    return who
