"""Reports out: the canonical CSV (formula-safe, round-trips through import), JSON and GeoJSON."""

from __future__ import annotations

import csv
import json
from typing import IO

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import countries
from core.cells import missing, native
from core.domain import CSV_COLUMNS, format_date
from core.filters import Filters
from core.models import Report


def reports_frame(session: Session, filters: Filters | None = None, limit: int | None = None) -> pd.DataFrame:
    """Reports matching the filters, newest first.

    Columns: id, the canonical CSV columns (dates as written: YYYY-MM-DD / YYYY-MM / YYYY),
    review_state, created_at, updated_at.
    """
    query = (
        select(Report)
        .where(*(filters or Filters()).report_conditions())
        # id ascending within a date: re-importing an export keeps the same order (lossless round trip)
        .order_by(Report.date.desc(), Report.id)
    )
    if limit is not None:
        query = query.limit(limit)
    records = [_record(r) for r in session.execute(query).scalars()]
    columns = ["id", *CSV_COLUMNS, "review_state", "created_at", "updated_at"]
    frame = pd.DataFrame(records, columns=columns)
    for column in ("troops", "troops_max"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _record(report: Report) -> dict:
    out = {c: getattr(report, c) for c in ("id", *CSV_COLUMNS, "review_state", "created_at", "updated_at")}
    out["date"] = format_date(report.date, report.date_precision)
    return out


def _cell(value) -> str:
    if missing(value):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)
    return str(value)


# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
NUMERIC_COLUMNS = frozenset({"troops", "troops_max", "lat", "lon"})
# What export puts before such a cell: U+2060 WORD JOINER, invisible in a spreadsheet and never typed
# by hand. Unlike a "'" (which people do type: "'=already"), marking the marker itself as well makes
# the scheme a bijection, so every stored text survives export -> import byte for byte.
MARK = "\u2060"


def neutralise(text: str) -> str:
    """Prefix MARK to text a spreadsheet would run as a formula (starting with = + - @ tab CR LF),
    and to text that already starts with MARK, so that unneutralise can undo it exactly."""
    if text[:1] in FORMULA_START or text[:1] == MARK:
        return MARK + text
    return text


def unneutralise(text: str) -> str:
    """The inverse of neutralise (core.ingest calls it on every text cell it reads): drop exactly one
    leading MARK."""
    return text[1:] if text[:1] == MARK else text


class _RowsEndingInLF:
    """csv.writer quotes a cell holding a CR only when CR is in its line terminator; unquoted, a lone CR
    in a note would split the record on import. So rows are written with CRLF (every cell with CR or LF
    is quoted) and each row's terminator (csv.writer writes one row per call) is turned into LF."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, row: str) -> int:
        return self.out.write(row[:-2] + "\n")


def write_csv(frame: pd.DataFrame, out: IO[str]) -> int:
    """Write the canonical columns, text cells formula-safe (numbers untouched); returns the row count."""
    writer = csv.writer(_RowsEndingInLF(out), lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    text_positions = [i for i, c in enumerate(CSV_COLUMNS) if c not in NUMERIC_COLUMNS]
    count = 0
    for row in frame[list(CSV_COLUMNS)].itertuples(index=False):
        cells = [_cell(v) for v in row]
        for i in text_positions:
            cells[i] = neutralise(cells[i])
        writer.writerow(cells)
        count += 1
    return count


def write_json(frame: pd.DataFrame, out: IO[str]) -> int:
    records = [
        {c: native(v) for c, v in zip(CSV_COLUMNS, row, strict=True)}
        for row in frame[list(CSV_COLUMNS)].itertuples(index=False)
    ]
    json.dump(records, out, ensure_ascii=False, indent=1, default=str)
    out.write("\n")
    return len(records)


def to_geojson(frame: pd.DataFrame) -> dict:
    """Reports as points for QGIS: the report's lat/lon, else its host's drawing point.

    Each point says which: `located` (true: the report's own coordinates) and `position`
    ("reported" or "host drawing point"), so a map never reads a country's centre as a base.
    """
    features = []
    for record in frame.to_dict("records"):
        lat, lon = record.get("lat"), record.get("lon")
        located = not (lat is None or lon is None or pd.isna(lat) or pd.isna(lon))
        if not located:
            host = countries.registry().by_iso3.get(record["host"])
            lat, lon = (host.lat, host.lon) if host else (None, None)
        if lat is None or lon is None:
            continue
        properties = {c: native(record.get(c)) for c in CSV_COLUMNS}
        properties.pop("lat"), properties.pop("lon")
        properties.update(located=located, position="reported" if located else "host drawing point")
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}
