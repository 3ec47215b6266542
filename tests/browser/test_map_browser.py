"""The map in a real browser: draws offline, shows tooltips, and a submitted report shows up."""

from __future__ import annotations

import io
import json
import math
import time
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from playwright.sync_api import expect

from benchmarks.app_metrics import countries_drawn
from core import countries
from dashboard import layers
from tests.browser.conftest import ARTIFACTS, watched_page

CANVAS = "[data-testid='stDeckGlJsonChart'] canvas"
SHOTS = Path(__file__).resolve().parents[3] / "notes" / "shots"


def to_pixel(box: dict, lon: float, lat: float, view: dict = layers.DEFAULT_VIEW) -> tuple[float, float]:
    """Where a longitude/latitude lands on the canvas showing `view` (the deck's initial view by default)."""
    world = 512 * 2 ** view["zoom"]

    def mercator(lat_deg: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat_deg) / 2))

    x = box["x"] + box["width"] / 2 + (lon - view["longitude"]) / 360 * world
    y = box["y"] + box["height"] / 2 - (mercator(lat) - mercator(view["latitude"])) / (2 * math.pi) * world
    return x, y


def shoot(page, name: str) -> None:
    """A screenshot for the notes (at 1400x900) when the notes folder is beside the checkout."""
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"h4-{name}.png"))


# The 250 country polygons are what a software GL spends most on: measured with this checkout's Chromium,
# a map load costs its GPU process about 3 CPU-seconds more with them, and every rerun about 1 more (4.2
# against 1.1 s per load, 3.1 against 0.1 s for three date changes). A test of the widgets, the tables or
# the URL opens the map with only the layers it needs (see `light`); the tests of the map's drawing
# and hovering keep them.
LIGHT_LAYERS = "arcs,points"


def light(path: str = "/", layers: str = LIGHT_LAYERS) -> str:
    """`path` with the map's layers set to `layers` (the URL's `layers` parameter, as a shared link has it)."""
    return f"{path}{'&' if '?' in path else '?'}layers={layers}"


def open_map(page, path: str = "/", drawn: bool = True):
    """The map page at `path`, its canvas in view; with `drawn`, once the countries are drawn (what a
    hover or a look at the pixels needs; a test of the widgets or the tables need not wait for it)."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(page.base + path)
    page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=60_000)
    canvas = page.wait_for_selector(CANVAS, state="visible", timeout=60_000)
    # Hovering needs the whole map inside the viewport (no actionability wait: a busy canvas is never "stable").
    canvas.evaluate("canvas => canvas.scrollIntoView({block: 'center'})")
    if drawn:
        wait_drawn(page, canvas)
    return canvas


def wait_drawn(page, canvas, timeout_s: float = 90, drawn: bool = True) -> None:
    """Until the countries are drawn on the canvas (the static polygons fetched and tessellated: only
    then does hovering one pick it), or with `drawn=False` until they are gone (the layers switched off)."""
    deadline = time.monotonic() + timeout_s
    while countries_drawn(page, canvas) != drawn:
        if time.monotonic() > deadline:
            raise AssertionError(f"the countries were {'not ' if drawn else ''}drawn within {timeout_s} s")
        page.wait_for_timeout(200)  # between two looks at the canvas, each a screenshot


SHOWN_LAYERS = """(wanted) => new URLSearchParams(location.search).get("layers") === wanted"""
RUN_DONE = """() => !document.querySelector("[data-testid='stStatusWidget']")"""
TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def switch_off(page, canvas, *names: str, shown_before: tuple[str, ...] = layers.LAYER_IDS) -> None:
    """Switch map layers off one by one (of `shown_before`, the layers shown now), each click once the last
    one's rerun wrote the layers left to the URL (a click during a rerun can be lost); then, for a click on
    the map next, wait until that rerun is over and the deck has drawn (without the polygons, when both
    polygon layers are off)."""
    shown = list(shown_before)
    for name in names:
        page.get_by_role("button", name=name, exact=True).click()
        shown.remove(name)
        page.wait_for_function(SHOWN_LAYERS, arg=",".join(shown), timeout=60_000)
    page.wait_for_function(RUN_DONE, timeout=120_000)
    if not {"countries", "presence"} & set(shown):
        wait_drawn(page, canvas, drawn=False)
    page.evaluate(TWO_FRAMES)


def hover_tooltip(page, canvas, lon: float, lat: float, timeout_s: float = 20, view=layers.DEFAULT_VIEW) -> str:
    """The tooltip text once it shows something new: a loaded machine may still show the last one."""
    tooltip = page.locator(".deck-tooltip")
    before = tooltip.inner_text() if tooltip.count() and tooltip.is_visible() else None
    x, y = to_pixel(canvas.bounding_box(), lon, lat, view)
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


def test_a_country_filter_zooms_the_map_to_its_pairs(shared_page):
    page = shared_page
    # Estonia is a few pixels wide in the world view; framed with its deployer it fills the map.
    canvas = open_map(page, "/?host=EST")
    page.get_by_text("where host = Estonia").first.wait_for(timeout=30_000)
    # The view the server computed (centre and zoom do not depend on the canvas size).
    view = json.loads(layers.view_of(pd.DataFrame({"deployer": ["GBR"], "host": ["EST"]})).to_json())
    assert view["zoom"] > layers.DEFAULT_VIEW["zoom"] + 1
    shoot(page, "filter-zoom")
    # Near Tartu: inside Estonia, east of where the arc and the point end (its drawing point).
    assert hover_tooltip(page, canvas, lon=26.8, lat=58.2, view=view).startswith("Estonia")
    assert page.outside == []


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
    # A filter to two countries frames them (France and Brazil): hover in that view.
    view = json.loads(layers.view_of(pd.DataFrame({"deployer": ["FRA"], "host": ["BRA"]})).to_json())
    canvas.evaluate("canvas => canvas.scrollIntoView({block: 'center'})")
    wait_drawn(page, canvas)
    text = hover_tooltip(page, canvas, lon=-52, lat=-10, view=view)
    assert text.startswith("Brazil\n1,234 troops from abroad\nfrom 1 country: France 1,234")
    assert page.outside == []


def test_clicking_a_point_narrows_the_tables(shared_page):
    page = shared_page
    # Clicks on the 250-polygon layers are dropped on a software GL: click with only arcs and points on,
    # once the page's run is over and the deck has drawn them.
    canvas = open_map(page, light(), drawn=False)
    page.wait_for_function(RUN_DONE, timeout=120_000)
    page.evaluate(TWO_FRAMES)
    germany = countries.get("DEU")
    x, y = to_pixel(canvas.bounding_box(), germany.lon, germany.lat)
    page.mouse.click(x, y)
    page.get_by_text("Tables narrowed to United States in Germany").wait_for(timeout=30_000)
    canvas.screenshot(path=str(ARTIFACTS / "map-selected.png"))
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.locator("[role=gridcell]", has_text="Germany").first.wait_for(state="attached", timeout=30_000)
    # The note above the table can show before the grid redraws: wait for the other pairs to go.
    expect(grid.locator("[role=gridcell]", has_text="Japan")).to_have_count(0, timeout=30_000)
    assert grid.locator("[role=gridcell]", has_text="United States").count() >= 1


@pytest.fixture(scope="module")
def drawn_map(browser, shared_apps):
    """One page on the session's fixture app with the whole map drawn, for the tests below that look at
    it or hover it: none changes what the page shows (no click, no widget), so each need not load and draw
    it again. Measured with this checkout's Chromium, a load of the whole map costs 11-13 CPU-seconds,
    most of it the software GL drawing the country polygons; a hover costs about 1.5. These tests come last
    in this file: an open map idles at about 0.1 CPU-second a second, so the page closes after them."""
    with watched_page(browser, shared_apps("fixture").base) as page:
        yield page, open_map(page)


@pytest.fixture
def map_page(drawn_map, shared_server):
    """The drawn map (see drawn_map), the pointer moved off it and its tooltip gone, so that no test reads
    the last one's hover; shared_server checks the store after the test as for every shared-app test."""
    page, canvas = drawn_map
    page.mouse.move(5, 5)
    page.locator(".deck-tooltip").wait_for(state="hidden", timeout=30_000)
    return page, canvas


def test_the_map_draws_offline_and_a_screenshot_is_saved(map_page):
    page, canvas = map_page
    shot = canvas.screenshot()
    pixels = Image.open(io.BytesIO(shot)).convert("RGB")
    colours = pixels.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20, "the map canvas is blank"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("[data-testid='stMain']").screenshot(path=str(ARTIFACTS / "map-page.png"))
    (ARTIFACTS / "map-canvas.png").write_bytes(shot)
    assert page.outside == [], "the page asked for something outside the app"
    assert page.failed == []


def test_a_tooltip_near_the_right_edge_stays_inside_the_map(map_page):
    page, canvas = map_page
    map_box = canvas.bounding_box()
    for lon, lat in ((142.8, 43.4), (15, 25), (-100, 40)):  # Japan near the right edge, Libya, the USA
        hover_tooltip(page, canvas, lon=lon, lat=lat)
        tip = page.locator(".deck-tooltip").bounding_box()
        assert map_box["x"] <= tip["x"] and tip["x"] + tip["width"] <= map_box["x"] + map_box["width"], (lon, tip)


def test_hovering_a_host_shows_its_troops_and_largest_deployer(map_page):
    page, canvas = map_page
    assert hover_tooltip(page, canvas, lon=100, lat=62) == "Russia"  # no foreign troops: the name only
    # Hokkaido: Japan, a host, away from the arcs and points that end at its drawing point.
    lines = hover_tooltip(page, canvas, lon=142.8, lat=43.4).split("\n")
    assert lines[0] == "Japan"
    assert lines[1].endswith("troops from abroad")
    assert lines[2].startswith("from 1 country: United States ")  # its largest deployer, named
    assert "last report" in lines[3] and len(lines) == 4  # only the hovered host's notes show
    shoot(page, "host-tooltip")
    assert page.outside == [] and page.failed == []
