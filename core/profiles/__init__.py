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

from sqlalchemy.orm import Session

from core import ingest
from core.ingest import ImportResult, validate_rows
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
DESCRIPTIONS: dict[str, str] = {
    name: (module.__doc__ or name).strip().split("\n\n")[0].replace("\n", " ") for name, module in PROFILES.items()
}
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
    duplicate_states: tuple[str, ...] = ingest.EDITOR_DUPLICATE_STATES,
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
    result.imported, result.duplicates = ingest.store_reports(
        session,
        [r for _, r in valid],
        review_state=review_state,
        duplicate_states=duplicate_states,
        written=result.ids,
        progress=(lambda done, total: progress("store", done, total)) if progress else None,
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


def text_progress(out: IO[str], label: str, min_total: int = 5_000) -> Progress:
    """A progress callback that writes a line to `out` at every 10% of a stage of a large file."""
    shown: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if total < min_total:
            return
        tenth = done * 10 // total
        if tenth > shown.get(stage, 0):
            shown[stage] = tenth
            # Rows written inside the open transaction are not saved yet: a full disk can still undo them.
            verb, note = ("read", "") if stage == "read" else ("written", "; saved only when the import commits")
            out.write(f"{label}: {verb} {done:,} of {total:,} ({tenth * 10}%){note}\n")
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
    "DESCRIPTIONS",
    "PROFILES",
    "ProfileFormatError",
    "ProfileResult",
    "Skip",
    "Unresolved",
    "UnresolvedName",
    "UnknownProfile",
    "import_profile",
    "mapped",
    "summary_table",
    "text_progress",
]
