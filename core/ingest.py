"""CSV and form input -> validated reports -> rows added in the caller's transaction."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.domain import CSV_COLUMNS, REQUIRED_COLUMNS, ReportData
from core.export import MARK, NUMERIC_COLUMNS, unneutralise
from core.models import Report, utcnow
from core.validation import FieldError, validate

BATCH = 5_000


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


@dataclass
class ImportResult:
    imported: int = 0
    duplicates: int = 0
    invalid: int = 0
    errors: list[RowError] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        text = f"imported {self.imported}, skipped {self.duplicates} duplicates"
        if self.invalid:
            text += f", {self.invalid} invalid rows not imported"
        return text


class CsvFormatError(ValueError):
    """The file is not a canonical CSV (missing or unknown columns, not text)."""


# A header this much wider than the canonical one is not a Garrison CSV: refused before any per-column work.
MAX_HEADER_CELLS = 4 * len(CSV_COLUMNS)
# csv's own limit (131,072 characters) would stop a long notes cell with no line or field named; a cell
# up to this size reaches validation, which names both. Beyond it the file is refused at that line.
MAX_FIELD_CHARS = 16 * 1024 * 1024


def _listed(names: list[str], most: int = 5) -> str:
    shown = ", ".join(n[:40] for n in names[:most])
    return shown + (f" and {len(names) - most:,} more" if len(names) > most else "")


def _check_header(header: list[str]) -> None:
    """CsvFormatError naming every header problem in a short message (a 100,000-column header included)."""
    if len(header) > MAX_HEADER_CELLS:
        raise CsvFormatError(
            f"line 1: the header has {len(header):,} columns; a Garrison CSV has at most "
            f"{len(CSV_COLUMNS)}: " + ", ".join(CSV_COLUMNS)
        )
    if any("\x00" in h for h in header):
        raise CsvFormatError(
            "line 1: the header contains NUL characters: is this UTF-16 text? Save the file as CSV UTF-8"
        )
    counts = Counter(h for h in header if h)
    problems = [
        f"column {h!r} appears {n} times (columns "
        + ", ".join(str(i + 1) for i, x in enumerate(header) if x == h)
        + "): keep one"
        for h, n in sorted(counts.items())
        if n > 1
    ]
    missing = [c for c in REQUIRED_COLUMNS if c not in counts]
    unknown = [h for h in counts if h not in CSV_COLUMNS]
    if missing:
        problems.append("missing required column(s) " + ", ".join(missing))
    if unknown:
        problems.append("unknown column(s) " + _listed(unknown))
    if problems:
        raise CsvFormatError("line 1: " + "; ".join(problems) + ". Expected columns: " + ", ".join(CSV_COLUMNS))


def _records(reader: Any) -> Iterator[list[str]]:
    """csv.reader's records, its errors (a field too long, a NUL, a quote never closed) as CsvFormatError
    naming the line the record starts on."""
    if csv.field_size_limit() < MAX_FIELD_CHARS:
        csv.field_size_limit(MAX_FIELD_CHARS)
    start = 1
    try:
        for record in reader:
            yield record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CsvFormatError(f"line {start}: {_csv_reason(str(exc))}") from None


def _csv_reason(reason: str) -> str:
    if "field larger" in reason:
        return f"a field is longer than {MAX_FIELD_CHARS:,} characters (the longest text field takes 2,000)"
    if "unexpected end of data" in reason:
        # Without strict mode the reader would take the rest of the file as one cell, silently.
        return 'a quoted field is never closed: close its quote, or write a quote inside it as two ("")'
    if "expected after" in reason:
        return 'text follows a closing quote: write a quote inside a quoted field as two ("")'
    return reason


def read_header(records: Iterator[list[str]]) -> list[str]:
    """The header record, normalised (case, spaces, a BOM) and checked: CsvFormatError naming its problems."""
    try:
        header = next(records)
    except StopIteration:
        raise CsvFormatError("the file is empty: expected a header line with " + ", ".join(CSV_COLUMNS)) from None
    header = [h.strip().lstrip("\ufeff").lower() for h in header]
    _check_header(header)
    return header


def read_csv(source: IO[str] | str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each record; the header is line 1, blank lines are skipped."""
    # newline="": a file with CR-only line endings splits into its lines, as the CLI's open(newline="") does.
    stream = io.StringIO(source, newline="") if isinstance(source, str) else source
    reader = csv.reader(stream, strict=True)
    records = _records(reader)
    header = read_header(records)
    text_positions = [i for i, h in enumerate(header) if h not in NUMERIC_COLUMNS]
    line_end = reader.line_num
    for cells in records:
        start, line_end = line_end + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            yield start, {"__width__": f"has {len(cells)} cells but the header has {len(header)}"}
            continue
        # Export put one MARK before text a spreadsheet would run as a formula: take it off again.
        for i in text_positions:
            if i < len(cells) and cells[i][:1] == MARK:
                cells[i] = unneutralise(cells[i])
        yield start, dict(zip(header, cells, strict=False))


# Uploads: the byte limit is Streamlit's server.maxUploadSize (.streamlit/config.toml); rows here.
MAX_UPLOAD_ROWS = 50_000
# File signatures of things people rename to .csv by mistake (or on purpose).
_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP archive (an .xlsx workbook is one: save it as CSV UTF-8)",
    b"\xd0\xcf\x11\xe0": "an old Excel/Office file (save it as CSV UTF-8)",
    b"\x1f\x8b": "a gzip archive",
    b"\xff\xfe": "UTF-16 text (save it as CSV UTF-8)",
    b"\xfe\xff": "UTF-16 text (save it as CSV UTF-8)",
}


def _record_count(text: str, max_rows: int) -> int:
    """CSV records (the header included; a quoted multi-line note is one). Physical lines bound them from
    above, so the parse is only needed when there are more lines than the limit."""
    lines = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    if lines - 1 <= max_rows:
        return lines
    return sum(1 for cells in _records(csv.reader(io.StringIO(text, newline=""), strict=True)) if cells)


def read_upload(data: bytes, *, max_rows: int = MAX_UPLOAD_ROWS, name: str = "the file") -> str:
    """An uploaded file's bytes -> its text, or CsvFormatError saying why it is not a CSV we take:
    a known binary format, NUL bytes, not UTF-8, or more than `max_rows` data lines."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise CsvFormatError(f"{name} is {what}, not a CSV text file")
    if b"\x00" in data:
        head = data[:1000]
        if head.count(b"\x00") * 3 >= len(head):  # every other byte NUL: UTF-16 saved without its BOM
            raise CsvFormatError(f"{name} is UTF-16 text (without a byte order mark), not UTF-8: save it as CSV UTF-8")
        raise CsvFormatError(f"{name} is binary (it contains NUL bytes), not a CSV text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFormatError(
            f"{name} is not UTF-8 text (byte {exc.start + 1} is not valid UTF-8): save it as CSV UTF-8"
        ) from None
    records = _record_count(text, max_rows)
    if records - 1 > max_rows:
        raise CsvFormatError(
            f"{name} has {records - 1:,} records after the header; the limit is {max_rows:,} "
            "rows per upload (split the file, or use `garrison import` for bulk loads)"
        )
    return text


def validate_rows(
    rows: Iterable[tuple[int, Mapping[str, Any]]], today: dt.date | None = None
) -> tuple[list[tuple[int, ReportData]], list[RowError]]:
    """Validate every row; (valid reports with their line, every error with its line)."""
    today = today or dt.date.today()
    valid: list[tuple[int, ReportData]] = []
    errors: list[RowError] = []
    for line, row in rows:
        if "__width__" in row:
            errors.append(RowError(line, "row", row["__width__"]))
            continue
        result = validate(row, today=today)
        if isinstance(result, ReportData):
            valid.append((line, result))
        else:
            errors.extend(RowError(line, e.field, e.message) for e in result)
    return valid, errors


# The stored reports a new one is compared with. A rejected or deleted report does not block the same
# report from being submitted again; an anonymous submitter is compared with published reports only, so
# the answer ("skipped 1 duplicate") never reveals a pending report they cannot see.
EDITOR_DUPLICATE_STATES = ("published", "pending")
VIEWER_DUPLICATE_STATES = ("published",)


def existing_keys(
    session: Session, reports: list[ReportData], review_states: tuple[str, ...] = EDITOR_DUPLICATE_STATES
) -> set[tuple]:
    """Duplicate keys (deployer, host, scope, date, troops, source, status) already stored for these pairs, among
    reports in `review_states`."""
    return stored_keys(session, {(r.deployer, r.host) for r in reports}, review_states)


def stored_keys(session: Session, pairs: set[tuple[str, str]], review_states: tuple[str, ...]) -> set[tuple]:
    """Duplicate keys of the stored reports of these (deployer, host) pairs, among reports in `review_states`."""
    if not pairs:
        return set()
    deployers = sorted({d for d, _ in pairs})
    hosts = sorted({h for _, h in pairs})
    rows = session.execute(
        select(
            Report.deployer,
            Report.host,
            Report.scope_key,
            Report.date,
            Report.troops,
            Report.source_name,
            Report.status,
        ).where(Report.deployer.in_(deployers), Report.host.in_(hosts), Report.review_state.in_(review_states))
    )
    return {tuple(r) for r in rows if (r.deployer, r.host) in pairs}


def _insert_many(connection, rows: list[dict]) -> None:
    """One DBAPI executemany for a batch of report rows.

    Values go through each column type's bind processor (so SQLite stores dates exactly as the ORM
    does) but skip SQLAlchemy's per-row parameter machinery, which costs more than the insert.
    """
    if not rows:
        return
    table = Report.__table__
    names = list(rows[0])
    dialect = connection.dialect
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO reports ({', '.join(names)}) VALUES ({', '.join([marker] * len(names))})"
    columns = []
    for name in names:
        values = [row[name] for row in rows]
        process = table.c[name].type.bind_processor(dialect)
        if process is not None:
            # Dates and timestamps repeat (one `now` per import): convert each distinct value once.
            done = {value: process(value) for value in set(values) if value is not None}
            values = [None if value is None else done[value] for value in values]
        columns.append(values)
    connection.exec_driver_sql(sql, list(zip(*columns, strict=True)))


def allocate_ids(connection, count: int) -> list[int]:
    """`count` new report ids, known before the insert, so that an import can record exactly which ids it
    wrote: PostgreSQL takes them from the id sequence (concurrent imports interleave there); SQLite hands
    out the next ones after max(id), which no one else can take while `writing` holds the write lock."""
    if not count:
        return []
    if connection.dialect.name == "postgresql":
        return list(
            connection.exec_driver_sql(
                "SELECT nextval(pg_get_serial_sequence('reports', 'id')) FROM generate_series(1, %(n)s)",
                {"n": count},
            ).scalars()
        )
    start = (connection.execute(select(func.max(Report.id))).scalar() or 0) + 1
    return list(range(start, start + count))


def store_reports(
    session: Session,
    reports: list[ReportData],
    *,
    review_state: str = "published",
    progress: Callable[[int, int], None] | None = None,
    duplicate_states: tuple[str, ...] = EDITOR_DUPLICATE_STATES,
    written: list[int] | None = None,
) -> tuple[int, int]:
    """Add reports, skipping exact duplicates (earlier in the list, or stored in `duplicate_states`):
    same pair, mission and location, date, troops and source.

    Returns (stored, duplicates); the stored reports' ids are appended to `written` when given. Runs in
    the caller's transaction: nothing is committed here.
    """
    seen = existing_keys(session, reports, duplicate_states)
    fresh: list[dict] = []
    duplicates = 0
    now = utcnow()
    for report in reports:
        key = report.duplicate_key
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        row = report.as_row()
        row.update(review_state=review_state, version=1, created_at=now, updated_at=now)
        fresh.append(row)
    # The scopes table is kept by the database (triggers, migration 0007).
    connection = session.connection()
    ids = allocate_ids(connection, len(fresh))
    for row, report_id in zip(fresh, ids, strict=True):
        row["id"] = report_id
    if written is not None:
        written.extend(ids)
    for start in range(0, len(fresh), BATCH):
        _insert_many(connection, fresh[start : start + BATCH])
        if progress:
            progress(min(start + BATCH, len(fresh)), len(fresh))
    return len(fresh), duplicates


def import_rows(
    session: Session,
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    *,
    skip_invalid: bool = False,
    review_state: str = "published",
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    duplicate_states: tuple[str, ...] = EDITOR_DUPLICATE_STATES,
) -> ImportResult:
    """Validate then store. Atomic unless skip_invalid: any invalid row means nothing is added."""
    valid, errors = validate_rows(rows, today=today)
    result = ImportResult(errors=errors, invalid=len({e.line for e in errors}))
    if errors and not skip_invalid:
        return result
    result.imported, result.duplicates = store_reports(
        session,
        [r for _, r in valid],
        review_state=review_state,
        progress=progress,
        duplicate_states=duplicate_states,
        written=result.ids,
    )
    return result


def import_csv(session: Session, source: IO[str] | str, **kwargs: Any) -> ImportResult:
    """Import a canonical CSV (see core.domain.CSV_COLUMNS). Raises CsvFormatError for a bad header.

    Column-wise (core.bulk): the same checks, messages and stored rows as import_rows(read_csv(source)),
    which stays the reference the property tests compare it with.
    """
    from core import bulk  # bulk builds on this module

    return bulk.import_csv(session, source, **kwargs)


def add_report(session: Session, report: ReportData, *, review_state: str = "published") -> Report:
    """Store one validated report (from the form) and return it with its id."""
    row = Report(**report.as_row(), review_state=review_state)
    session.add(row)
    session.flush()
    return row


def possible_duplicates(
    session: Session, report: ReportData, review_states: tuple[str, ...] = ("published", "pending")
) -> list[Report]:
    """Stored reports of the same pair, date and source: the form asks before saving another.

    Anonymous sessions must ask with review_states=("published",): a pending report's text is for
    editors only.
    """
    return list(
        session.execute(
            select(Report).where(
                Report.deployer == report.deployer,
                Report.host == report.host,
                Report.date == report.date,
                Report.source_name == report.source_name,
                Report.review_state.in_(review_states),
            )
        ).scalars()
    )


__all__ = [
    "FieldError",
    "ImportResult",
    "RowError",
    "CsvFormatError",
    "read_csv",
    "read_upload",
    "MAX_UPLOAD_ROWS",
    "validate_rows",
    "store_reports",
    "import_rows",
    "import_csv",
    "add_report",
    "possible_duplicates",
]
