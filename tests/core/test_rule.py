"""The presence rule (core/rule.py), case by case, on hand-made reports: README rules 1-11."""

import datetime as dt

import pandas as pd
import pytest

from core import rule
from core.domain import scope_key
from core.validation import parse_partial_date

D = dt.date.fromisoformat


def r(
    date,
    troops=None,
    *,
    status="present",
    mission=None,
    location=None,
    kind=None,
    high=None,
    source="S",
    pair=("FRA", "MLI"),
    published=None,
):
    kind = kind or ("unknown" if troops is None else "range" if high is not None else "exact")
    day, precision = parse_partial_date(date)
    return {
        "deployer": pair[0],
        "host": pair[1],
        "scope_key": scope_key(mission, location),
        "date": day,
        "date_precision": precision,
        "status": status,
        "troops": troops,
        "troops_max": high,
        "count_kind": kind,
        "source_name": source,
        "source_date": published,
    }


def evaluation(reports, as_of) -> rule.Evaluation:
    return rule.evaluate(rule.build(pd.DataFrame(reports)), D(as_of))


def presence(reports, as_of) -> pd.DataFrame:
    return evaluation(reports, as_of).pairs


FIELDS = ("troops", "troops_low", "troops_high", "sources", "status")
BARKHANE_2019 = [
    r("2019-06-30", 1750, mission="Operation Barkhane"),
    r("2019-06-30", 25, mission="MINUSMA"),
    r("2019-06-30", 13, mission="EUTM Mali"),
]

# (name, reports, as of, expected (troops, low, high, sources, status) of the one pair, or None)
CASES = [
    (
        "seed article: one approx report",
        [r("2019-03", 100, kind="approx", source="Interfax", pair=("RUS", "VEN"))],
        "2019-04-01",
        (100, 100, 100, 1, "present"),
    ),
    ("not yet reported", [r("2019-03-01", 100)], "2019-02-28", None),
    ("a report counts on its own date", [r("2019-03-01", 100)], "2019-03-01", (100, 100, 100, 1, "present")),
    (
        "a month report counts from the first of the month",
        [r("2019-03", 100)],
        "2019-03-01",
        (100, 100, 100, 1, "present"),
    ),
    (
        "latest in a scope replaces earlier",
        [r("2018-01-01", 500), r("2019-01-01", 300)],
        "2019-06-01",
        (300, 300, 300, 1, "present"),
    ),
    (
        "as of an earlier date the earlier figure holds",
        [r("2018-01-01", 500), r("2019-01-01", 300)],
        "2018-06-01",
        (500, 500, 500, 1, "present"),
    ),
    (
        "same-day conflict: median, low, high, sources",
        [r("2019-01-01", 800, source="A"), r("2019-01-01", 1100, source="B"), r("2019-01-01", 900, source="C")],
        "2019-02-01",
        (900, 800, 1100, 3, "present"),
    ),
    (
        "two sources, median is their mean",
        [r("2019-01-01", 800, source="A"), r("2019-01-01", 1000, source="B")],
        "2019-02-01",
        (900, 800, 1000, 2, "present"),
    ),
    (
        "an older conflicting report no longer counts",
        [r("2018-01-01", 5000, source="A"), r("2019-01-01", 1000, source="B")],
        "2019-02-01",
        (1000, 1000, 1000, 1, "present"),
    ),
    ("missions add up (France in Mali 2019 = 1,788)", BARKHANE_2019, "2019-12-31", (1788, 1788, 1788, 1, "present")),
    (
        "locations without a mission add up",
        [r("2019-01-01", 100, location="Gao"), r("2019-02-01", 50, location="Kidal")],
        "2019-03-01",
        (150, 150, 150, 1, "present"),
    ),
    (
        "scope names ignore case and spacing",
        [r("2019-01-01", 100, location="Gao"), r("2019-02-01", 50, location=" gao ")],
        "2019-03-01",
        (50, 50, 50, 1, "present"),
    ),
    (
        "a newer pair total wins over older scoped figures",
        [*BARKHANE_2019, r("2020-01-01", 5100)],
        "2020-06-01",
        (5100, 5100, 5100, 1, "present"),
    ),
    (
        "a total on the same day as scoped figures wins",
        [r("2020-01-01", 1750, mission="Barkhane"), r("2020-01-01", 5100)],
        "2020-06-01",
        (5100, 5100, 5100, 1, "present"),
    ),
    (
        "newer scoped figures replace an older total and add up",
        [r("2018-01-01", 4500), r("2019-06-30", 1750, mission="Barkhane"), r("2019-06-30", 25, mission="MINUSMA")],
        "2019-12-31",
        (1775, 1775, 1775, 1, "present"),
    ),
    (
        "withdrawn ends presence in its scope",
        [r("2019-01-01", 100), r("2020-01-01", status="withdrawn")],
        "2020-06-01",
        (0, 0, 0, 1, "withdrawn"),
    ),
    (
        "before the withdrawal the figure holds",
        [r("2019-01-01", 100), r("2020-01-01", status="withdrawn")],
        "2019-12-31",
        (100, 100, 100, 1, "present"),
    ),
    (
        "a mission's withdrawal leaves the other missions",
        [*BARKHANE_2019, r("2022-08-15", mission="Operation Barkhane", status="withdrawn")],
        "2022-12-31",
        (38, 38, 38, 1, "present"),
    ),
    (
        "every mission withdrawn: the pair is withdrawn",
        [r("2019-01-01", 25, mission="MINUSMA"), r("2023-12-31", mission="MINUSMA", status="withdrawn")],
        "2024-01-01",
        (0, 0, 0, 1, "withdrawn"),
    ),
    (
        "presence after a withdrawal comes back with a new report",
        [r("2019-01-01", 100), r("2020-01-01", status="withdrawn"), r("2021-01-01", 40)],
        "2021-06-01",
        (40, 40, 40, 1, "present"),
    ),
    (
        "presence without a number after a withdrawal: present, number unknown",
        [r("2019-01-01", 100), r("2020-01-01", status="withdrawn"), r("2021-01-01", source="B")],
        "2021-06-01",
        (None, None, None, 2, "present"),
    ),
    (
        "a range gives low, high and its midpoint",
        [r("2019-01-01", 300, high=400)],
        "2019-02-01",
        (350, 300, 400, 1, "present"),
    ),
    (
        "an unknown count is presence without a number",
        [r("2019-01-01", None)],
        "2019-02-01",
        (None, None, None, 1, "present"),
    ),
    (
        "announced alone is listed as announced, never counted",
        [r("2019-01-01", 200, status="announced")],
        "2019-02-01",
        (None, None, None, 1, "announced"),
    ),
    (
        "a future-dated announcement is listed once published",
        [r("2030-01-01", 200, status="announced", published="2019-01")],
        "2019-02-01",
        (None, None, None, 1, "announced"),
    ),
    (
        "an announcement not yet published is not listed",
        [r("2030-01-01", 200, status="announced", published="2019-01")],
        "2018-12-01",
        None,
    ),
    (
        "announced does not change presence",
        [r("2019-01-01", 100), r("2019-02-01", 900, status="announced")],
        "2019-03-01",
        (100, 100, 100, 1, "present"),
    ),
    # The cases of issue #10 (the figure the rule gave before it in the comment).
    (
        "#1 present against withdrawn, same day: a conflict, never a figure no source gave (was 500)",
        [r("2019-01-01", 1000, source="A"), r("2019-01-01", status="withdrawn", source="B")],
        "2019-02-01",
        (1000, 0, 1000, 2, "present"),
    ),
    (
        "#2 a part withdrawn after a pair total: still present, low drops to 0 (was 0, withdrawn)",
        [r("2020", 5100), r("2022-01-01", mission="Operation Barkhane", status="withdrawn")],
        "2022-12-31",
        (5100, 0, 5100, 1, "present"),
    ),
    (
        "#2 a part whose size is known is taken off the total",
        [
            r("2019", 4500, mission="Operation Barkhane"),
            r("2020", 5100),
            r("2022-01-01", mission="Operation Barkhane", status="withdrawn"),
        ],
        "2022-12-31",
        (600, 600, 600, 1, "present"),
    ),
    (
        "#3 a location is part of its mission (was 1,200)",
        [
            r("2019-01-01", 1000, mission="MINUSMA", source="A"),
            r("2019-01-01", 200, mission="MINUSMA", location="Gao", source="B"),
        ],
        "2019-12-31",
        (1000, 1000, 1000, 1, "present"),
    ),
    (
        "#3 newer location figures of a mission replace its older figure",
        [
            r("2017", 258, mission="MINUSMA", source="IISS Military Balance via MDI"),
            r("2017", 1, mission="EUTM Mali", source="IISS Military Balance via MDI"),
            r("2017-06", 150, mission="MINUSMA", location="Gao", source="Geo-PKO (UN deployment maps)"),
        ],
        "2017-12-31",
        (151, 151, 151, 2, "present"),
    ),
    (
        "#4 presence without a number keeps the last figure (was no number)",
        [r("2019", 1000), r("2020", source="B")],
        "2020-06-01",
        (1000, 1000, 1000, 2, "present"),
    ),
    (
        "#4 a pair-level confirmation keeps the parts' figure",
        [r("2019", 1450, mission="FFDj"), r("2019-09", source="Wikipedia")],
        "2019-12-31",
        (1450, 1450, 1450, 2, "present"),
    ),
    (
        "#5 one mission withdrawn, another present without a number: unknown (was 0)",
        [r("2019", mission="A", status="withdrawn"), r("2019", mission="B")],
        "2020-06-01",
        (None, 0, None, 1, "present"),
    ),
    (
        "#6 of two reports starting the same day the more precise is newer (was 2,050)",
        [r("2019", 4000, source="A"), r("2019-01-01", 100, source="B")],
        "2020-06-01",
        (100, 100, 100, 1, "present"),
    ),
    (
        "#6 a month beats a year starting the same day",
        [r("2019-01", 300, source="A"), r("2019", 4000, source="B")],
        "2020-06-01",
        (300, 300, 300, 1, "present"),
    ),
    (
        "one source by two routes counts once",
        [
            r("2019-09", 35729, source="DMDC personnel report, 2019-09 (via troopdata)", pair=("USA", "DEU")),
            r("2019-09", 35729, source="DMDC via troopdata", pair=("USA", "DEU")),
        ],
        "2019-12-31",
        (35729, 35729, 35729, 1, "present"),
    ),
    (
        "names differing in case and spacing are one source",
        [r("2019-01-01", 800, source="Reuters"), r("2019-01-01", 1000, source=" reuters ")],
        "2019-02-01",
        (900, 800, 1000, 1, "present"),
    ),
]


@pytest.mark.parametrize(("name", "reports", "as_of", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule(name, reports, as_of, expected):
    pairs = presence(reports, as_of)
    if expected is None:
        assert pairs.empty
        return
    assert len(pairs) == 1
    row = pairs.iloc[0]
    assert tuple(None if pd.isna(row[c]) else row[c] for c in FIELDS) == expected


# (name, reports, as of, conflict, figures)
CONFLICTS = [
    (
        "present against withdrawn",
        [r("2019-01-01", 1000, source="A"), r("2019-01-01", status="withdrawn", source="B")],
        "2019-02-01",
        True,
        "A: 1,000; B: withdrawn",
    ),
    (
        "two numbers",
        [r("2019-01-01", 800, source="A"), r("2019-01-01", 1000, source="B")],
        "2019-02-01",
        True,
        "A: 800; B: 1,000",
    ),
    (
        "two sources agree",
        [r("2019-01-01", 800, source="A"), r("2019-01-01", 800, source="B")],
        "2019-02-01",
        False,
        None,
    ),
    (
        "an older disagreement no longer shows",
        [r("2018-01-01", 800, source="A"), r("2018-01-01", 1000, source="B"), r("2019-01-01", 900, source="C")],
        "2019-02-01",
        False,
        None,
    ),
    (
        "a conflict inside a mission shows on the pair",
        [
            r("2019-01-01", 100, mission="M", source="A"),
            r("2019-01-01", 300, high=400, mission="M", source="B"),
            r("2019-01-01", 50, mission="N", source="A"),
        ],
        "2019-02-01",
        True,
        "A: 100; B: 300–400",
    ),
]


@pytest.mark.parametrize(("name", "reports", "as_of", "conflict", "figures"), CONFLICTS, ids=[c[0] for c in CONFLICTS])
def test_conflicts_are_visible(name, reports, as_of, conflict, figures):
    row = presence(reports, as_of).iloc[0]
    assert (row["conflict"], row["figures"]) == (conflict, figures)


def test_staleness_confirmation_and_announced_count():
    pairs = presence(
        [
            r("2019-03-01", 100, pair=("RUS", "VEN")),
            r("2019-03-20", pair=("RUS", "VEN"), source="B"),
            r("2019-04-01", status="announced", pair=("RUS", "VEN")),
        ],
        "2019-04-11",
    )
    row = pairs.iloc[0]
    assert (row["figure_date"], row["last_report_date"]) == (D("2019-03-01"), D("2019-03-20"))
    assert row["days_since_report"] == 22
    assert row["announced"] == 1


# (name, reports, as of, role of each report in order)
ROLES = [
    (
        "a newer total supersedes the missions",
        [r("2018-01-01", 4500), r("2019-06-30", 1750, mission="Barkhane"), r("2019-06-30", 25, mission="M")],
        "2019-12-31",
        ["superseded", "counted", "counted"],
    ),
    (
        "a confirmation without a number",
        [r("2019", 1000), r("2020", source="B")],
        "2020-06-01",
        ["counted", "confirmation"],
    ),
    (
        "a withdrawn part and what it last had",
        [r("2019", 4500, mission="Barkhane"), r("2020", 5100), r("2022", mission="Barkhane", status="withdrawn")],
        "2022-12-31",
        ["counted", "counted", "counted"],
    ),
    (
        "the less precise report of the same day",
        [r("2019", 4000, source="A"), r("2019-01-01", 100, source="B")],
        "2020-06-01",
        ["superseded", "counted"],
    ),
]


@pytest.mark.parametrize(("name", "reports", "as_of", "roles"), ROLES, ids=[c[0] for c in ROLES])
def test_each_report_says_its_part_in_the_figure(name, reports, as_of, roles):
    result = evaluation(reports, as_of)
    got = pd.Series("superseded", index=range(len(reports)), dtype=object)
    got.iloc[result.rows.row] = rule.ROLES[result.role]
    assert got.tolist() == roles


def test_conflict_flags_the_reports_in_it():
    result = evaluation(
        [
            r("2019-01-01", 1000, source="A"),
            r("2019-01-01", status="withdrawn", source="B"),
            r("2019-01-01", 5, mission="M", source="C"),
        ],
        "2019-02-01",
    )
    flags = pd.Series(False, index=range(3))
    flags.iloc[result.rows.row] = result.row_conflict
    assert flags.tolist() == [True, True, False]


def test_sources_of_a_host_total_are_distinct():
    from core.presence import totals

    pairs = presence(
        [r("2019", 4000, source="Outlet", pair=("FRA", "MLI")), r("2019", 100, source="Outlet", pair=("DEU", "MLI"))],
        "2020-06-01",
    )
    assert totals(pairs, "host").iloc[0][["troops", "sources"]].tolist() == [4100, 1]


def test_many_pairs_at_once_match_one_pair_at_a_time():
    """The vectorised rule gives every pair what it gives that pair alone."""
    from core.synth import synth_rows

    rows = []
    for raw in synth_rows(3000, seed=5):
        day, precision = parse_partial_date(raw["date"])
        rows.append(
            {
                **raw,
                "date": day,
                "date_precision": precision,
                "scope_key": scope_key(raw["mission"], raw["location"]),
                "troops": int(raw["troops"]) if raw["troops"] else None,
                "troops_max": int(raw["troops_max"]) if raw["troops_max"] else None,
            }
        )
    frame = pd.DataFrame(rows)
    together = rule.evaluate(rule.build(frame), D("2015-06-30")).pairs.set_index(["deployer", "host"])
    for (deployer, host), alone_rows in list(frame.groupby(["deployer", "host"]))[:60]:
        alone = rule.evaluate(rule.build(alone_rows.reset_index(drop=True)), D("2015-06-30")).pairs
        if alone.empty:
            assert (deployer, host) not in together.index
            continue
        expected = alone.iloc[0]
        got = together.loc[(deployer, host)]
        for column in ("troops", "troops_low", "troops_high", "sources", "reports", "status", "conflict"):
            assert (pd.isna(got[column]) and pd.isna(expected[column])) or got[column] == expected[column], column


# Reports without a number inside a scope whose parent has a figure (review of #10).
PART_CONFIRMATIONS = [
    (
        "a location confirmed after the pair withdrew: present again, number unknown",
        [r("2019", 100), r("2020", status="withdrawn"), r("2021", location="Gao", source="B")],
        "2021-12-31",
        (None, None, None, 2, "present"),
        D("2021-01-01"),
    ),
    (
        "a base listed without a number confirms the pair total",
        [r("2019", 35729, source="DMDC"), r("2019-09", location="Ramstein", source="Wiki")],
        "2019-12-31",
        (35729, 35729, 35729, 2, "present"),
        D("2019-09-01"),
    ),
    (
        "a report without a number older than the figure confirms nothing",
        [r("2018", source="A"), r("2019", 100, mission="M", source="B")],
        "2019-12-31",
        (100, 100, 100, 1, "present"),
        D("2019-01-01"),
    ),
]


@pytest.mark.parametrize(
    ("name", "reports", "as_of", "expected", "last"), PART_CONFIRMATIONS, ids=[c[0] for c in PART_CONFIRMATIONS]
)
def test_parts_without_a_number_confirm_the_pair(name, reports, as_of, expected, last):
    row = presence(reports, as_of).iloc[0]
    assert tuple(None if pd.isna(row[c]) else row[c] for c in FIELDS) == expected
    assert row["last_report_date"] == last
