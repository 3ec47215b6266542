"""Browser fixtures: the real app (`streamlit run`) on a free port against a temporary store,
driven by Debian's Chromium through Playwright. Skipped, with the reason, where Chromium is missing.

Two kinds of server:
- `server` (and `page` on it): one app and one store per test, for tests that write to the store or need
  their own server settings (secrets, environment).
- `shared_server` (and `shared_page` on it): one app per session (per xdist worker) over the fixture store,
  for tests that only read. Each test gets its own browser context (own cookies, own Streamlit session),
  and fails if the store changed under it, so a writing test cannot slip in unnoticed. A module may
  override `shared_app` to read a different store, built once by a seed function (see test_hostile_input).
  Under xdist (--dist loadgroup) all tests on shared apps run on one worker (tests/conftest.py), so each
  shared app starts once per run.
- `module_app` (and `module_page` on it): one app per module, over the fixture store plus what the
  module's `module_seed` adds, with the module's `module_env` (secrets): read-only like a shared app
  (checked the same way), for a module whose tests need a store or settings of their own. Being module-
  scoped, such a module is an xdist group of its own, so it can run beside the shared-app group.
A streamlit start plus its first script run is several seconds on a quiet machine and tens of seconds on
a loaded one; the shared server pays it once.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from core.store import ENV_VAR, make_engine, upgrade
from tests.conftest import load_fixture_reports

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} not found: apt-get install chromium"))


def _die_with_parent() -> None:
    """In the server's process before exec (Linux): SIGTERM when the test process dies without running its
    teardown (an interrupted xdist worker), instead of serving on as an orphan."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(db_url: str, log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`streamlit run dashboard/server.py` (what `garrison serve` runs) on a free port against db_url
    (with `env` added to the environment): yields its base URL once it answers the health check, and
    stops it (by its own process id) afterwards."""
    # Between _free_port and streamlit's bind another xdist worker may take the port: then try another.
    for attempt in range(3):
        try:
            with _app_on_free_port(db_url, log_path, env or {}) as base:
                yield base
                return
        except PortTaken:
            if attempt == 2:
                raise


class PortTaken(RuntimeError):
    pass


@contextlib.contextmanager
def _app_on_free_port(db_url: str, log_path: Path, env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard/server.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=REPO,
        env={**os.environ, **env, ENV_VAR: db_url},
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a streamlit start on a machine shared with other work
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    text = log_path.read_text()
                    raise (PortTaken if "already in use" in text else RuntimeError)(text) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def server(fixture_db_url, tmp_path):
    """The app's base URL over this test's own fixture store; the server is stopped after the test."""
    with running_app(fixture_db_url, tmp_path / "streamlit.log") as base:
        yield base


def store_fingerprint(path: Path) -> str:
    """A digest of every row of every table of a SQLite store (opened read-only)."""
    digest = hashlib.sha256()
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
    return digest.hexdigest()


@dataclass
class SharedApp:
    """A session's read-only app: its base URL, what its seed function returned, and its store's digest."""

    name: str
    base: str
    path: Path
    seeded: Any
    fingerprint: str = field(default="")

    def assert_unchanged(self, test: str) -> None:
        if store_fingerprint(self.path) != self.fingerprint:
            raise AssertionError(
                f"{test} changed the store of the shared app {self.name!r}: a test that writes must use the "
                "`server`/`page` fixtures (its own store), not `shared_server`/`shared_page`"
            )


def _warm_up(browser, base: str) -> None:
    """Open the map once, in a context of its own, so that a new server's first script run (imports, the
    cached country data) falls in the fixture's 180 s start-up budget and not in the first test's waits.
    What warms is the server's run: `browser` is the one without WebGL (see browser_without_gl), and the
    map opens without the country polygons (see test_map_browser.light).
    Only a warm-up: the tests assert, so a page that does not draw here is left for them to report."""
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{base}/?layers=arcs,points", timeout=180_000)
        page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", state="visible", timeout=180_000)
    except PlaywrightError:
        pass
    finally:
        context.close()


@pytest.fixture(scope="session")
def shared_apps(tmp_path_factory, browser_without_gl) -> Iterator[Callable[..., SharedApp]]:
    """`shared_apps(name, seed=None)`: the session's app over a store holding the fixture reports plus what
    `seed(engine)` adds (its return value is kept as `.seeded`); started (and warmed up) on first use,
    stopped at the end."""
    apps: dict[str, SharedApp] = {}
    with contextlib.ExitStack() as stack:

        def get(name: str, seed: Callable[[Any], Any] | None = None) -> SharedApp:
            if name not in apps:
                folder = tmp_path_factory.mktemp(f"shared-{name}")
                apps[name] = stack.enter_context(started_app(name, folder, browser_without_gl, seed))
            return apps[name]

        yield get


@contextlib.contextmanager
def started_app(
    name: str, folder: Path, browser, seed: Callable[[Any], Any] | None = None, env: dict[str, str] | None = None
) -> Iterator[SharedApp]:
    """A read-only app over a new store in `folder` (the fixture reports plus what `seed` adds), warmed up
    in `browser` (one without WebGL will do: what warms is the server's first run)."""
    path = folder / "garrison.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    load_fixture_reports(engine)
    seeded = seed(engine) if seed is not None else None
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    with running_app(url, folder / "streamlit.log", env) as base:
        _warm_up(browser, base)
        yield SharedApp(name, base, path, seeded, store_fingerprint(path))


@pytest.fixture(scope="module")
def module_seed() -> Callable[[Any], Any] | None:
    """What a module's own app adds to the fixture store (a module overrides this)."""
    return None


@pytest.fixture(scope="module")
def module_env() -> dict[str, str]:
    """Environment a module's own app starts with, e.g. STREAMLIT_SECRETS_FILES (a module overrides this)."""
    return {}


@pytest.fixture(scope="module")
def module_app(request, tmp_path_factory, browser_without_gl, module_seed, module_env) -> Iterator[SharedApp]:
    """The module's own read-only app (see this file's docstring)."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    folder = tmp_path_factory.mktemp(f"module-{name}")
    with started_app(name, folder, browser_without_gl, module_seed, module_env) as app:
        yield app


@pytest.fixture
def module_page(browser, module_app, request):
    """A page on the module's own app, in its own browser context; the test fails if the store changed."""
    with watched_page(browser, module_app.base) as page:
        yield page
    module_app.assert_unchanged(request.node.nodeid)


@pytest.fixture
def shared_app(shared_apps) -> SharedApp:
    """The session's app over the plain fixture store (a module may override this fixture)."""
    return shared_apps("fixture")


@pytest.fixture
def shared_server(shared_app, request) -> Iterator[str]:
    """The base URL of the session's read-only app; the test fails if the store changed during it."""
    yield shared_app.base
    shared_app.assert_unchanged(request.node.nodeid)


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright's driver, once per session (per xdist worker): both browsers below run under it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def _launch(driver, *extra: str):
    return driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-dev-shm-usage", *extra]
    )


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """One Chromium for the session (per xdist worker); each test opens its own context."""
    chromium = _launch(playwright_driver)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def browser_without_gl(playwright_driver):
    """A second Chromium, without WebGL (`--disable-3d-apis`), for tests that never look at the map's
    drawing: widgets, the URL, tables, login, downloads, server warm-ups. The rest of the page renders as
    before; the deck chart's canvas stays blank (deck.gl reports that it cannot create a WebGL context,
    a console error no test reads). Measured with this checkout's Chromium: a map load costs about 2-3
    CPU-seconds less, mostly the GPU process's software GL (SwiftShader), which draws the deck even
    without the country polygons. A test that hovers, clicks the map or looks at its pixels uses `browser`."""
    chromium = _launch(playwright_driver, "--disable-3d-apis")
    yield chromium
    chromium.close()


@contextlib.contextmanager
def watched_page(browser, base: str):
    """A page in a fresh browser context that records every request leaving the app and every failed one."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    # Clicks, fills and navigations without their own timeout: Playwright's 30 s is short on a machine
    # shared with other work (explicit waits in the tests keep theirs).
    context.set_default_timeout(90_000)
    try:
        page = context.new_page()
        page.outside, page.failed = [], []
        page.on(
            "request",
            lambda r: None if r.url.startswith(base) or r.url.startswith("data:") else page.outside.append(r.url),
        )
        page.on("requestfailed", lambda r: page.failed.append(f"{r.url} {r.failure}"))
        page.base = base
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, server):
    """A page on this test's own server (see watched_page)."""
    with watched_page(browser, server) as page:
        yield page


@pytest.fixture
def shared_page(browser, shared_server):
    """A page on the session's read-only server, in its own browser context (see watched_page)."""
    with watched_page(browser, shared_server) as page:
        yield page


@pytest.fixture
def shared_page_without_gl(browser_without_gl, shared_server):
    """shared_page in the browser without WebGL (see browser_without_gl)."""
    with watched_page(browser_without_gl, shared_server) as page:
        yield page


@pytest.fixture
def page_without_gl(browser_without_gl, server):
    """page (this test's own server) in the browser without WebGL (see browser_without_gl)."""
    with watched_page(browser_without_gl, server) as page:
        yield page
