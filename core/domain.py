"""The vocabulary of a report: kinds of count, date precision, status, review state, limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

COUNT_KINDS = ("exact", "approx", "at_least", "at_most", "range", "unknown")
PRECISIONS = ("day", "month", "year")
STATUSES = ("present", "announced", "withdrawn")
REVIEW_STATES = ("published", "pending", "rejected", "deleted")

MAX_TROOPS = 2_000_000
TEXT_LIMITS = {
    "mission": 200,
    "location": 200,
    "source_name": 200,
    "cited_agency": 200,
    "speaker": 200,
    "source_url": 2000,
    "notes": 2000,
}

# The columns of the canonical CSV, in order. Export writes them; import reads them.
CSV_COLUMNS = (
    "deployer",
    "host",
    "troops",
    "troops_max",
    "count_kind",
    "date",
    "date_precision",
    "status",
    "mission",
    "location",
    "lat",
    "lon",
    "source_name",
    "source_url",
    "source_date",
    "notes",
    # The citation chain (migration 0006): optional, so files of the first 16 columns still import.
    "cited_agency",
    "speaker",
)
REQUIRED_COLUMNS = ("deployer", "host", "date", "source_name")


@dataclass(frozen=True)
class ReportData:
    """A validated report, ready to store. Countries are ISO alpha-3 codes."""

    deployer: str
    host: str
    troops: int | None
    troops_max: int | None
    count_kind: str
    date: dt.date
    date_precision: str
    status: str
    mission: str | None
    location: str | None
    lat: float | None
    lon: float | None
    source_name: str
    source_url: str | None
    source_date: str | None
    notes: str | None
    # Who the source_name cites ("Interfax") and who is quoted ("Deputy Foreign Minister Ivan Gil").
    cited_agency: str | None = None
    speaker: str | None = None

    @property
    def scope_key(self) -> str:
        return scope_key(self.mission, self.location)

    @property
    def duplicate_key(self) -> tuple:
        # Same pair, scope, date, count, source and status: reports of two missions or places are not
        # duplicates, and neither are "announced 1,000" and a later "present 1,000" of the same day.
        return (self.deployer, self.host, self.scope_key, self.date, self.troops, self.source_name, self.status)

    def as_row(self) -> dict:
        # dataclasses.asdict deep-copies every value: too slow for an import of a million rows.
        row = dict(self.__dict__)
        row["scope_key"] = self.scope_key
        return row


def scope_key(mission: str | None, location: str | None) -> str:
    """The part of a report's scope below the pair: '' for a pair-level report.

    Case and spacing do not make a new scope: "Gao" and " gao" are one location.
    """
    m = " ".join(mission.split()).casefold() if isinstance(mission, str) else ""
    loc = " ".join(location.split()).casefold() if isinstance(location, str) else ""
    return f"{m}|{loc}" if (m or loc) else ""


def format_date(value: dt.date, precision: str) -> str:
    """2019-03-01 at month precision -> '2019-03' (the form the CSV and the CLI use)."""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()
