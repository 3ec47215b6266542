"""Presence as of a date: the rule that turns reports into "who has how many where".

The rule, in words (the README says the same with examples):
1. Only published reports dated on or before the date count; `announced` reports never count.
2. A report's scope is its pair (deployer, host) plus its mission and location. Within a scope the
   latest report replaces earlier ones. Several reports on that latest date conflict: the scope's
   figure is their median, with the lowest and highest as troops_low / troops_high.
3. Different missions or locations of one pair add up.
4. A report with neither mission nor location is the pair's total. The newest evidence wins: a total
   replaces every scoped figure of the pair dated on or before it; scoped figures dated after the
   latest total replace it (and add up among themselves, as in rule 3).
5. `withdrawn` ends presence in its scope: its figure is 0 from its date.
6. Announced reports known by the date (published or dated on or before it) and newer than the
   pair's latest counted report are listed in `announced`; a pair with nothing else shows as announced.

The rule itself is `evaluate`, a pure function over a DataFrame of reports; the query functions
fetch only the candidate rows (the latest per scope) and call it.
"""

from __future__ import annotations

import datetime as dt
import math
from itertools import groupby

import pandas as pd
from sqlalchemy import and_, func, or_, select, text, union_all
from sqlalchemy.orm import Session

from core import countries
from core.filters import Filters
from core.models import ANNOUNCED_SQL, COUNTED_SQL, Report, Scope
from core.validation import parse_partial_date

ACTIVE = ("present", "withdrawn")
PAIR = ["deployer", "host"]
SCOPE = ["deployer", "host", "scope_key"]
INPUT_COLUMNS = [
    "id", "deployer", "host", "scope_key", "date", "status", "troops", "troops_max", "count_kind",
    "source_name", "source_date",
]
PRESENCE_COLUMNS = [
    "deployer", "host", "troops", "troops_low", "troops_high", "sources", "reports",
    "last_report_date", "days_since_report", "status", "announced",
]


def _empty_presence() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in PRESENCE_COLUMNS})


def _round_half_up(value: float | None) -> int | None:
    # Half up, as people (and SQL's floor(x + 0.5)) expect: a median of 950.5 shows as 951, not 950.
    return None if value is None else math.floor(value + 0.5)


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):  # pandas Timestamps are datetimes
        return value.date()
    return value


def _published(text) -> dt.date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return parse_partial_date(text)[0]
    except ValueError:
        return None


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def median_half_up(values: list[float]) -> int | None:
    """The median of some figures, rounded half up; None for no figures."""
    return _round_half_up(_median(values)) if values else None


def _number(value) -> float | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _sum(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


class _Scope:
    """The reports on a scope's latest date, reduced to one figure (rule 2)."""

    __slots__ = ("date", "reports")

    def __init__(self, date: dt.date, report: tuple):
        self.date, self.reports = date, [report]

    def figure(self) -> tuple[float | None, float | None, float | None, bool]:
        """(low, high, best, withdrawn): conflicting reports give min, max and the median."""
        lows, highs, bests, withdrawn = [], [], [], True
        for report in self.reports:
            status, troops, troops_max, kind = report[5], _number(report[6]), _number(report[7]), report[8]
            if status == "withdrawn":
                low = high = 0.0
            else:
                withdrawn = False
                low = troops
                high = troops_max if kind == "range" and troops_max is not None else troops
            if low is not None:
                lows.append(low)
            if high is not None:
                highs.append(high)
            if low is not None and high is not None:
                bests.append((low + high) / 2)
        return (min(lows) if lows else None, max(highs) if highs else None,
                _median(bests) if bests else None, withdrawn)


def evaluate(reports: pd.DataFrame, as_of: dt.date) -> tuple[pd.DataFrame, pd.Series]:
    """Apply the rule to any set of reports; returns (presence per pair, ids of counted reports).

    `reports` needs the INPUT_COLUMNS (`id` may be absent). The presence frame has the
    PRESENCE_COLUMNS: troops is the best estimate (median of conflicting sources, summed over
    scopes), troops_low/high the spread, sources the distinct source names behind the figure,
    reports how many reports it rests on, status present | withdrawn | announced.

    Plain Python over row tuples: candidate sets are small (about one row per scope), and pandas'
    fixed cost per operation would dominate a one-host query or a pair's history.
    """
    if reports.empty:
        return _empty_presence(), pd.Series([], dtype="int64")
    ids = reports["id"].tolist() if "id" in reports else [None] * len(reports)
    columns = [reports[c].tolist() for c in INPUT_COLUMNS[1:]]
    return evaluate_rows(zip(ids, *columns, strict=True), as_of)


def evaluate_rows(rows, as_of: dt.date) -> tuple[pd.DataFrame, pd.Series]:
    """evaluate() over row tuples in INPUT_COLUMNS order (as the candidate query returns them)."""
    as_of = _as_date(as_of)
    scopes: dict[tuple, _Scope] = {}
    announced: list[tuple] = []
    for row in rows:
        status, date = row[5], _as_date(row[4])
        scope_key = row[3] if isinstance(row[3], str) else ""
        row = (row[0], row[1], row[2], scope_key, date, *row[5:])
        if status == "announced":
            announced.append(row)
        elif status in ACTIVE and date <= as_of:
            key = (row[1], row[2], scope_key)
            scope = scopes.get(key)
            if scope is None or date > scope.date:
                scopes[key] = _Scope(date, row)
            elif date == scope.date:
                scope.reports.append(row)

    totals: dict[tuple, _Scope] = {}
    scoped: dict[tuple, list[_Scope]] = {}
    for (deployer, host, scope_key), scope in scopes.items():
        if scope_key == "":
            totals[(deployer, host)] = scope
        else:
            scoped.setdefault((deployer, host), []).append(scope)

    out: dict[tuple, dict] = {}
    counted_ids: list = []
    for pair in totals.keys() | scoped.keys():
        total = totals.get(pair)
        # Rule 4: scoped figures newer than the latest total replace it; older ones are replaced by it.
        live = [s for s in scoped.get(pair, ()) if total is None or s.date > total.date] or [total]
        figures = [s.figure() for s in live]
        low, high, best = (_sum([f[i] for f in figures]) for i in range(3))
        rows = [r for s in live for r in s.reports]
        counted_ids += [r[0] for r in rows]
        out[pair] = {
            "deployer": pair[0], "host": pair[1], "troops": _round_half_up(best),
            "troops_low": _round_half_up(low), "troops_high": _round_half_up(high),
            "sources": len({r[9] for r in rows}), "reports": len(rows),
            "last_report_date": max(s.date for s in live),
            "status": "withdrawn" if all(f[3] for f in figures) else "present", "announced": 0,
        }

    # Rule 6: announcements known by the date and newer than the pair's latest counted report.
    pending: dict[tuple, list[tuple[tuple, dt.date]]] = {}
    for row in announced:
        published = _published(row[10])
        known = published if published is not None and published < row[4] else row[4]
        pair = (row[1], row[2])
        if known > as_of or (pair in out and row[4] <= out[pair]["last_report_date"]):
            continue
        pending.setdefault(pair, []).append((row, known))
    for pair, items in pending.items():
        if pair not in out:
            out[pair] = {
                "deployer": pair[0], "host": pair[1], "troops": None, "troops_low": None, "troops_high": None,
                "sources": len({r[9] for r, _ in items}), "reports": len(items),
                "last_report_date": max(known for _, known in items), "status": "announced",
            }
        out[pair]["announced"] = len(items)

    records = sorted(out.values(), key=lambda r: (r["troops"] is None, -(r["troops"] or 0), r["deployer"],
                                                   r["host"]))
    for record in records:
        record["days_since_report"] = (as_of - record["last_report_date"]).days
    if not records:
        return _empty_presence(), pd.Series([], dtype="int64")
    frame = pd.DataFrame.from_records(records, columns=PRESENCE_COLUMNS)
    for column in ("troops", "troops_low", "troops_high"):
        frame[column] = frame[column].astype("Int64")
    for column in ("sources", "reports", "days_since_report", "announced"):
        frame[column] = frame[column].astype("int64")
    return frame, pd.Series(counted_ids, dtype="object" if None in counted_ids else "int64")


def _presence_conditions(filters: Filters) -> list:
    # Presence is "as of" a date: a since/until window does not apply to it.
    return filters.with_(since=None, until=None).report_conditions()


def candidate_rows(session: Session, as_of: dt.date, filters: Filters, extra: tuple[str, ...] = ()) -> list:
    """The latest counted reports of each scope and the announcements that may be listed, as tuples:
    INPUT_COLUMNS, then the `extra` report columns asked for.

    For published reports (what everyone sees) this seeks each scope's latest report through the
    partial index ix_reports_counted; other review states take a plain grouped scan.
    """
    if tuple(filters.review_states) != ("published",):
        return _candidate_rows_scan(session, as_of, filters, extra)
    return session.execute(candidates_statement(as_of, filters, extra)).all()


def candidates_statement(as_of: dt.date, filters: Filters, extra: tuple[str, ...] = ()):
    """The one SELECT behind published presence (exposed so tests can check its query plan)."""
    counted_sql, announced_sql = text(COUNTED_SQL), text(ANNOUNCED_SQL)
    source = filters.source_conditions()
    latest_date = (
        select(func.max(Report.date))
        .where(
            Report.deployer == Scope.deployer,
            Report.host == Scope.host,
            Report.scope_key == Scope.scope_key,
            counted_sql,
            Report.date <= as_of,
            *source,
        )
        .correlate(Scope)
        .scalar_subquery()
    )
    latest = (
        select(Scope.deployer, Scope.host, Scope.scope_key, latest_date.label("latest"))
        .where(*filters.pair_conditions(Scope))
        .cte("latest")
    )
    pair_latest = (
        select(latest.c.deployer, latest.c.host, func.max(latest.c.latest).label("latest"))
        .group_by(latest.c.deployer, latest.c.host)
        .subquery("pair_latest")
    )
    columns = [getattr(Report, c) for c in (*INPUT_COLUMNS, *extra)]
    counted = (
        select(*columns)
        .select_from(latest)
        .join(
            Report,
            _at_scope_latest(latest),
        )
        .where(counted_sql, *source)
    )
    # Only announcements newer than the pair's latest counted report can be listed (rule 6).
    announced = (
        select(*columns)
        .select_from(pair_latest)
        .join(
            Report,
            and_(
                Report.deployer == pair_latest.c.deployer,
                Report.host == pair_latest.c.host,
                Report.date > func.coalesce(pair_latest.c.latest, dt.date(1, 1, 1)),
            ),
        )
        .where(announced_sql, or_(Report.date <= as_of, Report.source_date <= as_of.isoformat()), *source)
    )
    return union_all(counted, announced)


def _at_scope_latest(latest):
    """Join condition: a report in the scope of a `latest` row, dated on its latest date."""
    return and_(
        Report.deployer == latest.c.deployer,
        Report.host == latest.c.host,
        Report.scope_key == latest.c.scope_key,
        Report.date == latest.c.latest,
    )


def _candidate_rows_scan(session: Session, as_of: dt.date, filters: Filters, extra: tuple[str, ...] = ()) -> list:
    conditions = _presence_conditions(filters)
    active = [*conditions, Report.status.in_(ACTIVE), Report.date <= as_of]
    latest = (
        select(Report.deployer, Report.host, Report.scope_key, func.max(Report.date).label("latest"))
        .where(*active)
        .group_by(Report.deployer, Report.host, Report.scope_key)
        .subquery()
    )
    columns = [getattr(Report, c) for c in (*INPUT_COLUMNS, *extra)]
    counted = (
        select(*columns)
        .join(
            latest,
            _at_scope_latest(latest),
        )
        .where(*active)
    )
    announced = select(*columns).where(
        *conditions,
        Report.status == "announced",
        or_(Report.date <= as_of, Report.source_date <= as_of.isoformat()),
    )
    return session.execute(counted).all() + session.execute(announced).all()


def post_filter(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The filters that apply to computed presence, not to reports: status and minimum troops."""
    if filters.statuses:
        frame = frame[frame["status"].isin(filters.statuses)]
    if filters.min_troops:
        frame = frame[frame["troops"].fillna(-1) >= filters.min_troops]
    return frame.reset_index(drop=True)


def presence_as_of(session: Session, as_of: dt.date, filters: Filters | None = None) -> pd.DataFrame:
    """Presence per (deployer, host) pair as of a date.

    Columns: deployer, host (ISO alpha-3), troops (best estimate, <NA> when no source gives a
    number), troops_low, troops_high, sources (distinct source names), reports, last_report_date,
    days_since_report, status (present | withdrawn | announced), announced (pending announcements).
    Sorted by troops, largest first.
    """
    filters = filters or Filters()
    pairs, _ = evaluate_rows(candidate_rows(session, as_of, filters), as_of)
    return post_filter(pairs, filters)


def host_totals(session: Session, as_of: dt.date, filters: Filters | None = None) -> pd.DataFrame:
    """Total foreign troops per host as of a date.

    Columns: host, host_name, troops, troops_low, troops_high, deployers (countries present),
    sources, last_report_date. Only pairs with status present count.
    """
    return totals_from_pairs(presence_as_of(session, as_of, filters), "host")


def deployer_totals(session: Session, as_of: dt.date, filters: Filters | None = None) -> pd.DataFrame:
    """Total troops each deployer has abroad as of a date.

    Columns: deployer, deployer_name, troops, troops_low, troops_high, hosts (countries present
    in), sources, last_report_date.
    """
    return totals_from_pairs(presence_as_of(session, as_of, filters), "deployer")


def totals_from_pairs(pairs: pd.DataFrame, key: str) -> pd.DataFrame:
    """Totals per host or per deployer from a presence frame already in hand (pairs present only)."""
    pairs = pairs[pairs["status"] == "present"]
    count_name = "deployers" if key == "host" else "hosts"
    other = "deployer" if key == "host" else "host"
    columns = [key, f"{key}_name", "troops", "troops_low", "troops_high", count_name, "sources",
               "last_report_date"]
    if pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    by_key = pairs.groupby(key)
    grouped = by_key[["troops", "troops_low", "troops_high"]].sum(min_count=1).join(
        by_key.agg(count=(other, "nunique"), sources=("sources", "sum"),
                   last_report_date=("last_report_date", "max"))
    ).reset_index().rename(columns={"count": count_name})
    grouped[f"{key}_name"] = grouped[key].map(countries.name_of)
    grouped = grouped.sort_values("troops", ascending=False, na_position="last").reset_index(drop=True)
    return grouped[columns]


def reports_behind(
    session: Session, deployer: str, host: str, as_of: dt.date, filters: Filters | None = None
) -> pd.DataFrame:
    """Every report of one pair dated on or before the date, newest first.

    Columns: the canonical report columns plus id, scope_key, review_state and counted (True
    for the reports the pair's figure rests on).
    """
    filters = (filters or Filters()).with_(deployers=(deployer,), hosts=(host,), since=None, until=None)
    rows = session.execute(
        select(Report).where(*filters.report_conditions(), Report.date <= as_of).order_by(Report.date.desc())
    ).scalars().all()
    frame = pd.DataFrame([_report_dict(r) for r in rows])
    if frame.empty:
        return frame
    _, counted_ids = evaluate(frame, as_of)
    frame["counted"] = frame["id"].isin(set(counted_ids))
    return frame


def pair_history(session: Session, deployer: str, host: str, filters: Filters | None = None) -> pd.DataFrame:
    """The pair's presence at each date on which one of its reports is dated (a step chart).

    Columns: date, troops, troops_low, troops_high, sources, status.
    """
    filters = (filters or Filters()).with_(deployers=(deployer,), hosts=(host,), since=None, until=None)
    rows = session.execute(
        select(*[getattr(Report, c) for c in INPUT_COLUMNS]).where(*filters.report_conditions()).order_by(Report.date)
    ).all()
    columns = ["date", "troops", "troops_low", "troops_high", "sources", "status"]
    # Walk the dates once, keeping only what the rule can still use (each scope's latest reports and
    # the announcements): a pair with thousands of reports costs one pass, not one pass per date.
    latest: dict[str, list] = {}
    announced: list = []
    points = []
    for day, same_day in groupby(rows, key=lambda r: r[4]):
        for row in same_day:
            if row[5] == "announced":
                announced.append(row)
                continue
            current = latest.get(row[3])
            if current is None or current[0][4] < day:
                latest[row[3]] = [row]
            else:
                current.append(row)
        pairs, _ = evaluate_rows([r for rs in latest.values() for r in rs] + announced, day)
        if not pairs.empty:
            first = pairs.iloc[0]
            points.append({"date": day, **{c: first[c] for c in columns[1:]}})
    return pd.DataFrame(points, columns=columns)


def date_range(session: Session, filters: Filters | None = None) -> tuple[dt.date, dt.date] | None:
    """The first and last report dates (for the date slider); None for an empty store."""
    conditions = (filters or Filters()).report_conditions()
    low, high = session.execute(select(func.min(Report.date), func.max(Report.date)).where(*conditions)).one()
    return (low, high) if low else None


def _report_dict(report: Report) -> dict:
    return {c.name: getattr(report, c.key) for c in Report.__table__.columns}
