"""The presence-as-of rule, case by case (pure), then the same answers through the store."""

import datetime as dt

import pandas as pd
import pytest

from core.domain import scope_key
from core.filters import Filters
from core.ingest import import_csv
from core.presence import (
    date_range,
    deployer_totals,
    evaluate,
    host_totals,
    pair_history,
    presence_as_of,
    reports_behind,
)
from core.store import reading, writing
from core.validation import parse_partial_date

D = dt.date.fromisoformat


def r(date, troops=None, *, status="present", mission=None, location=None, kind=None, high=None, source="S",
      pair=("FRA", "MLI"), published=None):
    kind = kind or ("unknown" if troops is None else "range" if high is not None else "exact")
    return {"deployer": pair[0], "host": pair[1], "scope_key": scope_key(mission, location), "date": D(date),
            "status": status, "troops": troops, "troops_max": high, "count_kind": kind, "source_name": source,
            "source_date": published}


def presence(reports, as_of):
    frame = pd.DataFrame([{**rep, "id": i} for i, rep in enumerate(reports)])
    pairs, _ = evaluate(frame, D(as_of))
    return pairs


# (name, reports, as of, expected (troops, low, high, sources, status) of the one pair, or None)
CASES = [
    ("seed article: one approx report", [r("2019-03-01", 100, kind="approx", source="Interfax",
                                          pair=("RUS", "VEN"))], "2019-04-01", (100, 100, 100, 1, "present")),
    ("not yet reported", [r("2019-03-01", 100)], "2019-02-28", None),
    ("a report counts on its own date", [r("2019-03-01", 100)], "2019-03-01", (100, 100, 100, 1, "present")),
    ("latest in a scope replaces earlier", [r("2018-01-01", 500), r("2019-01-01", 300)], "2019-06-01",
     (300, 300, 300, 1, "present")),
    ("as of an earlier date the earlier figure holds", [r("2018-01-01", 500), r("2019-01-01", 300)],
     "2018-06-01", (500, 500, 500, 1, "present")),
    ("same-day conflict: median, low, high, sources",
     [r("2019-01-01", 800, source="A"), r("2019-01-01", 1100, source="B"), r("2019-01-01", 900, source="C")],
     "2019-02-01", (900, 800, 1100, 3, "present")),
    ("two sources, median is their mean", [r("2019-01-01", 800, source="A"), r("2019-01-01", 1000, source="B")],
     "2019-02-01", (900, 800, 1000, 2, "present")),
    ("an older conflicting report no longer counts",
     [r("2018-01-01", 5000, source="A"), r("2019-01-01", 1000, source="B")], "2019-02-01",
     (1000, 1000, 1000, 1, "present")),
    ("missions add up (France in Mali 2019 = 1,788)",
     [r("2019-06-30", 1750, mission="Operation Barkhane"), r("2019-06-30", 25, mission="MINUSMA"),
      r("2019-06-30", 13, mission="EUTM Mali")], "2019-12-31", (1788, 1788, 1788, 1, "present")),
    ("locations add up", [r("2019-01-01", 100, location="Gao"), r("2019-02-01", 50, location="Kidal")],
     "2019-03-01", (150, 150, 150, 1, "present")),
    ("scope names ignore case and spacing",
     [r("2019-01-01", 100, location="Gao"), r("2019-02-01", 50, location=" gao ")], "2019-03-01",
     (50, 50, 50, 1, "present")),
    ("a newer pair total wins over older scoped figures",
     [r("2019-01-01", 1750, mission="Barkhane"), r("2019-01-01", 25, mission="MINUSMA"), r("2020-01-01", 5100)],
     "2020-06-01", (5100, 5100, 5100, 1, "present")),
    ("a total on the same day as scoped figures wins",
     [r("2020-01-01", 1750, mission="Barkhane"), r("2020-01-01", 5100)], "2020-06-01",
     (5100, 5100, 5100, 1, "present")),
    ("newer scoped figures replace an older total and add up",
     [r("2018-01-01", 4500), r("2019-06-30", 1750, mission="Barkhane"), r("2019-06-30", 25, mission="MINUSMA")],
     "2019-12-31", (1775, 1775, 1775, 1, "present")),
    ("withdrawn ends presence in its scope", [r("2019-01-01", 100), r("2020-01-01", status="withdrawn")],
     "2020-06-01", (0, 0, 0, 1, "withdrawn")),
    ("before the withdrawal the figure holds", [r("2019-01-01", 100), r("2020-01-01", status="withdrawn")],
     "2019-12-31", (100, 100, 100, 1, "present")),
    ("a mission's withdrawal leaves the other missions",
     [r("2019-01-01", 1750, mission="Barkhane"), r("2019-01-01", 25, mission="MINUSMA"),
      r("2022-08-15", mission="Barkhane", status="withdrawn")], "2022-12-31", (25, 25, 25, 1, "present")),
    ("presence after a withdrawal comes back with a new report",
     [r("2019-01-01", 100), r("2020-01-01", status="withdrawn"), r("2021-01-01", 40)], "2021-06-01",
     (40, 40, 40, 1, "present")),
    ("a range gives low, high and its midpoint", [r("2019-01-01", 300, high=400)], "2019-02-01",
     (350, 300, 400, 1, "present")),
    ("an unknown count is presence without a number", [r("2019-01-01", None)], "2019-02-01",
     (None, None, None, 1, "present")),
    ("announced alone is listed as announced, never counted",
     [r("2019-01-01", 200, status="announced")], "2019-02-01", (None, None, None, 1, "announced")),
    ("a future-dated announcement is listed once published",
     [r("2030-01-01", 200, status="announced", published="2019-01")], "2019-02-01",
     (None, None, None, 1, "announced")),
    ("an announcement not yet published is not listed",
     [r("2030-01-01", 200, status="announced", published="2019-01")], "2018-12-01", None),
    ("announced does not change presence", [r("2019-01-01", 100), r("2019-02-01", 900, status="announced")],
     "2019-03-01", (100, 100, 100, 1, "present")),
]


@pytest.mark.parametrize(("name", "reports", "as_of", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule(name, reports, as_of, expected):
    pairs = presence(reports, as_of)
    if expected is None:
        assert pairs.empty
        return
    assert len(pairs) == 1
    row = pairs.iloc[0]
    got = tuple(None if pd.isna(row[c]) else row[c] for c in ("troops", "troops_low", "troops_high", "sources",
                                                                "status"))
    assert got == expected


def test_staleness_and_announced_count():
    pairs = presence([r("2019-03-01", 100, pair=("RUS", "VEN")),
                      r("2019-04-01", status="announced", pair=("RUS", "VEN"))], "2019-04-11")
    row = pairs.iloc[0]
    assert row["last_report_date"] == D("2019-03-01")
    assert row["days_since_report"] == 41
    assert row["announced"] == 1


def test_counted_ids_are_the_reports_behind_the_figure():
    reports = [r("2018-01-01", 4500), r("2019-06-30", 1750, mission="Barkhane"), r("2019-06-30", 25, mission="M")]
    frame = pd.DataFrame([{**rep, "id": i} for i, rep in enumerate(reports)])
    _, ids = evaluate(frame, D("2019-12-31"))
    assert sorted(ids) == [1, 2]


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
            frame = everything.assign(
                date=[parse_partial_date(d)[0] for d in everything["date"]],
                scope_key=[scope_key(m, loc) for m, loc in zip(everything["mission"], everything["location"],
                                                                strict=True)],
            )
            pure, _ = evaluate(frame, D(as_of))
            pd.testing.assert_frame_equal(stored, pure)


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
    f = Filters.build(deployers=["Russia"], hosts=["VEN"], min_troops=100, source_text="Interfax",
                      since=D("2019-01-01"), until=D("2024-12-31"))
    assert f.describe("Presence", as_of=D("2019-04-01")) == (
        'Presence as of 2019-04-01 where deployer = Russia and host = Venezuela and troops ≥ 100 '
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
    reports = reports.assign(date=[parse_partial_date(d)[0] for d in reports["date"]],
                             scope_key=[scope_key(m, loc) for m, loc in zip(reports["mission"], reports["location"],
                                                                              strict=True)])
    assert len(history) > 20
    for point in history.itertuples():
        expected, _ = evaluate(reports, point.date)
        assert (point.troops, point.status) == (expected.iloc[0]["troops"], expected.iloc[0]["status"])
