"""Base lists: pairs of deploying country and host with no count (count_kind unknown).

Two layouts: the Wikipedia "List of countries with overseas military bases" scrape (`Country`,
`Overseas Base`; no dates, so dated to the scrape, September 2019), and a generic one with
`deployer`, `host`, `date` and `source_name` columns (plus optional location, lat, lon, source_url,
notes). Unrecognised-but-de-jure places keep their name as the location (Northern Cyprus -> Cyprus).
"""

from __future__ import annotations

from collections.abc import Iterator

from core.countries import normalise
from core.profiles._common import (
    Outcome,
    ProfileFormatError,
    Resolver,
    Skip,
    Table,
    Unresolved,
    cell,
    domestic_reason,
)

WIKIPEDIA = ("Country", "Overseas Base")
GENERIC = ("deployer", "host", "date", "source_name")
OPTIONAL = ("location", "lat", "lon", "source_url", "source_date", "notes", "status")
WIKIPEDIA_SOURCE = "Wikipedia: List of countries with overseas military bases"
WIKIPEDIA_URL = "https://en.wikipedia.org/wiki/List_of_countries_with_overseas_military_bases"
WIKIPEDIA_DATE = "2019-09"
# Regions that are de jure part of one country: the host is that country, the name the location.
DE_JURE = {"northern cyprus": "CYP", "somaliland": "SOM"}


def layout(table: Table) -> str:
    if all(c in table.header for c in WIKIPEDIA):
        return "wikipedia"
    if all(c in table.header for c in GENERIC):
        return "generic"
    raise ProfileFormatError(
        "line 1: not a bases file: expected the columns Country, Overseas Base (Wikipedia list) or "
        f"{', '.join(GENERIC)}; found {', '.join(h or '(empty)' for h in table.header[:12])}"
    )


def rows(table: Table, resolver: Resolver | None = None) -> Iterator[Outcome]:
    kind = layout(table)
    resolve = resolver or Resolver()
    deployer_col, host_col = WIKIPEDIA if kind == "wikipedia" else ("deployer", "host")
    for line, row in table.records:
        deployer = resolve(cell(row, deployer_col), line)
        if isinstance(deployer, Unresolved):
            yield deployer
            continue
        host_name = cell(row, host_col)
        host = DE_JURE.get(normalise(host_name)) or resolve(host_name, line)
        if isinstance(host, Unresolved):
            yield host
            continue
        reason = domestic_reason(deployer, host)
        if reason:
            yield Skip(line, reason)
            continue
        out = {"deployer": deployer, "host": host, "troops": "", "count_kind": "unknown", "status": "present"}
        if kind == "wikipedia":
            out.update(
                date=WIKIPEDIA_DATE,
                source_name=WIKIPEDIA_SOURCE,
                source_url=WIKIPEDIA_URL,
                source_date=WIKIPEDIA_DATE,
                notes="has a military base there (list scraped September 2019); no troop count",
            )
            if normalise(host_name) in DE_JURE:
                out["location"] = host_name
        else:
            out.update({c: cell(row, c) for c in ("date", "source_name", *OPTIONAL) if c in table.header})
            if normalise(host_name) in DE_JURE and not out.get("location"):
                out["location"] = host_name
        yield line, out
