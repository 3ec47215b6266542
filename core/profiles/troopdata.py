"""Flynn's troopdata (US DoD/DMDC personnel abroad): the country-year, the quarterly "long" and the
legacy v0 country-year layouts.

One report per host and date, deployer USA, troops = active duty (`troops_ad`). Decisions:
- Country-year rows are dated to the year ("YYYY"); long rows to the report month ("YYYY-MM").
- Rows that are parts of one current country (Azores, Aden, the two Yemens, the GDR, ...) are summed
  into that country for the date, the parts named in notes; so are repeated rows of one name.
- Zero rows (about a quarter of the file) are "0 reported": a zero before the host ever had a
  non-zero figure is skipped ("zero, never present"); a zero after one is kept as a `withdrawn`
  report with troops 0, since a drop to nothing is news and ends the earlier figure.
- Figures imputed by the package (`source` = "Stepwise Imputation", 1951-52) are not reports: skipped.
- The United States row (home-based totals) and US territories (Guam, Puerto Rico, Wake, ...) are
  domestic and skipped, as are aggregates and places that are no single current country.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterator

from core.countries import normalise
from core.profiles._common import (
    AGGREGATE,
    FORMER_STATE,
    NO_FIGURE,
    REGION,
    SEVERAL,
    Canonical,
    Outcome,
    ProfileFormatError,
    Resolver,
    Skip,
    Table,
    Unresolved,
    cell,
    domestic_reason,
    require_columns,
    whole_number,
)

DEPLOYER = "USA"
SOURCE_NAME = "DMDC via troopdata"
SOURCE_URL = "https://github.com/meflynn/troopdata"
COUNTRY_YEAR = ("countryname", "year", "troops_ad")
LONG = ("countryname", "year", "month", "source", "troops_ad")
LEGACY = ("countryname", "year", "troops")
LEGACY_SOURCE_NAME = "DMDC and Kane (2006) via troopdata v0"

ZERO_NEVER_PRESENT = "zero, never present before"
IMPUTED = "imputed by troopdata, not a DoD report"
NO_CODE = "territory without a country code"
SUMMED = "summed into another row of the same country and date"

MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}

# Names that are no single current country: skipped, never guessed (keys normalised).
SKIP_NAMES = {
    "afloat": AGGREGATE,
    "unknown": AGGREGATE,
    "zz-unknown": AGGREGATE,
    "undefined": AGGREGATE,
    "british west indies federation": FORMER_STATE,
    "spratly islands": REGION,  # disputed
    "akrotiri": NO_CODE,  # UK sovereign base area on Cyprus
    "coral sea islands": NO_CODE,
    "bassas da india": NO_CODE,
    "british atlantic ocean territory": NO_CODE,
    "british west indies": REGION,
    "kashmir": REGION,
    "line islands": REGION,  # split between Kiribati and US minor islands
    "fiji and tonga": SEVERAL,
    "czechoslovakia": FORMER_STATE,
    "yugoslavia": FORMER_STATE,
    "netherlands antilles": FORMER_STATE,
    "soviet union": FORMER_STATE,
    "ussr": FORMER_STATE,
}
# Places DMDC lists apart that lie wholly in one current country (or ISO territory).
PARTS = {
    "azores": "PRT",
    "ascension island": "SHN",
    "aden": "YEM",
    "yemen arab republic": "YEM",
    "yemen people's republic": "YEM",
    "german democratic republic": "DEU",
    "republic of vietnam": "VNM",  # South Vietnam, as core.countries resolves "South Vietnam"
    "zanzibar": "TZA",
    "sarawak": "MYS",
    "easter island": "CHL",
    "eniwetok (j.t.f. 7)": "MHL",
    "eniwetok (j.t.f. 7": "MHL",  # the country-year file lost the closing parenthesis
    "abkhazia": "GEO",
    "wake island": "UMI",
    "midway islands": "UMI",
    "johnston island": "UMI",
}


def layout(table: Table) -> str:
    """'long' (has month and source), 'country-year' or 'legacy' (v0: `troops`, no `troops_ad`).

    ProfileFormatError for anything else, and for the raw report lines (troopdata_rebuild_reports):
    their `countryname` folds aggregates such as "Total - Former Soviet Union" into one country, so
    summing them would count twice; the long file is their cleaned form.
    """
    if "Location" in table.header:
        raise ProfileFormatError(
            "line 1: these are troopdata's raw report lines (a Location column): their aggregate rows "
            "would be counted twice; import troopdata_rebuild_long.csv, their cleaned form, instead"
        )
    if "troops_ad" not in table.header and "troops" in table.header:
        require_columns(table, LEGACY, "troopdata legacy")
        return "legacy"
    if "month" in table.header or "quarter" in table.header:
        require_columns(table, LONG, "troopdata long")
        return "long"
    require_columns(table, COUNTRY_YEAR, "troopdata country-year")
    return "country-year"


def rows(table: Table, resolver: Resolver | None = None) -> Iterator[Outcome]:
    kind = layout(table)
    resolve = resolver or Resolver()
    # (host, date) -> [(line, name, troops, source)]; summed and zero-checked once all are read.
    groups: dict[tuple[str, str], list[tuple[int, str, int, str]]] = defaultdict(list)
    for line, row in table.records:
        name = cell(row, "countryname")
        key = normalise(name)
        if key in SKIP_NAMES:
            yield Skip(line, SKIP_NAMES[key])
            continue
        host = PARTS.get(key) or resolve(name, line)
        if isinstance(host, Unresolved):
            yield host
            continue
        reason = domestic_reason(DEPLOYER, host)
        if reason:
            yield Skip(line, reason)
            continue
        troops = whole_number(cell(row, "troops" if kind == "legacy" else "troops_ad"))
        if troops is None:
            yield Skip(line, NO_FIGURE)
            continue
        year = cell(row, "year")
        source = cell(row, "source") if kind == "long" else ""
        if source == "Stepwise Imputation":
            yield Skip(line, IMPUTED)
            continue
        date = year
        if kind == "long":
            month = MONTHS.get(cell(row, "month").casefold())
            date = f"{year}-{month:02d}" if month else year
        groups[(host, date)].append((line, name, troops, source))

    had_troops: set[str] = set()
    for (host, date), parts in sorted(groups.items()):
        total = sum(troops for _, _, troops, _ in parts)
        first = parts[0][0]
        if total == 0 and host not in had_troops:
            for line, *_ in parts:
                yield Skip(line, ZERO_NEVER_PRESENT)
            continue
        if total:
            had_troops.add(host)
        for line, *_ in parts[1:]:
            yield Skip(line, SUMMED)
        yield first, _canonical(host, date, total, parts, kind)


def _canonical(host: str, date: str, total: int, parts: list, kind: str) -> Canonical:
    notes = []
    if kind == "country-year":
        notes.append("annual figure: the largest of the year's DoD reports (troopdata country-year)")
    elif kind == "legacy":
        notes.append("annual figure from troopdata's pre-1.0 country-year file (Kane-based)")
    sources = sorted({source for *_, source in parts if source})
    if sources:
        notes.append("troopdata source: " + "; ".join(sources))
    if len(parts) > 1:
        notes.append("sum of DMDC rows: " + " + ".join(f"{name} {troops}" for _, name, troops, _ in parts))
    elif normalise(parts[0][1]) in PARTS:
        notes.append(f"DMDC row: {parts[0][1]}")
    if total == 0:
        notes.append("DoD reported 0 active-duty personnel")
    return {
        "deployer": DEPLOYER,
        "host": host,
        "troops": str(total),
        "count_kind": "exact",
        "date": date,
        "status": "withdrawn" if total == 0 else "present",
        "source_name": LEGACY_SOURCE_NAME if kind == "legacy" else SOURCE_NAME,
        "source_url": SOURCE_URL,
        "notes": ". ".join(notes),
    }
