"""`garrison serve`: the installed dashboard on any --db, with the packaged Streamlit settings as flags.

The wheel itself is built and served outside the checkout by scripts/wheel_smoke.sh (CI runs it).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

from core import cli
from core.store import ENV_VAR

REPO = Path(__file__).resolve().parents[2]


def test_the_checkout_reads_the_same_streamlit_settings_as_the_package():
    # .streamlit/config.toml (what `streamlit run` reads in a checkout) links to the packaged file.
    assert (REPO / ".streamlit" / "config.toml").resolve() == (REPO / "dashboard" / "config.toml").resolve()


def test_every_packaged_setting_becomes_a_flag():
    config = REPO / "dashboard" / "config.toml"
    settings = tomllib.loads(config.read_text(encoding="utf-8"))
    flags = cli.streamlit_flags(config)
    assert len(flags) == sum(len(table) for table in settings.values())
    assert "--server.enableStaticServing=true" in flags
    assert "--browser.gatherUsageStats=false" in flags
    assert "--client.toolbarMode=minimal" in flags


def test_a_nested_settings_table_becomes_dotted_flags(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[theme.light]\nprimaryColor = "#8c2d04"\n[server]\nheadless = true\n', encoding="utf-8")
    assert cli.streamlit_flags(config) == ["--theme.light.primaryColor=#8c2d04", "--server.headless=true"]


def test_serve_runs_the_packaged_app_on_the_given_store():
    argv, env = cli.serve_command("sqlite:////tmp/x.sqlite", 8765, "127.0.0.1")
    assert argv[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert Path(argv[4]) == REPO / "dashboard" / "server.py"
    assert argv[-2:] == ["--server.port=8765", "--server.address=127.0.0.1"]
    assert env[ENV_VAR] == "sqlite:////tmp/x.sqlite"


def test_serve_refuses_a_store_that_was_never_initialised(tmp_path, capsys):
    assert cli.main(["serve", "--db", f"sqlite:///{tmp_path / 'none.sqlite'}"]) == 2
    assert "run `garrison init` first" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    # As a browser asks (the polygons may come compressed; a page never does: see dashboard/preload.py).
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept-Encoding": "gzip"}), timeout=30) as r:
        assert r.status == 200
        body = r.read()
        assert int(r.headers.get("Content-Length", len(body))) == len(body)
        return gzip.decompress(body) if r.headers.get("Content-Encoding") == "gzip" else body


def _the_map_page_names_the_map_bundle(base: str) -> None:
    """Each page's index.html names deck.gl's bundle (map pages only) and the polygons, which answer."""
    map_page, submit = _get(f"{base}/").decode(), _get(f"{base}/submit").decode()
    bundle = re.search(r'<link rel="modulepreload" crossorigin href="\./(static/js/DeckGlJsonChart[^"]+)"', map_page)
    assert bundle and "countries.geojson" in map_page, map_page[-2000:]
    assert "DeckGlJsonChart" not in submit and "stSkeleton" in submit
    assert len(_get(f"{base}/{bundle.group(1)}")) > 100_000
    assert b"FeatureCollection" in _get(f"{base}/app/static/countries.geojson")[:200]
    assert json.loads(_get(f"{base}/app/static/borders.json"))[1].keys() == {"s", "t"}


def test_serve_answers_its_health_check(fixture_db_url, tmp_path):
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        # The process is the subject here: `serve` execs Streamlit, so this pid is the server's.
        process = subprocess.Popen(
            [sys.executable, "-m", "core", "serve", "--db", fixture_db_url, "--port", str(port)],
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, ENV_VAR: ""},
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=5) as response:
                        assert response.status == 200
                        break
                except OSError:
                    assert process.poll() is None, log_path.read_text()
                    assert time.monotonic() < deadline, log_path.read_text()
                    time.sleep(0.2)
            _the_map_page_names_the_map_bundle(base)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    assert f"serving {fixture_db_url}" in log_path.read_text()
