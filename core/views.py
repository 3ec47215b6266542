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
            for row in session.execute(select(*_SELECTED).where(Report.id.in_(ids[start : start + 10_000])))
        ]
        rows.sort(key=lambda r: (-r.date.toordinal(), r.id))
        return _frame(rows)
    if wanted is not None:
        if not wanted:
            return _frame([])
        conditions.append(tuple_(Report.deployer, Report.host).in_(wanted))
    query = select(*_SELECTED).where(*conditions).order_by(*newest_first)
    if limit is not None:
        query = query.limit(limit)
    return _frame(session.execute(query))


# Columns, not ORM objects: building a thousand Report instances cost more than the query itself.
_SELECTED = [getattr(Report, c) for c in COLUMNS]


def _frame(rows: Iterable) -> pd.DataFrame:
    """Rows of the COLUMNS as a frame, the date as written (its precision)."""
    frame = pd.DataFrame.from_records([tuple(r) for r in rows], columns=COLUMNS)
    if len(frame):  # an empty column stays object, as it was
        frame["date"] = [format_date(d, p) for d, p in zip(frame["date"], frame["date_precision"], strict=True)]
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
    present = pairs["status"] == "present"
    shown = set(zip(pairs["deployer"][present].tolist(), pairs["host"][present].tolist(), strict=True))
    return pairs, _points(prepared, evaluation, shown)


def _point_nodes(evaluation: rule.Evaluation) -> np.ndarray:
    """Per node: does it get a point (present, used by its pair's figure, no such part below it)."""
    rows, tree = evaluation.rows, evaluation.tree
    present = tree.used & (tree.fig.status == rule.PRESENT)
    has_part = np.zeros(rows.n_nodes, bool)
    has_part[rows.node_parent[present & (rows.node_depth > 0)]] = True
    return present & ~has_part


def _first_known(values: np.ndarray, known: np.ndarray, group: np.ndarray, n: int, missing) -> np.ndarray:
    """Per group the first value that is known, in row order (groupby.first), else `missing`."""
    out = np.full(n, missing, dtype=values.dtype)
    groups, first = np.unique(group[known], return_index=True)
    out[groups] = values[known][first]
    return out


def _points(prepared, evaluation: rule.Evaluation, shown: set) -> pd.DataFrame:
    """The points, by integer group reductions over the used reports (numpy, no pandas groupby:
    this runs on every date change)."""
    rows, fig = evaluation.rows, evaluation.tree.fig
    is_point = _point_nodes(evaluation)
    used = np.flatnonzero(evaluation.role > 0)
    # A scope's used reports: its own, or those of the parts below it when it has no place of its own.
    top = rows.node[used]
    for _ in range(2):
        top = np.where(is_point[top] | (rows.node_parent[top] < 0), top, rows.node_parent[top])
    pair_shown = np.array(
        [(d, h) in shown for d, h in zip(rows.deployer.tolist(), rows.host.tolist(), strict=True)], dtype=bool
    )
    keep = is_point[top] & pair_shown[rows.node_pair[top]] if len(top) else np.zeros(0, bool)
    order = np.argsort(top[keep], kind="stable")  # by node, row order kept within one
    used, top = used[keep][order], top[keep][order]
    node, group = np.unique(top, return_inverse=True)
    n, at = len(node), rows.row[used]
    found = {name: prepared.columns[name][at] for name in ("lat", "lon", "location", "mission")}
    lat = _first_known(found["lat"], ~np.isnan(found["lat"]), group, n, np.nan)
    lon = _first_known(found["lon"], ~np.isnan(found["lon"]), group, n, np.nan)
    location = _first_known(found["location"], pd.notna(found["location"]), group, n, None)
    mission = _first_known(found["mission"], pd.notna(found["mission"]), group, n, None)
    width = np.int64(len(rows.source_names) + 1)
    sources = np.bincount(np.unique(group * width + rows.src[used]) // width, minlength=n)
    key = np.maximum.reduceat(rows.key[used], np.flatnonzero(np.r_[True, np.diff(group) != 0])) if n else group
    pair = rows.node_pair[node]
    hosts = rows.host[pair]
    located = ~np.isnan(lat) & ~np.isnan(lon)
    host_lat, host_lon = _drawing_points(hosts)
    points = pd.DataFrame(
        {
            "deployer": pd.Series(rows.deployer[pair], dtype="str"),
            "host": pd.Series(hosts, dtype="str"),
            "location": pd.Series(location, dtype=object),
            "mission": pd.Series(mission, dtype=object),
            "lat": np.where(located, lat, host_lat),
            "lon": np.where(located, lon, host_lon),
            "located": located,
            "troops": rule.round_half_up(fig.best[node]),
            "troops_low": rule.round_half_up(fig.low[node]),
            "troops_high": rule.round_half_up(fig.high[node]),
            "sources": sources.astype("int64"),
            "last_report_date": [dt.date.fromordinal(int(k // 4)) for k in key.tolist()],
        },
        columns=POINT_COLUMNS,
    )
    return points.dropna(subset=["lat", "lon"]).reset_index(drop=True)


def _drawing_points(hosts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each host's drawing point (NaN where the registry has none), looked up once per host."""
    registry = countries.registry().by_iso3
    codes, uniques = pd.factorize(pd.Series(hosts, dtype=object))
    drawn = [registry.get(h) for h in uniques]
    lat = np.array([c.lat if c is not None and c.lat is not None else np.nan for c in drawn] + [np.nan], float)
    lon = np.array([c.lon if c is not None and c.lon is not None else np.nan for c in drawn] + [np.nan], float)
    return lat[codes], lon[codes]
