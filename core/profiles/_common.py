"""What every profile shares: reading a table, the row outcomes, a cached name resolver, skip reasons."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from core import countries

# The canonical row a profile yields is a dict with (some of) core.domain.CSV_COLUMNS as keys.
Canonical = dict[str, str]

# Skip reasons: the summary counts rows under these names, so each says why in a few words.
DOMESTIC = "domestic: the host is the deployer"
OWN_TERRITORY = "the deployer's own territory"
AGGREGATE = "aggregate row, not one country"
SEA = "sea or ocean, not a country"
REGION = "region, not one country"
SEVERAL = "names several countries"
FORMER_STATE = "former state with several successors"
NAME_UNKNOWN = "country not named in the source"
JUNK_NAME = "not a country name (data-entry junk)"
NO_FIGURE = "no troop figure"


class ProfileFormatError(ValueError):
    """The file does not have the columns of the chosen profile."""


@dataclass(frozen=True)
class Skip:
    """A row that is not a foreign presence in one country; counted under `reason`, never stored."""

    line: int
    reason: str


@dataclass(frozen=True)
class Unresolved:
    """A row whose country name the profile cannot map: reported with the line and closest names."""

    line: int
    name: str
    suggestions: tuple[str, ...] = ()


# What a profile's rows() yields for each file row (or each entry of a wide row).
Outcome = tuple[int, Canonical] | Skip | Unresolved


@dataclass
class Table:
    """A CSV file as a header and (line number, row dict) records; the header is line 1."""

    header: list[str]
    records: Iterator[tuple[int, dict[str, str]]]
    # Data lines in the file (for progress); 0 when unknown.
    size: int = 0


def read_table(stream: IO[str]) -> Table:
    """Read a whole CSV (the shared files are a few MB at most) into a Table."""
    reader = csv.reader(stream)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        raise ProfileFormatError("the file is empty: expected a header line") from None
    rows: list[tuple[int, dict[str, str]]] = []
    line_end = reader.line_num
    for cells in reader:
        start, line_end = line_end + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        rows.append((start, dict(zip(header, cells, strict=False))))
    return Table(header, iter(rows), len(rows))


def require_columns(table: Table, columns: tuple[str, ...], profile: str) -> None:
    missing = [c for c in columns if c not in table.header]
    if missing:
        raise ProfileFormatError(
            f"line 1: not a {profile} file: missing column(s) {', '.join(missing)} "
            f"(found {', '.join(h or '(empty)' for h in table.header[:12])})"
        )


def cell(row: dict[str, str], column: str) -> str:
    """The cell stripped; R's and pandas' missing markers ('NA', 'NaN', '') become ''."""
    value = (row.get(column) or "").strip()
    return "" if value in ("NA", "NaN", "nan", "N/A") else value


@dataclass
class Resolver:
    """Resolves each distinct name once; remembers the failures with their suggestions."""

    cache: dict[str, str | Unresolved] = field(default_factory=dict)

    def __call__(self, name: str, line: int) -> str | Unresolved:
        """ISO3 code, or an Unresolved carrying this line (the suggestions are computed once)."""
        known = self.cache.get(name)
        if known is None:
            try:
                known = countries.resolve_iso3(name)
            except countries.UnknownCountry as exc:
                known = Unresolved(0, name.strip(), tuple(exc.suggestions))
            self.cache[name] = known
        if isinstance(known, Unresolved):
            return Unresolved(line, known.name, known.suggestions)
        return known


# Dependent territories that are the deployer's own (ISO 3166-1 gives them codes of their own):
# a deployer's forces there are at home, not a foreign presence. Free-association states
# (Micronesia, Marshall Islands, Palau, Cook Islands) are sovereign and are not listed.
OWN_TERRITORIES: dict[str, frozenset[str]] = {
    "USA": frozenset({"ASM", "GUM", "MNP", "PRI", "VIR", "UMI"}),
    "FRA": frozenset({"GUF", "GLP", "MTQ", "MYT", "REU", "PYF", "NCL", "SPM", "WLF", "BLM", "MAF", "ATF"}),
    "GBR": frozenset({"AIA", "BMU", "IOT", "VGB", "CYM", "FLK", "GIB", "MSR", "PCN", "SHN", "SGS", "TCA"}),
    "DNK": frozenset({"GRL", "FRO"}),
    "NLD": frozenset({"ABW", "CUW", "SXM", "BES"}),
    "NOR": frozenset({"SJM", "BVT"}),
    "AUS": frozenset({"CXR", "CCK", "NFK", "HMD"}),
    "NZL": frozenset({"TKL"}),
}


def domestic_reason(deployer: str, host: str) -> str | None:
    """DOMESTIC or OWN_TERRITORY when the deployer's forces in `host` are at home, else None."""
    if deployer == host:
        return DOMESTIC
    if host in OWN_TERRITORIES.get(deployer, ()):
        return OWN_TERRITORY
    return None


def whole_number(text: str) -> int | None:
    """'1,200' / '35' / '35.0' -> int; anything else (unknown, '', 'NA') -> None."""
    cleaned = text.replace(",", "").strip()
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return int(number) if number.is_integer() and number >= 0 else None


# A canonical row may carry this key: the row was derived (not read from one file row), and why.
DERIVED = "_derived"
ABSENT_NEXT = "withdrawn: absent from the next complete listing"


def absences(
    snapshots: dict[str, dict[tuple, Canonical]], first_lines: dict[str, int]
) -> Iterator[tuple[int, str, Canonical]]:
    """Scopes listed in one snapshot of a complete listing and missing from the next one.

    `snapshots` maps a date to {scope: its report}; yields (first line of the next snapshot, its
    date, the report that the absence ends). Without these, a location or mission that a later
    listing no longer shows would keep its last figure for ever under the as-of rule.
    """
    dates = sorted(snapshots)
    for before, after in zip(dates, dates[1:], strict=False):
        for scope, report in snapshots[before].items():
            if scope not in snapshots[after]:
                yield first_lines[after], after, report


def withdrawal(report: Canonical, date: str, note: str, reason: str = ABSENT_NEXT, **changes: str) -> Canonical:
    """A `withdrawn` report (troops 0) of the same scope as `report`, dated `date`."""
    out = dict(
        report, troops="0", troops_max="", count_kind="exact", status="withdrawn", date=date, notes=note, **changes
    )
    out[DERIVED] = reason
    return out
