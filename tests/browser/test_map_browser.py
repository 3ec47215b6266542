"""The map in a real browser: draws offline, shows tooltips, and a submitted report shows up."""

from __future__ import annotations

import io
import math
import time

from PIL import Image

from core import countries
from tests.browser.conftest import ARTIFACTS

CANVAS = "[data-testid='stDeckGlJsonChart'] canvas"
# The deck's initial view (dashboard/layers.py): where a longitude/latitude lands on the canvas.
VIEW_LAT, VIEW_LON, VIEW_ZOOM = 25, 15, 1.1


def to_pixel(box: dict, lon: float, lat: float) -> tuple[float, float]:
    world = 512 * 2**VIEW_ZOOM

    def mercator(lat_deg: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat_deg) / 2))

    x = box["x"] + box["width"] / 2 + (lon - VIEW_LON) / 360 * world
    y = box["y"] + box["height"] / 2 - (mercator(lat) - mercator(VIEW_LAT)) / (2 * math.pi) * world
    return x, y


def open_map(page, path: str = "/"):
    page.goto(page.base + path)
    canvas = page.wait_for_selector(CANVAS, state="visible", timeout=60_000)
    page.wait_for_timeout(2_500)  # first frames, and the static polygons fetched once
    return canvas


def hover_tooltip(page, canvas, lon: float, lat: float, timeout_s: float = 20) -> str:
    """The tooltip text once it shows something new: a loaded machine may still show the last one."""
    tooltip = page.locator(".deck-tooltip")
    before = tooltip.inner_text() if tooltip.count() and tooltip.is_visible() else None
    x, y = to_pixel(canvas.bounding_box(), lon, lat)
    # One pointer event: on a software GL each one costs a picking pass over every polygon.
    page.mouse.move(x, y)
    deadline = time.monotonic() + timeout_s
    while True:
        if tooltip.count() and tooltip.is_visible():
            text = tooltip.inner_text()
            if text and text != before:
                return text
        if time.monotonic() > deadline:
            raise AssertionError(f"no new tooltip at lon={lon}, lat={lat} (still {before!r})")
        page.wait_for_timeout(250)


def test_the_map_draws_offline_and_a_screenshot_is_saved(shared_page):
    page = shared_page
    canvas = open_map(page)
    shot = canvas.screenshot()
    pixels = Image.open(io.BytesIO(shot)).convert("RGB")
    colours = pixels.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20, "the map canvas is blank"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("[data-testid='stMain']").screenshot(path=str(ARTIFACTS / "map-page.png"))
    (ARTIFACTS / "map-canvas.png").write_bytes(shot)
    assert page.outside == [], "the page asked for something outside the app"
    assert page.failed == []


def test_hovering_countries_shows_text_tooltips(shared_page):
    page = shared_page
    canvas = open_map(page)
    assert hover_tooltip(page, canvas, lon=100, lat=62) == "Russia"  # base layer: the name
    text = hover_tooltip(page, canvas, lon=-5, lat=12.5)  # southern Mali, a host
    assert text.startswith("Mali: ") and "troops" in text and "last report" in text
    assert page.locator(".deck-tooltip *:not(br)").count() == 0  # text (innerText), not HTML


def test_a_submitted_report_appears_in_the_table_and_on_the_map(page):
    page.goto(page.base + "/submit")
    page.get_by_text("Save report").wait_for(timeout=60_000)
    for label, country in (("Deployer (whose forces)", "France"), ("Host (where they are)", "Brazil")):
        page.get_by_label(label).click()
        page.keyboard.type(country)
        page.keyboard.press("Enter")
    page.get_by_label("Troops").fill("1234")
    # A segmented date field: type into the year, month and day segments in turn.
    page.get_by_label("Date", exact=True).locator("[role=spinbutton]").first.click()
    page.keyboard.type("20230501")
    page.get_by_label("Source name").fill("Browser Test Gazette")
    page.get_by_label("Source URL").fill("https://example.org/browser-test")
    page.get_by_role("button", name="Save report").click()
    page.get_by_text("Saved report #").wait_for(timeout=30_000)
    page.get_by_role("link", name="See it on the map").click()
    canvas = page.wait_for_selector(CANVAS, state="visible", timeout=60_000)
    page.get_by_text("where deployer = France and host = Brazil").wait_for(timeout=30_000)
    # The grid draws on a canvas; its accessible table holds the cell text.
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.locator("[role=gridcell]", has_text="Brazil").first.wait_for(state="attached", timeout=30_000)
    assert grid.locator("[role=gridcell]", has_text="1234").count() == 3  # troops, low, high
    page.wait_for_timeout(2_500)
    text = hover_tooltip(page, canvas, lon=-60, lat=-8)
    assert text.startswith("Brazil: 1,234 troops (foreign)")
    assert page.outside == []


def test_clicking_a_point_narrows_the_tables(shared_page):
    page = shared_page
    canvas = open_map(page)
    # Clicks on the 250-polygon layers are dropped on a software GL: click with only arcs and points on.
    for layer in ("countries", "presence"):
        page.get_by_role("button", name=layer, exact=True).click()
        page.wait_for_timeout(1_500)
    germany = countries.get("DEU")
    x, y = to_pixel(canvas.bounding_box(), germany.lon, germany.lat)
    page.mouse.click(x, y)
    page.get_by_text("Tables narrowed to United States in Germany").wait_for(timeout=30_000)
    page.wait_for_timeout(1_500)
    canvas.screenshot(path=str(ARTIFACTS / "map-selected.png"))
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.locator("[role=gridcell]", has_text="Germany").first.wait_for(state="attached", timeout=30_000)
    assert grid.locator("[role=gridcell]", has_text="United States").count() >= 1
    assert grid.locator("[role=gridcell]", has_text="Japan").count() == 0
