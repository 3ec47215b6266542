"""SQLAlchemy tables. Alembic migrations (core/migrations) create them; these classes describe them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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
    source_url: Mapped[str | None] = mapped_column(String(2000))
    # Kept as written (YYYY, YYYY-MM or YYYY-MM-DD) so export gives back what was imported.
    source_date: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)
    review_state: Mapped[str] = mapped_column(String(10), default="published")
    # Bumped on every edit, so an editor's save over a newer version can be refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        # Latest report per scope on or before a date: an index range scan per scope.
        Index("ix_reports_scope_date", "deployer", "host", "scope_key", "date"),
        Index("ix_reports_host_date", "host", "date"),
        Index("ix_reports_date", "date"),
    )
