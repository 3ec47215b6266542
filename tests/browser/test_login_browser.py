"""Editor sign-in in a real browser: a reload keeps the editor signed in (a session cookie checked on the
server) until they log out; /review opened by a visitor asks them to sign in (never "Page not found");
failed attempts slow down that browser, across reloads, while another browser signs in at once."""

from __future__ import annotations

import time

import pytest

from core import users

PASSWORD = "correct horse battery"
SIGNED_IN = "Signed in as editor alice"
# The sidebar's login is on every page: a light one, not the map (whose drawing would only slow these down).
ABOUT = "/about"
PROMPT = "Only editors review reports: sign in with Editor login in the sidebar."


@pytest.fixture(scope="module")
def module_env(tmp_path_factory):
    """One editor; the backoff waits 10 minutes from the 3rd failure on (so that no test depends on
    how fast this machine reloads a page). Given to the module's server through Streamlit's secrets.files.
    One server serves every test here: sign-ins and failures are kept per browser (cookie), and each test
    has a browser context of its own."""
    path = tmp_path_factory.mktemp("login-secrets") / "secrets.toml"
    path.write_text(
        f'[editors]\nalice = "{users.hash_password(PASSWORD)}"\n\n[login]\nfirst_wait_s = 600\n', encoding="utf-8"
    )
    return {"STREAMLIT_SECRETS_FILES": str(path)}


@pytest.fixture
def editor_page(module_page):
    return module_page


def heading(page) -> None:
    page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=60_000)


def open_login(page) -> None:
    """The login form, opened: the expander is clicked only while it is closed (a click on an open
    one, e.g. while a rerun redraws it, would close it)."""
    name = page.get_by_label("Editor name")
    details = page.get_by_test_id("stExpander").filter(has_text="Editor login").locator("details")
    deadline = time.monotonic() + 60
    while not name.is_visible():
        if time.monotonic() > deadline:
            raise AssertionError("the login form did not open")
        if details.count() and details.first.get_attribute("open") is None:
            details.first.locator("summary").click()
        page.wait_for_timeout(500)


def sign_in(page, password: str) -> None:
    open_login(page)
    page.get_by_label("Editor name").fill("alice")
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_reload_keeps_the_editor_signed_in_until_they_log_out(editor_page):
    page = editor_page
    page.goto(page.base + ABOUT)
    heading(page)
    sign_in(page, PASSWORD)
    page.get_by_text(SIGNED_IN).wait_for(timeout=30_000)
    page.reload()
    heading(page)
    page.get_by_text(SIGNED_IN).wait_for(timeout=30_000)
    page.get_by_role("link", name="Review").wait_for(timeout=30_000)
    page.goto(page.base + "/review")  # opened directly (a new page load): still signed in
    page.get_by_text("No report awaits review.").wait_for(timeout=60_000)
    assert page.get_by_text(SIGNED_IN).is_visible()
    page.get_by_role("button", name="Log out").click()
    page.get_by_text(PROMPT).wait_for(timeout=30_000)
    page.reload()
    heading(page)
    page.get_by_text(PROMPT).wait_for(timeout=30_000)
    assert page.get_by_text(SIGNED_IN).count() == 0
    assert page.context.cookies() and not [c for c in page.context.cookies() if c["name"] == "garrison_session"]


def test_review_opened_by_a_visitor_asks_to_sign_in_and_signing_in_there_opens_it(editor_page):
    page = editor_page
    page.goto(page.base + "/review")
    heading(page)
    page.get_by_text(PROMPT).wait_for(timeout=30_000)
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_role("link", name="Review").count() == 0  # not listed for a visitor
    page.get_by_label("Editor name").wait_for(state="visible", timeout=30_000)  # the login form is open here
    page.reload()
    heading(page)
    page.get_by_text(PROMPT).wait_for(timeout=30_000)
    assert page.get_by_text("Page not found").count() == 0
    sign_in(page, PASSWORD)
    page.get_by_text("No report awaits review.").wait_for(timeout=60_000)
    page.get_by_role("link", name="Review").wait_for(timeout=30_000)


def test_failed_logins_slow_down_this_browser_across_reloads_but_not_another(editor_page, browser):
    page = editor_page
    page.goto(page.base + ABOUT)
    heading(page)
    for n in (1, 2, 3):
        sign_in(page, "not the password")
        page.get_by_text(f"Wrong editor name or password ({n} failed attempt").wait_for(timeout=30_000)
    page.get_by_text("The next attempt from this browser can be made in 10 minutes.").wait_for(timeout=30_000)
    page.reload()
    heading(page)
    sign_in(page, PASSWORD)  # the right password, but from the browser that failed: not even checked
    page.get_by_text("Too many failed logins from this browser: wait 10 minutes").wait_for(timeout=30_000)
    assert page.get_by_text(SIGNED_IN).count() == 0
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = fresh.new_page()
        other.goto(page.base + ABOUT)
        heading(other)
        sign_in(other, PASSWORD)
        other.get_by_text(SIGNED_IN).wait_for(timeout=30_000)  # at once: the editor is never locked out
    finally:
        fresh.close()
