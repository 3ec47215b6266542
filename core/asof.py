"""The store's reports held ready for the presence rule: read once per store version, then kept.

Presence as of any date is a binary search per scope in reports sorted by scope and evidence order
(core/rule.py). Reading a million reports takes seconds, so the prepared rows are kept per engine and
review-state set, and refreshed from the rows that changed (new ids, or a newer updated_at) when the
store version moves. A version that moved backwards (a rolled-back transaction was read) rebuilds.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from core import rule
from core.filters import Filters
from core.models import Report

COLUMNS = ["id", "deployer", "host", "scope_key", "date", "date_precision", "status", "troops", "troops_max",
           "count_kind", "source_name", "source_date", "mission", "location", "lat", "lon"]
RULE_STATUSES = ("present", "withdrawn", "announced")


@dataclass
class Prepared:
    """The store's reports of some review states, as a frame (COLUMNS) and as rule.Rows."""

    version: tuple
    frame: pd.DataFrame
    rows: rule.Rows


_cache: weakref.WeakKeyDictionary[Engine, dict[tuple, Prepared]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _version(session: Session) -> tuple:
    top = session.execute(select(func.max(Report.id))).scalar()
    newest = session.execute(select(func.max(Report.updated_at))).scalar()
    return (int(top or 0), newest)


def _read(session: Session, *conditions) -> pd.DataFrame:
    result = session.execute(select(*[getattr(Report, c) for c in COLUMNS]).where(*conditions))
    frame = pd.DataFrame(result.all(), columns=COLUMNS)
    for column in ("troops", "troops_max"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _changed(session: Session, old: Prepared, version: tuple, states: tuple) -> pd.DataFrame:
    """The old frame with every row changed since `old.version` read again."""
    top, newest = old.version
    since = [Report.id > top]
    if newest is not None:
        since.append(Report.updated_at > newest)
    changed = session.execute(
        select(*[getattr(Report, c) for c in COLUMNS], Report.review_state).where(or_(*since))
    ).all()
    fresh = pd.DataFrame(changed, columns=[*COLUMNS, "review_state"])
    keep = fresh["review_state"].isin(states) & fresh["status"].isin(RULE_STATUSES)
    fresh = fresh[keep].drop(columns="review_state")
    frame = old.frame[~old.frame["id"].isin(set(fresh["id"]) | {r[0] for r in changed})]
    frame = pd.concat([frame, fresh], ignore_index=True) if len(fresh) else frame.reset_index(drop=True)
    for column in ("troops", "troops_max"):
        frame[column] = frame[column].astype("Int64")
    return frame


def prepared(session: Session, review_states: tuple[str, ...] = ("published",)) -> Prepared:
    """The store's reports in these review states, ready for the rule (cached per store version)."""
    engine = session.get_bind()
    states = tuple(sorted(review_states))
    version = _version(session)
    with _lock:
        old = _cache.get(engine, {}).get(states)
    if old is not None and old.version == version:
        return old
    if old is not None and version[0] >= old.version[0] and _not_older(version[1], old.version[1]):
        frame = _changed(session, old, version, states)
    else:
        frame = _read(session, Report.review_state.in_(states), Report.status.in_(RULE_STATUSES))
    fresh = Prepared(version, frame, rule.build(frame))
    with _lock:
        _cache.setdefault(engine, {})[states] = fresh
    return fresh


def _not_older(new, old) -> bool:
    return old is None or (new is not None and _utc(new) >= _utc(old))


def _utc(value):
    # SQLite hands back naive datetimes for the UTC timestamps the app writes; PostgreSQL aware ones.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def rows_for(session: Session, filters: Filters) -> tuple[pd.DataFrame, rule.Rows]:
    """The prepared frame and the rows the filters keep (presence ignores since/until)."""
    ready = prepared(session, tuple(filters.review_states))
    rows = ready.rows
    pair_keep = _pair_mask(rows, filters)
    row_keep = None
    if filters.source_text:
        ids = set(session.execute(select(Report.id).where(*filters.source_conditions())).scalars())
        row_keep = ready.frame["id"].isin(ids).to_numpy()
    if pair_keep is None and row_keep is None:
        return ready.frame, rows
    return ready.frame, rule.subset(rows, pair_keep, row_keep)


def _pair_mask(rows: rule.Rows, filters: Filters) -> np.ndarray | None:
    """Which pairs the deployer, host and region filters keep (None: all)."""
    masks = []
    if filters.deployers:
        masks.append(np.isin(rows.deployer, list(filters.deployers)))
    if filters.hosts:
        masks.append(np.isin(rows.host, list(filters.hosts)))
    if filters.regions:
        masks.append(np.isin(rows.host, list(filters.region_hosts())))
    return np.logical_and.reduce(masks) if masks else None
