"""Geo-PKO (Uppsala): UN peacekeeping deployments per location on each UN deployment map, Africa 1994-2018.

One report per contributing country (TCC) per location and map: host from `country`, `Mission` as
mission, the place as location with its coordinates, dated to the map's year and month. The wide
`name.of.TCCn` / `No.troops.per.TCCn` pairs (n = 1..14) are unrolled, so skip counts are per TCC
entry (a file line can yield several reports and several skips). Unit sizes on the maps are nominal
(35/150/650/...), hence count_kind approx and a note; `unknown` sizes become count_kind unknown.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.countries import normalise
from core.profiles._common import (
    JUNK_NAME,
    NAME_UNKNOWN,
    Outcome,
    Resolver,
    Skip,
    Table,
    Unresolved,
    cell,
    domestic_reason,
    require_columns,
    whole_number,
)

SOURCE_NAME = "Geo-PKO (UN deployment maps)"
SOURCE_URL = "https://www.pcr.uu.se/data/geo-pko/"
MAX_TCC = 14
COLUMNS = ("Source", "Mission", "year", "month", "location", "country", "latitude", "longitude",
           "name.of.TCC1", "No.troops.per.TCC1")
NO_CONTINGENT = "no troop contributor at the location"

SKIP_TCC_NAMES = {
    "unknown": NAME_UNKNOWN,
    "tcc name unknown": NAME_UNKNOWN,
    "ma": JUNK_NAME,  # would resolve to Morocco as an ISO2 code
    "ireland and scotland": JUNK_NAME,  # would resolve to Ireland
}
NOMINAL = "nominal unit size from the UN deployment map, not a head count"


def rows(table: Table, resolver: Resolver | None = None) -> Iterator[Outcome]:
    require_columns(table, COLUMNS, "Geo-PKO")
    resolve = resolver or Resolver()
    slots = [(f"name.of.TCC{i}", f"No.troops.per.TCC{i}") for i in range(1, MAX_TCC + 1)
             if f"name.of.TCC{i}" in table.header]
    for line, row in table.records:
        entries = [(cell(row, n), cell(row, c)) for n, c in slots]
        entries = [(name, count) for name, count in entries if name or count]
        if not entries:
            yield Skip(line, NO_CONTINGENT)
            continue
        host = resolve(cell(row, "country"), line)
        if isinstance(host, Unresolved):
            for _ in entries:
                yield host
            continue
        month = whole_number(cell(row, "month"))
        date = f"{cell(row, 'year')}-{month:02d}" if month else cell(row, "year")
        lat, lon = cell(row, "latitude"), cell(row, "longitude")
        if not (lat and lon):
            lat = lon = ""
        the_map = cell(row, "Source")
        comments = cell(row, "comments")
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
            troops = whole_number(count)
            notes = [f"UN map: {the_map}" if the_map else "UN map not named"]
            notes.append(NOMINAL if troops is not None else "unit size unknown on the map")
            if comments:
                notes.append(f"Geo-PKO comments: {comments[:1500]}")
            yield line, {
                "deployer": deployer,
                "host": host,
                "troops": "" if troops is None else str(troops),
                "count_kind": "unknown" if troops is None else "approx",
                "date": date,
                "mission": cell(row, "Mission"),
                "location": cell(row, "location"),
                "lat": lat,
                "lon": lon,
                "source_name": SOURCE_NAME,
                "source_url": SOURCE_URL,
                "notes": "; ".join(notes),
            }
