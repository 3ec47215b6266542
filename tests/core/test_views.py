"""core.views and the map's presence query (presence_and_points, totals) on the fixture store."""

from __future__ import annotations

import datetime as dt

import pytest

from core import presence, views
from core.filters import Filters
from core.store import reading

AS_OF = dt.date(2019, 7, 1)


@pytest.fixture
def session(fixture_engine):
    with reading(fixture_engine) as s:
        yield s


def test_presence_and_points_agree_with_presence_as_of(session):
    pairs, points = views.presence_and_points(session, AS_OF)
    assert pairs.equals(presence.presence_as_of(session, AS_OF))
    assert presence.totals(pairs, "host").equals(presence.host_totals(session, AS_OF))
    assert presence.totals(pairs, "deployer").equals(presence.deployer_totals(session, AS_OF))
    mali = points[points["host"] == "MLI"]
    assert sorted(mali["mission"]) == ["EUTM Mali", "MINUSMA", "Operation Barkhane"]
    assert mali["troops"].sum() == 1788
    assert not mali["located"].any()  # no coordinates given: drawn at Mali's point


def test_points_carry_report_coordinates_and_the_spread(session):
    _, points = views.presence_and_points(session, AS_OF)
    caracas = points[points["deployer"] == "RUS"].iloc[0]
    assert (caracas["location"], caracas["lat"], caracas["lon"], bool(caracas["located"])) == (
        "Caracas",
        10.4806,
        -66.9036,
        True,
    )
    niger = points[points["host"] == "NER"].iloc[0]
    spread = (niger["troops"], niger["troops_low"], niger["troops_high"], niger["sources"])
    assert spread == (950, 800, 1100, 2)


def test_points_respect_the_filters(session):
    pairs, points = views.presence_and_points(session, AS_OF, Filters(min_troops=1000))
    assert set(points["host"]) == set(pairs[pairs["status"] == "present"]["host"])
    assert "VEN" not in set(points["host"])


def test_no_points_for_withdrawn_or_empty(session):
    _, points = views.presence_and_points(session, dt.date(2025, 1, 1), Filters(hosts=("NER",)))
    assert points.empty


def test_countries_in_store(session):
    deployers, hosts = views.countries_in_store(session)
    assert {"USA", "FRA", "RUS"} <= set(deployers)
    assert {"MLI", "VEN", "CYP"} <= set(hosts)


def test_countries_of_pending_reports_are_not_offered(fixture_engine):
    from core.ingest import add_report
    from core.store import reading, writing
    from core.validation import validate

    report = validate({"deployer": "Fiji", "host": "Tonga", "date": "2020", "source_name": "Unreviewed"})
    with writing(fixture_engine) as s:
        add_report(s, report, review_state="pending")
    with reading(fixture_engine) as s:
        deployers, hosts = views.countries_in_store(s)
    assert "FJI" not in deployers and "TON" not in hosts
    assert "USA" in deployers


@pytest.mark.parametrize("many", [False, True])
def test_reports_as_of_narrows_to_pairs_and_dates(session, monkeypatch, many):
    if many:
        monkeypatch.setattr(views, "MAX_SQL_PAIRS", 0)  # exercise the path for thousands of pairs
    frame = views.reports_as_of(session, AS_OF, Filters(), [("USA", "NER"), ("FRA", "MLI")])
    assert set(zip(frame["deployer"], frame["host"], strict=True)) == {("USA", "NER"), ("FRA", "MLI")}
    assert frame["date"].max() <= "2019-07-01"
    assert list(frame["date"]) == sorted(frame["date"], reverse=True)
    assert len(views.reports_as_of(session, AS_OF, Filters(), [("USA", "NER")], limit=1)) == 1


def test_reports_as_of_text_search_and_empty_pairs(session):
    found = views.reports_as_of(session, dt.date(2024, 12, 31), Filters(), text="DOrALeh")
    assert set(found["host"]) == {"DJI"}
    assert views.reports_as_of(session, AS_OF, Filters(), []).empty
    everything = views.reports_as_of(session, dt.date(2100, 1, 1), Filters())
    assert list(everything.columns) == views.COLUMNS


def test_the_newest_reports_table_reads_an_index_not_the_store(fixture_engine):
    """The map's reports table (the 1,000 newest as of a date) walks the date index and stops at the
    limit: on a million reports a scan and sort of every row dated before the date costs seconds."""
    from sqlalchemy import event

    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "LIMIT" in statement.upper():
            statements.append((statement, parameters))

    event.listen(fixture_engine, "before_cursor_execute", record)
    try:
        with reading(fixture_engine) as s:
            frame = views.reports_as_of(s, AS_OF, Filters(), limit=3)
    finally:
        event.remove(fixture_engine, "before_cursor_execute", record)
    assert len(frame) == 3 and list(frame["date"]) == sorted(frame["date"], reverse=True)
    (statement, parameters), *_ = statements
    with fixture_engine.connect() as connection:
        plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    assert any("USING INDEX ix_reports_date" in step for step in plan), plan
    assert not any(step.startswith("SCAN reports") for step in plan), plan
    assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan  # only ties on one date are sorted


def test_reports_and_points_are_the_same_on_both_backends(postgres_url, fixture_engine):
    """The reports table (read as columns, not ORM objects) and the points (numpy group reductions)
    come out the same from PostgreSQL as from SQLite: dates, numbers and missing values alike."""
    from core.store import make_engine, upgrade
    from tests.conftest import load_fixture_reports

    postgres = make_engine(postgres_url)
    upgrade(postgres)
    load_fixture_reports(postgres)
    frames = []
    for engine in (fixture_engine, postgres):
        with reading(engine) as s:
            reports = views.reports_as_of(s, AS_OF, Filters(), limit=25)
            narrowed = views.reports_as_of(s, AS_OF, Filters(), [("FRA", "MLI")])
            _, points = views.presence_and_points(s, AS_OF)
            frames.append((reports.drop(columns=["id", "created_at", "updated_at"]), narrowed["date"], points))
    postgres.dispose()
    (reports, dates, points), (other_reports, other_dates, other_points) = frames
    assert list(reports["date"]) == sorted(reports["date"], reverse=True)
    assert reports["troops"].dtype == "Int64" and reports["troops"].notna().any()
    assert reports.equals(other_reports)
    assert dates.equals(other_dates)
    assert points.equals(other_points)
