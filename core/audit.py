"""The audit trail: one append-only row per create, edit, approve, reject, delete or import."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, cast

import pandas as pd
from sqlalchemy import Table, or_, select
from sqlalchemy.orm import Session

from core.models import Audit

ACTIONS = ("create", "edit", "approve", "reject", "delete", "import")
CHANNELS = ("form", "csv", "extract", "cli", "review", "profile")
# history() and audit_frame() columns, in order.
COLUMNS = ["id", "at", "report_id", "action", "actor", "channel", "changes", "reason"]


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def record(
    session: Session,
    action: str,
    actor: str,
    channel: str,
    *,
    report_id: int | None = None,
    changes: dict[str, Any] | None = None,
    reason: str | None = None,
) -> Audit:
    """Add one audit row in the caller's transaction (it commits or rolls back with the change)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if channel not in CHANNELS:
        raise ValueError(f"unknown audit channel {channel!r}")
    text = None
    if changes is not None:
        text = json.dumps(
            {
                k: [_json_value(x) for x in v] if isinstance(v, list | tuple) else _json_value(v)
                for k, v in changes.items()
            },
            ensure_ascii=False,
            sort_keys=True,
        )
    row = Audit(report_id=report_id, action=action, actor=actor, channel=channel, changes=text, reason=reason)
    session.add(row)
    session.flush()
    return row


def id_ranges(ids: list[int]) -> list[list[int]]:
    """[1, 2, 3, 7, 8] -> [[1, 3], [7, 8]]: an import's ids in little space (one range on SQLite, where a
    write transaction holds the lock; interleaved runs on PostgreSQL, where imports share the sequence)."""
    ranges: list[list[int]] = []
    for report_id in sorted(ids):
        if ranges and report_id == ranges[-1][1] + 1:
            ranges[-1][1] = report_id
        else:
            ranges.append([report_id, report_id])
    return ranges


def record_import(
    session: Session, actor: str, channel: str, ids: list[int], *, stamped: bool = False, **extra: Any
) -> Audit | None:
    """ONE audit row for a whole import (not one per report, so a million-row import does not write a
    million more rows): {"count", "ids"} for up to 100 reports, else {"count", "ranges": [[first, last],
    ...]} of exactly the ids the import wrote, plus `extra` (source file, profile...). Also stamps the
    imported reports' submitted_by, unless `stamped` (the import wrote it with the rows, as core.bulk
    does). Nothing is written when nothing was imported."""
    from core.models import Report

    if not ids:
        return None
    changes: dict[str, Any] = {"count": len(ids)}
    ranges = id_ranges(ids)
    if len(ids) <= 100:
        changes["ids"] = sorted(ids)
    else:
        changes["ranges"] = ranges
    changes.update(extra)
    if stamped:
        return record(session, "import", actor, channel, changes=changes)
    table = cast(Table, Report.__table__)
    # Rewriting a million rows that already carry their submitter would cost more than the import's insert.
    unstamped = Report.submitted_by.is_(None)
    if len(ranges) <= 100:
        for first, last in ranges:
            session.execute(table.update().where(Report.id.between(first, last), unstamped).values(submitted_by=actor))
    else:  # ids interleaved with another import's: by the ids themselves, a batch at a time
        ordered = sorted(ids)
        for start in range(0, len(ordered), 5_000):
            batch = ordered[start : start + 5_000]
            session.execute(table.update().where(Report.id.in_(batch), unstamped).values(submitted_by=actor))
    return record(session, "import", actor, channel, changes=changes)


def _frame(rows) -> pd.DataFrame:
    records = [
        {
            "id": r.id,
            "at": r.at,
            "report_id": r.report_id,
            "action": r.action,
            "actor": r.actor,
            "channel": r.channel,
            "changes": json.loads(r.changes) if r.changes else {},
            "reason": r.reason,
        }
        for r in rows
    ]
    return pd.DataFrame(records, columns=COLUMNS)


def _covers(row: Audit, report_id: int) -> bool:
    """An import row names the ids it stored: themselves, their ranges, or (rows written before ranges)
    first_id and last_id."""
    changes = json.loads(row.changes or "{}")
    if "ids" in changes:
        return report_id in changes["ids"]
    if "ranges" in changes:
        return any(first <= report_id <= last for first, last in changes["ranges"])
    first, last = changes.get("first_id"), changes.get("last_id")
    return first is not None and last is not None and first <= report_id <= last


def history(session: Session, report_id: int) -> pd.DataFrame:
    """One report's history, oldest first.

    Columns: id, at (UTC), report_id, action, actor, channel, changes (dict: field -> [old, new];
    for an import {"count", "ids" or "ranges", "source"}), reason.
    """
    rows = session.execute(
        select(Audit)
        .where(or_(Audit.report_id == report_id, (Audit.report_id.is_(None)) & (Audit.action == "import")))
        .order_by(Audit.id)
    ).scalars()
    return _frame([r for r in rows if r.report_id == report_id or _covers(r, report_id)])


def audit_frame(session: Session, report_id: int | None = None, limit: int = 1000) -> pd.DataFrame:
    """The newest `limit` audit rows (all reports, or one report's history), oldest first.

    Columns as history(). Fetches limit + 1 rows; `frame.attrs["truncated"]` says whether more exist.
    """
    if report_id is not None:
        frame = history(session, report_id)
        frame.attrs["truncated"] = len(frame) > limit
        return frame.tail(limit).reset_index(drop=True)
    rows = list(session.execute(select(Audit).order_by(Audit.id.desc()).limit(limit + 1)).scalars())
    frame = _frame(reversed(rows[:limit]))
    frame.attrs["truncated"] = len(rows) > limit
    return frame


def last_change(session: Session, report_id: int) -> Audit | None:
    """The newest audit row of a report (who changed it last, and when)."""
    return session.execute(
        select(Audit).where(Audit.report_id == report_id).order_by(Audit.id.desc()).limit(1)
    ).scalar_one_or_none()
