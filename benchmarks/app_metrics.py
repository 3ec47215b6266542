"""Dashboard metrics for the benchmark: rerun time and deck JSON size (AppTest), app memory (browser)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from core.store import ENV_VAR

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")


def rerun_and_deck(store: Path) -> tuple[float, int]:
    """(best rerun time after a filter change, bytes of the deck.gl JSON) on the map page."""
    from streamlit.testing.v1 import AppTest

    os.environ[ENV_VAR] = f"sqlite:///{store}"
    app = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=600).run()
    if app.exception:
        raise RuntimeError(f"the map page failed: {app.exception}")
    best = float("inf")
    # A new value each time: every rerun computes a new answer (a repeated value would hit the cache).
    for value in (1000, 1100, 1200, 1300, 1400):
        app.sidebar.number_input(key="min_troops").set_value(value)
        start = time.perf_counter()
        app.run()
        best = min(best, time.perf_counter() - start)
    app.sidebar.number_input(key="min_troops").set_value(None).run()
    deck = app.get("deck_gl_json_chart")[0]
    size = len(deck.proto.json.encode()) + len(deck.proto.tooltip.encode())
    json.loads(deck.proto.json)  # it must be valid JSON
    return best, size


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_peak_rss_mb(store: Path) -> float | None:
    """Peak resident memory (VmHWM) of `streamlit run` after a browser has drawn the map; None without Chromium."""
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=REPO, env={**os.environ, ENV_VAR: f"sqlite:///{store}"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                        args=["--no-sandbox", "--disable-dev-shm-usage"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(base)
            page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", state="visible", timeout=600_000)
            page.wait_for_timeout(2000)
            browser.close()
        for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None
    finally:
        process.terminate()
        process.wait(timeout=20)
