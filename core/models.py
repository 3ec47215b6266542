"""SQLAlchemy tables. Alembic migrations (core/migrations) create them; these classes describe them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# The reports presence counts, as SQL literals: a partial index is only used when the query
# repeats its condition verbatim (with literals, not bound parameters).
COUNTED_SQL = "review_state = 'published' AND status IN ('present', 'withdrawn')"
ANNOUNCED_SQL = "review_state = 'published' AND status = 'announced'"
PENDING_SQL = "review_state = 'pending'"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    pass


class Report(Base):
    """One sourced, dated observation of one country's forces in another."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deployer: Mapped[str] = mapped_column(String(3))
    host: Mapped[str] = mapped_column(String(3))
    troops: Mapped[int | None] = mapped_column(Integer)
    troops_max: Mapped[int | None] = mapped_column(Integer)
    count_kind: Mapped[str] = mapped_column(String(10), default="exact")
    date: Mapped[dt.date] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(5), default="day")
    status: Mapped[str] = mapped_column(String(10), default="present")
    mission: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(200))
    # Normalised mission|location ('' for pair level): the presence rule groups on it.
    scope_key: Mapped[str] = mapped_column(String(402), default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    source_name: Mapped[str] = mapped_column(String(200))
    # The citation chain: the agency source_name cites, and the person or office quoted (migration 0006).
    cited_agency: Mapped[str | None] = mapped_column(String(200))
    speaker: Mapped[str | None] = mapped_column(String(200))
    source_url: Mapped[str | None] = mapped_column(String(2000))
    # Kept as written (YYYY, YYYY-MM or YYYY-MM-DD) so export gives back what was imported.
    source_date: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)
    review_state: Mapped[str] = mapped_column(String(10), default="published")
    # Who submitted it (editor name, or "anonymous"); NULL for rows stored before migration 0003.
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    # Why an editor rejected (or deleted) it.
    review_reason: Mapped[str | None] = mapped_column(Text)
    # Bumped on every edit, so an editor's save over a newer version can be refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        # A pair's reports by date: duplicates check, reports behind a figure, a pair's history.
        Index("ix_reports_pair_date", "deployer", "host", "date"),
        # (No index for counted reports per scope: presence reads the rows once per store version,
        # core/asof.py; migration 0008 dropped ix_reports_counted, which no query used.)
        # Published announcements of a pair: views.countries_in_store seeks it once per known pair.
        Index(
            "ix_reports_announced",
            "deployer",
            "host",
            "date",
            sqlite_where=text(ANNOUNCED_SQL),
            postgresql_where=text(ANNOUNCED_SQL),
        ),
        Index("ix_reports_date", "date"),
        # The store version (max id, max updated_at) must be cheap: the dashboard asks on every rerun.
        Index("ix_reports_updated_at", "updated_at"),
        # The review queue, oldest first, without reading the published rows.
        Index(
            "ix_reports_pending", "created_at", "id", sqlite_where=text(PENDING_SQL), postgresql_where=text(PENDING_SQL)
        ),
    )


class Scope(Base):
    """Every (deployer, host, mission|location) that has reports: views.countries_in_store asks the
    reports only about these pairs instead of scanning all reports. A superset is harmless."""

    __tablename__ = "scopes"

    deployer: Mapped[str] = mapped_column(String(3), primary_key=True)
    host: Mapped[str] = mapped_column(String(3), primary_key=True)
    scope_key: Mapped[str] = mapped_column(String(402), primary_key=True)

    __table_args__ = (Index("ix_scopes_host", "host"),)


class Audit(Base):
    """One create, edit, approve, reject, delete or import. Append-only: triggers (migration 0003)
    refuse UPDATE and DELETE. An import is one row (its ids in `changes`), not one per report."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    actor: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(10))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # JSON: {field: [old, new]} for edits and creates; {"count": n, "ids": [...]} for an import.
    changes: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_audit_report", "report_id", "id"),)
