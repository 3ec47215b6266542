"""Concurrent writers on one SQLite file: 4 OS processes x 500 submissions, none lost, none refused."""

import subprocess
import sys
import time

from sqlalchemy import func, select

from core.models import Audit, Report
from core.store import make_engine, reading, upgrade
from tests.conftest import REPO

PROCESSES = 4
EACH = 500

# Each submission is its own write transaction (BEGIN IMMEDIATE): a duplicate check, the report, its
# audit row.
WORKER = """
import sys, time
from core import review
from core.review import Actor, Policy
from core.ingest import possible_duplicates
from core.store import make_engine, writing
from core.validation import validate
url, worker, count, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
engine = make_engine(url)
policy = Policy(editors=frozenset({"alice"}))
while time.time() < start:  # all processes begin together
    time.sleep(0.005)
for n in range(count):
    raw = {"deployer": "FRA", "host": "MLI", "troops": str(worker * 100000 + n), "date": "2020-01-01",
           "source_name": f"worker {worker}"}
    with writing(engine) as session:
        # Read, then write, as the form does: with a deferred BEGIN two such transactions deadlock
        # on the lock upgrade and SQLite answers "database is locked" at once, whatever busy_timeout.
        possible_duplicates(session, validate(raw))
        review.submit(session, raw, Actor.anonymous(), "form", policy)
print(f"worker {worker} done", flush=True)
"""


def test_four_processes_submitting_at_once_lose_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'busy.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    start = time.time() + 3  # time for every interpreter to import core
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, url, str(w), str(EACH), str(start)], cwd=REPO,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for w in range(PROCESSES)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert "database is locked" not in err
        assert proc.returncode == 0, err
        assert "done" in out
    with reading(engine) as s:
        assert s.execute(select(func.count(Report.id))).scalar() == PROCESSES * EACH
        assert s.execute(select(func.count(func.distinct(Report.troops)))).scalar() == PROCESSES * EACH
        assert s.execute(select(func.count(Audit.id))).scalar() == PROCESSES * EACH
        per_worker = dict(s.execute(select(Report.source_name, func.count()).group_by(Report.source_name)).all())
    assert per_worker == {f"worker {w}": EACH for w in range(PROCESSES)}
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()
