"""The store's prepared rows (core/asof.py): kept per store version, refreshed by what changed."""

import datetime as dt

from sqlalchemy import text
from sqlalchemy.orm import Session

from core import asof
from core.filters import Filters
from core.ingest import import_csv
from core.models import Report
from core.presence import presence_as_of
from core.store import reading, writing
from tests.conftest import TODAY

AS_OF = dt.date(2020, 1, 1)
HEADER = "deployer,host,troops,date,status,source_name\n"


def _import(engine, body: str) -> None:
    with writing(engine) as session:
        assert import_csv(session, HEADER + body, today=TODAY).ok


def _troops(engine, host: str = "VEN"):
    with reading(engine) as session:
        pairs = presence_as_of(session, AS_OF, Filters(hosts=(host,)))
    return pairs[["deployer", "troops", "status"]].astype(object).values.tolist()


def test_unchanged_store_reuses_the_prepared_rows(any_engine):
    _import(any_engine, "RUS,VEN,100,2019-03,present,Interfax\n")
    with reading(any_engine) as session:
        first = asof.prepared(session)
        assert asof.prepared(session) is first


def test_new_edited_and_withdrawn_reports_show_at_once(any_engine):
    _import(any_engine, "RUS,VEN,100,2019-03,present,Interfax\n")
    assert _troops(any_engine) == [["RUS", 100, "present"]]
    _import(any_engine, "RUS,VEN,,2019-06,withdrawn,Reuters\nCUB,VEN,20,2019-05,present,Reuters\n")
    assert _troops(any_engine) == [["CUB", 20, "present"], ["RUS", 0, "withdrawn"]]
    with writing(any_engine) as session:
        report = session.query(Report).filter_by(deployer="CUB").one()
        report.troops = 25
        report.updated_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    assert _troops(any_engine) == [["CUB", 25, "present"], ["RUS", 0, "withdrawn"]]
    with writing(any_engine) as session:
        session.query(Report).filter_by(deployer="CUB").one().review_state = "deleted"
    assert _troops(any_engine) == [["RUS", 0, "withdrawn"]]


def test_a_row_written_with_plain_sql_counts(any_engine):
    """Presence reads the reports table itself: no side table for the application to keep, and an
    inserted row moves the store version."""
    _import(any_engine, "RUS,VEN,100,2019-03,present,Interfax\n")
    assert _troops(any_engine) == [["RUS", 100, "present"]]
    with writing(any_engine) as session:
        session.execute(
            text(
                "INSERT INTO reports (deployer, host, troops, count_kind, date, date_precision, status, scope_key,"
                " source_name, review_state, version, created_at, updated_at) VALUES ('CHN','VEN',7,'exact',"
                "'2019-04-01','day','present','','Plain SQL','published',1,'2026-01-01','2026-01-01')"
            )
        )
    assert _troops(any_engine) == [["RUS", 100, "present"], ["CHN", 7, "present"]]


def test_rows_read_before_a_rollback_are_dropped(any_engine):
    """A plain session sees its own uncommitted SQL insert (no flush, so the cache is used); once it
    rolls back, the version moves backwards and the prepared rows are rebuilt."""
    _import(any_engine, "RUS,VEN,100,2019-03,present,Interfax\n")
    with Session(any_engine) as session:
        session.execute(
            text(
                "INSERT INTO reports (deployer, host, troops, count_kind, date, date_precision, status, scope_key,"
                " source_name, review_state, version, created_at, updated_at) VALUES ('CUB','VEN',20,'exact',"
                "'2019-05-01','day','present','','Uncommitted','published',1,'2026-01-01','2026-01-01')"
            )
        )
        assert len(presence_as_of(session, AS_OF, Filters(hosts=("VEN",)))) == 2
        session.rollback()
    assert _troops(any_engine) == [["RUS", 100, "present"]]


def test_a_flushed_change_that_is_rolled_back_never_reaches_the_cache(any_engine):
    _import(any_engine, "RUS,VEN,100,2019-03,present,Interfax\n")
    with Session(any_engine) as session:
        session.query(Report).filter_by(deployer="RUS").one().troops = 12345
        session.flush()
        seen = presence_as_of(session, AS_OF, Filters(hosts=("VEN",)))
        assert seen["troops"].tolist() == [12345]
        session.rollback()
    _import(any_engine, "CUB,VEN,20,2019-05,present,Reuters\n")
    assert _troops(any_engine) == [["RUS", 100, "present"], ["CUB", 20, "present"]]


def test_a_plain_sql_delete_is_seen(any_engine):
    _import(any_engine, "RUS,VEN,100,2019-03,present,Interfax\nCUB,VEN,20,2019-05,present,Reuters\n")
    assert len(_troops(any_engine)) == 2
    with writing(any_engine) as session:
        session.execute(text("DELETE FROM reports WHERE deployer = 'RUS'"))
    assert _troops(any_engine) == [["CUB", 20, "present"]]


def test_a_row_committed_with_an_older_stamp_is_read_back(any_engine):
    """A writer that stamped its row before another writer committed, and committed after a read."""
    _import(any_engine, "RUS,VEN,100,2019-03,present,Interfax\n")
    assert _troops(any_engine) == [["RUS", 100, "present"]]
    with writing(any_engine) as session:
        report = session.query(Report).one()
        report.troops = 150
        report.updated_at = report.updated_at - dt.timedelta(seconds=30)
    _import(any_engine, "CUB,VEN,20,2019-05,present,Reuters\n")
    assert _troops(any_engine) == [["RUS", 150, "present"], ["CUB", 20, "present"]]
