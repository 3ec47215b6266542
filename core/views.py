"""The dashboard's read side: questions its pages ask that presence.py and export.py do not answer.

The map's presence query and its points come from one evaluation of the rule (core/rule.py), so
pairs, host totals and points always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy import exists, func, or_, select, text, tuple_
from sqlalchemy.orm import Session

from core import countries, presence, rule
from core.domain import CSV_COLUMNS, format_date
from core.filters import Filters, contains_text
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


def newest_counted_date(session: Session) -> dt.date | None:
    """The date of the newest published report that counts toward presence (present or withdrawn),
    the date the map opens on. An announcement, even one dated ahead, does not move it. None when
    no report counts yet."""
    return session.execute(select(func.max(Report.date)).where(text(COUNTED_SQL))).scalar()


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
        searched = (Report.source_name, Report.source_url, Report.mission, Report.location, Report.notes)
        conditions.append(contains_text(searched, text.strip()))
    newest_first = (Report.date.desc(), Report.id)
    wanted = None if pairs is None else sorted(set(pairs))
    if wanted is not None and len(wanted) > MAX_SQL_PAIRS:
        # Too many pairs for SQL parameters: stream light rows newest first and stop at the limit,
        # so a table of the 1,000 newest reports never reads the whole store.
        wanted_set = set(wanted)
        light = session.execute(
            select(Report.id, Report.deployer, Report.host)
            .where(*conditions)
            .order_by(*newest_first)
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
            for row in session.execute(select(Report).where(Report.id.in_(ids[start : start + 10_000]))).scalars()
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
    "deployer",
    "host",
    "location",
    "mission",
    "lat",
    "lon",
    "located",
    "troops",
    "troops_low",
    "troops_high",
    "sources",
    "last_report_date",
]


def presence_and_points(
    session: Session, as_of: dt.date, filters: Filters | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Presence per pair (as presence_as_of) and where it is, from one evaluation of the rule.

    The second frame has one row per scope the pair's figure rests on that is still present and
    has no such part below it, with the POINT_COLUMNS: location and mission as written, lat/lon of
    a report or else the host's drawing point (`located` says which), the scope's troops / low /
    high, sources and last report date.
    """
    filters = filters or Filters()
    prepared, evaluation = presence.evaluation_as_of(session, as_of, filters)
    pairs = presence.post_filter(evaluation.pairs, filters)
    shown = set(
        zip(pairs["deployer"][pairs["status"] == "present"], pairs["host"][pairs["status"] == "present"], strict=True)
    )
    return pairs, _points(prepared, evaluation, shown)


def _points(prepared, evaluation: rule.Evaluation, shown: set) -> pd.DataFrame:
    rows, tree = evaluation.rows, evaluation.tree
    fig = tree.fig
    present = tree.used & (fig.status == rule.PRESENT)
    parent = rows.node_parent[present & (rows.node_depth > 0)]
    has_part = np.zeros(rows.n_nodes, bool)
    has_part[parent] = True
    nodes = np.flatnonzero(present & ~has_part)
    used = np.flatnonzero(evaluation.role > 0)
    # A scope's used reports: its own, or those of the parts below it when it has no place of its own.
    top = rows.node[used]
    for _ in range(2):
        top = np.where(np.isin(top, nodes) | (rows.node_parent[top] < 0), top, rows.node_parent[top])
    used_frame = prepared.take(rows.row[used], ["lat", "lon", "location", "mission"]).assign(
        node=top, key=rows.key[used], src=rows.src[used]
    )
    for column in ("lat", "lon"):
        used_frame[column] = pd.to_numeric(used_frame[column], errors="coerce")
    used_frame = used_frame[used_frame["node"].isin(nodes)]
    grouped = used_frame.groupby("node", sort=True)
    found = grouped[["lat", "lon", "location", "mission"]].first()  # first known value of each
    found["sources"] = grouped["src"].nunique()
    found["key"] = grouped["key"].max()
    node = found.index.to_numpy()
    pair = rows.node_pair[node]
    found["deployer"], found["host"] = rows.deployer[pair], rows.host[pair]
    keep = np.array([(d, h) in shown for d, h in zip(found["deployer"], found["host"], strict=True)], dtype=bool)
    found, node = found[keep], node[keep]
    located = found["lat"].notna() & found["lon"].notna()
    registry = countries.registry().by_iso3
    drawn = [registry.get(h) for h in found["host"]]
    host_lat = pd.Series([c.lat if c is not None else None for c in drawn], index=found.index, dtype="float")
    host_lon = pd.Series([c.lon if c is not None else None for c in drawn], index=found.index, dtype="float")
    points = pd.DataFrame(
        {
            "deployer": found["deployer"],
            "host": found["host"],
            "location": found["location"].astype(object).where(found["location"].notna(), None),
            "mission": found["mission"].astype(object).where(found["mission"].notna(), None),
            "lat": found["lat"].where(located, host_lat).astype(float),
            "lon": found["lon"].where(located, host_lon).astype(float),
            "located": located,
            "troops": rule.round_half_up(fig.best[node]),
            "troops_low": rule.round_half_up(fig.low[node]),
            "troops_high": rule.round_half_up(fig.high[node]),
            "sources": found["sources"].astype("int64"),
            "last_report_date": [dt.date.fromordinal(int(k // 4)) for k in found["key"]],
        },
        columns=POINT_COLUMNS,
    )
    return points.dropna(subset=["lat", "lon"]).reset_index(drop=True)
