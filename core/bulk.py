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
import itertools
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core import validation as v
from core.domain import COUNT_KINDS, MAX_TROOPS, TEXT_LIMITS, ReportData, scope_key
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
# The characters str.strip() removes (str.isspace; tests/core/test_properties.py checks the list): a cell
# that starts or ends with one is left to validate. Written out, not computed: a scan of every code
# point costs half a second at each start.
_WS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
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
class Coded:
    """A column as distinct values and, per row, the number of its value: the checks produce one value per
    distinct cell or combination, and rows share it (a million rows, a few thousand objects)."""

    objects: np.ndarray  # dtype object
    index: np.ndarray  # int64, one per row

    @classmethod
    def of(cls, objects: list, index: np.ndarray) -> Coded:
        array = np.empty(len(objects), dtype=object)
        array[:] = objects
        return cls(array, index)

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, row: int) -> Any:
        return self.objects[self.index[row]]

    def take(self, rows: np.ndarray) -> Coded:
        return Coded(self.objects, self.index[rows])

    def patched(self, rows: list[int], values: list) -> Coded:
        """These rows set to these values (the rows validate checked one by one)."""
        if not rows:
            return self
        index = self.index.copy()
        index[rows] = np.arange(len(self.objects), len(self.objects) + len(rows))
        return Coded(np.concatenate([self.objects, Coded.of(values, index).objects]), index)

    def codes(self) -> tuple[np.ndarray, int]:
        """(per row, a number for its value: equal values, equal numbers; how many numbers). Values are
        compared as a tuple compares them (None a value of its own, 1 equal to 1.0)."""
        canonical, distinct = pd.factorize(self.objects, use_na_sentinel=False)
        return canonical[self.index], len(distinct)

    def tolist(self) -> list:
        return self.objects[self.index].tolist()


@dataclass
class Columns:
    """A file as columns: each canonical field's distinct cells and, per record, the number of its cell."""

    lines: np.ndarray
    cells: dict[str, pa.Array]
    codes: dict[str, np.ndarray]
    present: list[str]
    width_errors: list[RowError]
    # Only records known not to be blank (the stdlib path skips blank ones while reading).
    checked_blank: bool = False
    _lists: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lines)

    def uniques(self, name: str) -> list[str]:
        """The field's distinct cells as Python strings (made once, when a check needs them)."""
        if name not in self._lists:
            self._lists[name] = self.cells[name].to_pylist()
        return self._lists[name]

    def cell(self, name: str, row: int) -> str:
        return self.uniques(name)[self.codes[name][row]]

    def row(self, row: int) -> dict[str, str]:
        """The record as read_csv gives it to validate."""
        return {f: self.cell(f, row) for f in self.present}


def _encode(array: pa.Array) -> tuple[pa.Array, np.ndarray]:
    encoded = pc.dictionary_encode(array)
    return encoded.dictionary, encoded.indices.to_numpy(zero_copy_only=False)  # int32: half the memory


def _header_line(text: str) -> str:
    """The text up to the end of its first record when that is plainly one line (no quote, no CR but the
    line ending's), else the whole text: csv.reader then reads the same header, without copying 100 MB."""
    end = text.find("\n")
    first = text if end < 0 else text[: end + 1]
    return text if '"' in first or "\r" in first[:-2] else first


def _plain_table(text: str, header: list[str]) -> list[pa.DictionaryArray] | None:
    """The records as one dictionary-encoded column of strings per header field when reading them so gives
    exactly what the stdlib reader would (one physical line per record, no odd quoting, no NUL, no leading
    U+2060), else None. pyarrow encodes while it reads, a block per thread."""
    end = text.find("\n")
    if '"' in text[: end if end >= 0 else len(text)] or "\x00" in text:
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None
    quoted = b'"' in data
    if quoted and _ODD_QUOTE.search(data):
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(skip_rows=1, autogenerate_column_names=True),
            # Without a quote in the file no value can hold a newline; the parser is faster told so.
            parse_options=pacsv.ParseOptions(newlines_in_values=quoted),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.dictionary(pa.int32(), pa.string()) for i in range(len(header))},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    # One record per physical line: a blank line (which pyarrow skips) or a quoted line break shows here.
    if table.num_columns != len(header) or table.num_rows + 1 != lines or not table.num_rows:
        return None
    columns = [column.combine_chunks() for column in table.unify_dictionaries().columns]
    for name, column in zip(header, columns, strict=True):
        cells = column.dictionary
        if pc.max(pc.utf8_length(cells)).as_py() > MAX_FIELD_CHARS:
            return None
        if name not in NUMERIC_COLUMNS and pc.any(pc.starts_with(cells, "\u2060")).as_py():
            return None  # export's formula guard: read_csv takes it off
    return columns


def _from_table(columns: list[pa.DictionaryArray], header: list[str]) -> Columns:
    n = len(columns[0])
    cells, codes = {}, {}
    for name in FIELDS:
        if name in header:
            column = columns[header.index(name)]
            cells[name], codes[name] = column.dictionary, column.indices.to_numpy(zero_copy_only=False)
        else:
            cells[name], codes[name] = pa.array([""], type=pa.string()), np.zeros(n, dtype=np.int64)
    present = [h for h in header if h in FIELDS]
    return Columns(np.arange(2, n + 2, dtype=np.int64), cells, codes, present, [])


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
    dictionaries, codes = {}, {}
    for f in FIELDS:
        dictionaries[f], codes[f] = _encode(pa.array(cells[f], type=pa.string()))
    present_fields = [f for f in FIELDS if f in present]
    return Columns(np.array(lines, dtype=np.int64), dictionaries, codes, present_fields, width_errors)


def read_columns(source: IO[str] | str) -> Columns:
    """The file's records as columns; CsvFormatError for a bad header or a record the reader refuses."""
    text = source if isinstance(source, str) else source.read()
    header = read_header(_records(csv.reader(io.StringIO(_header_line(text), newline=""), strict=True)))
    table = _plain_table(text, header)
    if table is None:
        columns = _from_rows(text)
        columns.checked_blank = True
        return columns
    return _from_table(table, header)


def _group(columns: Columns, fields: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(one row of each distinct combination of these fields' cells, each row's combination number)."""
    return _combine([(columns.codes[f], len(columns.cells[f])) for f in fields], len(columns))


def _combine(parts: list[tuple[np.ndarray, int]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-row codes (each with its bound) -> (first row of each distinct combination, each row's number)."""
    code, bound = np.zeros(n, dtype=np.int64), 1
    for codes, size in parts:
        if bound * size >= 2**62:  # renumber before the product could overflow
            code, distinct = pd.factorize(code)
            bound = len(distinct)
        code, bound = code * size + codes, bound * size
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


def _parts(values: list[Any], inverse: np.ndarray, count: int) -> list[Coded]:
    """The `count` parts of each combination's value (a tuple), as coded columns."""
    return [Coded.of([x[i] for x in values], inverse) for i in range(count)]


def _text_ok(columns: Columns, name: str) -> np.ndarray:
    """Cells validate stores unchanged: empty, or trimmed, within the limit, no control characters."""
    array = columns.cells[name]
    short = pc.less_equal(pc.utf8_length(array), TEXT_LIMITS[name])
    if name == "source_url":  # a plain URL has neither spaces nor control characters, at its ends or inside
        ok = pc.and_(short, pc.match_substring_regex(array, _PLAIN_URL))
    else:
        ok = pc.and_(pc.match_substring_regex(array, _TRIMMED), short)
        bad = pc.match_substring(array, "\x00") if name == "notes" else pc.match_substring_regex(array, _CONTROL)
        ok = pc.and_not(ok, bad)
    empty = pc.equal(array, "")
    ok = pc.or_(ok, pc.and_(empty, pa.scalar(name != "source_name")))
    return ok.to_numpy(zero_copy_only=False)[columns.codes[name]]


def _not_blank(columns: Columns) -> np.ndarray:
    if columns.checked_blank:
        return np.ones(len(columns), dtype=bool)
    found = np.zeros(len(columns), dtype=bool)
    for f in columns.present:
        has = pc.match_substring_regex(columns.cells[f], _NOT_BLANK).to_numpy(zero_copy_only=False)
        found |= has[columns.codes[f]]
        if found.all():  # the first column usually settles it
            break
    return found


@dataclass
class Checked:
    """Per row: accepted by the column-wise checks, and the values validate would have returned."""

    fast: np.ndarray
    values: dict[str, Coded]


_KIND_GIVEN_BAD, _KIND_NOT_GIVEN = -1, -2


def _troops_cells(columns: Columns, name: str) -> tuple[np.ndarray, np.ndarray, Coded]:
    """Per row: is the cell empty, is it a bad number, and its value (validation._troops_field on each
    distinct cell)."""
    cells = columns.cells[name]
    # Plain digits are what _int reads as int(cell): cast in C; any other cell goes through _troops_field.
    digits = pc.match_substring_regex(cells, "^[0-9]{1,18}$").to_numpy(zero_copy_only=False)
    numbers = pc.cast(pc.if_else(digits, cells, "0"), pa.int64()).to_numpy()
    empty, bad = np.zeros(len(cells), dtype=bool), digits & (numbers > MAX_TROOPS)
    parsed = np.empty(len(cells), dtype=object)
    parsed[:] = numbers.tolist()
    parsed[bad] = None
    uniques = columns.uniques(name)
    for i in np.flatnonzero(~digits).tolist():
        errors = v._Errors()
        text = v._text({name: uniques[i]}, name)
        parsed[i] = v._troops_field(text, name, errors)
        empty[i], bad[i] = text is None, bool(errors)
    codes = columns.codes[name]
    return empty[codes], bad[codes], Coded(parsed, codes)


def _given_kinds(columns: Columns) -> np.ndarray:
    """Per row, the number (in COUNT_KINDS) of the count_kind written, aliases read; or not given / bad."""
    numbers = []
    for cell in columns.uniques("count_kind"):
        text = v._text({"count_kind": cell}, "count_kind")
        kind = None if text is None else v.COUNT_KIND_ALIASES.get(text.lower(), text.lower())
        numbers.append(_KIND_NOT_GIVEN if kind is None else COUNT_KINDS.index(kind) if kind in COUNT_KINDS else -1)
    return np.array(numbers, dtype=np.int64)[columns.codes["count_kind"]]


def _count_check(columns: Columns) -> tuple[np.ndarray, dict[str, Coded]]:
    """validation._count_fields, vectorised: each distinct number cell is parsed once, the rules between
    troops, troops_max and count_kind are applied to whole columns. Returns (per row ok, the values)."""
    t_empty, t_bad, troops = _troops_cells(columns, "troops")
    m_empty, m_bad, troops_max = _troops_cells(columns, "troops_max")
    kind = _given_kinds(columns)
    implied = np.where(t_empty, COUNT_KINDS.index("unknown"), np.where(m_empty, 0, COUNT_KINDS.index("range")))
    kind = np.where(kind == _KIND_NOT_GIVEN, implied, kind)
    t_none, m_none = t_empty | t_bad, m_empty | m_bad  # the value is None
    t_value = np.array([-1 if x is None else x for x in troops.objects], dtype=np.int64)[troops.index]
    m_value = np.array([-1 if x is None else x for x in troops_max.objects], dtype=np.int64)[troops_max.index]
    is_range, unknown = kind == COUNT_KINDS.index("range"), kind == COUNT_KINDS.index("unknown")
    counted = (kind >= 0) & (kind < COUNT_KINDS.index("range"))  # exact, approx, at_least, at_most
    bad = t_bad | m_bad | (kind == _KIND_GIVEN_BAD)
    bad |= is_range & (t_none | m_none | (m_value < t_value))
    bad |= ~is_range & ~m_none
    bad |= unknown & ~t_none
    bad |= counted & t_none & t_empty
    kinds = Coded.of([*COUNT_KINDS, None], np.where(kind >= 0, kind, len(COUNT_KINDS)))
    return ~bad, {"troops": troops, "troops_max": troops_max, "count_kind": kinds}


def _date_check(today: dt.date) -> Callable[[dict[str, str | None], v._Errors], Any]:
    """validation._date_fields as if the report were announced; the future is checked against the status
    afterwards, so the dates are grouped without the status."""

    def check(text: dict[str, str | None], errors: v._Errors) -> Any:
        return v._date_fields(text["date"], text, "announced", today, errors)

    return check


def check_columns(columns: Columns, today: dt.date) -> Checked:
    """Every check of validate, column-wise; rows not in `fast` must go through validate itself."""
    fast = _not_blank(columns)
    values: dict[str, Coded] = {}
    ok, pairs, inverse = _checked(columns, ("deployer", "host"), v._country_fields)
    fast &= ok
    for f in ("deployer", "host"):
        values[f] = Coded.of([p.get(f) for p in pairs], inverse)
    ok, counts = _count_check(columns)
    fast &= ok
    values.update(counts)
    ok, statuses, inverse = _checked(columns, ("status",), v._status_field)
    fast &= ok
    values["status"] = Coded.of(statuses, inverse)
    ok, dates, inverse = _checked(columns, ("date", "date_precision"), _date_check(today))
    future = np.array([d[0] is not None and d[0] > today for d in dates], dtype=bool)[inverse]
    announced = np.array([s == "announced" for s in statuses], dtype=bool)[values["status"].index]
    fast &= ok & ~(future & ~announced)
    values["date"], values["date_precision"] = _parts(dates, inverse, 2)
    ok, places, inverse = _checked(columns, ("lat", "lon"), v._coordinate_fields)
    fast &= ok
    values["lat"], values["lon"] = _parts(places, inverse, 2)
    ok, published, inverse = _checked(columns, ("source_date",), lambda t, e: v._source_date_field(None, t, today, e))
    fast &= ok
    values["source_date"] = Coded.of(published, inverse)
    for f in TEXT_LIMITS:
        fast &= _text_ok(columns, f)
        values[f] = Coded.of([u or None for u in columns.uniques(f)], columns.codes[f])
    first, inverse = _group(columns, ("mission", "location"))
    keys = [scope_key(values["mission"][r], values["location"][r]) for r in first.tolist()]
    values["scope_key"] = Coded.of(keys, inverse)
    return Checked(fast, values)


def validate_columns(columns: Columns, today: dt.date) -> tuple[np.ndarray, dict[str, Coded], list[RowError]]:
    """(per row: valid, the rows' values, every error with its line), rows in file order: exactly
    core.ingest.validate_rows on the same records."""
    checked = check_columns(columns, today)
    valid = checked.fast.copy()
    errors = list(columns.width_errors)
    blank = ~_not_blank(columns)
    fixed: list[int] = []
    fixed_values: dict[str, list] = {f: [] for f in checked.values}
    for row in np.flatnonzero(~checked.fast & ~blank).tolist():
        result = v.validate(columns.row(row), today=today)
        if isinstance(result, ReportData):
            valid[row] = True
            fixed.append(row)
            for f, value in result.as_row().items():
                fixed_values[f].append(value)
        else:
            errors.extend(RowError(int(columns.lines[row]), e.field, e.message) for e in result)
    values = {f: column.patched(fixed, fixed_values[f]) for f, column in checked.values.items()}
    errors.sort(key=lambda e: e.line)  # stable: one line's errors keep validate's order
    return valid, values, errors


KEY = ("deployer", "host", "scope_key", "date", "troops", "source_name", "status")
STORED = (*FIELDS, "scope_key")


def _key_codes(values: dict[str, Coded], fields: tuple[str, ...] = KEY) -> np.ndarray:
    """Per row, one integer per distinct combination of these fields' values (as tuples of them compare)."""
    return _combine([values[k].codes() for k in fields], len(values[fields[0]]))[1]


def _fresh(
    session: Session, values: dict[str, Coded], duplicate_states: tuple[str, ...]
) -> tuple[dict[str, Coded], int]:
    """The rows to store (later copies and already stored ones dropped, as store_reports does)."""
    repeated = pd.Series(_key_codes(values)).duplicated(keep="first").to_numpy(copy=True)
    first, pair_of = _combine([values[k].codes() for k in ("deployer", "host")], len(repeated))
    pairs = [(values["deployer"][r], values["host"][r]) for r in first.tolist()]
    seen = stored_keys(session, set(pairs), duplicate_states)
    if seen:
        stored_pairs = {key[:2] for key in seen}
        has_stored = np.array([pair in stored_pairs for pair in pairs], dtype=bool)[pair_of]
        for i in np.flatnonzero(has_stored & ~repeated).tolist():
            repeated[i] = tuple(values[k][i] for k in KEY) in seen
    duplicates = int(repeated.sum())
    if duplicates:
        keep = np.flatnonzero(~repeated)
        values = {f: column.take(keep) for f, column in values.items()}
    return values, duplicates


def _processor(connection: Any, name: str, sample: Any) -> Callable[[Any], Any] | None:
    """What turns a Python value of this column into what the driver stores (as _insert_many does)."""
    process: Callable[[Any], Any] | None = Report.__table__.c[name].type.bind_processor(connection.dialect)
    if process is None and connection.dialect.name == "sqlite" and isinstance(sample, dt.date):
        # The driver's own adapter (dates, timestamps): applied here once per distinct value, not in
        # the driver once per row.
        process = sqlite3.adapters.get((type(sample), sqlite3.PrepareProtocol))
    return process


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


def _stand_in(values: list) -> int:
    """An integer none of these (bound, non-NULL) values equals, to bind instead of NULL and turn back into
    NULL in the SQL (NULLIF). The driver binds a small int faster than None or a str (10 such columns at
    1 M rows: 1.01 s, against 1.45 s for None, which goes through its adapter lookup, and 1.52 s for '').
    SQLite compares as Python does here (-1 = -1.0, and an integer never equals a text or a blob)."""
    taken = set(values)
    return next(candidate for candidate in itertools.count(-1, -1) if candidate not in taken)


@dataclass
class Bound:
    """One column ready for executemany: per row the value to bind, and its SQL ('?' or NULLIF(?, x))."""

    name: str
    values: Coded
    marker: str


def _bind(connection: Any, name: str, column: Coded, null_default: bool) -> Bound | None:
    """The column's values through its processor, once per distinct value; None when every row is NULL
    and the SQLite table's default is NULL (left out of the INSERT, stored as the same NULL)."""
    objects = column.objects
    used = np.zeros(len(objects), dtype=bool)
    used[column.index] = True
    # pd.isna also takes NaN for NULL, as SQLite stores a bound NaN (validation lets none through).
    null = pd.isna(objects)
    present = used & ~null
    sqlite = connection.dialect.name == "sqlite"
    if not present.any() and sqlite and null_default:
        return None
    process = _processor(connection, name, objects[np.argmax(present)] if present.any() else None)
    bound = objects.copy()
    if process is not None:
        bound[~null] = [process(x) for x in objects[~null].tolist()]
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    if sqlite and (used & null).any():
        stand_in = _stand_in(bound[present].tolist())
        bound[null] = stand_in
        marker = f"NULLIF(?, {stand_in})"
    return Bound(name, Coded(bound, column.index), marker)


def _null_defaults(connection: Any) -> set[str]:
    """The reports columns whose default is NULL in the table itself (SQLite), or none (PostgreSQL)."""
    if connection.dialect.name != "sqlite":
        return set()
    return {row[1] for row in connection.exec_driver_sql("PRAGMA table_info(reports)") if row[4] is None}


# Indexes whose new entries all sort after the stored ones (one timestamp per import, ids ascending):
# SQLite appends them at the right edge of the B-tree, cheaper than a rebuild.
# Rows per INSERT statement on SQLite (measured: 20 beat 1, 50 and 200), and the parameters one statement
# may bind on any SQLite build (SQLITE_MAX_VARIABLE_NUMBER was 999 before 3.32).
ROWS_PER_INSERT = 20
MAX_PARAMETERS = 999
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


# During a large load the page cache may hold 256 MiB: when it fills, SQLite spills pages to the WAL in
# the middle of an INSERT, and from then on writes every INSERT's statement journal to a temporary file
# (at 1 M rows 226k page writes and 1.2 s of system time, measured with strace).
LOAD_CACHE_KIB = 262_144
# For the index rebuild, SQLite's sorter is given worker threads and runs of 2 MB (its runs are as large
# as the page cache): small runs are sorted in the CPU cache by the workers while the table is scanned,
# then merged, where one run as large as the load's cache is sorted by the one thread that scans.
# Measured on 1 M rows: the three CREATE INDEX of a load from 2.9 s to 1.5 s. The runs are written to
# SQLite's temporary directory (SQLITE_TMPDIR, else /var/tmp), tens of MB at 1 M rows; temp_store=MEMORY
# (which a transaction cannot set anyway) sorts on one thread: 1.4-2.6 s measured.
SORTER_THREADS = 2
SORTER_CACHE_KIB = 2_000


@contextmanager
def _pragmas(connection: Any, settings: dict[str, int]) -> Iterator[None]:
    """These integer PRAGMAs set on the connection, and given back afterwards (it returns to the pool)."""
    before = {name: int(connection.exec_driver_sql(f"PRAGMA {name}").scalar()) for name in settings}
    try:
        for name, value in settings.items():
            connection.exec_driver_sql(f"PRAGMA {name}={int(value)}")
        yield
    finally:
        for name, value in before.items():
            connection.exec_driver_sql(f"PRAGMA {name}={value}")


def _add_scopes(connection: Any, columns: dict[str, Coded]) -> None:
    """What the scopes trigger would have added, once per distinct scope of the load."""
    fields = ("deployer", "host", "scope_key")
    first, _ = _combine([columns[f].codes() for f in fields], len(columns["deployer"]))
    scopes = set(zip(*[columns[f].take(first).tolist() for f in fields], strict=True))
    connection.connection.cursor().executemany(
        "INSERT OR IGNORE INTO scopes (deployer, host, scope_key) VALUES (?, ?, ?)", sorted(scopes)
    )


def _statement(connection: Any, columns: dict[str, Coded], constants: dict[str, Any]) -> tuple[str, str, list[Bound]]:
    """The INSERT as (its text up to VALUES, one row's values, its bound columns): constants written into
    the SQL on SQLite, columns NULL in every row left out."""
    total = len(next(iter(columns.values())))
    literals = {}
    for name, value in constants.items():
        text = _literal(connection, name, value) if connection.dialect.name == "sqlite" else None
        if text is None:
            columns = {**columns, name: Coded.of([value], np.zeros(total, dtype=np.int64))}
        else:
            literals[name] = text
    null_defaults = _null_defaults(connection)
    bound = [b for n, c in columns.items() if (b := _bind(connection, n, c, n in null_defaults)) is not None]
    names = [b.name for b in bound] + list(literals)
    row = "(" + ", ".join([b.marker for b in bound] + list(literals.values())) + ")"
    return f"INSERT INTO reports ({', '.join(names)}) VALUES ", row, bound


def _table(bound: list[Bound], start: int, end: int) -> np.ndarray:
    """Rows start..end as a (rows, bound columns) object array of the values to bind."""
    table = np.empty((end - start, len(bound)), dtype=object)
    for j, b in enumerate(bound):
        table[:, j] = b.values.objects[b.values.index[start:end]]
    return table


def insert_columns(
    connection: Any,
    columns: dict[str, Coded],
    progress: Callable[[int, int], None] | None = None,
    constants: dict[str, Any] | None = None,
) -> None:
    """One executemany per batch of rows given as columns, plus `constants` (a value shared by every row,
    written into the SQL on SQLite); a large SQLite load rebuilds indexes and scopes at the end."""
    total = len(next(iter(columns.values())))
    head, row, bound = _statement(connection, columns, constants or {})
    sql = head + row
    # On SQLite several rows per INSERT: the driver's per-statement cost (reset, step, the next parameter
    # sequence) is then paid once per ROWS_PER_INSERT rows, not once per row.
    per_insert = (
        min(ROWS_PER_INSERT, MAX_PARAMETERS // max(len(bound), 1)) if connection.dialect.name == "sqlite" else 1
    )
    many = head + ", ".join([row] * per_insert)
    restore = _set_aside(connection, total)
    rebuild = any(statement.startswith("CREATE INDEX") for statement in restore)
    with _pragmas(connection, {"cache_size": -LOAD_CACHE_KIB} if restore else {}):
        with _driver_errors(connection, sql):
            _insert_batches(connection, (sql, many, per_insert), bound, total, progress)
            if any(SCOPE_TRIGGER in statement for statement in restore):
                _add_scopes(connection, columns)
        with _pragmas(connection, {"threads": SORTER_THREADS, "cache_size": -SORTER_CACHE_KIB} if rebuild else {}):
            for create in restore:
                connection.exec_driver_sql(create)


def _insert_batches(
    connection: Any,
    statements: tuple[str, str, int],
    bound: list[Bound],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    """executemany a batch at a time: (one row's INSERT, the INSERT of `per_insert` rows, per_insert)."""
    sql, many, per_insert = statements
    cursor = connection.connection.cursor()
    for start in range(0, total, BATCH):
        end = min(start + BATCH, total)
        table = _table(bound, start, end)
        whole = len(table) - len(table) % per_insert
        if whole:
            cursor.executemany(many, table[:whole].reshape(-1, per_insert * len(bound)).tolist())
        if whole < len(table):
            cursor.executemany(sql, table[whole:].tolist())
        if progress:
            progress(end, total)


@contextmanager
def _driver_errors(connection: Any, sql: str) -> Iterator[None]:
    """The driver's errors as SQLAlchemy's own (OperationalError for a full disk), which callers handle,
    without the million parameters."""
    dbapi_error = connection.dialect.loaded_dbapi.Error
    try:
        yield
    except dbapi_error as exc:
        raise DBAPIError.instance(sql, None, exc, dbapi_error) from exc


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
    stored = {f: values[f] if len(rows) == len(valid) else values[f].take(rows) for f in STORED}
    kept, result.duplicates = _fresh(session, stored, duplicate_states)
    connection = session.connection()
    total = len(kept["deployer"])
    ids = allocate_ids(connection, total)
    now = utcnow()
    kept["id"] = Coded.of(ids, np.arange(total, dtype=np.int64))
    constants = {"review_state": review_state, "version": 1, "created_at": now, "updated_at": now}
    if submitted_by is not None:
        constants["submitted_by"] = submitted_by
    if total:
        insert_columns(connection, kept, progress, constants)
    result.imported = total
    result.ids = ids
    return result
