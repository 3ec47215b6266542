"""Presence as of a date: one query function per question the UI asks, all on the one rule.

The rule itself lives in core/rule.py (README, "How presence as of a date is computed"). These
functions fetch reports (the whole store through core/asof.py's prepared rows, or one pair's reports
from SQL), evaluate the rule, and shape its answer into DataFrames whose columns they name.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from core import asof, countries, rule
from core.filters import Filters
from core.models import Report

PRESENCE_COLUMNS = rule.PRESENCE_COLUMNS
RULE_INPUT = [
    "deployer",
    "host",
    "scope_key",
    "date",
    "date_precision",
    "status",
    "troops",
    "troops_max",
    "count_kind",
    "source_name",
    "source_date",
]


def post_filter(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The filters that apply to computed presence, not to reports: status and minimum troops."""
    if filters.statuses:
        frame = frame[frame["status"].isin(filters.statuses)]
    if filters.min_troops:
        frame = frame[frame["troops"].fillna(-1) >= filters.min_troops]
    return frame.reset_index(drop=True)


def evaluation_as_of(
    session: Session, as_of: dt.date, filters: Filters | None = None
) -> tuple[asof.Prepared, rule.Evaluation]:
    """The rule over the store's reports that match the filters: (prepared reports, evaluation)."""
    prepared, rows = asof.rows_for(session, filters or Filters())
    return prepared, rule.evaluate(rows, as_of)


def presence_as_of(session: Session, as_of: dt.date, filters: Filters | None = None) -> pd.DataFrame:
    """Presence per (deployer, host) pair as of a date.

    Columns: deployer, host (ISO alpha-3), troops (best estimate, <NA> when no source gives a
    number), troops_low, troops_high, sources (distinct sources), reports (reports the figure rests
    on), last_report_date (newest of them, confirmations included), figure_date (when the number
    comes from), days_since_report, status (present | withdrawn | announced), announced (pending
    announcements), conflict (sources disagree), figures (what each source gave, when they do),
    source_names (tuple). Sorted by troops, largest first.
    """
    filters = filters or Filters()
    _, evaluation = evaluation_as_of(session, as_of, filters)
    return post_filter(evaluation.pairs, filters)


def host_totals(session: Session, as_of: dt.date, filters: Filters | None = None) -> pd.DataFrame:
    """Total foreign troops per host as of a date: `totals(presence_as_of(...), "host")`."""
    return totals(presence_as_of(session, as_of, filters), "host")


def deployer_totals(session: Session, as_of: dt.date, filters: Filters | None = None) -> pd.DataFrame:
    """Total troops each deployer has abroad as of a date: `totals(presence_as_of(...), "deployer")`."""
    return totals(presence_as_of(session, as_of, filters), "deployer")


def totals(pairs: pd.DataFrame, key: str) -> pd.DataFrame:
    """Totals per host or per deployer from a presence frame (pairs present only).

    Columns: key, key_name, troops, troops_low, troops_high, deployers (or hosts: countries
    present), sources (distinct sources across the pairs), conflict (any pair in conflict),
    last_report_date. Sorted by troops, largest first.
    """
    pairs = pairs[pairs["status"] == "present"]
    count_name = "deployers" if key == "host" else "hosts"
    other = "deployer" if key == "host" else "host"
    columns = [
        key,
        f"{key}_name",
        "troops",
        "troops_low",
        "troops_high",
        count_name,
        "sources",
        "conflict",
        "last_report_date",
    ]
    if pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    codes, keys = pd.factorize(pairs[key], sort=True)  # groupby's order: keys ascending
    n = len(keys)
    grouped = pd.DataFrame({key: keys})
    for column in ("troops", "troops_low", "troops_high"):
        grouped[column] = _sum_known(pairs[column], codes, n)
    other_codes, others = pd.factorize(pairs[other])
    distinct = np.unique(codes.astype(np.int64) * max(len(others), 1) + other_codes)
    grouped[count_name] = np.bincount(distinct // max(len(others), 1), minlength=n).astype("int64")
    grouped["conflict"] = np.bincount(codes, weights=pairs["conflict"].to_numpy(dtype=float), minlength=n) > 0
    grouped["last_report_date"] = _latest(pairs["last_report_date"], codes, n)
    grouped["sources"] = grouped[key].map(_distinct_names(pairs[key], pairs["source_names"])).astype("int64")
    grouped[f"{key}_name"] = grouped[key].map(countries.name_of)
    grouped = grouped.sort_values("troops", ascending=False, na_position="last").reset_index(drop=True)
    return grouped[columns]


def _sum_known(values: pd.Series, codes: np.ndarray, n: int) -> pd.arrays.IntegerArray:
    """Per group the sum of the known whole numbers, <NA> when none is known (sum(min_count=1)),
    by integer codes: a pandas groupby costs more than the rule's evaluation on thousands of pairs."""
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(numbers)
    sums = np.bincount(codes[known], weights=numbers[known], minlength=n)
    counts = np.bincount(codes[known], minlength=n)
    return pd.arrays.IntegerArray(np.rint(sums).astype(np.int64), counts == 0)


def _latest(dates: pd.Series, codes: np.ndarray, n: int) -> np.ndarray:
    """Per group the newest date (date objects; None when the group has none)."""
    ordinals = np.array([d.toordinal() if isinstance(d, dt.date) else -1 for d in dates.tolist()], np.int64)
    newest = np.full(n, -1, np.int64)
    np.maximum.at(newest, codes, ordinals)
    return np.array([dt.date.fromordinal(int(o)) if o > 0 else None for o in newest.tolist()], dtype=object)


def _distinct_names(keys: pd.Series, names: pd.Series) -> pd.Series:
    """How many distinct source names the tuples of each key hold (0 for none), by integer codes:
    exploding the tuples into a frame costs ten times more on thousands of pairs."""
    tuples = [t if isinstance(t, tuple) else () for t in names.tolist()]
    lengths = np.array([len(t) for t in tuples], np.int64)
    key_codes, key_values = pd.factorize(keys)
    flat = list(itertools.chain.from_iterable(tuples))
    name_codes, name_values = pd.factorize(pd.Series(flat, dtype=object))
    owner = np.repeat(key_codes.astype(np.int64), lengths)
    known = name_codes >= 0  # a missing name is no source (as explode + dropna had it)
    distinct = np.unique(owner[known] * max(len(name_values), 1) + name_codes[known])
    counts = np.bincount(distinct // max(len(name_values), 1), minlength=len(key_values))
    return pd.Series(counts, index=pd.Index(key_values))


def _pair_frame(session: Session, deployer: str, host: str, filters: Filters | None, until: dt.date | None):
    """The pair's reports dated on or before `until`, and its announcements published by then."""
    filters = (filters or Filters()).with_(deployers=(deployer,), hosts=(host,), since=None, until=None)
    known = (
        []
        if until is None
        else [or_(Report.date <= until, and_(Report.status == "announced", Report.source_date <= until.isoformat()))]
    )
    rows = (
        session.execute(
            select(Report).where(*filters.report_conditions(), *known).order_by(Report.date.desc(), Report.id)
        )
        .scalars()
        .all()
    )
    return pd.DataFrame([{c.name: getattr(r, c.key) for c in Report.__table__.columns} for r in rows])


def reports_behind(
    session: Session, deployer: str, host: str, as_of: dt.date, filters: Filters | None = None
) -> pd.DataFrame:
    """Every report of one pair dated on or before the date (and announcements published by then),
    newest first, with its part in the figure.

    Columns: the report table's columns plus role (counted | confirmation | superseded | announced),
    counted (role is counted), confirmation, conflict (the report is part of a conflict the figure
    rests on).
    """
    frame = _pair_frame(session, deployer, host, filters, as_of)
    if frame.empty:
        return frame
    evaluation = rule.evaluate(rule.build(frame[RULE_INPUT]), as_of)
    return frame.assign(**report_roles(evaluation, len(frame)))


def report_roles(evaluation: rule.Evaluation, n: int) -> dict[str, object]:
    """Per row of the frame the rows were built from: role, counted, confirmation, conflict."""
    rows = evaluation.rows
    role = pd.Series("superseded", index=range(n), dtype="object")
    conflict = pd.Series(False, index=range(n))
    role.iloc[rows.row] = rule.ROLES[evaluation.role]
    conflict.iloc[rows.row] = evaluation.row_conflict
    role.iloc[rows.ann_row[evaluation.listed]] = "announced"
    return {
        "role": role.to_numpy(),
        "counted": (role == "counted").to_numpy(),
        "confirmation": (role == "confirmation").to_numpy(),
        "conflict": conflict.to_numpy(),
    }


def pair_history(session: Session, deployer: str, host: str, filters: Filters | None = None) -> pd.DataFrame:
    """The pair's presence at each date on which one of its reports is dated (a step chart).

    Columns: date, troops, troops_low, troops_high, sources, status, conflict.
    """
    frame = _pair_frame(session, deployer, host, filters, None)
    columns = ["date", "troops", "troops_low", "troops_high", "sources", "status", "conflict"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    rows = rule.build(frame[RULE_INPUT])
    points = []
    for day in sorted(set(frame["date"])):
        point = rule.first_pair(rows, day)
        if point is not None:
            points.append({"date": day, **point})
    history = pd.DataFrame(points, columns=columns)
    for column in ("troops", "troops_low", "troops_high"):
        history[column] = history[column].astype("Int64")
    return history


def date_range(session: Session, filters: Filters | None = None) -> tuple[dt.date, dt.date] | None:
    """The first and last report dates (for the date slider); None for an empty store."""
    conditions = (filters or Filters()).report_conditions()
    low, high = session.execute(select(func.min(Report.date), func.max(Report.date)).where(*conditions)).one()
    return (low, high) if low else None
