"""The report form in a real browser: what the widgets would swallow (troops -5, a country typed
that is no country) reaches core's validation, and every problem is listed at once. Nothing is saved:
the tests run on the shared app, which checks that its store did not change."""

from __future__ import annotations

WAIT = 60_000


def open_form(page):
    page.goto(page.base + "/submit")
    page.get_by_text("Save report").wait_for(timeout=WAIT)


def type_country(page, label: str, text: str) -> None:
    page.get_by_label(label).click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def fill_valid(page, deployer: str = "France", troops: str = "1234") -> None:
    type_country(page, "Deployer (whose forces)", deployer)
    type_country(page, "Host (where they are)", "Chad")
    page.get_by_label("Troops").fill(troops)
    page.get_by_label("Date", exact=True).locator("[role=spinbutton]").first.click()
    page.keyboard.type("20230501")
    page.get_by_label("Source name").fill("Browser Test Gazette")


def save(page):
    page.get_by_role("button", name="Save report").click()


def summary(page):
    return page.locator("[data-testid='stAlertContentError']", has_text="Nothing was saved")


def test_negative_troops_say_what_is_allowed(shared_page):
    page = shared_page
    open_form(page)
    fill_valid(page, troops="-5")
    save(page)
    summary(page).wait_for(timeout=WAIT)
    page.get_by_text("troops: must be between 0 and").first.wait_for(timeout=WAIT)
    assert page.get_by_text("Saved report #").count() == 0


def test_an_unknown_country_is_named_with_the_closest_known_one(shared_page):
    page = shared_page
    open_form(page)
    fill_valid(page, deployer="Atlantis")
    save(page)
    summary(page).wait_for(timeout=WAIT)
    beside = page.locator("[data-testid='stAlertContentError']", has_text="deployer: unknown country 'Atlantis'").first
    beside.wait_for(timeout=WAIT)
    assert "did you mean" in beside.inner_text()
    assert "required" not in beside.inner_text()


def test_several_bad_fields_are_all_listed(shared_page):
    page = shared_page
    open_form(page)
    type_country(page, "Deployer (whose forces)", "Atlantis")
    page.get_by_label("Troops").fill("-5")
    page.get_by_label("Latitude").fill("95")
    save(page)
    box = summary(page)
    box.wait_for(timeout=WAIT)
    text = box.inner_text()
    for problem in (
        "deployer: unknown country",
        "host: required",
        "troops: must be between",
        "date: required",
        "lat: must be between",
        "source name: required",
    ):
        assert problem in text, text
