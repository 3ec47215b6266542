"""Hostile input and access in a real browser: reports carrying script, HTML and markdown payloads
show as literal text (map tooltips, tables, the filter description), no dialog fires and no request
leaves for another host; an anonymous browser never receives a pending report; an editor logs in
through the sidebar and approves one."""

from __future__ import annotations

import pytest

from core import review, users
from core.review import Actor, Policy
from core.store import writing
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_map_browser import LIGHT_LAYERS, light, open_map, switch_off, to_pixel

# (deployer, host, lat, lon, payload): one published report per pair, the payload as its location
# (map tooltip), in its source name and notes (tables); the point lies away from every other point.
PAYLOADS = [
    ("NZL", "AUS", -26.0, 118.0, "<script>alert('script')</script>"),
    ("ARG", "BRA", -5.0, -65.0, "<img src=x onerror=alert('img')>"),
    ("UZB", "KAZ", 47.0, 53.0, "\"><svg onload=alert('svg')>"),
    ("ZAF", "NAM", -18.5, 13.5, "[x](javascript:alert('link'))"),
    ("IRL", "CAN", 53.0, -125.0, "![i](http://attacker.invalid/pixel.png)"),
]
PENDING = "PENDING-Browser-7x2k"  # only in a pending report's text
PASSWORD = "correct horse battery"


def seed(engine) -> int:
    """Publish the payload reports (single-user policy) and add one pending report; its id."""
    with writing(engine) as session:
        for deployer, host, lat, lon, payload in PAYLOADS:
            review.submit(
                session,
                {
                    "deployer": deployer,
                    "host": host,
                    "troops": "500",
                    "date": "2024-06-01",
                    "location": payload,
                    "lat": str(lat),
                    "lon": str(lon),
                    "source_name": f"{payload} src",
                    "notes": f"{payload} note",
                },
                Actor.anonymous(),
                "form",
                Policy(),
            )
        pending = review.submit(
            session,
            {
                "deployer": "USA",
                "host": "JPN",
                "troops": "77777",
                "date": "2024-06-01",
                "location": PENDING,
                "source_name": PENDING,
                "notes": PENDING,
            },
            Actor.anonymous(),
            "form",
            Policy(editors=frozenset({"alice", "bob"})),
        )
        return pending.id


@pytest.fixture
def fixture_db_url(fixture_engine, request):
    """The fixture store plus the payload reports (published) and one pending report."""
    request.node.pending_id = seed(fixture_engine)
    return fixture_engine.url.render_as_string(hide_password=False)


@pytest.fixture
def shared_app(shared_apps):
    """The session's read-only app over the same store as fixture_db_url (built once)."""
    return shared_apps("hostile", seed)


def watch(page):
    """The page, also recording dialogs (dismissed) and every websocket frame the app sends."""
    page.dialogs, page.frames_in = [], []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_socket(socket):
        socket.on(
            "framereceived",
            lambda payload: page.frames_in.append(payload if isinstance(payload, bytes) else payload.encode()),
        )

    page.on("dialog", on_dialog)
    page.on("websocket", on_socket)
    return page


@pytest.fixture
def watched(page):
    """This test's own server, watched (see watch)."""
    return watch(page)


@pytest.fixture
def shared_watched(shared_page):
    """The session's read-only server, watched (see watch)."""
    return watch(shared_page)


@pytest.fixture
def shared_watched_without_gl(shared_page_without_gl):
    """shared_watched in the browser without WebGL, for a test that never looks at the map's drawing."""
    return watch(shared_page_without_gl)


@pytest.fixture
def watched_without_gl(page_without_gl):
    """watched in the browser without WebGL, for a test that never looks at the map's drawing."""
    return watch(page_without_gl)


def hostile_elements(page) -> int:
    """Elements that only rendered payloads would create."""
    return (
        page.locator("img[src='x'], svg[onload], a[href^='javascript'], img[src*='attacker']").count()
        + page.locator("script", has_text="alert(").count()
    )


def test_payloads_show_as_literal_text_in_tooltips_tables_and_the_description(shared_watched):
    page = shared_watched
    canvas = open_map(page, light("/?as_of=2024-06-30"), drawn=False)
    # Only the points layer: its tooltips carry the reports' locations.
    switch_off(page, canvas, "arcs", shown_before=tuple(LIGHT_LAYERS.split(",")))
    box = canvas.bounding_box()
    for deployer, host, lat, lon, payload in PAYLOADS:
        x, y = to_pixel(box, lon, lat)
        page.mouse.move(x, y)
        tooltip = page.locator(".deck-tooltip")
        tooltip.wait_for(state="visible", timeout=15_000)
        lines = tooltip.inner_text().split("\n")
        assert lines[1] == payload, (deployer, host, lines)
        assert page.locator(".deck-tooltip *:not(br)").count() == 0  # text, not HTML
        page.mouse.move(5, 5)
        tooltip.wait_for(state="hidden", timeout=15_000)  # the next hover must not read this one
    # The reports table (newest first: the payload reports on top): the grid's accessible table holds
    # the text of the visible cells, the location column among them (countries by name).
    grid = page.locator("[data-testid='stDataFrame']").last
    grid.locator("[role=gridcell]", has_text="New Zealand").first.wait_for(state="attached", timeout=30_000)
    cells = grid.locator("[role=gridcell]").all_inner_texts()
    assert [payload for *_, payload in PAYLOADS if payload in cells] == [p for *_, p in PAYLOADS]
    # The filter description quotes the typed source filter: shown literally, not as markdown or HTML.
    for *_, payload in PAYLOADS[1:4]:
        field = page.get_by_role("textbox", name="Source contains")
        field.fill(payload)
        field.press("Enter")
        expected = f'source contains "{payload}"'
        page.locator("[data-testid='stMarkdown']", has_text=expected).first.wait_for(timeout=30_000)
        page.wait_for_timeout(500)
    page.locator("[data-testid='stMain']").screenshot(path=str(ARTIFACTS / "hostile-map.png"))
    assert hostile_elements(page) == 0
    assert page.dialogs == []
    assert page.outside == [], "a request left for another host"
    assert page.failed == []


def test_an_anonymous_browser_never_receives_a_pending_report(shared_watched_without_gl):
    page = shared_watched_without_gl  # tables, pages and websocket frames, not the map's drawing
    open_map(page, light("/?deployer=USA&host=JPN&as_of=2024-06-30"), drawn=False)
    grid = page.locator("[data-testid='stDataFrame']").last
    grid.locator("[role=gridcell]", has_text="Fixture DMDC").first.wait_for(state="attached", timeout=30_000)
    search = page.get_by_label("Search reports")
    search.fill(PENDING)
    search.press("Enter")
    page.get_by_text("0 reports.").wait_for(timeout=30_000)
    for path in ("/submit", "/about", "/review"):
        page.goto(page.base + path)
        page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1_500)
        assert page.get_by_role("link", name="Review").count() == 0  # not listed for anonymous
        assert PENDING not in page.content()
    # /review, single-user here: says why nothing is reviewed (with editors: a sign-in prompt, see
    # test_login_browser.py), never "Page not found".
    page.locator("[data-testid='stMain']").get_by_text("No editor accounts are configured").wait_for(timeout=30_000)
    assert page.get_by_text("Page not found").count() == 0
    received = b"".join(page.frames_in)
    assert b"Fixture DMDC" in received  # control: published reports' text does arrive this way
    assert PENDING.encode() not in received and b"77777" not in received
    assert page.outside == []


@pytest.fixture
def editor_secrets(tmp_path, monkeypatch):
    """A secrets file with two editors, given to the server through Streamlit's secrets.files option."""
    digest = users.hash_password(PASSWORD)
    path = tmp_path / "secrets.toml"
    path.write_text(f'[editors]\nalice = "{digest}"\nbob = "{digest}"\n', encoding="utf-8")
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(path))
    return path


@pytest.fixture
def editor_page(editor_secrets, watched_without_gl):
    return watched_without_gl  # the sidebar's login and the review page, not the map's drawing


def test_an_editor_logs_in_approves_a_pending_report_and_logs_out(editor_page, request):
    page = editor_page
    pending = request.node.pending_id
    open_map(page, light(), drawn=False)
    assert page.get_by_role("link", name="Review").count() == 0
    page.get_by_test_id("stExpander").get_by_text("Editor login").click()
    page.get_by_label("Editor name").fill("alice")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Signed in as editor alice").wait_for(timeout=30_000)
    page.get_by_role("link", name="Review (1)").click()
    page.get_by_text(f"Report #{pending}: United States in Japan").wait_for(timeout=30_000)
    # An editor does receive it: the report's fields (troops on the third row of the fields grid).
    page.locator("[role=gridcell]", has_text="77777").first.wait_for(state="attached", timeout=30_000)
    page.get_by_role("button", name="Approve").click()
    page.get_by_text(f"Report #{pending} approved and published (now version 2).").wait_for(timeout=30_000)
    page.get_by_text("No report awaits review.").wait_for(timeout=30_000)
    page.get_by_text("Signed in as editor alice").wait_for(timeout=30_000)  # still there after reruns
    page.get_by_role("button", name="Log out").click()
    page.get_by_test_id("stExpander").get_by_text("Editor login").wait_for(timeout=30_000)
    assert page.get_by_role("link", name="Review").count() == 0
    assert page.dialogs == [] and page.outside == []


# --- uploads that crashed the page (issue 12): a field over csv's 131,072 characters, CR-only endings --
CSV_HEADER = (
    "deployer,host,troops,troops_max,count_kind,date,date_precision,status,mission,location,lat,lon,source_name"
)
UPLOAD_ROW = "FRA,TCD,{troops},,exact,2023-05-01,day,present,,{location},,,Upload browser test"


def upload(page, name: str, body: bytes) -> None:
    page.goto(page.base + "/submit")
    page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=60_000)
    page.get_by_role("tab", name="Upload a CSV").click()
    page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": body}]
    )


def no_crash(page) -> None:
    page.wait_for_timeout(1_500)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Traceback").count() == 0


def test_an_upload_with_cr_only_line_endings_is_previewed_and_imported(watched):
    page = watched
    rows = [UPLOAD_ROW.format(troops=n * 100, location=f"CR-only {n}") for n in (1, 2, 3)]
    upload(page, "cr-only.csv", "\r".join([CSV_HEADER, *rows, ""]).encode())
    page.get_by_text("3 valid report(s), ready to import.").wait_for(timeout=60_000)
    no_crash(page)
    page.get_by_role("button", name="Import 3 report(s)").click()
    page.get_by_text("Import finished: imported 3, skipped 0 duplicates").wait_for(timeout=60_000)
    no_crash(page)
    assert page.dialogs == [] and page.outside == []


def test_an_upload_with_a_field_over_131072_characters_names_its_line_and_field(shared_watched):
    page = shared_watched  # refused before import: the shared app checks that nothing was written
    rows = [UPLOAD_ROW.format(troops=100, location="fine"), UPLOAD_ROW.format(troops=200, location="L" * 140_000)]
    upload(page, "huge-field.csv", "\n".join([CSV_HEADER, *rows, ""]).encode())
    page.get_by_text("1 line(s) have errors; nothing will be imported").wait_for(timeout=60_000)
    no_crash(page)
    grid = page.locator("[data-testid='stDataFrame']").last
    grid.locator("[role=gridcell]", has_text="location").first.wait_for(state="attached", timeout=30_000)
    cells = grid.locator("[role=gridcell]").all_inner_texts()
    assert "3" in cells and "location" in cells  # line 3 (the header is line 1), field location
    assert page.get_by_role("button", name="Import 2 report(s)").count() == 0
    assert page.get_by_role("button", name="Import 1 report(s)").count() == 0
    assert page.dialogs == [] and page.outside == []
