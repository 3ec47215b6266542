"""Import profiles: one module per external dataset layout, mapped to canonical reports in one transaction.

Each profile module has `rows(table, resolver=None)`, a pure mapping from the file's layout to
`(line, canonical dict)` | `Skip(line, reason)` | `Unresolved(line, name, suggestions)`, testable
without a store. `import_profile` validates every canonical row with core.validation first, then
stores them in the caller's transaction; with an invalid row nothing is stored unless skip_invalid.
Rule-based skips and unresolved names never block an import: they are counted and reported.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import IO

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core import ingest
from core.domain import ReportData
from core.ingest import ImportResult, validate_rows
from core.models import Report, utcnow
from core.profiles import bases, geopko, mdi, troopdata
from core.profiles._common import (
    DERIVED,
    Outcome,
    ProfileFormatError,
    Resolver,
    Skip,
    Table,
    Unresolved,
    read_table,
)

PROFILES: dict[str, ModuleType] = {"troopdata": troopdata, "mdi": mdi, "geopko": geopko, "bases": bases}
# One line per profile for a chooser (the upload page, `--help`): each module's docstring summary.
DESCRIPTIONS: dict[str, str] = {name: (module.__doc__ or name).strip().split("\n\n")[0].replace("\n", " ")
                                for name, module in PROFILES.items()}
BATCH = 5_000
# progress(stage, done, total): stage is "read" (file rows mapped) or "store" (reports written).
Progress = Callable[[str, int, int], None]


class UnknownProfile(ValueError):
    def __init__(self, name: str):
        super().__init__(f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}")


@dataclass
class UnresolvedName:
    name: str
    first_line: int
    count: int
    suggestions: tuple[str, ...]


@dataclass
class ProfileResult(ImportResult):
    """An ImportResult plus the rows a profile skipped (by reason) and the names it could not map."""

    profile: str = ""
    skipped: Counter = field(default_factory=Counter)
    # Reports the profile derived rather than read (e.g. withdrawals), by reason; part of imported.
    derived: Counter = field(default_factory=Counter)
    unresolved: dict[str, UnresolvedName] = field(default_factory=dict)

    @property
    def unresolved_rows(self) -> int:
        return sum(u.count for u in self.unresolved.values())

    def summary(self) -> str:
        text = super().summary()
        text += f", {sum(self.skipped.values())} skipped by rule"
        if self.unresolved:
            text += f", {self.unresolved_rows} rows with {len(self.unresolved)} unresolved names"
        return text


def mapped(profile: str, table: Table) -> Iterator[Outcome]:
    """The profile's pure mapping of a table (UnknownProfile for a name not in PROFILES)."""
    if profile not in PROFILES:
        raise UnknownProfile(profile)
    return PROFILES[profile].rows(table, Resolver())


def import_profile(
    session: Session,
    name: str,
    source: IO[str] | str | Path,
    *,
    skip_invalid: bool = False,
    review_state: str = "published",
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ProfileResult:
    """Map, validate, then store a dataset file in the caller's transaction.

    `source` is a path (str or Path) or an open text stream (unlike core.ingest.import_csv, a str
    is a path here: profile files are files).

    Raises UnknownProfile, or ProfileFormatError when the file lacks the profile's columns.
    When any mapped row is invalid nothing is stored (result.errors lists them) unless skip_invalid.
    """
    if name not in PROFILES:
        raise UnknownProfile(name)
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8-sig", newline="") as stream:
            table = read_table(stream)
    else:
        table = read_table(source)
    if progress:
        table.records = _counting(table.records, table.size, progress)

    result = ProfileResult(profile=name)
    canonical: list[tuple[int, dict]] = []
    for item in mapped(name, table):
        if isinstance(item, Skip):
            result.skipped[item.reason] += 1
        elif isinstance(item, Unresolved):
            known = result.unresolved.get(item.name)
            if known:
                known.count += 1
            else:
                result.unresolved[item.name] = UnresolvedName(item.name, item.line, 1, item.suggestions)
        else:
            line, row = item
            if DERIVED in row:
                row = dict(row)
                result.derived[row.pop(DERIVED)] += 1
            canonical.append((line, row))

    valid, errors = validate_rows(canonical, today=today)
    result.errors = errors
    result.invalid = len({e.line for e in errors})
    if errors and not skip_invalid:
        return result
    result.imported, result.duplicates = store(
        session, [r for _, r in valid], review_state=review_state, progress=progress
    )
    return result


def _counting(records, total: int, progress: Progress, step: int = 1000):
    done = 0
    for record in records:
        yield record
        done += 1
        if done % step == 0:
            progress("read", done, total)
    progress("read", done, total)


def _key(deployer, host, date, scope, troops, source_name) -> tuple:
    return (deployer, host, date, scope, troops, source_name)


def store(
    session: Session,
    reports: list[ReportData],
    *,
    review_state: str = "published",
    progress: Progress | None = None,
) -> tuple[int, int]:
    """Add reports, skipping exact duplicates; returns (stored, duplicates). Nothing is committed here.

    Unlike core.ingest.store_reports, a duplicate must also match the scope (mission and location):
    dataset rows often give the same figure for one pair, date and source at several locations
    (Geo-PKO's nominal 150-troop companies) or missions (MDI), and those are all real.
    """
    pairs = {(r.deployer, r.host) for r in reports}
    seen: set[tuple] = set()
    if pairs:
        rows = session.execute(
            select(Report.deployer, Report.host, Report.date, Report.scope_key, Report.troops,
                   Report.source_name).where(
                Report.deployer.in_(sorted({d for d, _ in pairs})),
                Report.host.in_(sorted({h for _, h in pairs})),
                Report.review_state != "deleted",
            )
        )
        seen = {_key(*r) for r in rows if (r[0], r[1]) in pairs}
    fresh: list[dict] = []
    duplicates = 0
    now = utcnow()
    for report in reports:
        key = _key(report.deployer, report.host, report.date, report.scope_key, report.troops,
                   report.source_name)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        row = report.as_row()
        row.update(review_state=review_state, version=1, created_at=now, updated_at=now)
        fresh.append(row)
    # The scopes registry that presence reads (core.ingest.ensure_scopes, when the store has one).
    ensure_scopes = getattr(ingest, "ensure_scopes", None)
    if ensure_scopes is not None:
        ensure_scopes(session, {(r["deployer"], r["host"], r["scope_key"]) for r in fresh})
    connection = session.connection()
    for start in range(0, len(fresh), BATCH):
        connection.execute(insert(Report), fresh[start : start + BATCH])
        if progress:
            progress("store", min(start + BATCH, len(fresh)), len(fresh))
    return len(fresh), duplicates


def text_progress(out: IO[str], label: str, min_total: int = 5_000) -> Progress:
    """A progress callback that writes a line to `out` at every 10% of a stage of a large file."""
    shown: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if total < min_total:
            return
        tenth = done * 10 // total
        if tenth > shown.get(stage, 0):
            shown[stage] = tenth
            verb = "read" if stage == "read" else "stored"
            out.write(f"{label}: {verb} {done:,} of {total:,} ({tenth * 10}%)\n")
            out.flush()

    return progress


def summary_table(result: ProfileResult) -> str:
    """The plain-text table the CLI prints: counts, skips by reason, unresolved names."""
    lines = [f"profile {result.profile}", f"  {'imported':<60} {result.imported:>7}"]
    for reason, count in sorted(result.derived.items()):
        lines.append(f"    {'of which derived, ' + reason:<58} {count:>7}")
    lines.append(f"  {'duplicates (already stored or repeated)':<60} {result.duplicates:>7}")
    if result.invalid:
        lines.append(f"  {'invalid rows':<60} {result.invalid:>7}")
    lines.append(f"  {'skipped by rule':<60} {sum(result.skipped.values()):>7}")
    for reason, count in sorted(result.skipped.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"    {reason:<58} {count:>7}")
    lines.append(f"  {'unresolved names (rows not imported)':<60} {result.unresolved_rows:>7}")
    for u in sorted(result.unresolved.values(), key=lambda u: u.first_line):
        hint = f"; closest: {', '.join(u.suggestions)}" if u.suggestions else "; no close match"
        lines.append(f"    {u.name!r}: first at line {u.first_line}, {u.count} rows{hint}")
    return "\n".join(lines)


__all__ = [
    "DESCRIPTIONS", "PROFILES", "ProfileFormatError", "ProfileResult", "Skip", "Unresolved", "UnresolvedName",
    "UnknownProfile", "import_profile", "mapped", "store", "summary_table", "text_progress",
]
