"""The store on disk: pragmas every connection gets, migrations, and write transactions."""

import datetime as dt
import threading

from sqlalchemy import inspect, text

from core.filters import Filters
from core.presence import presence_as_of
from core.store import current_revision, make_engine, reading, upgrade, writing


def test_sqlite_connections_get_wal_busy_timeout_foreign_keys_and_full_sync(engine):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_upgrade_is_idempotent_and_creates_the_indexes(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 's.sqlite'}")
    assert current_revision(engine) is None
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == "0008"
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("reports")}
    assert {"ix_reports_pair_date", "ix_reports_announced", "ix_reports_date"} <= indexes
    assert "ix_reports_counted" not in indexes  # dropped by 0008: no query used it


def test_a_failed_write_transaction_leaves_nothing(engine):
    try:
        with writing(engine) as session:
            session.execute(
                text(
                    "INSERT INTO reports (deployer, host, count_kind, date, date_precision, status, scope_key,"
                    " source_name, review_state, version, created_at, updated_at) VALUES ('RUS','VEN','unknown',"
                    "'2019-03-01','month','present','','X','published',1,'2026-01-01','2026-01-01')"
                )
            )
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM reports").scalar() == 0


def test_write_transactions_take_the_lock_at_begin(engine):
    """A second writer waits on BEGIN IMMEDIATE instead of failing later with 'database is locked'."""
    order = []
    first_has_lock = threading.Event()

    def first():
        with writing(engine) as session:
            session.execute(text("SELECT 1"))
            first_has_lock.set()
            threading.Event().wait(0.5)
            order.append("first done")

    def second():
        first_has_lock.wait()
        with writing(engine) as session:
            session.execute(text("SELECT 1"))
            order.append("second done")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert order == ["first done", "second done"]


def test_store_version_changes_on_every_write(any_fixture_engine):
    from sqlalchemy import select

    from core.ingest import add_report
    from core.models import Report
    from core.store import reading, store_version
    from core.validation import validate

    def version():
        with reading(any_fixture_engine) as session:
            return store_version(session)

    before = version()
    assert version() == before  # stable while nothing changes
    with writing(any_fixture_engine) as session:
        add_report(session, validate({"deployer": "FRA", "host": "TCD", "date": "2020", "source_name": "X"}))
    added = version()
    assert added != before
    with writing(any_fixture_engine) as session:
        report = session.execute(select(Report).where(Report.host == "TCD")).scalar_one()
        report.notes = "edited"
    assert version() != added


def test_the_database_keeps_the_scopes_of_reports_written_by_plain_sql(any_engine):
    insert = (
        "INSERT INTO reports (deployer, host, troops, count_kind, date, date_precision, status, scope_key,"
        " source_name, review_state, version, created_at, updated_at) VALUES ('FRA', 'MLI', 5, 'exact',"
        " :date, 'day', 'present', :key, 'plain SQL', 'published', 1, :now, :now)"
    )
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with any_engine.begin() as conn:
        conn.execute(text(insert), {"date": dt.date(2020, 1, 1), "key": "", "now": now})
        conn.execute(text(insert), {"date": dt.date(2020, 1, 2), "key": "|gao", "now": now})
        conn.execute(text("UPDATE reports SET host = 'NER' WHERE scope_key = '|gao'"))
    with any_engine.connect() as conn:
        scopes = set(map(tuple, conn.execute(text("SELECT deployer, host, scope_key FROM scopes"))))
    assert scopes == {("FRA", "MLI", ""), ("FRA", "MLI", "|gao"), ("FRA", "NER", "|gao")}
    with reading(any_engine) as session:
        shown = presence_as_of(session, dt.date(2020, 1, 5), Filters())
    assert set(zip(shown["deployer"], shown["host"], strict=True)) == {("FRA", "MLI"), ("FRA", "NER")}
