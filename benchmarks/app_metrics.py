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


def reruns_and_deck(store: Path) -> dict[str, float]:
    """Map page timings with AppTest, each rerun on a value not seen before (no cache hit):

    map_rerun_filter_s: best rerun after choosing one deployer (the common narrowing);
    map_rerun_date_s: best rerun after moving the date (presence of every pair recomputed);
    deck_json_bytes: size of the deck.gl JSON on the unfiltered map.
    """
    import datetime as dt

    from streamlit.testing.v1 import AppTest

    os.environ[ENV_VAR] = f"sqlite:///{store}"
    app = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=600).run()
    if app.exception:
        raise RuntimeError(f"the map page failed: {app.exception}")
    deck = app.get("deck_gl_json_chart")[0]
    size = len(deck.proto.json.encode()) + len(deck.proto.tooltip.encode())
    json.loads(deck.proto.json)  # it must be valid JSON

    def best_rerun(change, values) -> float:
        best = float("inf")
        for value in values:
            change(value)
            start = time.perf_counter()
            app.run()
            best = min(best, time.perf_counter() - start)
            if app.exception:
                raise RuntimeError(f"the map page failed: {app.exception}")
        return best

    deployers = list(app.sidebar.multiselect(key="deployers").options)[:5]
    filter_s = best_rerun(lambda d: app.sidebar.multiselect(key="deployers").set_value([d]), deployers)
    app.sidebar.multiselect(key="deployers").set_value([]).run()
    dates = [dt.date(2015, 1, 1) + dt.timedelta(days=97 * i) for i in range(3)]
    date_s = best_rerun(lambda d: app.text_input(key="as_of_input").set_value(d.isoformat()), dates)
    return {"map_rerun_filter_s": filter_s, "map_rerun_date_s": date_s, "deck_json_bytes": size}


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
        env={**os.environ, ENV_VAR: f"sqlite:///{store}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
            )
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
