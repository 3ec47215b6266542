"""Browser fixtures: the real app (`streamlit run`) on a free port against a temporary store,
driven by Debian's Chromium through Playwright. Skipped, with the reason, where Chromium is missing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from core.store import ENV_VAR

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} not found: apt-get install chromium"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(fixture_db_url, tmp_path):
    """The app's base URL; the server is stopped (by its own process id) after the test."""
    port = _free_port()
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard/app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=REPO,
        env={**os.environ, ENV_VAR: fixture_db_url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a streamlit start on a machine shared with other work
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp_path / "streamlit.log").read_text()) from None
            time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A page that records every request leaving the app and every failed one."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.outside, page.failed = [], []
    page.on(
        "request",
        lambda r: None if r.url.startswith(server) or r.url.startswith("data:") else page.outside.append(r.url),
    )
    page.on("requestfailed", lambda r: page.failed.append(f"{r.url} {r.failure}"))
    page.base = server
    yield page
    context.close()
