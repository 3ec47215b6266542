"""AppTest of the login control: single-user notice, password form (verify, per-browser backoff, the
session cookie), OIDC button;
and the escaping helper that keeps user text out of markdown."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core import login as login_module
from core import users
from core.store import ENV_VAR
from dashboard import auth
from dashboard.text import WORD_JOINER, md, plain
from tests.dashboard.conftest import APP

PASSWORD = "correct horse battery"
LOGIN = "FormSubmitter:auth_login-Log in"


@pytest.fixture(scope="module")
def editors() -> dict[str, str]:
    digest = users.hash_password(PASSWORD)  # argon2id: hash once per module
    return {"alice": digest, "bob": digest}


@pytest.fixture
def run_app(fixture_db_url, monkeypatch):
    """The app with the given secrets (none: single-user mode), first run done."""
    monkeypatch.setenv(ENV_VAR, fixture_db_url)

    def run(state: dict | None = None, **secrets) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in secrets.items():
            at.secrets[key] = value
        for key, value in (state or {}).items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    return run


def login(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="auth_name").set_value(name)
    at.text_input(key="auth_password").set_value(password)
    at.button(key=LOGIN).click().run()
    assert not at.exception, at.exception
    return at


def offers_review(at: AppTest) -> bool:
    """Whether the Review page shows this session the review queue rather than a sign-in prompt. The
    page is registered for everyone (so /review never says "Page not found"); that it is listed in the
    navigation only for editors is checked in a real browser (tests/browser/test_login_browser.py)."""
    return not refused(at)


def refused(at: AppTest) -> bool:
    """Run the Review page: a non-editor gets its title and one notice (sign in, or no editors)."""
    at.switch_page("views/review.py").run()
    assert not at.exception, at.exception
    return (
        [t.value for t in at.title] == ["Review"]
        and [i.value for i in at.main.info] in ([auth.SIGN_IN_PROMPT], [auth.NOTHING_TO_REVIEW])
        and not at.dataframe
        and not [b for b in at.button if (b.key or "").startswith("review_")]
    )


def test_without_editors_the_app_says_it_is_single_user_and_offers_no_login(run_app):
    at = run_app()
    assert [i.value for i in at.sidebar.info] == [auth.SINGLE_USER_NOTICE]
    assert not [w for w in at.text_input if w.key and w.key.startswith("auth_")]
    assert not offers_review(at)


def test_password_mode_shows_a_login_form_and_no_review_page(run_app, editors):
    at = run_app(editors=editors)
    assert not at.sidebar.info
    assert at.text_input(key="auth_name") and at.text_input(key="auth_password")
    assert at.button(key=LOGIN)
    assert not offers_review(at)


def test_a_wrong_password_is_refused_and_the_review_page_stays_hidden(run_app, editors):
    at = login(run_app(editors=editors), "alice", "wrong password!")
    assert at.session_state["auth_error"] == "Wrong editor name or password (1 failed attempt from this browser)."
    assert "auth_editor" not in at.session_state
    assert at.session_state["auth_password"] == ""  # the password is not kept
    assert refused(at)


def test_an_editor_logs_in_and_gets_the_review_page(run_app, editors):
    at = login(run_app(editors=editors), "alice", PASSWORD)
    assert at.session_state["auth_editor"] == "alice"
    assert offers_review(at)
    at.run()
    assert [t.value for t in at.title] == ["Review"] and not at.error


def test_failed_logins_make_this_browser_wait_while_another_signs_in_at_once(run_app, editors):
    # Each page load is a new session; the browser id its cookie carries is what they share (AppTest
    # cannot send cookies: the id is put where auth reads the cookie into, before the first run).
    browser = {"auth_browser": login_module.new_id()}
    slow = {"first_wait_s": 600, "max_wait_s": 3600}
    for n in range(3):  # the free attempts, one reload each
        at = login(run_app(browser, editors=editors, login=slow), "alice", "not the password")
        assert at.session_state["auth_error"].startswith(f"Wrong editor name or password ({n + 1} failed attempt")
    assert at.session_state["auth_error"].endswith("can be made in 10 minutes.")
    at = login(run_app(browser, editors=editors, login=slow), "alice", PASSWORD)  # reloaded: still waits
    assert at.session_state["auth_error"].startswith("Too many failed logins from this browser: wait 10 minutes")
    assert "auth_editor" not in at.session_state
    other = login(run_app(editors=editors, login=slow), "alice", PASSWORD)  # another browser: no lockout
    assert other.session_state["auth_editor"] == "alice"
    assert offers_review(other)


def cookie_script(at: AppTest) -> str:
    scripts = [e.proto for e in at.get("html") if "document.cookie" in e.proto.body]
    assert len(scripts) == 1 and scripts[0].unsafe_allow_javascript
    return scripts[0].body


def test_a_sign_in_is_kept_in_a_session_cookie_that_log_out_ends(run_app, editors):
    at = run_app(editors=editors)
    browser = at.session_state["auth_browser"]
    assert login_module.valid_id(browser)
    assert f"garrison_browser={browser}; path=/; max-age=31536000; samesite=strict" in cookie_script(at)
    assert "garrison_session=; path=/; max-age=0" in cookie_script(at)
    login(at, "alice", PASSWORD)
    token = at.session_state["auth_token"]
    assert auth.data.login_sessions().editor(token) == "alice"
    # AppTest runs only the page script after the first run: the sidebar (and the cookie script it
    # holds) is seen on the first run of a session in that state, as a reload restores it.
    state = {k: at.session_state[k] for k in ("auth_browser", "auth_editor", "auth_token", "auth_restored")}
    at = run_app(state, editors=editors)
    assert at.sidebar.caption[0].value == "Signed in as editor **alice**"
    assert f"garrison_session={token}; path=/; max-age=43200; samesite=strict" in cookie_script(at)
    at.button(key="auth_logout").click().run()
    assert "auth_editor" not in at.session_state and "auth_token" not in at.session_state
    assert auth.data.login_sessions().editor(token) is None  # the token no longer signs anyone in
    assert at.session_state["auth_browser"] == browser


def test_a_removed_editor_loses_the_review_page(run_app, editors):
    at = login(run_app(editors=editors), "alice", PASSWORD)
    assert offers_review(at)
    at.secrets["editors"] = {"bob": editors["bob"]}
    at.run()
    assert refused(at)


def test_oidc_mode_offers_st_login_instead_of_the_password_form(run_app, editors):
    at = run_app(
        auth={
            "client_id": "x",
            "client_secret": "y",
            "redirect_uri": "http://localhost/oauth2callback",
            "cookie_secret": "z",
            "server_metadata_url": "https://id.example/.well-known",
        },
        review={"editors": ["alice@example.org"]},
    )
    assert at.button(key="auth_oidc").label == "Editor login"
    assert not [w for w in at.text_input if w.key and w.key.startswith("auth_")]
    assert not offers_review(at)  # st.user is not logged in


PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "[x](javascript:alert(1))",
    "![i](http://attacker.example/x.png)",
    "**bold** _em_ `code` # head :red[red] $x^2$ http://attacker.example &amp; \\*",
]


@pytest.mark.parametrize("text", PAYLOADS)
def test_md_escapes_every_markdown_and_html_character(text):
    escaped = md(text)
    assert plain(escaped) == text
    # Every punctuation character is preceded by a backslash: nothing is left to be syntax.
    unescaped = [
        c
        for i, c in enumerate(escaped)
        if not c.isalnum() and not c.isspace() and (i == 0 or escaped[i - 1] != "\\") and c not in ("\\", WORD_JOINER)
    ]
    assert unescaped == []


def test_md_makes_one_paragraph_of_multiline_text():
    assert md("a\n\n# b") == "a \\# b"


@pytest.mark.parametrize("text", ["www.attacker.example", "see https://attacker.example/x", "mail me@attacker.example"])
def test_md_breaks_autolinks(text):
    escaped = md(text)
    assert plain(escaped) == text
    assert WORD_JOINER in escaped  # GFM would otherwise turn the address into a link after parsing
