"""IISS Military Balance deployments as compiled by the MDI project (2014-2021, 33 allied deployers).

One report per row: ISO3 deployer, theatre as host, year precision, `Deployed` as exact troops.
Every report is scoped by its mission (`MissionName`; a national presence without a name becomes
"military presence"), so France's Barkhane, MINUSMA and EUTM figures in Mali add up instead of one
replacing the others. Organisation and mission type go into notes; the theatre's lat/lon are kept.
Theatres that are seas, regions or several countries are skipped, never guessed. `Korea` (US Forces
Korea only) resolves to the Republic of Korea, as it does everywhere in Garrison.

Each year's edition lists all of a deployer's deployments, so a mission (scope) that is missing from
the deployer's next year gets a `withdrawn` report (troops 0) dated to that year; otherwise the
as-of rule would keep its last figure for ever. Figures are not summed: two identical rows for one
scope and year (USA in Greece, 2015) are one report plus a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.countries import normalise
from core.profiles._common import (
    NO_FIGURE,
    OWN_TERRITORY,
    REGION,
    SEA,
    SEVERAL,
    Canonical,
    Outcome,
    Resolver,
    Skip,
    Table,
    Unresolved,
    absences,
    cell,
    domestic_reason,
    require_columns,
    whole_number,
    withdrawal,
)

SOURCE_NAME = "IISS Military Balance via MDI"
SOURCE_URL = "https://github.com/sebastiandohnany/mdi"
COLUMNS = ("Year", "Theatre", "Lat", "Lon", "Country", "Organisation", "MissionName", "MissionType", "Deployed")
PRESENCE_MISSION = "military presence"

SKIP_THEATRES = {
    "arabian sea": SEA,
    "mediterranean sea": SEA,
    "persian gulf": SEA,  # core refuses it too; the skip gives the reason
    "indian ocean": SEA,
    "pacific ocean": SEA,
    "gulf of guinea": SEA,  # core refuses it too; the skip gives the reason
    "middle east": REGION,  # UNTSO, across five countries
    "nagorno karabakh": REGION,  # disputed; OSCE Minsk Conference monitors on both sides
}
# Theatres that group the deployer's own territories (no ISO code of their own).
OWN_TERRITORY_GROUPS = {"french west indies": "FRA"}
# Theatres that lie wholly in one ISO territory.
PARTS = {"ascension island": "SHN"}


def rows(table: Table, resolver: Resolver | None = None) -> Iterator[Outcome]:
    require_columns(table, COLUMNS, "MDI/IISS deployments")
    resolve = resolver or Resolver()
    snapshots: dict[str, dict[str, dict[tuple, Canonical]]] = {}  # deployer -> year -> scope -> report
    first_lines: dict[tuple[str, str], int] = {}
    for line, row in table.records:
        deployer = resolve(cell(row, "Country"), line)
        if isinstance(deployer, Unresolved):
            yield deployer
            continue
        theatre = cell(row, "Theatre")
        key = normalise(theatre)
        if key in SKIP_THEATRES:
            yield Skip(line, SKIP_THEATRES[key])
            continue
        if key in OWN_TERRITORY_GROUPS:
            yield Skip(line, OWN_TERRITORY if OWN_TERRITORY_GROUPS[key] == deployer else REGION)
            continue
        if "," in theatre or " and " in key:
            yield Skip(line, SEVERAL)
            continue
        host = PARTS.get(key) or resolve(theatre, line)
        if isinstance(host, Unresolved):
            yield host
            continue
        reason = domestic_reason(deployer, host)
        if reason:
            yield Skip(line, reason)
            continue
        troops = whole_number(cell(row, "Deployed"))
        if troops is None:
            yield Skip(line, NO_FIGURE)
            continue
        organisation, kind = cell(row, "Organisation"), cell(row, "MissionType")
        notes = [f"organisation: {organisation}", f"mission type: {kind}"]
        if key in PARTS:
            notes.append(f"IISS theatre: {theatre}")
        report = {
            "deployer": deployer,
            "host": host,
            "troops": str(troops),
            "count_kind": "exact",
            "status": "present",
            "date": cell(row, "Year"),
            "mission": cell(row, "MissionName") or PRESENCE_MISSION,
            "lat": cell(row, "Lat"),
            "lon": cell(row, "Lon"),
            "source_name": SOURCE_NAME,
            "source_url": SOURCE_URL,
            "notes": "; ".join(notes),
        }
        year = report["date"]
        first_lines.setdefault((deployer, year), line)
        listing = snapshots.setdefault(deployer, {}).setdefault(year, {})
        listing.setdefault((host, normalise(report["mission"])), report)
        yield line, report

    # Each year's Military Balance lists all of a deployer's deployments: a mission missing from the
    # next year's listing has ended there.
    for deployer, by_year in snapshots.items():
        lines = {year: first_lines[(deployer, year)] for year in by_year}
        for line, year, report in absences(by_year, lines):
            yield (
                line,
                withdrawal(report, year, f"not in the {year} listing of {deployer}'s deployments; " + report["notes"]),
            )
