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

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, or_, select, text, union_all
from sqlalchemy.orm import Session

from core import countries
from core.filters import Filters
from core.models import ANNOUNCED_SQL, COUNTED_SQL, Report, Scope

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


def _known_date(frame: pd.DataFrame) -> pd.Series:
    """When an announcement became known: its publication date if earlier than its date."""
    published = pd.to_datetime(frame["source_date"].fillna(""), format="mixed", errors="coerce")
    return published.where(published < frame["date"], frame["date"])


def evaluate(reports: pd.DataFrame, as_of: dt.date) -> tuple[pd.DataFrame, pd.Series]:
    """Apply the rule to any set of reports; returns (presence per pair, ids of counted reports).

    `reports` needs the INPUT_COLUMNS (`id` may be absent). The presence frame has the
    PRESENCE_COLUMNS: troops is the best estimate (median of conflicting sources, summed over
    scopes), troops_low/high the spread, sources the distinct source names behind the figure,
    reports how many reports it rests on, status present | withdrawn | announced.
    """
    if reports.empty:
        return _empty_presence(), pd.Series([], dtype="int64")
    df = reports.copy()
    df["date"] = pd.to_datetime(df["date"])
    df["scope_key"] = df["scope_key"].fillna("")
    as_of_ts = pd.Timestamp(as_of)

    active = df[df["status"].isin(ACTIVE) & (df["date"] <= as_of_ts)]
    latest = active[active["date"] == active.groupby(SCOPE)["date"].transform("max")].copy()

    troops = pd.to_numeric(latest["troops"], errors="coerce").astype("float64")
    troops_max = pd.to_numeric(latest["troops_max"], errors="coerce").astype("float64")
    is_range = (latest["count_kind"] == "range") & troops_max.notna()
    withdrawn = latest["status"] == "withdrawn"
    latest["low"] = troops.where(~withdrawn, 0.0)
    latest["high"] = troops_max.where(is_range, troops).where(~withdrawn, 0.0)
    latest["best"] = (latest["low"] + latest["high"]) / 2
    latest["is_withdrawn"] = withdrawn

    scopes = latest.groupby(SCOPE, sort=False).agg(
        date=("date", "max"),
        low=("low", "min"),
        high=("high", "max"),
        best=("best", "median"),
        withdrawn=("is_withdrawn", "all"),
    ).reset_index()

    pair_level = scopes[scopes["scope_key"] == ""].set_index(PAIR)
    scoped = scopes[scopes["scope_key"] != ""]
    total_date = pair_level["date"].rename("total_date")
    scoped = scoped.join(total_date, on=PAIR)
    # Scoped figures up to the pair's latest total are replaced by it (rule 4).
    live_scoped = scoped[scoped["total_date"].isna() | (scoped["date"] > scoped["total_date"])]
    sums = live_scoped.groupby(PAIR).agg(
        s_low=("low", lambda s: s.sum(min_count=1)),
        s_high=("high", lambda s: s.sum(min_count=1)),
        s_best=("best", lambda s: s.sum(min_count=1)),
        s_date=("date", "max"),
        s_withdrawn=("withdrawn", "all"),
    )
    pairs = sums.join(pair_level[["date", "low", "high", "best", "withdrawn"]], how="outer")
    # Any scoped figure newer than the total replaces it; otherwise the total stands.
    use_scoped = pairs["s_date"].notna()
    for part in ("low", "high", "best", "date", "withdrawn"):
        pairs[part] = pairs[f"s_{part}"].where(use_scoped, pairs[part])
    pairs["last_report_date"] = pairs["date"]
    pairs["is_withdrawn"] = pairs["withdrawn"].astype(bool)

    totals_used = pair_level.index[~pair_level.index.isin(sums.index)]
    total_keys = pd.DataFrame(list(totals_used), columns=PAIR).assign(scope_key="")
    live_keys = pd.concat([live_scoped[SCOPE], total_keys], ignore_index=True)
    counted = latest.merge(live_keys, on=SCOPE)
    per_pair = counted.groupby(PAIR).agg(sources=("source_name", "nunique"), reports=("source_name", "size"))
    pairs = pairs.join(per_pair)

    out = pd.DataFrame(
        {
            "troops": pairs["best"].round().astype("Int64"),
            "troops_low": pairs["low"].round().astype("Int64"),
            "troops_high": pairs["high"].round().astype("Int64"),
            "sources": pairs["sources"].astype("int64"),
            "reports": pairs["reports"].astype("int64"),
            "last_report_date": pairs["last_report_date"],
            "status": np.where(pairs["is_withdrawn"], "withdrawn", "present"),
        },
        index=pairs.index,
    )

    announced = df[df["status"] == "announced"]
    announced = announced[_known_date(announced) <= as_of_ts]
    if not announced.empty:
        last = out["last_report_date"].rename("last")
        announced = announced.join(last, on=PAIR)
        pending = announced[announced["last"].isna() | (announced["date"] > announced["last"])]
        pending = pending.assign(known=_known_date(pending))
        counts = pending.groupby(PAIR).agg(
            announced=("status", "size"), a_sources=("source_name", "nunique"), a_date=("known", "max")
        )
        out = out.join(counts, how="outer")
        only = out["status"].isna()
        out.loc[only, "status"] = "announced"
        out.loc[only, "sources"] = out.loc[only, "a_sources"]
        out.loc[only, "reports"] = out.loc[only, "announced"]
        out.loc[only, "last_report_date"] = out.loc[only, "a_date"]
        out = out.drop(columns=["a_sources", "a_date"])
    if "announced" not in out:
        out["announced"] = 0
    out["announced"] = out["announced"].fillna(0).astype("int64")
    out["sources"] = out["sources"].astype("int64")
    out["reports"] = out["reports"].astype("int64")
    out["days_since_report"] = (as_of_ts - out["last_report_date"]).dt.days.astype("int64")
    out["last_report_date"] = out["last_report_date"].dt.date
    out = out.reset_index()[PRESENCE_COLUMNS]
    out = out.sort_values(["troops", "deployer", "host"], ascending=[False, True, True], na_position="last")
    ids = counted["id"] if "id" in counted else pd.Series([], dtype="int64")
    return out.reset_index(drop=True), ids


def _presence_conditions(filters: Filters) -> list:
    # Presence is "as of" a date: a since/until window does not apply to it.
    return filters.with_(since=None, until=None).report_conditions()


def _candidates(session: Session, as_of: dt.date, filters: Filters) -> pd.DataFrame:
    """The latest counted reports of each scope, and the announcements that may be listed.

    For published reports (what everyone sees) this seeks each scope's latest report through the
    partial index ix_reports_counted; other review states take a plain grouped scan.
    """
    if tuple(filters.review_states) != ("published",):
        return _candidates_scan(session, as_of, filters)
    rows = session.execute(candidates_statement(as_of, filters)).all()
    return pd.DataFrame(rows, columns=INPUT_COLUMNS)


def candidates_statement(as_of: dt.date, filters: Filters):
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
    columns = [getattr(Report, c) for c in INPUT_COLUMNS]
    counted = (
        select(*columns)
        .select_from(latest)
        .join(
            Report,
            and_(
                Report.deployer == latest.c.deployer,
                Report.host == latest.c.host,
                Report.scope_key == latest.c.scope_key,
                Report.date == latest.c.latest,
            ),
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


def _candidates_scan(session: Session, as_of: dt.date, filters: Filters) -> pd.DataFrame:
    conditions = _presence_conditions(filters)
    active = [*conditions, Report.status.in_(ACTIVE), Report.date <= as_of]
    latest = (
        select(Report.deployer, Report.host, Report.scope_key, func.max(Report.date).label("latest"))
        .where(*active)
        .group_by(Report.deployer, Report.host, Report.scope_key)
        .subquery()
    )
    columns = [getattr(Report, c) for c in INPUT_COLUMNS]
    counted = (
        select(*columns)
        .join(
            latest,
            and_(
                Report.deployer == latest.c.deployer,
                Report.host == latest.c.host,
                Report.scope_key == latest.c.scope_key,
                Report.date == latest.c.latest,
            ),
        )
        .where(*active)
    )
    announced = select(*columns).where(
        *conditions,
        Report.status == "announced",
        or_(Report.date <= as_of, Report.source_date <= as_of.isoformat()),
    )
    rows = session.execute(counted).all() + session.execute(announced).all()
    return pd.DataFrame(rows, columns=INPUT_COLUMNS)


def _post_filter(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
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
    pairs, _ = evaluate(_candidates(session, as_of, filters), as_of)
    return _post_filter(pairs, filters)


def host_totals(session: Session, as_of: dt.date, filters: Filters | None = None) -> pd.DataFrame:
    """Total foreign troops per host as of a date.

    Columns: host, host_name, troops, troops_low, troops_high, deployers (countries present),
    sources, last_report_date. Only pairs with status present count.
    """
    pairs = presence_as_of(session, as_of, filters)
    return _totals(pairs[pairs["status"] == "present"], "host", "deployers")


def deployer_totals(session: Session, as_of: dt.date, filters: Filters | None = None) -> pd.DataFrame:
    """Total troops each deployer has abroad as of a date.

    Columns: deployer, deployer_name, troops, troops_low, troops_high, hosts (countries present
    in), sources, last_report_date.
    """
    pairs = presence_as_of(session, as_of, filters)
    return _totals(pairs[pairs["status"] == "present"], "deployer", "hosts")


def _totals(pairs: pd.DataFrame, key: str, count_name: str) -> pd.DataFrame:
    other = "deployer" if key == "host" else "host"
    columns = [key, f"{key}_name", "troops", "troops_low", "troops_high", count_name, "sources",
               "last_report_date"]
    if pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    grouped = pairs.groupby(key).agg(
        troops=("troops", lambda s: s.sum(min_count=1)),
        troops_low=("troops_low", lambda s: s.sum(min_count=1)),
        troops_high=("troops_high", lambda s: s.sum(min_count=1)),
        count=(other, "nunique"),
        sources=("sources", "sum"),
        last_report_date=("last_report_date", "max"),
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
    rows = session.execute(select(Report).where(*filters.report_conditions())).scalars().all()
    frame = pd.DataFrame([_report_dict(r) for r in rows])
    columns = ["date", "troops", "troops_low", "troops_high", "sources", "status"]
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    points = []
    for day in sorted(set(frame["date"])):
        pairs, _ = evaluate(frame, day)
        if not pairs.empty:
            row = pairs.iloc[0]
            points.append({"date": day, **{c: row[c] for c in columns[1:]}})
    return pd.DataFrame(points, columns=columns)


def date_range(session: Session, filters: Filters | None = None) -> tuple[dt.date, dt.date] | None:
    """The first and last report dates (for the date slider); None for an empty store."""
    conditions = (filters or Filters()).report_conditions()
    low, high = session.execute(select(func.min(Report.date), func.max(Report.date)).where(*conditions)).one()
    return (low, high) if low else None


def _report_dict(report: Report) -> dict:
    return {c.name: getattr(report, c.key) for c in Report.__table__.columns}
