"""The dashboard's read side: questions its pages ask that presence.py and export.py do not answer.

The map's presence query reuses presence.py's candidate query and rule (its private helpers) so
that pairs, host totals and points come from one evaluation instead of three.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import exists, func, or_, select, text, tuple_
from sqlalchemy.orm import Session

from core import countries, presence
from core.domain import CSV_COLUMNS, format_date
from core.filters import Filters
from core.models import ANNOUNCED_SQL, COUNTED_SQL, Report, Scope

COLUMNS = ["id", *CSV_COLUMNS, "review_state", "created_at", "updated_at"]

# Above this many pairs the pair condition is applied in pandas, not as SQL parameters.
MAX_SQL_PAIRS = 2_000


def countries_in_store(session: Session) -> tuple[list[str], list[str]]:
    """(deployers, hosts): the ISO codes that occur in published reports, for filter choices."""
    # One index seek per known pair (scopes table + the partial indexes), not a scan of every report.
    pairs = select(Scope.deployer, Scope.host).distinct().subquery()

    def published(sql: str):
        return exists().where(Report.deployer == pairs.c.deployer, Report.host == pairs.c.host, text(sql))

    rows = session.execute(
        select(pairs.c.deployer, pairs.c.host).where(or_(published(COUNTED_SQL), published(ANNOUNCED_SQL)))
    ).all()
    return sorted({d for d, _ in rows}), sorted({h for _, h in rows})


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
        # Too many pairs for SQL parameters: stream light rows newest first and stop at the limit,
        # so a table of the 1,000 newest reports never reads the whole store.
        wanted_set = set(wanted)
        light = session.execute(
            select(Report.id, Report.deployer, Report.host).where(*conditions).order_by(*newest_first)
            .execution_options(yield_per=5_000)
        )
        ids = []
        for report_id, deployer, host in light:
            if (deployer, host) in wanted_set:
                ids.append(report_id)
                if limit is not None and len(ids) >= limit:
                    break
        light.close()
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


PLACE_COLUMNS = ("location", "mission", "lat", "lon")
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
    rows = presence.candidate_rows(session, as_of, filters, extra=PLACE_COLUMNS)
    pairs, counted_ids = presence.evaluate_rows(rows, as_of)
    pairs = presence.post_filter(pairs, filters)
    shown = set(zip(pairs["deployer"][pairs["status"] == "present"], pairs["host"][pairs["status"] == "present"],
                    strict=True))
    counted = set(counted_ids)
    scopes: dict[tuple, dict] = {}
    for row in rows:
        # INPUT_COLUMNS then PLACE_COLUMNS: id, deployer, host, scope_key, date, status, troops, troops_max,
        # count_kind, source_name, source_date, location, mission, lat, lon
        if row[5] != "present" or row[0] not in counted or (row[1], row[2]) not in shown:
            continue
        key = (row[1], row[2], row[3])
        scope = scopes.get(key)
        if scope is None:
            scope = scopes[key] = {"location": row[11], "mission": row[12], "lat": row[13], "lon": row[14],
                                   "bests": [], "lows": [], "highs": [], "sources": set(), "date": row[4]}
        troops = row[6]
        high = row[7] if row[8] == "range" and row[7] is not None else troops
        if troops is not None:
            scope["lows"].append(troops)
            scope["highs"].append(high)
            scope["bests"].append((troops + high) / 2)
        scope["sources"].add(row[9])
        scope["date"] = max(scope["date"], row[4])
    registry = countries.registry().by_iso3
    records = []
    for (deployer, host, _), scope in scopes.items():
        located = scope["lat"] is not None and scope["lon"] is not None
        lat, lon = scope["lat"], scope["lon"]
        if not located:
            country = registry.get(host)
            if country is None or country.lat is None:
                continue
            lat, lon = country.lat, country.lon
        records.append({
            "deployer": deployer, "host": host, "location": scope["location"], "mission": scope["mission"],
            "lat": float(lat), "lon": float(lon), "located": located,
            "troops": presence.median_half_up(scope["bests"]),
            "troops_low": min(scope["lows"]) if scope["lows"] else None,
            "troops_high": max(scope["highs"]) if scope["highs"] else None,
            "sources": len(scope["sources"]), "last_report_date": scope["date"],
        })
    points = pd.DataFrame.from_records(records, columns=POINT_COLUMNS)
    for column in ("troops", "troops_low", "troops_high"):
        points[column] = points[column].astype("Int64")
    return pairs, points
