"""`garrison backup`: SQLite's online backup API copies a store while another process writes."""

import sqlite3
import subprocess
import sys
import time

import pytest

from core.backup import BackupError, backup
from core.cli import main
from core.filters import Filters
from core.presence import presence_as_of
from core.review import pending_count
from core.store import make_engine, reading, upgrade
from tests.conftest import REPO, TODAY
from tests.core.test_concurrency import WORKER


def _integrity(path) -> tuple[str, int, int]:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("PRAGMA integrity_check").fetchone()[0],
            conn.execute("SELECT count(*) FROM reports").fetchone()[0],
            conn.execute("SELECT count(*) FROM audit").fetchone()[0],
        )
    finally:
        conn.close()


def test_a_backup_taken_during_writes_restores_and_is_consistent(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    writer = subprocess.Popen(
        [sys.executable, "-c", WORKER, url, "1", "100000", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.time() + 60
        while _integrity(tmp_path / "live.sqlite")[1] == 0 and time.time() < deadline:
            time.sleep(0.2)  # the writer has started writing
        copies = []
        while len(copies) < 3 and time.time() < deadline:
            time.sleep(1.5)
            assert writer.poll() is None, writer.stderr.read()
            dest = tmp_path / f"copy{len(copies)}.sqlite"
            assert main(["backup", str(dest), "--db", url]) == 0
            copies.append(dest)
    finally:
        writer.kill()
        writer.wait()
    counts = []
    for dest in copies:
        check, reports, audits = _integrity(dest)
        assert check == "ok"
        assert reports == audits  # each submission commits its report and its audit row together
        counts.append(reports)
        restored = make_engine(f"sqlite:///{dest}")
        upgrade(restored)  # already at head: a no-op
        with reading(restored) as s:
            # the writer's submissions are pending: read them back through the ORM, all of them
            assert pending_count(s) == reports
            assert presence_as_of(s, TODAY, Filters()).empty
        restored.dispose()
    assert counts == sorted(counts) and counts[-1] > counts[0] > 0  # taken while the writer kept going
    engine.dispose()


def test_backup_refuses_an_existing_file_and_postgres(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    upgrade(make_engine(url))
    (tmp_path / "exists.sqlite").write_text("keep me")
    assert main(["backup", str(tmp_path / "exists.sqlite"), "--db", url]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "exists.sqlite").read_text() == "keep me"
    with pytest.raises(BackupError, match="pg_dump"):
        backup("postgresql+psycopg://u@localhost/garrison", tmp_path / "pg.sqlite")
    with pytest.raises(BackupError, match="no such store"):
        backup(f"sqlite:///{tmp_path / 'missing.sqlite'}", tmp_path / "m.sqlite")
