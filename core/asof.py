"""The store's reports held ready for the presence rule: read once per store version, then kept.

Presence as of any date is a binary search per scope in reports sorted by scope and evidence order
(core/rule.py). Reading a million reports takes seconds, so the prepared rows are kept per engine and
review-state set, and refreshed from the rows that changed (new ids, or a newer updated_at) when the
store version moves (max id, max updated_at, row count; rows stamped up to ten minutes before the
newest are read again, for transactions that committed out of order); a version that moved backwards
(a deletion, a rollback) rebuilds. A session that may see uncommitted rows
(a write transaction, or one that has flushed) reads the store without the cache.

Writes through Garrison (import, form, review) always move the version, and so do plain-SQL inserts
and deletes. A plain-SQL UPDATE that leaves `updated_at` alone is not seen until the process restarts:
set `updated_at` when editing by hand.
"""

from __future__ import annotations

import datetime as dt
import threading
import typing
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, String, cast, event, func, or_, select
from sqlalchemy.orm import Session

from core import rule
from core.filters import Filters
from core.models import Report

COLUMNS = [
    "id",
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
    "mission",
    "location",
    "lat",
    "lon",
]
RULE_STATUSES = ("present", "withdrawn", "announced")
FLUSHED = "garrison_flushed"
REREAD_MARGIN = dt.timedelta(minutes=10)
CHUNK = 20_000  # rows fetched at a time: the driver's tuples of one chunk are freed before the next
NUMERIC = frozenset({"id", "troops", "troops_max", "lat", "lon"})


@dataclass
class Prepared:
    """The store's reports of some review states: their columns (COLUMNS, numpy arrays) and rule.Rows."""

    version: tuple
    columns: dict[str, np.ndarray]
    rows: rule.Rows

    def take(self, positions: np.ndarray, names: list[str]) -> pd.DataFrame:
        """Some rows and columns as a small DataFrame (object columns, as stored)."""
        return pd.DataFrame({n: pd.Series(self.columns[n][positions], dtype=object) for n in names})


_cache: weakref.WeakKeyDictionary[Engine, dict[tuple, Prepared]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _version(session: Session) -> tuple:
    """(max id, max updated_at, row count): the count sees deletions and rows committed out of order."""
    top = session.execute(select(func.max(Report.id))).scalar()
    newest = session.execute(select(func.max(Report.updated_at))).scalar()
    count = session.execute(select(func.count()).select_from(Report)).scalar()
    return (int(top or 0), newest, int(count or 0))


def _read(session: Session, *conditions, extra=()) -> dict[str, np.ndarray]:
    """The COLUMNS of matching reports, through the driver's cursor: a million rows in seconds,
    where ORM rows would take ten times longer. Dates come as ISO text on every backend."""
    names = [*COLUMNS, *(e.key for e in extra)]
    statement = select(*[getattr(Report, c) for c in COLUMNS if c != "date"], cast(Report.date, String), *extra).where(
        *conditions
    )
    connection = session.connection()
    sql = statement.compile(connection.engine, compile_kwargs={"literal_binds": True})
    cursor = connection.connection.cursor()
    order = [c for c in COLUMNS if c != "date"] + ["date"] + [e.key for e in extra]
    chunks: list[list[np.ndarray]] = []
    try:
        cursor.execute(str(sql))
        while batch := cursor.fetchmany(CHUNK):
            table = np.array(batch, dtype=object).reshape(len(batch), len(order))
            chunks.append([_shared(table[:, i], name) for i, name in enumerate(order)])
    finally:
        cursor.close()
    columns = {
        name: (np.concatenate([c[i] for c in chunks]) if chunks else _shared(np.empty(0, object), name))
        for i, name in enumerate(order)
    }
    return {name: columns[name] for name in names}


_POOL: dict = {}


def _copy(value):
    return (value + " ")[:-1] if isinstance(value, str) else value


def _shared(values: np.ndarray, name: str) -> np.ndarray:
    """One Python object per distinct text: a million rows name a few thousand places and sources,
    and a string object per cell would cost the app hundreds of megabytes."""
    if name == "id":
        return values.astype(np.int64)
    if name in NUMERIC:
        return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    if len(values) == 0:
        return values.copy()
    codes, uniques = pd.factorize(values)
    # Fresh copies held in a pool: keeping the driver's own objects would pin the memory pages that
    # held the whole chunk.
    shared = np.array([_POOL.setdefault(u, _copy(u)) for u in uniques], dtype=object)
    return np.asarray(np.where(codes >= 0, shared[np.maximum(codes, 0)], None)) if len(shared) else values.copy()


def _changed(session: Session, old: Prepared, states: tuple) -> dict[str, np.ndarray]:
    """The old columns with every row changed since `old.version` read again."""
    top, newest, _ = old.version
    since = [Report.id > top]
    if newest is not None:
        # Writers stamp updated_at before they commit: a transaction that committed after the last read
        # may carry an older stamp (or a lower id). Read back a margin of recent rows as well.
        since.append(Report.updated_at > _utc(newest) - REREAD_MARGIN)
    fresh = _read(session, or_(*since), extra=(Report.review_state,))
    keep = np.isin(fresh["review_state"], list(states)) & np.isin(fresh["status"], list(RULE_STATUSES))
    stale = np.isin(old.columns["id"], fresh["id"])
    return {name: np.concatenate([old.columns[name][~stale], fresh[name][keep]]) for name in COLUMNS}


def prepared(session: Session, review_states: tuple[str, ...] = ("published",), fresh: bool = False) -> Prepared:
    """The store's reports in these review states, ready for the rule (cached per store version;
    `fresh` reads them all again, as the benchmark does to time it)."""
    engine = typing.cast(Engine, session.get_bind())  # sessions here are bound to engines
    states = tuple(sorted(review_states))
    if _may_hold_uncommitted(session):
        # What a write transaction sees may be rolled back: never keep it, never serve it from the cache.
        columns = _read(session, Report.review_state.in_(states), Report.status.in_(RULE_STATUSES))
        return Prepared(_version(session), columns, rule.build(columns))
    version = _version(session)
    with _lock:
        old = None if fresh else _cache.get(engine, {}).get(states)
    if old is not None and old.version == version:
        return old
    if (
        old is not None
        and version[0] >= old.version[0]
        and _not_older(version[1], old.version[1])
        and version[2] >= old.version[2]
    ):
        columns = _changed(session, old, states)
    else:
        columns = _read(session, Report.review_state.in_(states), Report.status.in_(RULE_STATUSES))
    result = Prepared(version, columns, rule.build(columns))
    with _lock:
        _cache.setdefault(engine, {})[states] = result
    return result


def _may_hold_uncommitted(session: Session) -> bool:
    """A write transaction (core.store.writing) or a session that has flushed changes."""
    if session.info.get(FLUSHED) or session.new or session.dirty or session.deleted:
        return True
    return bool(session.in_transaction() and session.connection().get_execution_options().get("garrison_write"))


@event.listens_for(Session, "after_flush")
def _flushed(session, _context):
    session.info[FLUSHED] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _settled(session):
    session.info.pop(FLUSHED, None)


def _not_older(new, old) -> bool:
    return old is None or (new is not None and _utc(new) >= _utc(old))


def _utc(value):
    # SQLite hands back naive datetimes for the UTC timestamps the app writes; PostgreSQL aware ones.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def rows_for(session: Session, filters: Filters) -> tuple[Prepared, rule.Rows]:
    """The prepared reports and the rows the filters keep (presence ignores since/until)."""
    ready = prepared(session, tuple(filters.review_states))
    rows = ready.rows
    pair_keep = _pair_mask(rows, filters)
    row_keep = None
    if filters.source_text:
        ids = set(session.execute(select(Report.id).where(*filters.source_conditions())).scalars())
        row_keep = np.isin(ready.columns["id"], np.fromiter(ids, np.int64, len(ids)))
    if pair_keep is None and row_keep is None:
        return ready, rows
    return ready, rule.subset(rows, pair_keep, row_keep)


def _pair_mask(rows: rule.Rows, filters: Filters) -> np.ndarray | None:
    """Which pairs the deployer, host and region filters keep (None: all)."""
    masks = []
    if filters.deployers:
        masks.append(np.isin(rows.deployer, list(filters.deployers)))
    if filters.hosts:
        masks.append(np.isin(rows.host, list(filters.hosts)))
    if filters.regions:
        masks.append(np.isin(rows.host, list(filters.region_hosts())))
    return np.all(np.stack(masks), axis=0) if masks else None
