"""The audit trail: exactly one row per action, one per import, history per report; the database
itself refuses UPDATE and DELETE of audit rows (SQLite and PostgreSQL)."""

import json

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from core import review
from core.audit import audit_frame, history, id_ranges, record
from core.cli import main
from core.export import reports_frame
from core.filters import Filters
from core.ingest import BATCH
from core.models import Audit, Report
from core.review import Actor, Policy
from core.store import make_engine, reading, upgrade, writing
from tests.conftest import FIXTURE_CSV, TODAY

ALICE, BOB = Actor("alice", True), Actor("bob", True)
POLICY = Policy(editors=frozenset({"alice", "bob"}))
FORM = {"deployer": "FRA", "host": "MLI", "troops": "1000", "date": "2020-01-15", "source_name": "Ministry"}


def _audit_count(engine) -> int:
    with reading(engine) as s:
        return s.execute(select(func.count(Audit.id))).scalar()


def test_every_action_writes_exactly_one_audit_row(any_engine):
    steps = [
        ("create", lambda s, i: review.submit(s, FORM, Actor.anonymous(), "form", POLICY, today=TODAY)),
        ("edit", lambda s, i: review.edit(s, i, ALICE, {"troops": "1200", "notes": "checked"}, 1, today=TODAY)),
        ("approve", lambda s, i: review.approve(s, i, BOB, 2, POLICY)),
        ("reject", lambda s, i: review.reject(s, i, ALICE, "retracted by the source", 3)),
        ("delete", lambda s, i: review.delete(s, i, BOB, 4)),
    ]
    report_id = None
    for action, step in steps:
        before = _audit_count(any_engine)
        with writing(any_engine) as s:
            result = step(s, report_id)
            report_id = report_id or result.id
        assert _audit_count(any_engine) == before + 1, action
    with reading(any_engine) as s:
        trail = history(s, report_id)
    assert trail["action"].tolist() == ["create", "edit", "approve", "reject", "delete"]
    assert trail["actor"].tolist() == ["anonymous", "alice", "bob", "alice", "bob"]
    assert trail["channel"].tolist() == ["form", "review", "review", "review", "review"]
    assert trail["changes"][1] == {"troops": [1000, 1200], "notes": [None, "checked"]}
    assert trail["reason"][3] == "retracted by the source"


def test_a_refused_action_writes_no_audit_row(any_engine):
    with writing(any_engine) as s:
        report_id = review.submit(s, FORM, ALICE, "form", POLICY, today=TODAY).id
    before = _audit_count(any_engine)
    with pytest.raises(review.PermissionDenied), writing(any_engine) as s:
        review.approve(s, report_id, ALICE, 1, POLICY)
    with pytest.raises(review.StaleVersion), writing(any_engine) as s:
        review.approve(s, report_id, BOB, 7, POLICY)
    assert _audit_count(any_engine) == before


def test_an_import_is_one_audit_row_and_shows_in_each_reports_history(any_engine):
    with writing(any_engine) as s, FIXTURE_CSV.open(encoding="utf-8") as f:
        result = review.submit_csv(s, f, Actor.anonymous(), "csv", POLICY, source_name="upload.csv", today=TODAY)
    assert result.ok and result.imported > 10
    with reading(any_engine) as s:
        rows = s.execute(select(Audit)).scalars().all()
        frame = reports_frame(s, Filters(review_states=("pending",)))
        assert set(frame["review_state"]) == {"pending"} and len(frame) == result.imported
        trail = history(s, int(frame["id"].iloc[0]))
    assert len(rows) == 1 and rows[0].action == "import" and rows[0].report_id is None
    changes = json.loads(rows[0].changes)
    assert changes["count"] == result.imported and changes["source"] == "upload.csv"
    assert trail["action"].tolist() == ["import"]


def test_a_large_import_names_its_id_range_instead_of_every_id(engine):
    rows = "\n".join(f"FRA,MLI,{n},2020-01-01,Src" for n in range(1, 251))
    with writing(engine) as s:
        result = review.submit_csv(
            s,
            "deployer,host,troops,date,source_name\n" + rows,
            ALICE,
            "cli",
            Policy(),
            review_state="published",
            today=TODAY,
        )
    with reading(engine) as s:
        (row,) = s.execute(select(Audit)).scalars().all()
        assert json.loads(row.changes) == {"count": 250, "ranges": [[1, 250]], "review_state": "published"}
        assert history(s, 125)["action"].tolist() == ["import"]
        assert history(s, 251).empty
    assert result.imported == 250


@pytest.mark.parametrize("statement", ["UPDATE audit SET actor = 'mallory'", "DELETE FROM audit"])
def test_the_database_refuses_to_change_or_remove_audit_rows(any_engine, statement):
    with writing(any_engine) as s:
        record(s, "create", "alice", "form", report_id=1, changes={"troops": [None, 5]})
    with pytest.raises(DBAPIError, match="append-only"), any_engine.begin() as conn:
        conn.execute(text(statement))
    with reading(any_engine) as s:
        assert [(r.actor, r.action) for r in s.execute(select(Audit)).scalars()] == [("alice", "create")]


def test_postgres_refuses_truncate_too(postgres_url):
    # TRUNCATE is PostgreSQL's alone (SQLite has no such statement), so this runs on that backend only.
    engine = make_engine(postgres_url)
    upgrade(engine)
    with writing(engine) as s:
        record(s, "create", "alice", "form", report_id=1)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit"))
    engine.dispose()


def test_cli_audit_prints_a_reports_history(engine, capsys):
    with writing(engine) as s:
        report_id = review.submit(s, FORM, Actor.anonymous(), "form", POLICY, today=TODAY).id
        review.reject(s, report_id, ALICE, "duplicate, <b>see</b> #3", 1)
    url = engine.url.render_as_string(hide_password=False)
    assert main(["audit", "--db", url, "--report", str(report_id), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["action"] for r in records] == ["create", "reject"]
    assert records[1]["reason"] == "duplicate, <b>see</b> #3"
    assert main(["audit", "--db", url]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "id,at,report_id,action,actor,channel,changes,reason"
    assert len(out.strip().splitlines()) == 3


def test_cli_import_writes_one_audit_row(engine):
    url = engine.url.render_as_string(hide_password=False)
    assert main(["import", str(FIXTURE_CSV), "--db", url]) == 0
    with reading(engine) as s:
        frame = audit_frame(s)
    assert frame["action"].tolist() == ["import"] and frame["channel"].tolist() == ["cli"]


def _csv(first, count, source, host="MLI"):
    return "deployer,host,troops,date,source_name\n" + "".join(
        f"FRA,{host},{n},2020-01-01,{source}\n" for n in range(first, first + count)
    )


def test_concurrent_imports_on_postgresql_record_exactly_their_own_ids(postgres_url):
    engine = make_engine(postgres_url)
    upgrade(engine)
    b_done = []

    # A's progress after its first batch: B imports and commits meanwhile (another pair: A's new scope row
    # would make B wait for A's commit, and A waits for this callback).
    def import_b(done, total):
        if not b_done:
            with writing(engine) as b:
                b_done.append(
                    review.submit_csv(
                        b, _csv(1, 150, "B", host="NER"), BOB, "cli", Policy(), review_state="published", today=TODAY
                    )
                )

    with writing(engine) as a:
        review.submit_csv(
            a, _csv(1, 2 * BATCH, "A"), ALICE, "cli", Policy(), review_state="published", today=TODAY, progress=import_b
        )
    assert b_done
    with reading(engine) as s:
        owners = dict(s.execute(select(Report.id, Report.source_name)).all())
        submitters = dict(s.execute(select(Report.id, Report.submitted_by)).all())
        for row in s.execute(select(Audit).order_by(Audit.id)).scalars():
            changes = json.loads(row.changes)
            covered = [i for i in owners if any(f <= i <= last for f, last in changes["ranges"])]
            assert {owners[i] for i in covered} == {"A" if row.actor == "alice" else "B"}
            assert len(covered) == changes["count"]
            assert history(s, covered[-1])["actor"].tolist() == [row.actor]
    assert {owners[i]: submitters[i] for i in owners} == {"A": "alice", "B": "bob"}
    engine.dispose()


@pytest.mark.parametrize(
    ("ids", "ranges"),
    [([1, 2, 3], [[1, 3]]), ([7, 1, 2, 8], [[1, 2], [7, 8]]), ([5], [[5, 5]]), ([1, 3, 5], [[1, 1], [3, 3], [5, 5]])],
)
def test_id_ranges(ids, ranges):
    assert id_ranges(ids) == ranges
