"""The DuckDB reference must give Garrison's answers, or the benchmark compares nothing."""

import datetime as dt

import pandas as pd
import pytest

from benchmarks import reference
from core.domain import scope_key
from core.filters import Filters
from core.ingest import import_rows
from core.presence import presence_as_of
from core.store import reading, writing
from core.synth import synth_rows
from core.validation import parse_partial_date
from tests.conftest import TODAY

DATES = ["2013-06-01", "2019-04-01", "2019-12-31", "2022-12-31", "2026-01-01"]


def same(store_engine, as_of, host=None):
    with reading(store_engine) as session:
        ours = presence_as_of(session, as_of, Filters(hosts=(host,) if host else ()))
        con = reference.load(session)
    theirs = reference.presence(con, as_of, host)
    pd.testing.assert_frame_equal(reference.normalise(ours), reference.normalise(theirs))
    return ours


@pytest.mark.parametrize("as_of", DATES)
def test_reference_agrees_on_the_fixture_store(fixture_engine, as_of):
    same(fixture_engine, dt.date.fromisoformat(as_of))


def test_reference_agrees_on_synthetic_reports(any_engine):
    with writing(any_engine) as session:
        result = import_rows(session, enumerate(synth_rows(4000, seed=7), start=2), today=TODAY)
    assert result.ok and result.imported > 3900
    for as_of in ("2001-01-01", "2012-07-15", "2025-12-31"):
        ours = same(any_engine, dt.date.fromisoformat(as_of))
        assert len(ours) > 100
    same(any_engine, dt.date(2025, 12, 31), host="USA")


# --- The reference on its own: hand-made report sets loaded straight into DuckDB ---------------------


def report(
    date,
    troops=None,
    *,
    scope=("", ""),
    status="present",
    source="Outlet A",
    high=None,
    kind=None,
    review="published",
    source_date=None,
):
    """One row of reference.COLUMNS; date as written in a CSV ('2019', '2019-06', '2019-06-30')."""
    day, precision = parse_partial_date(date)
    if kind is None:
        kind = "range" if high is not None else ("exact" if troops is not None else "unknown")
    return {
        "deployer": "FRA",
        "host": "MLI",
        "scope_key": scope_key(*scope),
        "date": day,
        "date_precision": precision,
        "status": status,
        "troops": troops,
        "troops_max": high,
        "count_kind": kind,
        "source_name": source,
        "source_date": source_date,
        "review_state": review,
    }


def answer(reports, as_of):
    frame = pd.DataFrame([{"id": i, **r} for i, r in enumerate(reports, start=1)], columns=reference.COLUMNS)
    out = reference.normalise(reference.presence(reference.load_frame(frame), dt.date.fromisoformat(as_of)))
    assert len(out) == 1, out
    return out.iloc[0]


BARKHANE = ("Operation Barkhane", "")
MINUSMA = ("MINUSMA", "")
GAO = ("MINUSMA", "Gao")
DMDC_STARTER = "DMDC personnel report, 2019-09 (via troopdata)"

# (reports, as_of, expected): expected troops, troops_low, troops_high, sources, status, and any more columns.
CASES = {
    "1 same day present beside withdrawn": (
        [report("2020-05-01", 1000), report("2020-05-01", status="withdrawn", source="Outlet B")],
        "2020-12-31",
        dict(troops=1000, troops_low=0, troops_high=1000, sources=2, status="present", conflict=True),
    ),
    "2 part withdrawn, its size unknown": (
        [report("2020", 5100), report("2022", scope=BARKHANE, status="withdrawn", source="Outlet B")],
        "2022-12-31",
        dict(
            troops=5100,
            troops_low=0,
            troops_high=5100,
            sources=2,
            status="present",
            conflict=False,
            figure_date=dt.date(2020, 1, 1),
        ),
    ),
    "3 location inside its mission on one date": (
        [report("2019-03-01", 1000, scope=MINUSMA), report("2019-03-01", 200, scope=GAO, source="Outlet B")],
        "2019-12-31",
        dict(troops=1000, troops_low=1000, troops_high=1000, sources=1, status="present", reports=1),
    ),
    "4 presence without a number keeps the figure": (
        [report("2019-02-01", 1000), report("2020-03-01", source="Outlet B")],
        "2020-12-31",
        dict(
            troops=1000,
            troops_low=1000,
            troops_high=1000,
            sources=2,
            status="present",
            figure_date=dt.date(2019, 2, 1),
            last_report_date=dt.date(2020, 3, 1),
            days_since_report=305,
            reports=2,
        ),
    ),
    "5 one mission withdrawn, another present without a number": (
        [report("2020-01-01", scope=("A", ""), status="withdrawn"), report("2020-02-01", scope=("B", ""))],
        "2020-12-31",
        dict(troops=None, troops_low=0, troops_high=None, sources=1, status="present"),
    ),
    "6 a day beats a year starting the same day": (
        [report("2019", 4000), report("2019-01-01", 100, source="Outlet B")],
        "2019-12-31",
        dict(
            troops=100,
            troops_low=100,
            troops_high=100,
            sources=1,
            status="present",
            conflict=False,
            figure_date=dt.date(2019, 1, 1),
        ),
    ),
    "7 MDI missions and a newer Geo-PKO location": (
        [
            report("2017", 258, scope=MINUSMA, source="IISS Military Balance via MDI"),
            report("2017", 1, scope=("EUTM Mali", ""), source="IISS Military Balance via MDI"),
            report("2017-06", 150, scope=GAO, source="Geo-PKO (UN deployment maps)"),
        ],
        "2017-12-31",
        dict(
            troops=151,
            troops_low=151,
            troops_high=151,
            sources=2,
            status="present",
            figure_date=dt.date(2017, 6, 1),
            reports=2,
        ),
    ),
    "8a newer parts replace the total": (
        [report("2018", 4500), report("2019-06-30", 1750, scope=BARKHANE), report("2019-06-30", 25, scope=MINUSMA)],
        "2019-12-31",
        dict(troops=1775, troops_low=1775, troops_high=1775, sources=1, status="present"),
    ),
    "8b a withdrawn part adds nothing": (
        [
            report("2019", 1750, scope=BARKHANE),
            report("2019", 25, scope=MINUSMA),
            report("2022", scope=BARKHANE, status="withdrawn"),
        ],
        "2022-12-31",
        dict(troops=25, troops_low=25, troops_high=25, sources=1, status="present"),
    ),
    "8c a withdrawn part takes off what it last had": (
        [
            report("2019", 4500, scope=BARKHANE),
            report("2020", 5100, source="Outlet B"),
            report("2022", scope=BARKHANE, status="withdrawn", source="Outlet C"),
        ],
        "2022-12-31",
        dict(
            troops=600,
            troops_low=600,
            troops_high=600,
            sources=3,
            status="present",
            reports=3,
            figure_date=dt.date(2020, 1, 1),
        ),
    ),
    "9a two sources disagree on one day": (
        [report("2019-09-30", 800), report("2019-09-30", 1000, source="Outlet B")],
        "2019-12-31",
        dict(troops=900, troops_low=800, troops_high=1000, sources=2, status="present", conflict=True),
    ),
    "9b one source family under two names": (
        [report("2019-09-30", 35729, source=DMDC_STARTER), report("2019-09-30", 35729, source="DMDC via troopdata")],
        "2019-12-31",
        dict(troops=35729, troops_low=35729, troops_high=35729, sources=1, status="present", conflict=False, reports=2),
    ),
    "10a a range counts as its midpoint": (
        [report("2019-05-05", 300, high=400)],
        "2019-12-31",
        dict(troops=350, troops_low=300, troops_high=400, sources=1, status="present"),
    ),
    "10b announced alone": (
        [report("2021-01-01", 500, status="announced", source_date="2020-11")],
        "2020-12-31",
        dict(
            troops=None,
            troops_low=None,
            troops_high=None,
            sources=1,
            status="announced",
            announced=1,
            conflict=False,
            figure_date=None,
            last_report_date=dt.date(2020, 11, 1),
        ),
    ),
    "withdrawn alone": (
        [report("2019", 300), report("2020", status="withdrawn")],
        "2020-12-31",
        dict(troops=0, troops_low=0, troops_high=0, sources=1, status="withdrawn", reports=1),
    ),
    "presence again after a withdrawal": (
        [report("2019", 300), report("2020", status="withdrawn"), report("2021")],
        "2021-12-31",
        dict(
            troops=None,
            troops_low=None,
            troops_high=None,
            sources=1,
            status="present",
            figure_date=dt.date(2020, 1, 1),
            last_report_date=dt.date(2021, 1, 1),
        ),
    ),
    "withdrawn beside presence without a number": (
        [report("2020-05-01", status="withdrawn"), report("2020-05-01", source="Outlet B")],
        "2020-12-31",
        dict(troops=None, troops_low=0, troops_high=None, status="present", conflict=True),
    ),
    "a loose location newer than the total replaces it": (
        [report("2019", 1000), report("2020", 200, scope=("", "Gao"), source="Outlet B")],
        "2020-12-31",
        dict(troops=200, sources=1, reports=1, figure_date=dt.date(2020, 1, 1)),
    ),
    "an older part is inside the newer total": (
        [report("2020", 1000), report("2019", 300, scope=BARKHANE, source="Outlet B")],
        "2020-12-31",
        dict(troops=1000, sources=1, reports=1),
    ),
    "a conflict the figure no longer rests on is not shown": (
        [report("2019", 800), report("2019", 1000, source="Outlet B"), report("2020", 900, scope=BARKHANE)],
        "2020-12-31",
        dict(troops=900, sources=1, conflict=False),
    ),
    "a mission's location withdrawn under a pair total": (
        [
            report("2019", 300, scope=GAO),
            report("2020", 5100, source="Outlet B"),
            report("2021", scope=GAO, status="withdrawn", source="Outlet C"),
        ],
        "2021-12-31",
        dict(troops=5100, troops_low=0, troops_high=5100, status="present"),
    ),
    "case and spacing fold source names": (
        [report("2019-09-30", 10, source="Reuters"), report("2019-09-30", 10, source="  reuters ")],
        "2019-12-31",
        dict(troops=10, sources=1, conflict=False),
    ),
    "a location's presence after the pair withdrew revives the pair": (
        [report("2019", 100), report("2020", status="withdrawn"), report("2021", scope=GAO, source="Outlet B")],
        "2021-12-31",
        dict(
            troops=None,
            troops_low=None,
            troops_high=None,
            sources=2,
            status="present",
            last_report_date=dt.date(2021, 1, 1),
        ),
    ),
    "a loose location's later presence confirms the pair total": (
        [report("2019", 35729, source="DMDC"), report("2019-09", scope=("", "Ramstein"), source="Wiki")],
        "2019-12-31",
        dict(troops=35729, sources=2, last_report_date=dt.date(2019, 9, 1), figure_date=dt.date(2019, 1, 1)),
    ),
    "presence older than a mission's number confirms nothing": (
        [report("2018"), report("2019", 100, scope=("M", ""), source="Outlet B")],
        "2019-12-31",
        dict(troops=100, sources=1, reports=1, last_report_date=dt.date(2019, 1, 1)),
    ),
    "pending and future reports do not count": (
        [report("2019", 10), report("2019-06-01", 99, review="pending"), report("2020-06-01", 77)],
        "2019-12-31",
        dict(troops=10, sources=1, reports=1),
    ),
}


@pytest.mark.parametrize("reports, as_of, expected", CASES.values(), ids=CASES.keys())
def test_reference_rule(reports, as_of, expected):
    row = answer(reports, as_of)
    got = {k: (None if row[k] is pd.NA else row[k]) for k in expected}
    assert got == expected
