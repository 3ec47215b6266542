"""Roles and review: submissions land pending, editors approve / reject / edit / delete, each
action writes one audit row. No Streamlit here; the dashboard's Review page calls these.

The caller owns the transaction: run each action inside `core.store.writing(engine)` so that the
change and its audit row commit together (and SQLite writers queue on BEGIN IMMEDIATE).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, Any

import pandas as pd
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core import audit, ingest
from core.domain import CSV_COLUMNS, ReportData, format_date
from core.filters import Filters
from core.ingest import ImportResult, add_report, import_csv
from core.models import PENDING_SQL, Report
from core.presence import presence_as_of
from core.validation import FieldError, validate

ANONYMOUS = "anonymous"
# Stored report fields an edit may change (the canonical CSV columns; dates as written).
EDITABLE = CSV_COLUMNS
# Reports of the same scope dated this close to a pending one are shown as possible conflicts.
CONFLICT_WINDOW_DAYS = 31


class ReviewError(Exception):
    """Base of the errors a review action raises; str() is a message for the user."""


class PermissionDenied(ReviewError):
    """The actor may not do this (not an editor, or approving their own submission)."""


class StaleVersion(ReviewError):
    """The report changed since the editor loaded it: their save would overwrite someone's change."""


class ReportNotFound(ReviewError, LookupError):
    pass


class InvalidTransition(ReviewError):
    """E.g. approving a deleted report, or rejecting without a reason."""


class InvalidReport(ReviewError):
    """The submitted or edited values do not validate; `errors` lists FieldErrors for the form."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


@dataclass(frozen=True)
class Actor:
    """Who acts: an editor's name (logged in), or an anonymous session."""

    name: str
    is_editor: bool = False

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(ANONYMOUS, False)

    @property
    def duplicate_states(self) -> tuple[str, ...]:
        """The review states a duplicate check may compare this actor's submissions with: what they can see."""
        return ingest.EDITOR_DUPLICATE_STATES if self.is_editor else ingest.VIEWER_DUPLICATE_STATES


@dataclass(frozen=True)
class Policy:
    """The review rules in force. `editors` are the configured editor names (core.users.editors);
    none configured means single-user mode: submissions are published directly."""

    editors: frozenset[str] = field(default_factory=frozenset)
    allow_self_approval: bool = False

    @property
    def single_user(self) -> bool:
        return not self.editors

    def initial_state(self) -> str:
        return "published" if self.single_user else "pending"

    def other_approvers(self, submitted_by: str | None, actor: Actor) -> frozenset[str]:
        """The editors who must approve instead of `actor`: none when the actor may approve a report
        `submitted_by` this person (not their own, or no other editor exists, or self-approval allowed)."""
        others = frozenset(self.editors) - {actor.name}
        if submitted_by == actor.name and others and not self.allow_self_approval:
            return others
        return frozenset()


def _require_editor(actor: Actor, what: str) -> None:
    if not actor.is_editor:
        raise PermissionDenied(f"only a logged-in editor may {what} reports; {actor.name!r} is not an editor")


def _load(session: Session, report_id: int, actor: Actor, expected_version: int) -> Report:
    # FOR UPDATE on PostgreSQL; SQLite already holds the write lock (BEGIN IMMEDIATE in `writing`).
    query = select(Report).where(Report.id == report_id).with_for_update()
    report = session.execute(query).scalar_one_or_none()
    if report is None:
        raise ReportNotFound(f"report {report_id} does not exist")
    if report.version != expected_version:
        last = audit.last_change(session, report_id)
        who = f"by {last.actor} at {last.at:%Y-%m-%d %H:%M} UTC ({last.action})" if last else "by someone else"
        raise StaleVersion(
            f"report {report_id} was changed {who} after you opened it: it is now version {report.version}, "
            f"you edited version {expected_version}. Nothing was saved. Reload the report, check the "
            "change, and apply yours again if it is still needed."
        )
    return report


def _values(report: Report) -> dict[str, Any]:
    """A stored report as form/CSV values (dates as written), for validation and diffs."""
    values = {c: getattr(report, c) for c in CSV_COLUMNS}
    values["date"] = format_date(report.date, report.date_precision)
    return values


def _bump(report: Report) -> None:
    report.version += 1


def submit(
    session: Session,
    raw: Mapping[str, Any] | ReportData,
    actor: Actor,
    channel: str,
    policy: Policy,
    *,
    today: dt.date | None = None,
) -> Report:
    """Store one report from the form or the extractor: pending, or published in single-user mode.

    `raw` is form values (validated here; InvalidReport lists field errors) or a ReportData.
    Writes one audit row (create) with every given field as [None, value].
    """
    data = raw if isinstance(raw, ReportData) else validate(raw, today=today)
    if not isinstance(data, ReportData):
        raise InvalidReport(data)
    report = add_report(session, data, review_state=policy.initial_state())
    report.submitted_by = actor.name
    session.flush()
    changes = {k: [None, v] for k, v in data.as_row().items() if v is not None and k != "scope_key"}
    changes["review_state"] = [None, report.review_state]
    audit.record(session, "create", actor.name, channel, report_id=report.id, changes=changes)
    return report


def submit_csv(
    session: Session,
    source: IO[str] | str,
    actor: Actor,
    channel: str,
    policy: Policy,
    *,
    source_name: str | None = None,
    review_state: str | None = None,
    **kwargs,
) -> ImportResult:
    """Import a canonical CSV as one action: every row pending (published in single-user mode, or
    `review_state` given, e.g. by the CLI), and ONE audit row (import) for the whole file with
    {"count", "ids" (100 or fewer) or "ranges" of ids, "source"}: a million-row import
    does not write a million audit rows. Raises CsvFormatError for a bad header; atomic unless
    skip_invalid (the caller rolls back when `not result.ok`).
    """
    state = review_state or policy.initial_state()
    result = import_csv(
        session, source, review_state=state, duplicate_states=actor.duplicate_states, submitted_by=actor.name, **kwargs
    )
    extra = {"review_state": state, **({"source": source_name} if source_name else {})}
    audit.record_import(session, actor.name, channel, result.ids, stamped=True, **extra)
    return result


def submit_profile(
    session: Session,
    profile: str,
    source,
    actor: Actor,
    channel: str,
    policy: Policy,
    *,
    source_name: str | None = None,
    review_state: str | None = None,
    **kwargs,
):
    """submit_csv for a dataset in its own layout (core.profiles): the same states and ONE audit row.

    Returns the core.profiles.ProfileResult; raises ProfileFormatError when the file lacks the
    profile's columns. Atomic unless skip_invalid (the caller rolls back when `not result.ok`).
    """
    from core.profiles import import_profile  # the profiles import the ingest layer this module uses

    state = review_state or policy.initial_state()
    result = import_profile(
        session, profile, source, review_state=state, duplicate_states=actor.duplicate_states, **kwargs
    )
    extra: dict[str, Any] = {
        "review_state": state,
        "profile": profile,
        **({"source": source_name} if source_name else {}),
    }
    audit.record_import(session, actor.name, channel, result.ids, **extra)
    return result


def approve(
    session: Session, report_id: int, actor: Actor, expected_version: int, policy: Policy | None = None
) -> Report:
    """Publish a pending (or rejected) report. An editor may not approve their own submission while
    another editor exists, unless the policy allows it."""
    _require_editor(actor, "approve")
    policy = policy or Policy()
    report = _load(session, report_id, actor, expected_version)
    if report.review_state not in ("pending", "rejected"):
        raise InvalidTransition(
            f"report {report_id} is {report.review_state}; only pending or rejected reports can be approved"
        )
    others = policy.other_approvers(report.submitted_by, actor)
    if others:
        raise PermissionDenied(
            f"you submitted report {report_id}: another editor ({', '.join(sorted(others))}) must approve it"
        )
    old = report.review_state
    report.review_state, report.review_reason = "published", None
    _bump(report)
    session.flush()
    audit.record(
        session, "approve", actor.name, "review", report_id=report_id, changes={"review_state": [old, "published"]}
    )
    return report


def reject(session: Session, report_id: int, actor: Actor, reason: str, expected_version: int) -> Report:
    """Reject a pending (or published) report; the reason is required and kept with it."""
    _require_editor(actor, "reject")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidTransition("a rejection needs a reason (the submitter and other editors will see it)")
    report = _load(session, report_id, actor, expected_version)
    if report.review_state not in ("pending", "published"):
        raise InvalidTransition(f"report {report_id} is {report.review_state}; it cannot be rejected")
    old = report.review_state
    report.review_state, report.review_reason = "rejected", reason
    _bump(report)
    session.flush()
    audit.record(
        session,
        "reject",
        actor.name,
        "review",
        report_id=report_id,
        changes={"review_state": [old, "rejected"]},
        reason=reason,
    )
    return report


def edit(
    session: Session,
    report_id: int,
    actor: Actor,
    changes: Mapping[str, Any],
    expected_version: int,
    *,
    today: dt.date | None = None,
) -> Report:
    """Change fields of a report (form values, validated as a whole). Refuses a stale version.

    Returns the report (version bumped) or, when nothing actually changes, the report untouched and
    no audit row. InvalidReport carries field errors for the form.
    """
    _require_editor(actor, "edit")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidReport([FieldError(f, "cannot be edited") for f in sorted(unknown)])
    report = _load(session, report_id, actor, expected_version)
    if report.review_state == "deleted":
        raise InvalidTransition(f"report {report_id} is deleted; it cannot be edited")
    data = validate({**_values(report), **changes}, today=today)
    if not isinstance(data, ReportData):
        raise InvalidReport(data)
    new = data.as_row()
    diff = {}
    for name, value in new.items():
        old = getattr(report, name)
        if old != value:
            diff[name] = [old, value]
    if not diff:
        return report
    for name, (_, value) in diff.items():
        setattr(report, name, value)
    # A report moved to a new scope registers it through the database's trigger (migration 0007).
    diff.pop("scope_key", None)
    _bump(report)
    session.flush()
    audit.record(session, "edit", actor.name, "review", report_id=report_id, changes=diff)
    return report


def delete(session: Session, report_id: int, actor: Actor, expected_version: int, reason: str | None = None) -> Report:
    """Soft delete: review_state 'deleted'; the row and its history stay (and can be audited)."""
    _require_editor(actor, "delete")
    report = _load(session, report_id, actor, expected_version)
    if report.review_state == "deleted":
        raise InvalidTransition(f"report {report_id} is already deleted")
    old = report.review_state
    report.review_state = "deleted"
    if reason:
        report.review_reason = reason
    _bump(report)
    session.flush()
    audit.record(
        session,
        "delete",
        actor.name,
        "review",
        report_id=report_id,
        changes={"review_state": [old, "deleted"]},
        reason=reason,
    )
    return report


QUEUE_COLUMNS = ["id", "version", "submitted_by", "created_at", *CSV_COLUMNS]


def pending_queue(session: Session, limit: int = 200) -> pd.DataFrame:
    """Pending reports, oldest first (at most `limit`; frame.attrs["truncated"] when more wait).

    Columns: id, version (pass it back as expected_version), submitted_by, created_at, then the
    canonical CSV columns (date as written: YYYY-MM-DD / YYYY-MM / YYYY).
    """
    rows = list(
        session.execute(
            # The literal condition lets SQLite use the partial index ix_reports_pending.
            select(Report).where(text(PENDING_SQL)).order_by(Report.created_at, Report.id).limit(limit + 1)
        ).scalars()
    )
    records = [
        {"id": r.id, "version": r.version, "submitted_by": r.submitted_by, "created_at": r.created_at, **_values(r)}
        for r in rows[:limit]
    ]
    frame = pd.DataFrame(records, columns=QUEUE_COLUMNS)
    frame.attrs["truncated"] = len(rows) > limit
    return frame


def pending_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(Report).where(text(PENDING_SQL))).scalar_one()


def conflicts(session: Session, report_id: int) -> pd.DataFrame:
    """Published or pending reports of the same pair and scope dated within CONFLICT_WINDOW_DAYS of
    the report, whose count or status differs from it.

    Columns: id, review_state, version, submitted_by, then the canonical CSV columns.
    """
    report = session.get(Report, report_id)
    if report is None:
        raise ReportNotFound(f"report {report_id} does not exist")
    window = dt.timedelta(days=CONFLICT_WINDOW_DAYS)
    rows = session.execute(
        select(Report)
        .where(
            Report.deployer == report.deployer,
            Report.host == report.host,
            Report.scope_key == report.scope_key,
            Report.id != report.id,
            Report.review_state.in_(("published", "pending")),
            Report.date.between(report.date - window, report.date + window),
        )
        .order_by(Report.date, Report.id)
        .limit(100)
    ).scalars()
    records = [
        {"id": r.id, "review_state": r.review_state, "version": r.version, "submitted_by": r.submitted_by, **_values(r)}
        for r in rows
        if (r.troops, r.troops_max, r.status) != (report.troops, report.troops_max, report.status)
    ]
    return pd.DataFrame(records, columns=["id", "review_state", "version", "submitted_by", *CSV_COLUMNS])


def review_context(session: Session, report_id: int, today: dt.date | None = None) -> dict[str, Any]:
    """What the Review page shows beside a pending report.

    {"report": dict of the report (id, version, review_state, submitted_by, review_reason, CSV columns),
     "presence": presence_as_of(today) for its pair (published reports only),
     "conflicts": conflicts(report_id), "history": core.audit.history(report_id)}
    """
    report = session.get(Report, report_id)
    if report is None:
        raise ReportNotFound(f"report {report_id} does not exist")
    filters = Filters.build(deployers=(report.deployer,), hosts=(report.host,))
    return {
        "report": {
            "id": report.id,
            "version": report.version,
            "review_state": report.review_state,
            "submitted_by": report.submitted_by,
            "review_reason": report.review_reason,
            **_values(report),
        },
        "presence": presence_as_of(session, today or dt.date.today(), filters),
        "conflicts": conflicts(session, report_id),
        "history": audit.history(session, report_id),
    }


history = audit.history

__all__ = [
    "ANONYMOUS",
    "Actor",
    "Policy",
    "ReviewError",
    "PermissionDenied",
    "StaleVersion",
    "ReportNotFound",
    "InvalidTransition",
    "InvalidReport",
    "submit",
    "submit_csv",
    "approve",
    "reject",
    "edit",
    "delete",
    "pending_queue",
    "pending_count",
    "conflicts",
    "review_context",
    "history",
]
