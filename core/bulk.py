"""Column-wise CSV import: the checks and messages of core.validation.validate, a million rows at a time.

A row-at-a-time import spends most of its time in Python per cell. Here the file is read into columns
(pyarrow's CSV reader, a Streamlit dependency, when the file is plain; the stdlib reader otherwise),
each column is dictionary-encoded, and every check runs once per distinct value or per distinct
combination of the cells it reads (a country pair, a count with its kind, a date with its precision
and status) by calling the same per-field validator validate calls, on one row of that group. The free
text columns, nearly unique per row, are checked with vectorised patterns that accept only cells
validate would store unchanged. Any row the fast checks do not accept goes through validate itself,
so its errors (and, if it is valid after all, its values) are exactly the per-row path's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter, methodcaller
from typing import IO, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core import validation as v
from core.domain import TEXT_LIMITS, ReportData, scope_key
from core.export import NUMERIC_COLUMNS
from core.ingest import (
    BATCH,
    EDITOR_DUPLICATE_STATES,
    MAX_FIELD_CHARS,
    ImportResult,
    RowError,
    _records,
    allocate_ids,
    read_csv,
    read_header,
    stored_keys,
)
from core.models import Report, utcnow

FIELDS = v._FIELDS
# The characters str.strip() removes: a cell that starts or ends with one is left to validate.
_WS = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
_WS_CLASS = "".join(f"\\x{{{ord(c):x}}}" for c in _WS)
_TRIMMED = f"(?s)^[^{_WS_CLASS}](?:.*[^{_WS_CLASS}])?$"
_NOT_BLANK = f"[^{_WS_CLASS}]"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
# validation._PLAIN_HTTP_URL in RE2 syntax (\s spelled out as Python's whitespace).
_PLAIN_URL = f"(?is)^https?://[^/?#{_WS_CLASS}\\x00-\\x1f\\x7f]+[^{_WS_CLASS}\\x00-\\x1f\\x7f]*$"
# A quote that the stdlib reader and pyarrow could read differently (inside an unquoted field, or text
# after a closing quote): such a file is read by the stdlib reader.
_ODD_QUOTE = re.compile(rb'(?<![,\n"])(?:"")*"(?![,\r\n"])|(?<=[,\n])(?:"")+[^,\r\n"]')
# Below this many new rows (or fewer than the store holds) the indexes are updated in place; above it
# they are dropped and rebuilt in the import's transaction, which costs a sort instead of a B-tree
# insert per row and index.
REBUILD_INDEXES_FROM = 50_000


@dataclass
class Columns:
    """A file as columns: each canonical field's distinct cells and, per record, the number of its cell."""

    lines: np.ndarray
    uniques: dict[str, list[str]]
    codes: dict[str, np.ndarray]
    present: list[str]
    width_errors: list[RowError]
    # Only records known not to be blank (the stdlib path skips blank ones while reading).
    checked_blank: bool = False

    def __len__(self) -> int:
        return len(self.lines)

    def cell(self, field: str, row: int) -> str:
        return self.uniques[field][self.codes[field][row]]

    def row(self, row: int) -> dict[str, str]:
        """The record as read_csv gives it to validate."""
        return {f: self.cell(f, row) for f in self.present}


def _encode(array: pa.Array) -> tuple[list[str], np.ndarray]:
    encoded = pc.dictionary_encode(array)
    return encoded.dictionary.to_pylist(), encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)


def _plain_table(text: str, header: list[str]) -> pa.Table | None:
    """The records as a pyarrow table of strings when reading them so gives exactly what the stdlib
    reader would (one physical line per record, no odd quoting, no NUL, no leading U+2060), else None."""
    first = text.split("\n", 1)[0]
    if '"' in first or "\x00" in text:
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if data.count(b"\r") != data.count(b"\r\n") or b"\n\n" in data or b"\n\r\n" in data:
        return None
    if b'"' in data and _ODD_QUOTE.search(data):
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(skip_rows=1, autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(len(header))},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    if table.num_columns != len(header) or table.num_rows + 1 != lines or not table.num_rows:
        return None
    for i, name in enumerate(header):
        column = table.column(i)
        if pc.max(pc.utf8_length(column)).as_py() > MAX_FIELD_CHARS:
            return None
        if name not in NUMERIC_COLUMNS and pc.any(pc.starts_with(column, "\u2060")).as_py():
            return None  # export's formula guard: read_csv takes it off
    return table


def _from_table(table: pa.Table, header: list[str]) -> Columns:
    n = table.num_rows
    uniques, codes = {}, {}
    for field in FIELDS:
        if field in header:
            uniques[field], codes[field] = _encode(table.column(header.index(field)).combine_chunks())
        else:
            uniques[field], codes[field] = [""], np.zeros(n, dtype=np.int64)
    present = [h for h in header if h in FIELDS]
    return Columns(np.arange(2, n + 2, dtype=np.int64), uniques, codes, present, [])


def _from_rows(text: str) -> Columns:
    """The stdlib reader (multi-line cells, CR line endings, quoting pyarrow might read otherwise)."""
    lines: list[int] = []
    cells: dict[str, list[str]] = {f: [] for f in FIELDS}
    width_errors: list[RowError] = []
    present: set[str] = set()
    for line, row in read_csv(text):
        if "__width__" in row:
            width_errors.append(RowError(line, "row", row["__width__"]))
            continue
        lines.append(line)
        present.update(row)
        for f in FIELDS:
            cells[f].append(row.get(f, ""))
    uniques, codes = {}, {}
    for f in FIELDS:
        uniques[f], codes[f] = _encode(pa.array(cells[f], type=pa.string()))
    return Columns(np.array(lines, dtype=np.int64), uniques, codes, [f for f in FIELDS if f in present], width_errors)


def read_columns(source: IO[str] | str) -> Columns:
    """The file's records as columns; CsvFormatError for a bad header or a record the reader refuses."""
    text = source if isinstance(source, str) else source.read()
    header = read_header(_records(csv.reader(io.StringIO(text, newline=""), strict=True)))
    table = _plain_table(text, header)
    if table is None:
        columns = _from_rows(text)
        columns.checked_blank = True
        return columns
    return _from_table(table, header)


def _group(columns: Columns, fields: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(one row of each distinct combination of these fields' cells, each row's combination number)."""
    code, bound = np.zeros(len(columns), dtype=np.int64), 1
    for f in fields:
        size = len(columns.uniques[f])
        if bound * size >= 2**62:  # renumber before the product could overflow
            code, distinct = pd.factorize(code)
            bound = len(distinct)
        code, bound = code * size + columns.codes[f], bound * size
    # Hashing, not sorting; combinations are numbered in order of first appearance, so the rows that are
    # not repeats are each combination's first row, in combination order.
    inverse, _ = pd.factorize(code)
    first = np.flatnonzero(~pd.Series(inverse).duplicated().to_numpy())
    return first, inverse.astype(np.int64, copy=False)


def _texts(columns: Columns, row: int, fields: tuple[str, ...]) -> dict[str, str | None]:
    return {f: v._text({f: columns.cell(f, row)}, f) for f in fields}


def _checked(
    columns: Columns, fields: tuple[str, ...], check: Callable[[dict[str, str | None], v._Errors], Any]
) -> tuple[np.ndarray, list[Any], np.ndarray]:
    """Run `check` (a validator of core.validation) once per distinct combination of `fields`:
    (per row: did it pass; per combination: what it returned; per row: its combination)."""
    first, inverse = _group(columns, fields)
    ok = np.zeros(len(first), dtype=bool)
    values = []
    for g, row in enumerate(first.tolist()):
        errors = v._Errors()
        values.append(check(_texts(columns, row, fields), errors))
        ok[g] = not errors
    return ok[inverse], values, inverse


def _take(values: list[Any], inverse: np.ndarray, part: Callable[[Any], Any] = lambda x: x) -> np.ndarray:
    """Per row, `part` of its combination's value (an object array)."""
    picked = np.empty(len(values), dtype=object)
    picked[:] = [part(x) for x in values]
    return picked[inverse]


def _text_ok(columns: Columns, field: str) -> np.ndarray:
    """Cells validate stores unchanged: empty, or trimmed, within the limit, no control characters."""
    array = pa.array(columns.uniques[field], type=pa.string())
    ok = pc.and_(pc.match_substring_regex(array, _TRIMMED), pc.less_equal(pc.utf8_length(array), TEXT_LIMITS[field]))
    bad = pc.match_substring(array, "\x00") if field == "notes" else pc.match_substring_regex(array, _CONTROL)
    ok = pc.and_not(ok, bad)
    if field == "source_url":
        ok = pc.and_(ok, pc.match_substring_regex(array, _PLAIN_URL))
    empty = pc.equal(array, "")
    ok = pc.or_(ok, pc.and_(empty, pa.scalar(field != "source_name")))
    return ok.to_numpy(zero_copy_only=False)[columns.codes[field]]


def _not_blank(columns: Columns) -> np.ndarray:
    if columns.checked_blank:
        return np.ones(len(columns), dtype=bool)
    found = np.zeros(len(columns), dtype=bool)
    for f in columns.present:
        has = pc.match_substring_regex(pa.array(columns.uniques[f], type=pa.string()), _NOT_BLANK)
        found |= has.to_numpy(zero_copy_only=False)[columns.codes[f]]
    return found


@dataclass
class Checked:
    """Per row: accepted by the column-wise checks, and the values validate would have returned."""

    fast: np.ndarray
    values: dict[str, np.ndarray]


def _date_check(today: dt.date) -> Callable[[dict[str, str | None], v._Errors], Any]:
    def check(text: dict[str, str | None], errors: v._Errors) -> Any:
        status = v._status_field(text, errors)
        return v._date_fields(text["date"], text, status, today, errors)

    return check


def check_columns(columns: Columns, today: dt.date) -> Checked:
    """Every check of validate, column-wise; rows not in `fast` must go through validate itself."""
    fast = _not_blank(columns)
    values: dict[str, np.ndarray] = {}
    ok, pairs, inverse = _checked(columns, ("deployer", "host"), v._country_fields)
    fast &= ok
    for f in ("deployer", "host"):
        values[f] = _take(pairs, inverse, methodcaller("get", f))
    ok, counts, inverse = _checked(columns, ("troops", "troops_max", "count_kind"), v._count_fields)
    fast &= ok
    for i, f in enumerate(("troops", "troops_max", "count_kind")):
        values[f] = _take(counts, inverse, itemgetter(i))
    ok, statuses, inverse = _checked(columns, ("status",), v._status_field)
    fast &= ok
    values["status"] = _take(statuses, inverse)
    ok, dates, inverse = _checked(columns, ("date", "date_precision", "status"), _date_check(today))
    fast &= ok
    values["date"] = _take(dates, inverse, lambda d: d[0])
    values["date_precision"] = _take(dates, inverse, lambda d: d[1])
    ok, places, inverse = _checked(columns, ("lat", "lon"), v._coordinate_fields)
    fast &= ok
    values["lat"] = _take(places, inverse, lambda p: p[0])
    values["lon"] = _take(places, inverse, lambda p: p[1])
    ok, published, inverse = _checked(columns, ("source_date",), lambda t, e: v._source_date_field(None, t, today, e))
    fast &= ok
    values["source_date"] = _take(published, inverse)
    for f in TEXT_LIMITS:
        fast &= _text_ok(columns, f)
        values[f] = _take([u or None for u in columns.uniques[f]], columns.codes[f])
    first, inverse = _group(columns, ("mission", "location"))
    keys = [scope_key(values["mission"][r], values["location"][r]) for r in first.tolist()]
    values["scope_key"] = _take(keys, inverse)
    return Checked(fast, values)


def validate_columns(columns: Columns, today: dt.date) -> tuple[np.ndarray, dict[str, np.ndarray], list[RowError]]:
    """(per row: valid, the rows' values, every error with its line), rows in file order: exactly
    core.ingest.validate_rows on the same records."""
    checked = check_columns(columns, today)
    valid = checked.fast.copy()
    errors = list(columns.width_errors)
    blank = ~_not_blank(columns)
    for row in np.flatnonzero(~checked.fast & ~blank).tolist():
        result = v.validate(columns.row(row), today=today)
        if isinstance(result, ReportData):
            valid[row] = True
            for f, value in result.as_row().items():
                checked.values[f][row] = value
        else:
            errors.extend(RowError(int(columns.lines[row]), e.field, e.message) for e in result)
    errors.sort(key=lambda e: e.line)  # stable: one line's errors keep validate's order
    return valid, checked.values, errors


KEY = ("deployer", "host", "scope_key", "date", "troops", "source_name", "status")
STORED = (*FIELDS, "scope_key")


def _key_codes(values: dict[str, np.ndarray]) -> np.ndarray:
    """Per row, one integer per distinct duplicate key: each key column hashed to codes in C (None a
    value of its own, 1 equal to 1.0 as in a tuple), the codes combined column by column."""
    combined, bound = np.zeros(len(values["deployer"]), dtype=np.int64), 1
    for k in KEY:
        codes, uniques = pd.factorize(values[k], use_na_sentinel=False)
        if bound * len(uniques) >= 2**62:  # renumber before the product could overflow
            combined, distinct = pd.factorize(combined)
            bound = len(distinct)
        combined, bound = combined * len(uniques) + codes, bound * len(uniques)
    return combined


def _fresh(
    session: Session, values: dict[str, np.ndarray], duplicate_states: tuple[str, ...]
) -> tuple[dict[str, np.ndarray], int]:
    """The rows to store (later copies and already stored ones dropped, as store_reports does)."""
    repeated = pd.Series(_key_codes(values)).duplicated(keep="first").to_numpy(copy=True)
    seen = stored_keys(session, set(zip(values["deployer"], values["host"], strict=True)), duplicate_states)
    if seen:
        pairs = {key[:2] for key in seen}
        for i, pair in enumerate(zip(values["deployer"], values["host"], strict=True)):
            if not repeated[i] and pair in pairs:
                repeated[i] = tuple(values[k][i] for k in KEY) in seen
    duplicates = int(repeated.sum())
    if duplicates:
        keep = np.flatnonzero(~repeated)
        values = {f: column[keep] for f, column in values.items()}
    return values, duplicates


def _processor(connection: Any, name: str, sample: Any) -> Callable[[Any], Any] | None:
    """What turns a Python value of this column into what the driver stores (as _insert_many does)."""
    process: Callable[[Any], Any] | None = Report.__table__.c[name].type.bind_processor(connection.dialect)
    if process is None and connection.dialect.name == "sqlite" and isinstance(sample, dt.date):
        # The driver's own adapter (dates, timestamps): applied here once per distinct value, not in
        # the driver once per row.
        process = sqlite3.adapters.get((type(sample), sqlite3.PrepareProtocol))
    return process


def _bound(connection: Any, name: str, values: list) -> list:
    """Values through the column's processor, once per distinct value."""
    sample = next((value for value in values if value is not None), None)
    process = _processor(connection, name, sample)
    if process is None:
        return values
    done = {value: process(value) for value in set(values) if value is not None}
    return [None if value is None else done[value] for value in values]


def _literal(connection: Any, name: str, value: Any) -> str | None:
    """A constant of every row as SQLite literal text (binding it a million times costs more than the
    insert), or None when it must stay a parameter."""
    process = _processor(connection, name, value)
    value = process(value) if process is not None and value is not None else value
    if value is None:
        return "NULL"
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    if isinstance(value, int):
        return str(value)
    return None if "\x00" in value else "'" + value.replace("'", "''") + "'"


def _batches(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    while batch := list(islice(rows, size)):
        yield batch


def _without_empty(connection: Any, columns: dict[str, list]) -> dict[str, list]:
    """The columns less those that are NULL in every row and NULL by default in the SQLite table: left out
    of the INSERT they are stored as the same NULL, without binding a million of them."""
    if connection.dialect.name != "sqlite":
        return columns
    defaults = {row[1]: row[4] for row in connection.exec_driver_sql("PRAGMA table_info(reports)")}
    return {
        n: values
        for n, values in columns.items()
        if n not in defaults or defaults[n] is not None or values.count(None) != len(values)
    }


# Indexes whose new entries all sort after the stored ones (one timestamp per import, ids ascending):
# SQLite appends them at the right edge of the B-tree, cheaper than a rebuild.
APPENDED_INDEXES = ("ix_reports_updated_at", "ix_reports_pending")
SCOPE_TRIGGER = "reports_scope_insert"


def _set_aside(connection: Any, total: int) -> list[str]:
    """Before a large SQLite load: drop what costs per row and is cheaper done once at the end, in this
    transaction (a failed import restores it with everything else). Returns the SQL that restores it.

    The indexes a sort rebuilds (only when the load is at least the size of the store), and the scopes
    trigger, whose one INSERT OR IGNORE per row is replaced by one per distinct scope."""
    if connection.dialect.name != "sqlite" or total < REBUILD_INDEXES_FROM:
        return []
    stored = connection.exec_driver_sql("SELECT max(id) FROM reports").scalar() or 0
    kinds = "('trigger')" if total < stored else "('index', 'trigger')"
    dropped = connection.exec_driver_sql(
        f"SELECT type, name, sql FROM sqlite_master WHERE type IN {kinds} AND tbl_name = 'reports' AND sql IS NOT NULL"
    ).all()
    restore = []
    for kind, name, sql in dropped:
        if name in APPENDED_INDEXES or (kind == "trigger" and name != SCOPE_TRIGGER):
            continue
        connection.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
        restore.append(sql)
    return restore


def _add_scopes(connection: Any, columns: dict[str, list]) -> None:
    """What the scopes trigger would have added, once per distinct scope of the load."""
    scopes = set(zip(columns["deployer"], columns["host"], columns["scope_key"], strict=True))
    connection.connection.cursor().executemany(
        "INSERT OR IGNORE INTO scopes (deployer, host, scope_key) VALUES (?, ?, ?)", sorted(scopes)
    )


def insert_columns(
    connection: Any,
    columns: dict[str, list],
    progress: Callable[[int, int], None] | None = None,
    constants: dict[str, Any] | None = None,
) -> None:
    """One executemany per batch of rows given as columns, plus `constants` (a value shared by every row,
    written into the SQL on SQLite); a large SQLite load rebuilds indexes and scopes at the end."""
    total = len(next(iter(columns.values())))
    columns = _without_empty(connection, columns)
    dialect = connection.dialect
    literals = {}
    for name, value in (constants or {}).items():
        text = _literal(connection, name, value) if dialect.name == "sqlite" else None
        if text is None:
            columns[name] = [value] * total
        else:
            literals[name] = text
    names = list(columns)
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    values = ", ".join([marker] * len(names) + list(literals.values()))
    sql = f"INSERT INTO reports ({', '.join(names + list(literals))}) VALUES ({values})"
    bound = [_bound(connection, n, columns[n]) for n in names]
    restore = _set_aside(connection, total)
    dbapi_error = dialect.loaded_dbapi.Error
    try:
        cursor = connection.connection.cursor()
        done = 0
        for batch in _batches(zip(*bound, strict=True), BATCH):
            cursor.executemany(sql, batch)
            done += len(batch)
            if progress:
                progress(done, total)
        if any(SCOPE_TRIGGER in sql for sql in restore):
            _add_scopes(connection, columns)
    except dbapi_error as exc:
        # As SQLAlchemy's own error (OperationalError for a full disk), which callers handle, without the
        # million parameters.
        raise DBAPIError.instance(sql, None, exc, dbapi_error) from exc
    for create in restore:
        connection.exec_driver_sql(create)


def import_csv(
    session: Session,
    source: IO[str] | str,
    *,
    skip_invalid: bool = False,
    review_state: str = "published",
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    duplicate_states: tuple[str, ...] = EDITOR_DUPLICATE_STATES,
    submitted_by: str | None = None,
) -> ImportResult:
    """core.ingest.import_rows(session, read_csv(source), ...), column-wise: the same errors, the same stored
    rows and ids (result.ids). Atomic unless skip_invalid. Raises CsvFormatError for a bad header.
    `submitted_by` is written with the rows (audit.record_import then has none left to stamp)."""
    columns = read_columns(source)
    valid, values, errors = validate_columns(columns, today or dt.date.today())
    result = ImportResult(errors=errors, invalid=len({e.line for e in errors}))
    if errors and not skip_invalid:
        return result
    rows = np.flatnonzero(valid)
    fresh, result.duplicates = _fresh(session, {f: values[f][rows] for f in STORED}, duplicate_states)
    kept = {f: column.tolist() for f, column in fresh.items()}
    connection = session.connection()
    total = len(kept["deployer"])
    ids = allocate_ids(connection, total)
    now = utcnow()
    kept["id"] = ids
    constants = {"review_state": review_state, "version": 1, "created_at": now, "updated_at": now}
    if submitted_by is not None:
        constants["submitted_by"] = submitted_by
    if total:
        insert_columns(connection, kept, progress, constants)
    result.imported = total
    result.ids = ids
    return result
