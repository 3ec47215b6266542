"""Computed tables out: presence and changes as formula-safe CSV, and any table as an Excel workbook.

Text cells go through core.export.neutralise (the one rule for text a spreadsheet would run), so no
cell of a workbook written here is a formula; numbers stay numbers, dates stay dates, missing values
are empty cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping
from typing import IO, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core import countries
from core.cells import missing
from core.domain import CSV_COLUMNS
from core.export import neutralise

# Excel's sheet size, header row included.
MAX_ROWS = 1_048_576
PRESENCE_EXPORT = [
    "deployer",
    "deployer_name",
    "host",
    "host_name",
    "troops",
    "troops_low",
    "troops_high",
    "sources",
    "reports",
    "last_report_date",
    "figure_date",
    "status",
    "conflict",
    "figures",
    "source_names",
]
REPORT_EXPORT = ["id", *CSV_COLUMNS]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TooLargeForExcel(ValueError):
    """More rows than an Excel sheet holds."""


def presence_export(pairs: pd.DataFrame) -> pd.DataFrame:
    """A presence frame (core.presence.presence_as_of) as exported: the PRESENCE_EXPORT columns,
    country names beside the codes, the source names joined with "; "."""
    frame = pairs.assign(
        deployer_name=pairs["deployer"].map(countries.name_of),
        host_name=pairs["host"].map(countries.name_of),
        source_names=pairs["source_names"].map(lambda names: "; ".join(names) if isinstance(names, tuple) else ""),
    )
    return frame[PRESENCE_EXPORT].reset_index(drop=True)


def _text(value: Any) -> str:
    if isinstance(value, tuple | list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    return neutralise(str(value))


def write_table_csv(frame: pd.DataFrame, out: IO[str]) -> int:
    """Any table as CSV with a header: text cells formula-safe, numbers and dates as written by str.
    Returns the row count."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(frame.columns)
    numeric = [_is_numeric(frame[c]) for c in frame.columns]
    count = 0
    for row in frame.itertuples(index=False, name=None):
        writer.writerow(
            [
                "" if missing(v) else (str(v) if is_number or isinstance(v, dt.date) else _text(v))
                for v, is_number in zip(row, numeric, strict=True)
            ]
        )
        count += 1
    return count


def _is_numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _cell(value: Any, is_number: bool, sheet) -> Any:
    """One value as openpyxl writes it: number, bool, date, or text that cannot be a formula."""
    if missing(value):
        return None
    if isinstance(value, bool):
        return value
    if is_number:
        return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)
    if isinstance(value, dt.datetime):
        # Excel has no time zones: write UTC, without the zone.
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return _dated(sheet, value, "yyyy-mm-dd hh:mm:ss")
    if isinstance(value, dt.date):
        return _dated(sheet, value, "yyyy-mm-dd")
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", _text(value))  # XML cannot hold control characters
    if text.startswith("="):  # neutralise guarantees this never happens; a formula must never be written
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text


def _dated(sheet, value: dt.date, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def write_xlsx(sheets: Mapping[str, pd.DataFrame], out: IO[bytes] | None = None) -> bytes:
    """The frames as one workbook, a sheet per frame (named by its key, at most 31 characters),
    header row first. Returns the bytes (also written to `out` when given).

    Raises TooLargeForExcel when a frame has more rows than a sheet holds.
    """
    for name, frame in sheets.items():
        if len(frame) + 1 > MAX_ROWS:
            raise TooLargeForExcel(
                f"{len(frame):,} rows do not fit in an Excel sheet ({name}, at most {MAX_ROWS - 1:,}): "
                "narrow the filters, or download CSV"
            )
    book = Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append([str(c) for c in frame.columns])
        numeric = [_is_numeric(frame[c]) for c in frame.columns]
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_cell(v, n, sheet) for v, n in zip(row, numeric, strict=True)])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if out is not None:
        out.write(data)
    return data
