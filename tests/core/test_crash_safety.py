"""Crash safety with real processes and files: kill -9 halfway through a 50,000-row import, and a
store that runs out of space mid-import. Either way the store passes integrity_check, holds the
count from before (an import is one transaction), and keeps working."""

import csv
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from core import cli, review
from core.filters import Filters
from core.presence import presence_as_of
from core.review import Actor, Policy
from core.store import MAX_PAGES_ENV, make_engine, reading, upgrade, writing
from tests.conftest import FIXTURE_CSV, REPO, TODAY

# Ten times text_progress's threshold (progress lines to kill at) and several times the 8 MB that the
# full-store test leaves free; larger files only made each run slower (about 100 s each under load).
ROWS = 50_000
pytestmark = pytest.mark.slow
PAIRS = [("USA", "DEU"), ("FRA", "MLI"), ("GBR", "EST"), ("RUS", "SYR"), ("TUR", "QAT"), ("CHN", "DJI")]


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    """ROWS distinct valid reports (no duplicates, so a full import adds exactly ROWS)."""
    path = tmp_path_factory.mktemp("big") / "big.csv"
    first = dt.date(1990, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["deployer", "host", "troops", "date", "source_name", "notes"])
        for n in range(ROWS):
            deployer, host = PAIRS[n % len(PAIRS)]
            writer.writerow(
                [
                    deployer,
                    host,
                    n,
                    (first + dt.timedelta(days=n % 12000)).isoformat(),
                    f"Source {n % 97}",
                    "=1+1" if n % 1000 == 0 else "",
                ]
            )
    return path


def _store(tmp_path):
    """A store holding the fixture reports, imported through the CLI in process (so it has an audit row)."""
    path = tmp_path / "store.sqlite"
    url = f"sqlite:///{path}"
    assert cli.main(["import", str(FIXTURE_CSV), "--db", url]) == 0
    return path, url


def _check(path) -> tuple[int, int]:
    """integrity_check must be ok; returns (reports, audit rows). Opening recovers the WAL."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return (
            conn.execute("SELECT count(*) FROM reports").fetchone()[0],
            conn.execute("SELECT count(*) FROM audit").fetchone()[0],
        )
    finally:
        conn.close()


def _still_works(url, expected_reports):
    engine = make_engine(url)
    upgrade(engine)
    with reading(engine) as s:
        assert not presence_as_of(s, TODAY, Filters()).empty
    with writing(engine) as s:
        review.submit(
            s,
            {"deployer": "FRA", "host": "NER", "troops": "5", "date": "2024", "source_name": "after"},
            Actor("cli", True),
            "cli",
            Policy(),
            today=TODAY,
        )
    with reading(engine) as s:
        assert len(presence_as_of(s, TODAY, Filters(deployers=("FRA",), hosts=("NER",)))) == 1
    engine.dispose()
    assert _check(url.removeprefix("sqlite:///"))[0] == expected_reports + 1


# 60%: mid-transaction. 100%: every row inserted, the commit (WAL writes, fsync) under way or done.
@pytest.mark.parametrize("kill_at", ["(60%)", "(100%)"])
def test_kill_9_during_a_large_import_leaves_the_store_as_before(tmp_path, big_csv, kill_at):
    path, url = _store(tmp_path)
    before = _check(path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", "import", str(big_csv), "--db", url],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in proc.stderr:  # progress lines: "big.csv: written 10,000 of 50,000 (20%); saved only when ..."
        seen.append(line)
        if kill_at in line:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=600)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)
    assert any(kill_at in line for line in seen)
    # (The WAL may still be empty: the 64 MB page cache holds the uncommitted pages until commit.)
    after = _check(path)
    assert after in (before, (before[0] + ROWS, before[1] + 1))  # all of it with its audit row, or none
    if kill_at == "(60%)":
        assert after == before
    _still_works(url, after[0])


def test_a_full_store_fails_the_import_cleanly_and_rolls_back(tmp_path, big_csv):
    path, url = _store(tmp_path)
    before = _check(path)
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    env = {**os.environ, MAX_PAGES_ENV: str(pages + 2000)}  # about 8 MB more: a fraction of the import
    done = subprocess.run(
        [sys.executable, "-m", "core", "import", str(big_csv), "--db", url],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "INSERT" not in done.stderr
    assert "the store is full" in done.stderr and "nothing was saved" in done.stderr
    assert len(done.stderr) < 2000
    assert _check(path) == before
    _still_works(url, before[0])
