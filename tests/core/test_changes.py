"""core.changes (compare two dates) and `garrison changes` on the fixture store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest

from core import changes, presence
from core.filters import Filters
from core.ingest import import_csv
from core.store import reading, writing
from tests.conftest import TODAY

D = dt.date.fromisoformat
NA = None

# (from, to, deployer, host, kind, troops at from, troops at to, change) on tests/fixtures/reports.csv
KNOWN = [
    ("2018-06-01", "2020-06-01", "USA", "JPN", "arrived", 0, 55000, 55000),
    # Withdrawn in 2014, back with Barkhane and two missions in 2019: an arrival, not growth.
    ("2018-06-01", "2020-06-01", "FRA", "MLI", "arrived", 0, 1788, 1788),
    ("2018-06-01", "2020-06-01", "GBR", "EST", "unchanged", 800, 800, 0),
    ("2018-06-01", "2020-06-01", "USA", "NER", "unchanged", 950, 950, 0),
    # Present at both dates, but the 2017 report gives no number: neither grew nor shrank.
    ("2018-06-01", "2020-06-01", "CHN", "DJI", "unknown", NA, 400, NA),
    ("2019-01-01", "2024-12-31", "USA", "NER", "left", 950, 0, -950),
    ("2019-06-01", "2020-06-01", "USA", "DEU", "shrank", 35000, 34500, -500),
    ("2013-06-01", "2014-12-01", "FRA", "MLI", "left", 4000, 0, -4000),
    ("2017-05-01", "2018-06-01", "TUR", "QAT", "arrived", 0, 300, 300),
]


@pytest.fixture
def session(fixture_engine):
    with reading(fixture_engine) as s:
        yield s


def _row(frame: pd.DataFrame, deployer: str, host: str) -> dict:
    found = frame[(frame["deployer"] == deployer) & (frame["host"] == host)]
    assert len(found) == 1, f"{deployer}→{host} not in\n{frame}"
    return {k: (None if pd.isna(v) else v) for k, v in found.iloc[0].items()}


@pytest.mark.parametrize(("since", "until", "deployer", "host", "kind", "before", "after", "change"), KNOWN)
def test_the_kinds_on_the_fixture_store(session, since, until, deployer, host, kind, before, after, change):
    frame = changes.changes_between(session, D(since), D(until))
    assert list(frame.columns) == changes.CHANGE_COLUMNS
    row = _row(frame, deployer, host)
    assert (row["kind"], row["troops_from"], row["troops_to"], row["change"]) == (kind, before, after, change)


def test_grew_when_a_newer_report_has_more(fixture_engine):
    more = "deployer,host,troops,count_kind,date,source_name\nGBR,EST,1000,exact,2019-02,Fixture Outlet E\n"
    with writing(fixture_engine) as s:
        assert import_csv(s, io.StringIO(more), today=TODAY).ok
    with reading(fixture_engine) as s:
        row = _row(changes.changes_between(s, D("2018-06-01"), D("2020-06-01")), "GBR", "EST")
    assert (row["kind"], row["troops_from"], row["troops_to"], row["change"]) == ("grew", 800, 1000, 200)
    assert (row["status_from"], row["status_to"]) == ("present", "present")


def test_each_side_is_what_presence_as_of_says(session):
    since, until = D("2014-01-01"), D("2022-12-31")
    frame = changes.changes_between(session, since, until)
    for day, side in ((since, "from"), (until, "to")):
        present = presence.presence_as_of(session, day)
        present = present[present["status"] == "present"]
        listed = frame[frame[f"status_{side}"] == "present"]
        assert sorted(zip(listed["deployer"], listed["host"], strict=True)) == sorted(
            zip(present["deployer"], present["host"], strict=True)
        )
        for pair in present.itertuples():
            row = _row(frame, pair.deployer, pair.host)
            assert row[f"troops_{side}"] == (None if pd.isna(pair.troops) else pair.troops)
            assert row[f"last_report_{side}"] == pair.last_report_date


def test_pairs_present_at_neither_date_are_left_out(session):
    # France had withdrawn from Mali throughout; Türkiye's Qatar move was only announced by then.
    frame = changes.changes_between(session, D("2015-01-01"), D("2017-07-01"))
    assert ("FRA", "MLI") not in set(zip(frame["deployer"], frame["host"], strict=True))
    assert ("TUR", "QAT") not in set(zip(frame["deployer"], frame["host"], strict=True))
    assert set(frame["kind"]) <= set(changes.KINDS)


def test_the_same_date_twice_changes_nothing(session):
    frame = changes.changes_between(session, D("2020-06-01"), D("2020-06-01"))
    assert not frame.empty
    assert set(frame["kind"]) == {"unchanged"}
    assert (frame["change"] == 0).all()


def test_filters_apply_to_both_dates(session):
    frame = changes.changes_between(session, D("2018-06-01"), D("2020-06-01"), Filters(hosts=("MLI", "NER")))
    assert sorted(frame["host"]) == ["MLI", "NER"]


def test_a_minimum_applies_to_the_pair_not_to_each_date(session):
    # 35,000 then 34,500 in Germany: at least 34,600 at one date, so it shrank (it did not leave).
    frame = changes.changes_between(session, D("2019-06-01"), D("2020-06-01"), Filters(min_troops=34_600))
    assert [(r.host, r.kind) for r in frame.itertuples()] == [("JPN", "arrived"), ("DEU", "shrank")]


def test_dates_in_the_wrong_order_are_refused(session):
    with pytest.raises(changes.DateOrderError, match="2020-06-01.*after.*2018-06-01"):
        changes.changes_between(session, D("2020-06-01"), D("2018-06-01"))


def test_sorted_by_size_of_change_and_host_totals(session):
    frame = changes.changes_between(session, D("2019-01-01"), D("2024-12-31"))
    sizes = frame["change"].abs().dropna().tolist()
    assert sizes == sorted(sizes, reverse=True)
    hosts = changes.host_changes(frame)
    assert list(hosts.columns) == changes.HOST_CHANGE_COLUMNS
    niger = hosts[hosts["host"] == "NER"].iloc[0]
    assert (niger["change"], niger["left"], niger["host_name"]) == (-950, 1, "Niger")
    djibouti = hosts[hosts["host"] == "DJI"].iloc[0]
    assert pd.isna(djibouti["change"]) and djibouti["unknown"] == 1


def test_host_changes_of_nothing(session):
    assert changes.host_changes(changes.changes_between(session, D("1990-01-01"), D("1991-01-01"))).empty


# --- garrison changes -------------------------------------------------------------------------


def test_cli_changes_csv(run_cli, fixture_db_url):
    done = run_cli("changes", "--from", "2019-01-01", "--to", "2024-12-31", "--db", fixture_db_url)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert list(rows[0]) == changes.CHANGE_COLUMNS
    niger = next(r for r in rows if (r["deployer"], r["host"]) == ("USA", "NER"))
    assert (niger["kind"], niger["troops_from"], niger["troops_to"], niger["change"]) == ("left", "950", "0", "-950")
    djibouti = next(r for r in rows if r["host"] == "DJI")
    assert (djibouti["troops_from"], djibouti["change"], djibouti["kind"]) == ("", "", "unknown")


def test_cli_changes_json_with_a_host_filter_by_name(run_cli, fixture_db_url):
    done = run_cli(
        "changes",
        "--from",
        "2013-06-01",
        "--to",
        "2014-12",
        "--host",
        "Mali",
        "--format",
        "json",
        "--db",
        fixture_db_url,
    )
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert [(r["deployer"], r["kind"], r["troops_from"], r["troops_to"], r["change"]) for r in records] == [
        ("FRA", "left", 4000, 0, -4000)
    ]
    assert records[0]["last_report_from"] == "2013-03-01"


def test_cli_changes_refuses_dates_in_the_wrong_order(run_cli, fixture_db_url):
    done = run_cli("changes", "--from", "2024-01-01", "--to", "2019-01-01", "--db", fixture_db_url)
    assert done.returncode == 2
    assert "--from is after --to" in done.stderr and "swap" in done.stderr
    assert done.stdout == ""


def test_cli_changes_refuses_bad_input(run_cli, fixture_db_url):
    missing = run_cli("changes", "--from", "2019-01-01", "--db", fixture_db_url)
    assert missing.returncode == 2 and "--to" in missing.stderr
    bad_date = run_cli("changes", "--from", "2019-13-01", "--to", "2020-01-01", "--db", fixture_db_url)
    assert bad_date.returncode == 2 and "2019-13-01" in bad_date.stderr
    unknown = run_cli("changes", "--from", "2019", "--to", "2020", "--host", "Atlantis", "--db", fixture_db_url)
    assert unknown.returncode == 2 and "Atlantis" in unknown.stderr
