"""The dashboard's read side: questions its pages ask that presence.py and export.py do not answer.

The map's presence query reuses presence.py's candidate query and rule (its private helpers) so
that pairs, host totals and points come from one evaluation instead of three.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import Session

from core import countries, presence
from core.domain import CSV_COLUMNS, format_date
from core.filters import Filters
from core.models import Report

COLUMNS = ["id", *CSV_COLUMNS, "review_state", "created_at", "updated_at"]

# Above this many pairs the pair condition is applied in pandas, not as SQL parameters.
MAX_SQL_PAIRS = 2_000


def countries_in_store(session: Session) -> tuple[list[str], list[str]]:
    """(deployers, hosts): the ISO codes that occur in published reports, for filter choices."""
    published = Report.review_state == "published"
    deployers = session.execute(select(Report.deployer).where(published).distinct()).scalars().all()
    hosts = session.execute(select(Report.host).where(published).distinct()).scalars().all()
    return sorted(deployers), sorted(hosts)


def reports_as_of(
    session: Session,
    as_of: dt.date,
    filters: Filters | None = None,
    pairs: Iterable[tuple[str, str]] | None = None,
    limit: int | None = None,
    text: str = "",
) -> pd.DataFrame:
    """The reports behind a view of presence: matching the filters, dated on or before the date.

    `pairs` (deployer, host) narrows them to the pairs a table shows; None means every pair.
    `text` (case-insensitive) must occur in the source name or URL, mission, location or notes.
    Columns as core.export.reports_frame (newest first), so the result exports as canonical CSV.
    """
    filters = (filters or Filters()).with_(since=None, until=as_of)
    conditions = filters.report_conditions()
    if text.strip():
        pattern = f"%{text.strip().lower()}%"
        searched = (Report.source_name, Report.source_url, Report.mission, Report.location, Report.notes)
        conditions.append(or_(*(func.lower(column).like(pattern) for column in searched)))
    newest_first = (Report.date.desc(), Report.id)
    wanted = None if pairs is None else sorted(set(pairs))
    if wanted is not None and len(wanted) > MAX_SQL_PAIRS:
        # Too many pairs for SQL parameters: pick the ids from a light query, then fetch those rows.
        light = pd.DataFrame(
            session.execute(
                select(Report.id, Report.deployer, Report.host).where(*conditions).order_by(*newest_first)
            ).all(),
            columns=["id", "deployer", "host"],
        )
        ids = light.loc[pd.MultiIndex.from_frame(light[["deployer", "host"]]).isin(wanted), "id"].tolist()
        ids = ids if limit is None else ids[:limit]
        rows = [
            row
            for start in range(0, len(ids), 10_000)
            for row in session.execute(select(Report).where(Report.id.in_(ids[start : start + 10_000])))
            .scalars()
        ]
        rows.sort(key=lambda r: (-r.date.toordinal(), r.id))
        return _frame(rows)
    if wanted is not None:
        if not wanted:
            return _frame([])
        conditions.append(tuple_(Report.deployer, Report.host).in_(wanted))
    query = select(Report).where(*conditions).order_by(*newest_first)
    if limit is not None:
        query = query.limit(limit)
    return _frame(session.execute(query).scalars())


def _frame(reports: Iterable[Report]) -> pd.DataFrame:
    records = []
    for report in reports:
        record = {c: getattr(report, c) for c in COLUMNS}
        record["date"] = format_date(report.date, report.date_precision)
        records.append(record)
    frame = pd.DataFrame(records, columns=COLUMNS)
    for column in ("troops", "troops_max"):
        frame[column] = frame[column].astype("Int64")
    return frame


POINT_COLUMNS = [
    "deployer", "host", "location", "mission", "lat", "lon", "located", "troops", "troops_low",
    "troops_high", "sources", "last_report_date",
]


def totals(pairs: pd.DataFrame, by: str = "host") -> pd.DataFrame:
    """host_totals / deployer_totals computed from a presence frame already in hand (no query)."""
    return presence.totals_from_pairs(pairs, by)


def presence_and_points(
    session: Session, as_of: dt.date, filters: Filters | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Presence per pair (as presence_as_of) and where it is, from one evaluation of the rule.

    The second frame has one row per counted scope still present, with the POINT_COLUMNS:
    location and mission as written, lat/lon of the report or else the host's drawing point
    (`located` says which), the scope's troops / low / high, sources and last report date.
    """
    filters = filters or Filters()
    candidates = presence.candidates(session, as_of, filters)
    pairs, counted_ids = presence.evaluate(candidates, as_of)
    pairs = presence.post_filter(pairs, filters)
    shown = pairs[pairs["status"] == "present"][presence.PAIR]
    ids = [int(i) for i in counted_ids]
    if shown.empty or not ids:
        return pairs, pd.DataFrame({c: pd.Series(dtype="object") for c in POINT_COLUMNS})
    wanted = [Report.id, Report.location, Report.mission, Report.lat, Report.lon]
    places = pd.DataFrame(
        # Chunks keep each statement under SQLite's bound-parameter limit.
        [row for start in range(0, len(ids), 10_000)
         for row in session.execute(select(*wanted).where(Report.id.in_(ids[start : start + 10_000])))],
        columns=["id", "location", "mission", "lat", "lon"],
    )
    rows = candidates.merge(places, on="id").merge(shown, on=presence.PAIR)
    rows = rows[rows["status"] == "present"]
    troops = pd.to_numeric(rows["troops"], errors="coerce").astype("float64")
    high = pd.to_numeric(rows["troops_max"], errors="coerce").astype("float64").where(
        rows["count_kind"] == "range", troops
    )
    rows = rows.assign(low=troops, high=high.fillna(troops), best=(troops + high.fillna(troops)) / 2)
    points = rows.groupby(presence.SCOPE, sort=False).agg(
        location=("location", "first"),
        mission=("mission", "first"),
        lat=("lat", "first"),
        lon=("lon", "first"),
        troops=("best", "median"),
        troops_low=("low", "min"),
        troops_high=("high", "max"),
        sources=("source_name", "nunique"),
        last_report_date=("date", "max"),
    ).reset_index()
    registry = countries.registry().by_iso3
    points["located"] = points["lat"].notna() & points["lon"].notna()
    host_lat = points["host"].map(lambda c: registry[c].lat if c in registry else None)
    host_lon = points["host"].map(lambda c: registry[c].lon if c in registry else None)
    points["lat"] = points["lat"].where(points["located"], host_lat).astype("float64")
    points["lon"] = points["lon"].where(points["located"], host_lon).astype("float64")
    points = points.dropna(subset=["lat", "lon"])
    for column in ("troops", "troops_low", "troops_high"):
        points[column] = points[column].round().astype("Int64")
    points["last_report_date"] = pd.to_datetime(points["last_report_date"]).dt.date
    return pairs, points[POINT_COLUMNS].reset_index(drop=True)
