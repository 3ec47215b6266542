"""The compare page and the map page's downloads in a real browser (streamlit run + Chromium)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from playwright.sync_api import expect

from core import countries
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_map_browser import CANVAS, hover_tooltip, open_map, wait_drawn

SHOTS = Path("/work/notes/shots")
HEADING = "[data-testid='stMain'] h1"


def settle(page) -> None:
    """Wait until the script run a widget started has finished: a button clicked mid-run is replaced
    before its click counts."""
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=120_000)
    page.wait_for_timeout(500)


def download(page, label: str):
    settle(page)
    with page.expect_download(timeout=120_000) as done:
        page.get_by_role("button", name=label).click()
    return done.value


def _workbook(download) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))


def _no_formulas(book: openpyxl.Workbook) -> list:
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert cells and [c.coordinate for c in cells if c.data_type == "f"] == []
    return cells


def _header_rows(sheet) -> list[dict]:
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_selecting_a_pair_keeps_the_downloads_and_the_reports(shared_page):
    page = shared_page  # downloads only: the shared app checks that nothing was written
    # The tables and buttons under the map, not its pixels; with every layer drawn still: on the light
    # map of test_map_browser.light, and again in the browser without WebGL (conftest's
    # browser_without_gl), this test's Excel click gave no download within 120 s on a loaded machine
    # (cause not found yet), where the full map has never failed it.
    open_map(page, drawn=False)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.locator("[role=gridcell]", has_text="Japan").first.wait_for(state="attached", timeout=30_000)
    assert page.get_by_role("button", name="Download Excel").count() == 1
    # The pairs are sorted by troops: the first row is the United States in Japan. Click its
    # selection box, at the left end of the first row under the header.
    grid.scroll_into_view_if_needed()  # a click outside the viewport reaches nothing
    page.wait_for_timeout(500)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    page.get_by_role("heading", name="United States in Japan").wait_for(timeout=60_000)
    page.get_by_role("heading", name="Reports behind it").wait_for(timeout=30_000)
    for label in ("Download CSV", "Download GeoJSON", "Download Excel", "Presence CSV", "Presence Excel"):
        page.get_by_role("button", name=label).wait_for(timeout=30_000)
    excel_file = download(page, "Download Excel")
    reports = _header_rows(_workbook(excel_file)["reports"])
    _no_formulas(_workbook(excel_file))
    assert {(r["deployer"], r["host"], r["troops"]) for r in reports} == {("USA", "JPN", 55000)}
    book = _workbook(download(page, "Presence Excel"))
    _no_formulas(book)
    presence = _header_rows(book["presence"])
    assert any(r["host_name"] == "Japan" and r["troops"] == 55000 for r in presence)
    assert page.outside == [] and page.failed == []


def test_the_compare_page_shows_a_known_change(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    try:
        # Opened directly as the server's first request: it must run through the entry script (its
        # navigation and sidebar), which a pages/ folder beside app.py would prevent.
        page.goto(server + "/compare")
        page.get_by_role("heading", name="Compare two dates").wait_for(timeout=60_000)
        assert page.get_by_role("link", name="Map").count() == 1  # the app's own navigation
        assert page.locator(HEADING).inner_text() == "Compare two dates"
        canvas = page.wait_for_selector(CANVAS, state="visible", timeout=60_000)
        wait_drawn(page, canvas)
        # The fixture store's newest report: the United States left Niger on 2024-09-15.
        grid = page.locator("[data-testid='stDataFrame']").first
        grid.locator("[role=gridcell]", has_text="Niger").first.wait_for(state="attached", timeout=30_000)
        assert grid.locator("[role=gridcell]", has_text="left").count() >= 1
        niger = countries.get("NER")
        text = hover_tooltip(page, canvas, lon=niger.lon, lat=niger.lat)
        assert text.startswith("Niger: −950 troops") and "1 left" in text
        page.mouse.move(5, 5)
        page.locator(".deck-tooltip").wait_for(state="hidden", timeout=30_000)  # not in the screenshots
        SHOTS.mkdir(parents=True, exist_ok=True)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "h5-compare.png"))
        page.screenshot(path=str(ARTIFACTS / "compare-page.png"))
        book = _workbook(download(page, "Changes Excel"))
        _no_formulas(book)
        row = next(r for r in _header_rows(book["pairs"]) if r["host"] == "NER")
        assert (row["kind"], row["troops_from"], row["troops_to"], row["change"]) == ("left", 950, 0, -950)
        # Two other dates, typed into the date fields (applied when the field loses focus).
        for label, day, shown in (("From", "20180601", "Changes from 2018-06-01"), ("To", "20200601", "to 2020-06-01")):
            settle(page)
            page.get_by_label(label, exact=True).locator("[role=spinbutton]").first.click()
            page.keyboard.type(day)
            page.get_by_role("heading", name="Compare two dates").click()
            page.get_by_text(shown).wait_for(timeout=60_000)
        # Niger was unchanged between these dates: hidden (the grid redraws after the text above).
        expect(grid.locator("[role=gridcell]", has_text="Niger")).to_have_count(0, timeout=60_000)
        grid.locator("[role=gridcell]", has_text="Japan").first.wait_for(state="attached", timeout=30_000)
        assert grid.locator("[role=gridcell]", has_text="arrived").count() >= 1
        settle(page)
        wait_drawn(page, canvas)
        page.screenshot(path=str(SHOTS / "h5-compare-2018-2020.png"))
        assert failed == []
    finally:
        context.close()
