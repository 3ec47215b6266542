"""Geo-PKO (Uppsala): UN peacekeeping deployments per location on each UN deployment map, Africa 1994-2018.

One report per contributing country (TCC) per location and map: host from `country`, `Mission` as
mission, the place as location with its coordinates, dated to the map's year and month. The wide
`name.of.TCCn` / `No.troops.per.TCCn` pairs (n = 1..14) are unrolled, so skip counts are per TCC
entry (a file line can yield several reports and several skips). Unit sizes on the maps are nominal
(35/150/650/...), hence count_kind approx and a note; `unknown` sizes become count_kind unknown.
Several units of one country at one place on one map are summed (at_least when a size is unknown).

Each mission's maps are complete listings, so a contingent missing from the mission's next map gets
a `withdrawn` report (troops 0) dated to that map, and the last map's contingents of a mission that
has ended get one dated to the month after its end (MISSION_ENDS, from the UN's list of past
operations). Without them the as-of rule would keep every location a country ever held.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from core.countries import normalise
from core.profiles._common import (
    JUNK_NAME,
    NAME_UNKNOWN,
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

SOURCE_NAME = "Geo-PKO (UN deployment maps)"
SOURCE_URL = "https://www.pcr.uu.se/data/geo-pko/"
MAX_TCC = 14
COLUMNS = (
    "Source",
    "Mission",
    "year",
    "month",
    "location",
    "country",
    "latitude",
    "longitude",
    "name.of.TCC1",
    "No.troops.per.TCC1",
)
NO_CONTINGENT = "no troop contributor at the location"
SUMMED = "another unit of the same country at the location (summed)"
MISSION_ENDED = "withdrawn: the mission ended"
UN_SOURCE = "UN peacekeeping: past operations"
UN_URL = "https://peacekeeping.un.org/en/past-peacekeeping-operations"
# The first month after each mission ended (UN): its last map's contingents are withdrawn then.
# Missions still running (MINURSO, MINUSCA, MONUSCO, UNISFA, UNMISS) are absent.
MISSION_ENDS = {
    "BINUB": "2011-01",
    "MINUCI": "2004-05",
    "MINURCA": "2000-03",
    "MINURCAT": "2011-01",
    "MINUSMA": "2024-01",
    "MONUA": "1999-03",
    "MONUC": "2010-07",
    "ONUB": "2007-01",
    "ONUMOZ": "1995-01",
    "UNAMID": "2021-01",
    "UNAMIR": "1996-04",
    "UNAMSIL": "2006-01",
    "UNAVEM II": "1995-03",
    "UNAVEM III": "1997-07",
    "UNIOSIL": "2008-10",
    "UNIPSIL": "2014-04",
    "UNMIL": "2018-04",
    "UNMIS": "2011-08",
    "UNOCI": "2017-07",
    "UNOMIL": "1997-10",
    "UNOMSIL": "1999-11",
    "UNOSOM II": "1995-04",
}

SKIP_TCC_NAMES = {
    "unknown": NAME_UNKNOWN,
    "tcc name unknown": NAME_UNKNOWN,
    "ma": JUNK_NAME,  # would resolve to Morocco as an ISO2 code
    "ireland and scotland": JUNK_NAME,  # two names in one cell (core refuses it too)
}
NOMINAL = "nominal unit size from the UN deployment map, not a head count"


def rows(table: Table, resolver: Resolver | None = None) -> Iterator[Outcome]:
    require_columns(table, COLUMNS, "Geo-PKO")
    resolve = resolver or Resolver()
    slots = [
        (f"name.of.TCC{i}", f"No.troops.per.TCC{i}") for i in range(1, MAX_TCC + 1) if f"name.of.TCC{i}" in table.header
    ]
    # (mission, date, location, deployer) -> the units of one country at one place on one map.
    units: dict[tuple, _Units] = {}
    first_lines: dict[tuple[str, str], int] = {}  # (mission, date) -> first line of that map
    for line, row in table.records:
        entries = [(cell(row, n), cell(row, c)) for n, c in slots]
        entries = [(name, count) for name, count in entries if name or count]
        mission = cell(row, "Mission")
        month = whole_number(cell(row, "month"))
        date = f"{cell(row, 'year')}-{month:02d}" if month else cell(row, "year")
        first_lines.setdefault((mission, date), line)
        if not entries:
            yield Skip(line, NO_CONTINGENT)
            continue
        host = resolve(cell(row, "country"), line)
        if isinstance(host, Unresolved):
            for _ in entries:
                yield host
            continue
        for name, count in entries:
            key = normalise(name)
            if not key or key in SKIP_TCC_NAMES:
                yield Skip(line, SKIP_TCC_NAMES.get(key, NAME_UNKNOWN))
                continue
            deployer = resolve(name, line)
            if isinstance(deployer, Unresolved):
                yield deployer
                continue
            reason = domestic_reason(deployer, host)
            if reason:
                yield Skip(line, reason)
                continue
            group = (mission, date, normalise(cell(row, "location")), deployer)
            if group in units:
                yield Skip(line, SUMMED)
                units[group].counts.append(whole_number(count))
            else:
                units[group] = _Units(line, host, deployer, row, date, [whole_number(count)])

    # Each mission's maps are complete listings: a contingent missing from the next map has left.
    snapshots: dict[str, dict[str, dict[tuple, Canonical]]] = {}
    for (mission, date, location, deployer), unit in units.items():
        report = unit.canonical()
        snapshots.setdefault(mission, {}).setdefault(date, {})[(location, deployer)] = report
        yield unit.line, report
    for mission, listing in snapshots.items():
        lines = {date: first_lines[(mission, date)] for date in listing}
        for line, date, report in absences(listing, lines):
            yield line, withdrawal(report, date, f"not on the mission's next UN map ({_map_of(report)})")
        last = max(listing)
        ended = MISSION_ENDS.get(mission)
        if ended and ended > last:
            for report in listing[last].values():
                yield (
                    lines[last],
                    withdrawal(
                        report,
                        ended,
                        f"{mission} ended; first month without the mission",
                        MISSION_ENDED,
                        source_name=UN_SOURCE,
                        source_url=UN_URL,
                    ),
                )


def _map_of(report: Canonical) -> str:
    return report["notes"].split(";")[0].removeprefix("UN map: ")


@dataclass
class _Units:
    """One country's units at one location on one map: their sizes add up."""

    line: int
    host: str
    deployer: str
    row: dict[str, str]
    date: str
    counts: list[int | None]

    def canonical(self) -> Canonical:
        known = [c for c in self.counts if c is not None]
        if not known:
            troops, kind = "", "unknown"
        else:
            # Some sizes unknown: the known ones are a floor.
            troops, kind = str(sum(known)), ("approx" if len(known) == len(self.counts) else "at_least")
        lat, lon = cell(self.row, "latitude"), cell(self.row, "longitude")
        if not (lat and lon):
            lat = lon = ""
        the_map = cell(self.row, "Source")
        notes = [f"UN map: {the_map}" if the_map else "UN map: not named"]
        notes.append(NOMINAL if known else "unit size unknown on the map")
        if len(self.counts) > 1:
            sizes = ", ".join("unknown" if c is None else str(c) for c in self.counts)
            notes.append(f"{len(self.counts)} units summed ({sizes})")
        comments = cell(self.row, "comments")
        if comments:
            notes.append(f"Geo-PKO comments: {comments[:1500]}")
        return {
            "deployer": self.deployer,
            "host": self.host,
            "troops": troops,
            "count_kind": kind,
            "status": "present",
            "date": self.date,
            "mission": cell(self.row, "Mission"),
            "location": cell(self.row, "location"),
            "lat": lat,
            "lon": lon,
            "source_name": SOURCE_NAME,
            "source_url": SOURCE_URL,
            "notes": "; ".join(notes),
        }
