"""Presence through the store: the same answers as the pure rule (tests/core/test_rule.py), through
SQLite and PostgreSQL, with filters, totals, the reports behind a figure and a pair's history."""

import datetime as dt

import pandas as pd

from core import rule
from core.domain import scope_key
from core.filters import Filters
from core.ingest import import_csv
from core.presence import (
    date_range,
    deployer_totals,
    host_totals,
    pair_history,
    presence_as_of,
    reports_behind,
)
from core.store import reading, writing
from core.validation import parse_partial_date

D = dt.date.fromisoformat


def evaluate(frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The pure rule over an exported frame (dates as written)."""
    parsed = [parse_partial_date(d) for d in frame["date"]]
    frame = frame.assign(
        date=[d for d, _ in parsed],
        date_precision=[p for _, p in parsed],
        scope_key=[scope_key(m, loc) for m, loc in zip(frame["mission"], frame["location"], strict=True)],
    )
    return rule.evaluate(rule.build(frame), as_of).pairs


SEED_CSV = "deployer,host,troops,count_kind,date,source_name\nRussia,Venezuela,100,approx,2019-03,Interfax\n"


def _import(any_engine, text):
    with writing(any_engine) as session:
        result = import_csv(session, text)
    assert result.ok, result.errors
    return result


def test_seed_article_through_the_store(any_engine):
    _import(any_engine, SEED_CSV)
    with reading(any_engine) as session:
        pairs = presence_as_of(session, D("2019-04-01"), Filters.build(hosts=["Venezuela"]))
    assert pairs[["deployer", "host", "troops"]].values.tolist() == [["RUS", "VEN", 100]]
    _import(any_engine, "deployer,host,date,status,source_name\nRUS,VEN,2019-06,withdrawn,Later source\n")
    with reading(any_engine) as session:
        pairs = presence_as_of(session, D("2019-07-01"), Filters.build(hosts=["VEN"]))
    assert pairs[["troops", "status"]].values.tolist() == [[0, "withdrawn"]]


def test_announced_alone_shows_no_presence_through_the_store(any_engine):
    _import(any_engine, "deployer,host,date,status,source_name\nRUS,VEN,2019-04,announced,Interfax\n")
    with reading(any_engine) as session:
        pairs = presence_as_of(session, D("2019-05-01"))
        totals = host_totals(session, D("2019-05-01"))
    assert pairs["status"].tolist() == ["announced"]
    assert pairs["troops"].isna().all()
    assert totals.empty


def test_store_answers_match_the_pure_rule(any_fixture_engine):
    """The SQL pre-selection must not change the answer: compare with evaluate() over all rows."""
    from core.export import reports_frame

    with reading(any_fixture_engine) as session:
        everything = reports_frame(session)
        for as_of in ("2013-06-01", "2018-06-01", "2019-04-01", "2019-12-31", "2022-12-31", "2026-01-01"):
            stored = presence_as_of(session, D(as_of))
            pd.testing.assert_frame_equal(stored, evaluate(everything, D(as_of)))


def test_filters_and_aggregates(any_fixture_engine):
    as_of = D("2020-06-01")
    with reading(any_fixture_engine) as session:
        usa = presence_as_of(session, as_of, Filters(deployers=("USA",)))
        big = presence_as_of(session, as_of, Filters(min_troops=10_000))
        africa = presence_as_of(session, as_of, Filters(regions=("Africa",)))
        sourced = presence_as_of(session, as_of, Filters(source_text="outlet b"))
        hosts = host_totals(session, as_of)
        deployers = deployer_totals(session, as_of)
    assert set(usa["host"]) == {"NER", "DEU", "JPN"}
    assert set(big["host"]) == {"DEU", "JPN"}
    assert set(africa["host"]) == {"MLI", "NER", "DJI"}
    assert sourced[["deployer", "host", "troops"]].values.tolist() == [["USA", "NER", 1100]]
    assert hosts.set_index("host").loc["DEU", "troops"] == 34500
    usa_abroad = deployers.set_index("deployer").loc["USA"]
    assert usa_abroad["troops"] == 34500 + 55000 + 950
    assert usa_abroad["hosts"] == 3


def test_reports_behind_and_history(any_fixture_engine):
    with reading(any_fixture_engine) as session:
        behind = reports_behind(session, "FRA", "MLI", D("2020-01-01"))
        history = pair_history(session, "USA", "NER")
        span = date_range(session)
    counted = behind[behind["counted"]]
    assert sorted(counted["troops"].fillna(0)) == [0, 13, 25, 1750]  # the 0 is Serval's end
    assert not behind.loc[behind["troops"] == 4000, "counted"].any()
    assert history["troops"].tolist() == [950, 0]
    assert history["status"].tolist() == ["present", "withdrawn"]
    assert span == (D("2013-03-01"), D("2024-09-15"))


def test_describe():
    f = Filters.build(
        deployers=["Russia"],
        hosts=["VEN"],
        min_troops=100,
        source_text="Interfax",
        since=D("2019-01-01"),
        until=D("2024-12-31"),
    )
    assert f.describe("Presence", as_of=D("2019-04-01")) == (
        "Presence as of 2019-04-01 where deployer = Russia and host = Venezuela and troops ≥ 100 "
        'and source contains "Interfax" and dated 2019-01-01 to 2024-12-31'
    )
    assert Filters().describe() == "Reports"


def test_pair_history_matches_the_rule_at_every_date(any_engine):
    """The one-pass history gives, at each report date, what the rule gives over all the pair's reports."""
    from core.ingest import import_rows
    from core.synth import synth_rows

    with writing(any_engine) as session:
        assert import_rows(session, enumerate(synth_rows(3000, seed=3), start=2)).ok
    from core.export import reports_frame

    with reading(any_engine) as session:
        everything = reports_frame(session)
        pair = everything.groupby(["deployer", "host"]).size().idxmax()
        history = pair_history(session, *pair)
        reports = reports_frame(session, Filters(deployers=(pair[0],), hosts=(pair[1],)))
    assert len(history) > 20
    for point in history.itertuples():
        expected = evaluate(reports, point.date)
        assert (point.troops, point.status) == (expected.iloc[0]["troops"], expected.iloc[0]["status"])
