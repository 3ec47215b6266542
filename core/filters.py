"""Filters: one value object that the map, the tables, exports and the CLI share.

It turns into SQL conditions on reports and describes itself in words, so every view can say
what it shows ("Presence as of 2019-04-01 where host = Venezuela").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import ColumnElement, func, or_

from core import countries
from core.models import Report


def _names(codes: tuple[str, ...]) -> str:
    return " or ".join(countries.name_of(c) for c in codes)


def contains_text(columns, text: str) -> ColumnElement[bool]:
    """`text` (case-insensitive) inside any of the columns, taken literally: LIKE's wildcards `%` and
    `_` in it are escaped (autoescape renders ESCAPE '/'), so "_" matches an underscore, not any source."""
    needle = text.lower()
    return or_(*(func.lower(column).contains(needle, autoescape=True) for column in columns))


@dataclass(frozen=True)
class Filters:
    """Which reports (and so which presence) a view is about. Empty means no restriction."""

    deployers: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    # Continents ("Africa") or UN subregions ("Western Asia") of the host country.
    regions: tuple[str, ...] = ()
    # Presence statuses to show: present, withdrawn, announced.
    statuses: tuple[str, ...] = ()
    min_troops: int | None = None
    # Case-insensitive text that the source name or URL must contain.
    source_text: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    review_states: tuple[str, ...] = field(default=("published",))

    @classmethod
    def build(cls, *, deployers=(), hosts=(), **kwargs) -> Filters:
        """Filters from country names or codes (resolved; raises countries.UnknownCountry)."""
        return cls(
            deployers=tuple(dict.fromkeys(countries.resolve_iso3(d) for d in deployers)),
            hosts=tuple(dict.fromkeys(countries.resolve_iso3(h) for h in hosts)),
            **kwargs,
        )

    def with_(self, **changes) -> Filters:
        return replace(self, **changes)

    def region_hosts(self) -> tuple[str, ...]:
        wanted = {r.casefold() for r in self.regions}
        return tuple(
            c.iso3
            for c in countries.all_countries()
            if c.continent.casefold() in wanted or c.region.casefold() in wanted
        )

    def pair_conditions(self, table=Report) -> list[ColumnElement[bool]]:
        """Conditions on the deployer and host columns of `table` (reports or scopes)."""
        conditions: list[ColumnElement[bool]] = []
        if self.deployers:
            conditions.append(table.deployer.in_(self.deployers))
        if self.hosts:
            conditions.append(table.host.in_(self.hosts))
        if self.regions:
            conditions.append(table.host.in_(self.region_hosts()))
        return conditions

    def source_conditions(self) -> list[ColumnElement[bool]]:
        if not self.source_text:
            return []
        return [contains_text((Report.source_name, Report.source_url), self.source_text)]

    def report_conditions(self) -> list[ColumnElement[bool]]:
        """SQL conditions on the reports table (dates apply to the report date)."""
        conditions: list[ColumnElement[bool]] = []
        if self.review_states:
            conditions.append(Report.review_state.in_(self.review_states))
        conditions += self.pair_conditions() + self.source_conditions()
        if self.since is not None:
            conditions.append(Report.date >= self.since)
        if self.until is not None:
            conditions.append(Report.date <= self.until)
        return conditions

    def describe(self, subject: str = "Reports", as_of: dt.date | None = None) -> str:
        """'Presence as of 2019-04-01 where host = Venezuela and source contains "Interfax"'."""
        head = f"{subject} as of {as_of.isoformat()}" if as_of else subject
        parts: list[str] = []
        if self.deployers:
            parts.append(f"deployer = {_names(self.deployers)}")
        if self.hosts:
            parts.append(f"host = {_names(self.hosts)}")
        if self.regions:
            parts.append(f"host region = {' or '.join(self.regions)}")
        if self.statuses:
            parts.append(f"status = {' or '.join(self.statuses)}")
        if self.min_troops:
            parts.append(f"troops ≥ {self.min_troops:,}")
        if self.source_text:
            parts.append(f'source contains "{self.source_text}"')
        if self.since and self.until:
            parts.append(f"dated {self.since.isoformat()} to {self.until.isoformat()}")
        elif self.since:
            parts.append(f"dated from {self.since.isoformat()}")
        elif self.until:
            parts.append(f"dated until {self.until.isoformat()}")
        if tuple(self.review_states) != ("published",):
            parts.append(f"review state = {' or '.join(self.review_states) or 'any'}")
        return head + (" where " + " and ".join(parts) if parts else "")
