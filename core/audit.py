"""The audit trail: one append-only row per create, edit, approve, reject, delete or import."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
from sqlalchemy import func, or_, select
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
            {k: [_json_value(x) for x in v] if isinstance(v, list | tuple) else _json_value(v)
             for k, v in changes.items()},
            ensure_ascii=False, sort_keys=True,
        )
    row = Audit(report_id=report_id, action=action, actor=actor, channel=channel, changes=text, reason=reason)
    session.add(row)
    session.flush()
    return row


def max_report_id(session: Session) -> int:
    """Call before an import; pass the value to record_import afterwards."""
    from core.models import Report

    return session.execute(select(func.max(Report.id))).scalar() or 0


def record_import(
    session: Session, actor: str, channel: str, before_max_id: int, count: int, **extra: Any
) -> Audit | None:
    """ONE audit row for a whole import (not one per report, so a million-row import does not write a
    million more rows): {"count", "ids"} for up to 100 reports, else {"count", "first_id", "last_id"}
    (ids of one SQLite write transaction are consecutive), plus `extra` (source file, profile...).
    Also stamps the imported reports' submitted_by. Nothing is written when nothing was imported."""
    from core.models import Report

    if not count:
        return None
    ids = list(session.execute(
        select(Report.id).where(Report.id > before_max_id).order_by(Report.id).limit(101)
    ).scalars())
    last = max_report_id(session)
    changes: dict[str, Any] = {"count": count}
    if count <= 100:
        changes["ids"] = ids
    else:
        changes.update(first_id=ids[0], last_id=last)
    changes.update(extra)
    session.execute(Report.__table__.update().where(Report.id.between(ids[0], last)).values(submitted_by=actor))
    return record(session, "import", actor, channel, changes=changes)


def _frame(rows) -> pd.DataFrame:
    records = [
        {"id": r.id, "at": r.at, "report_id": r.report_id, "action": r.action, "actor": r.actor,
         "channel": r.channel, "changes": json.loads(r.changes) if r.changes else {}, "reason": r.reason}
        for r in rows
    ]
    return pd.DataFrame(records, columns=COLUMNS)


def _covers(row: Audit, report_id: int) -> bool:
    """An import row names the id range it stored (SQLite ids of one transaction are consecutive)
    or, for small imports, the ids themselves."""
    changes = json.loads(row.changes or "{}")
    if "ids" in changes:
        return report_id in changes["ids"]
    first, last = changes.get("first_id"), changes.get("last_id")
    return first is not None and last is not None and first <= report_id <= last


def history(session: Session, report_id: int) -> pd.DataFrame:
    """One report's history, oldest first.

    Columns: id, at (UTC), report_id, action, actor, channel, changes (dict: field -> [old, new];
    for an import {"count", "first_id", "last_id" or "ids", "source"}), reason.
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
