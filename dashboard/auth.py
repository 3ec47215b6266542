"""The login control and who the session acts as: an editor (password form or st.login) or anonymous.

Owns the session-state keys that start with "auth_". Password checks go through core.users.verify,
behind core.login's per-browser backoff; a sign-in lasts across reloads through a session token.
Both ids live in cookies (read through st.context.cookies, written by a small script: Streamlit has
no call that sets a cookie); what they stand for stays on the server (dashboard/data.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from core import login, users
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
SIGN_IN_PROMPT = "Only editors review reports: sign in with **Editor login** in the sidebar."
NOTHING_TO_REVIEW = "No editor accounts are configured: submissions are published directly (single-user mode)."
# The cookies: a random id per browser (keys the login backoff) and the signed-in editor's token.
BROWSER_COOKIE, SESSION_COOKIE = "garrison_browser", "garrison_session"
BROWSER_COOKIE_DAYS = 365


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
        _restore()
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


def backoff() -> login.Backoff:
    """The `[login]` settings of the secrets file (defaults when absent or invalid)."""
    try:
        return login.backoff(secrets())
    except ValueError:
        return login.Backoff()


def _browser() -> str:
    """This browser's id: from its cookie, else a new one (the cookie script stores it)."""
    state = st.session_state
    if "auth_browser" not in state:
        cookie = st.context.cookies.get(BROWSER_COOKIE)
        state["auth_browser"] = cookie if login.valid_id(cookie) else login.new_id()
    return state["auth_browser"]


def _restore() -> None:
    """Once per session (a page load): the session cookie of an earlier sign-in signs its editor in."""
    state = st.session_state
    if state.get("auth_restored"):
        return
    state["auth_restored"] = True
    token = st.context.cookies.get(SESSION_COOKIE)
    name = data.login_sessions().editor(token)
    if name:
        state["auth_editor"], state["auth_token"] = name, token


def wait_words(seconds: float) -> str:
    seconds = max(1, round(seconds))
    return f"{seconds} seconds" if seconds < 120 else f"{round(seconds / 60)} minutes"


def _login() -> None:
    state = st.session_state
    name = (state.get("auth_name") or "").strip()
    password = state.get("auth_password") or ""
    state["auth_password"] = ""  # never kept beyond this attempt
    state.pop("auth_error", None)
    policy_ = backoff()
    result = data.login_guard().attempt(
        _browser(), policy_, lambda: name if users.verify(name, password, secrets()) else None
    )
    if result.editor:
        state["auth_editor"] = result.editor
        state["auth_token"] = data.login_sessions().open(result.editor, policy_.session_hours)
    elif result.wait:
        state["auth_error"] = (
            f"Too many failed logins from this browser: wait {wait_words(result.wait)}, then try again "
            "(nothing was checked)."
        )
    else:
        n, wait = result.failures, policy_.wait(result.failures)
        later = f" The next attempt from this browser can be made in {wait_words(wait)}." if wait else ""
        state["auth_error"] = (
            f"Wrong editor name or password ({n} failed attempt{'s' if n > 1 else ''} from this browser)." + later
        )


def _logout() -> None:
    data.login_sessions().close(st.session_state.get("auth_token"))
    for key in ("auth_editor", "auth_token", "auth_error"):
        st.session_state.pop(key, None)


def _cookie(name: str, value: str, seconds: float) -> str:
    setting = f"{name}={value}; path=/; max-age={int(seconds)}; samesite=strict"
    return f"document.cookie = {json.dumps(setting)} + secure;"


def _store_cookies() -> None:
    """Keep the browser's cookies as the server sees this session: its browser id, and the session
    token while signed in (removed after a log out). Runs again only when they change."""
    token = st.session_state.get("auth_token")
    script = _cookie(BROWSER_COOKIE, _browser(), BROWSER_COOKIE_DAYS * 86_400) + (
        _cookie(SESSION_COOKIE, token, backoff().session_hours * 3600) if token else _cookie(SESSION_COOKIE, "", 0)
    )
    st.html(
        f"<script>(function () {{ var secure = location.protocol === 'https:' ? '; secure' : ''; {script} }})();"
        "</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def _oidc_provider() -> str | None:
    section = secrets().get("auth") or {}
    named = [k for k, v in section.items() if isinstance(v, Mapping) and "client_id" in v]
    return None if "client_id" in section or not named else named[0]


def sidebar(expand: bool = False) -> Actor:
    """The login / logout control (or the single-user notice) in the sidebar; returns the actor.
    `expand` opens the login form (the Review page asks a visitor to sign in)."""
    who = actor()
    with st.sidebar:
        if policy().single_user:
            st.info(SINGLE_USER_NOTICE, icon=":material/person:")
        elif mode() == "oidc":
            _oidc_control(who)
        else:
            _password_control(who, expand)
    return who


def _oidc_control(who: Actor) -> None:
    if who.is_editor:
        st.caption(f"Signed in as editor **{md(who.name)}**")
        st.button("Log out", key="auth_logout", on_click=st.logout)
    elif st.user.get("is_logged_in"):
        st.caption(f"Signed in as {md(st.user.get('email') or '?')}, who is not an editor.")
        st.button("Log out", key="auth_logout", on_click=st.logout)
    else:
        provider = _oidc_provider()
        st.button("Editor login", key="auth_oidc", on_click=st.login, args=(provider,) if provider else ())


def _password_control(who: Actor, expand: bool) -> None:
    if who.is_editor:
        st.caption(f"Signed in as editor **{md(who.name)}**")
        st.button("Log out", key="auth_logout", on_click=_logout)
    else:
        with st.expander("Editor login", expanded=expand or bool(st.session_state.get("auth_error"))):
            with st.form("auth_login", border=False):
                st.text_input("Editor name", key="auth_name", autocomplete="username")
                st.text_input("Password", type="password", key="auth_password", autocomplete="current-password")
                st.form_submit_button("Log in", on_click=_login)
            if st.session_state.get("auth_error"):
                st.error(st.session_state["auth_error"])
    _store_cookies()
