"""'Paste an article' in a real browser: paste, extract, use a draft, save, and find the report on the map."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.dashboard.test_article import seed_text

MAIN = "[data-testid='stMain']"


def open_article_section(page):
    page.goto(page.base + "/submit")
    page.get_by_text("Save report").wait_for(timeout=60_000)
    page.get_by_text("Paste an article", exact=True).click()
    page.get_by_label("Article text").wait_for(timeout=30_000)


def extract(page, text: str, published: str | None = None, url: str | None = None):
    page.get_by_label("Article text").fill(text)
    if published:
        # A segmented date field: type into the year, month and day segments in turn.
        page.get_by_label("Article published on").locator("[role=spinbutton]").first.click()
        page.keyboard.type(published.replace("-", ""))
    if url:
        page.get_by_label("Article URL").fill(url)
    page.get_by_role("button", name="Extract drafts").click()


def test_paste_extract_use_a_draft_save_and_see_it_on_the_map(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_article_section(page)
    extract(page, seed_text(), "2019-04-12", "https://example.org/interfax-gil")
    page.get_by_text("draft(s) in").wait_for(timeout=30_000)
    summaries = page.locator(f"{MAIN} [data-testid='stMarkdownContainer']", has_text="→").all_inner_texts()
    index = next(i for i, s in enumerate(summaries) if "Russia → Venezuela" in s and "100" in s)
    assert "Interfax" in summaries[index]
    # The evidence, with the count's words highlighted (and bold) as text.
    highlight = page.locator(f"{MAIN} strong", has_text="contingent of 100 soldiers")
    assert highlight.count() == 1
    highlight.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(MAIN).screenshot(path=str(ARTIFACTS / "article-drafts.png"))

    page.get_by_role("button", name="Use this draft").nth(index).click()
    page.get_by_text("is in the form below").wait_for(timeout=30_000)
    # The form below the message is redrawn a moment later: wait for each value.
    expect(page.get_by_label("Troops")).to_have_value("100", timeout=30_000)
    expect(page.get_by_label("Location (optional)")).to_have_value("Caracas", timeout=30_000)
    expect(page.get_by_label("Source name")).to_have_value("Interfax", timeout=30_000)
    expect(page.get_by_label("Source URL")).to_have_value("https://example.org/interfax-gil", timeout=30_000)
    expect(page.get_by_label("Notes (optional)")).to_have_value(re.compile("contingent of 100 soldiers"))

    page.get_by_role("button", name="Save report").click()
    # The fixture store already holds the seed's report: the form asks before a second one.
    page.get_by_text("same pair, date and source").wait_for(timeout=30_000)
    page.get_by_role("button", name="Save anyway").click()
    saved = page.get_by_text("Saved report #")
    saved.wait_for(timeout=30_000)
    saved_id = re.search(r"#(\d+):", saved.inner_text()).group(1)
    saved.scroll_into_view_if_needed()
    page.locator(MAIN).screenshot(path=str(ARTIFACTS / "article-saved.png"))

    page.get_by_role("link", name="See it on the map").click()
    page.get_by_text("where deployer = Russia and host = Venezuela").wait_for(timeout=60_000)
    # The reports behind the pair: the fixture's seed report and the one just saved.
    page.get_by_text("2 reports.").wait_for(timeout=30_000)
    cells = page.locator("[data-testid='stDataFrame'] [role=gridcell]")
    cells.filter(has_text=re.compile(f"^{saved_id}$")).first.wait_for(state="attached", timeout=30_000)
    assert dialogs == []
    assert page.outside == [], "the page asked for something outside the app"
    assert page.failed == []


def test_hostile_article_text_shows_as_text(shared_page):
    page = shared_page  # extracts drafts, saves none
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_article_section(page)
    hostile = (
        "<img src=x onerror=alert(1)> [click](javascript:alert(1)) :red[x] :smile: $x^2$ "
        "www.example.com https://example.org/a mail@example.net"
    )
    extract(page, f"Russia has deployed 100 soldiers to Venezuela {hostile}, Interfax reported.", "2019-04-12")
    page.get_by_text("draft(s) in").wait_for(timeout=30_000)
    evidence = page.locator(f"{MAIN} [data-testid='stMarkdownContainer']", has_text="onerror").first
    # As typed (the word joiners that keep autolinks off are invisible).
    assert hostile in " ".join(evidence.inner_text().replace("\u2060", "").split())
    assert evidence.locator("img, a, script, .katex").count() == 0
    assert page.locator(f"{MAIN} strong", has_text="100 soldiers").count() == 1
    evidence.screenshot(path=str(ARTIFACTS / "article-hostile.png"))
    assert dialogs == []
    assert page.failed == []
