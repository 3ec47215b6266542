"""AppTest of the login control: single-user notice, password form (verify, rate limit), OIDC button;
and the escaping helper that keeps user text out of markdown."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

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

    def run(**secrets) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in secrets.items():
            at.secrets[key] = value
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
    """Whether the navigation holds the Review page: AppTest refuses to switch to a page the
    navigation does not list. Only meaningful after the FIRST run: on later runs AppTest (1.67) runs
    the page script alone, without app.py, and then lets any file in pages/ be switched to (the page
    itself refuses non-editors; see refused())."""
    try:
        at.switch_page("pages/review.py")
    except ValueError as exc:
        assert "Could not find a navigation page" in str(exc)
        return False
    return True


def refused(at: AppTest) -> bool:
    """Run the Review page script directly: a non-editor gets only the refusal."""
    at.switch_page("pages/review.py").run()
    return [e.value for e in at.error] == ["Only a logged-in editor can review reports."] and not at.dataframe


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
    assert at.session_state["auth_error"] == "Wrong editor name or password."
    assert "auth_editor" not in at.session_state
    assert at.session_state["auth_password"] == ""  # the password is not kept
    assert refused(at)


def test_an_editor_logs_in_and_gets_the_review_page(run_app, editors):
    at = login(run_app(editors=editors), "alice", PASSWORD)
    assert at.session_state["auth_editor"] == "alice"
    assert offers_review(at)
    at.run()
    assert [t.value for t in at.title] == ["Review"] and not at.error


def test_login_attempts_per_editor_name_are_rate_limited_across_sessions(run_app, editors):
    # A guesser opening a new session for each try: the per-name limit (shared) stops them.
    limit = auth.data.login_limiter().limit
    for _ in range(limit):
        at = login(run_app(editors=editors), "alice", "not the password")
        assert at.session_state["auth_error"] == "Wrong editor name or password."
    at = login(run_app(editors=editors), "alice", PASSWORD)  # even the right password, for now
    assert at.session_state["auth_error"].startswith("Too many login attempts")
    assert "auth_editor" not in at.session_state
    at = login(run_app(editors=editors), "bob", PASSWORD)  # another name is not blocked
    assert at.session_state["auth_editor"] == "bob"


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
