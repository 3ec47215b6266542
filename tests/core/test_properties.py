"""Property-based: any input to validation or CSV import gives a result or field errors (or a
CsvFormatError for a file that is not a canonical CSV), never an unhandled exception."""

import csv
import datetime as dt
import io
import sqlite3
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from core import bulk
from core.domain import CSV_COLUMNS, ReportData
from core.export import neutralise, unneutralise
from core.ingest import CsvFormatError, ImportResult, import_csv, import_rows, read_csv, read_upload
from core.store import make_engine, upgrade, writing
from core.validation import FieldError, validate
from tests.conftest import TODAY
from tests.core.test_bad_inputs import BAD
from tests.core.test_bad_inputs import HEADER as BAD_HEADER

FIELDS = [*CSV_COLUMNS, "unknown_field"]
HOSTILE = [
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "=1+1",
    "\x00",
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    "FRA",
    "Mali",
    "2020-02-30",
    "9" * 40,
    "-1e309",
    "nan",
    "inf",
    "1,000",
    "range",
    "announced",
    " ",
    "https://example.org",
    "1e5",
    "0x10",
]
values = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.sampled_from(HOSTILE),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.decimals(allow_nan=False),
)
# No deadline and no too_slow check: a machine shared with other work must not fail these.
UNTIMED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=UNTIMED)


@SETTINGS
@given(st.dictionaries(st.sampled_from(FIELDS), values))
def test_validate_gives_a_report_or_field_errors(raw):
    result = validate(raw, today=TODAY)
    if isinstance(result, list):
        assert result and all(isinstance(e, FieldError) and e.field and e.message for e in result)
    else:
        assert isinstance(result, ReportData)


@SETTINGS
@given(
    st.fixed_dictionaries(
        {
            "deployer": st.sampled_from(["FRA", "USA", "Russia"]),
            "host": st.sampled_from(["MLI", "Germany"]),
            "date": st.dates(max_value=TODAY).map(dt.date.isoformat),
            "source_name": st.text(min_size=1, max_size=30),
        }
    ),
    st.dictionaries(st.sampled_from(FIELDS), values, max_size=4),
)
def test_mostly_valid_reports_never_raise(base, extra):
    result = validate({**base, **extra}, today=TODAY)
    assert isinstance(result, ReportData | list)


def _csv_text():
    cell = st.one_of(st.text(max_size=20), st.sampled_from(HOSTILE))
    header = st.one_of(st.just(",".join(CSV_COLUMNS)), st.just("deployer,host,date,source_name"), st.text(max_size=40))
    row = st.lists(cell, max_size=len(CSV_COLUMNS) + 2).map(lambda cells: ",".join(cells))
    return st.one_of(
        st.text(max_size=300),
        st.tuples(header, st.lists(row, max_size=8)).map(lambda t: "\n".join([t[0], *t[1]])),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=UNTIMED)
@given(text=_csv_text())
def test_import_csv_of_any_text_gives_a_result_or_a_format_error(engine, text):
    try:
        with writing(engine) as session:
            result = import_csv(session, io.StringIO(text, newline=""), skip_invalid=True, today=TODAY)
    except CsvFormatError as exc:
        assert str(exc)
        return
    assert isinstance(result, ImportResult)
    assert result.invalid == len({e.line for e in result.errors})
    assert all(e.line >= 2 and e.message for e in result.errors)


@settings(max_examples=200, deadline=None, suppress_health_check=UNTIMED)
@given(st.binary(max_size=300))
def test_read_upload_of_any_bytes_gives_text_or_a_format_error(data):
    try:
        text = read_upload(data, max_rows=5)
    except CsvFormatError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str) and "\x00" not in text


@settings(max_examples=300, deadline=None, suppress_health_check=UNTIMED)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\r\nab 1"), max_size=8))
def test_neutralise_is_undone_exactly_by_unneutralise(text):
    safe = neutralise(text)
    assert unneutralise(safe) == text
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))


@pytest.mark.parametrize("field", ["troops", "lat", "date", "source_url"])
def test_broken_values_are_field_errors_not_exceptions(field):
    result = validate(
        {"deployer": "FRA", "host": "MLI", "date": "2020", "source_name": "x", field: "\x00not valid\x00"}, today=TODAY
    )
    assert isinstance(result, list) and field in {e.field for e in result}


# The column-wise import (core.bulk) against the per-row oracle (validate, via import_rows(read_csv)):
# the same errors (line, field, message), the same stored rows and ids, on generated files.
BAD_CELLS = ["1.000", "10,00", "١٠٠", "１００", "1e6", "0001", "٢٠١٩", "NaN", "inf", "1e1", "１０", "-5", "2000001"]
CELLS = {
    "deployer": ["FRA", "France", "RUS", "usa", " DEU ", "Narnia", "", "ＦＲＡ"],
    "host": ["MLI", "Mali", "FRA", "VEN", "Germany", "", "Atlantis"],
    "troops": ["", "0", "100", "3,000", "100.0", " 250", "2000000", *BAD_CELLS],
    "troops_max": ["", "0", "100", "150", "5000", "50", "x", *BAD_CELLS],
    "count_kind": ["", "exact", "approx", "about", "range", " Range ", "unknown", "none", "AT LEAST", "max", "lots"],
    "date": ["2019", "2019-03", "2019-03-31", "2019-02-30", "2030-01-01", "", "19-3-1", *BAD_CELLS],
    "date_precision": ["", "day", "month", "year", "Month", "week"],
    "status": ["", "present", "announced", "Withdrawn", "gone"],
    "mission": ["", "Barkhane", " Barkhane ", "barkhane", "a\x01b", "m" * 201, "'=SUM(A1)"],
    "location": ["", "Gao", "GAO ", "Niamey\u00a0", "l" * 200],
    "lat": ["", "10.5", "-90", "91", "NaN", "1e1", "１０"],
    "lon": ["", "-66.9", "180", "181", "inf"],
    "source_name": ["Interfax", "", " Reuters", "s" * 201, "=cmd", "'=cmd", "a\x00b", "Ünïcode"],
    "source_url": ["", "https://example.org/a", "HTTP://EXAMPLE.ORG", "ftp://x.org", "https://", "https://a b.org"],
    "source_date": ["", "2019", "2019-04-01", "2031-01-01", "April"],
    "notes": ["", "a note", "two\nlines", "tab\there", "n" * 2001, "x\x00y", "  padded  ", 'say "hi"', "a,b"],
    "cited_agency": ["", "TASS", "\x7f"],
    "speaker": ["", "A spokesperson", "p" * 201],
}
OPTIONAL = [c for c in CSV_COLUMNS if c not in ("deployer", "host", "date", "source_name")]


@st.composite
def csv_files(draw):
    """A canonical CSV: the required columns and some optional ones in any order, rows of valid and
    invalid cells, sometimes CRLF endings, blank or empty rows, and mistakes a file may hold."""
    columns = ["deployer", "host", "date", "source_name"] + draw(st.lists(st.sampled_from(OPTIONAL), unique=True))
    columns = draw(st.permutations(columns))
    rows = draw(
        st.lists(st.fixed_dictionaries({c: st.sampled_from(CELLS[c]) for c in columns}), min_size=1, max_size=12)
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[c] for c in columns])
        extra = draw(st.sampled_from(["", "", "", "", "blank", "commas", "duplicate", "wide"]))
        if extra == "commas":
            writer.writerow([""] * len(columns))
        elif extra == "duplicate":
            writer.writerow([row[c] for c in columns])
        elif extra == "wide":
            writer.writerow([row[c] for c in columns] + ["surplus"])
        elif extra == "blank":
            out.write("\n")
    return out.getvalue()


def _stored(engine, do_import):
    """Run an import in a transaction, read what it stored, then roll it back: every run sees the same store."""
    with Session(engine) as session:
        transaction = session.begin()
        result = do_import(session)
        rows = session.execute(text("SELECT * FROM reports ORDER BY id")).mappings().all()
        scopes = session.execute(text("SELECT * FROM scopes ORDER BY deployer, host, scope_key")).all()
        transaction.rollback()
    return result, ([{k: v for k, v in r.items() if k not in ("created_at", "updated_at")} for r in rows], scopes)


@pytest.fixture(scope="module")
def seeded_engine(tmp_path_factory):
    """A store already holding two reports, so that stored duplicates are skipped by both paths."""
    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('bulk') / 'garrison.sqlite'}")
    upgrade(eng)
    with writing(eng) as session:
        seed = "deployer,host,troops,date,source_name\nFRA,MLI,100,2019-03,Interfax\nRUS,VEN,100,2019,Interfax\n"
        assert import_rows(session, read_csv(seed), today=TODAY).ok
    yield eng
    eng.dispose()


def assert_same_import(engine, data, **kwargs):
    ours, stored = _stored(engine, lambda s: bulk.import_csv(s, data, today=TODAY, **kwargs))
    oracle, expected = _stored(engine, lambda s: import_rows(s, read_csv(data), today=TODAY, **kwargs))
    assert ours.errors == oracle.errors
    assert (ours.imported, ours.duplicates, ours.invalid, ours.ids) == (
        oracle.imported,
        oracle.duplicates,
        oracle.invalid,
        oracle.ids,
    )
    assert stored == expected


@settings(max_examples=300, deadline=None, suppress_health_check=UNTIMED)
@given(data=csv_files(), skip_invalid=st.booleans())
def test_bulk_import_stores_and_refuses_exactly_what_the_per_row_path_does(seeded_engine, data, skip_invalid):
    assert_same_import(seeded_engine, data, skip_invalid=skip_invalid)


@pytest.mark.parametrize(("name", "line", "message"), BAD, ids=[b[0] for b in BAD])
def test_bulk_import_gives_the_bad_inputs_the_per_row_messages(seeded_engine, name, line, message):
    data = BAD_HEADER + line
    assert_same_import(seeded_engine, data)
    result, _ = _stored(seeded_engine, lambda s: bulk.import_csv(s, data, today=TODAY))
    assert any(str(e).startswith(message) for e in result.errors)


def test_the_bulk_whitespace_list_is_what_str_strip_removes():
    assert bulk._WS == "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


def test_a_plain_file_takes_the_column_reader_and_an_irregular_one_the_stdlib_reader():
    plain = 'deployer,host,date,source_name,notes\nFRA,MLI,2019,X,"a, b"\n'
    header = ["deployer", "host", "date", "source_name", "notes"]
    assert bulk._plain_table(plain, header) is not None
    for irregular in (plain + "\n", plain.replace('"a, b"', '"a\nb"'), plain.replace("\n", "\r"), plain + "x'y\"z,\n"):
        assert bulk._plain_table(irregular, header) is None, irregular


def test_a_large_load_that_fails_gives_back_its_settings_and_raises_sqlalchemys_error(seeded_engine, monkeypatch):
    """A driver error in the middle of a large load (a full disk, say) reaches the caller as SQLAlchemy's
    OperationalError, which the CLI and the upload page turn into "nothing was saved", and the pooled
    connection keeps its own page cache and threads."""
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 1)

    def full_disk(*args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(bulk, "_insert_batches", full_disk)
    settings = "SELECT * FROM pragma_threads, pragma_cache_size"
    with seeded_engine.connect() as conn:
        pooled = conn.execute(text(settings)).one()
    data = "deployer,host,troops,date,source_name\n" + "".join(f"FRA,NER,{i},2019-01-01,X\n" for i in range(5))
    with Session(seeded_engine) as session, session.begin():
        with pytest.raises(OperationalError, match="disk is full"):
            bulk.import_csv(session, data, today=TODAY)
        assert session.execute(text(settings)).one() == pooled
        session.rollback()


@pytest.mark.parametrize(
    ("values", "stand_in"),
    [
        ([], -1),
        (["a", "-1"], -1),  # an integer never equals a text in SQLite
        ([-1, -2, 7], -3),
        ([-1.0, 5.5], -2),  # -1 = -1.0 in SQLite as in Python
        ([b"-1", -1, -2.0], -3),
    ],
)
def test_a_null_stand_in_equals_none_of_the_column_values(values, stand_in):
    assert bulk._stand_in(values) == stand_in


def test_a_coordinate_of_minus_one_beside_empty_ones_is_stored_as_written(seeded_engine):
    """The stand-in bound for NULL must differ from every value of its column, -1.0 included."""
    data = "deployer,host,troops,date,source_name,lat,lon\n" + "".join(
        f"FRA,NER,{i},2019-01-01,X,{'-1,-1.0' if i % 2 else ','}\n" for i in range(12)
    )
    assert_same_import(seeded_engine, data)
    ours, (rows, _) = _stored(seeded_engine, lambda s: bulk.import_csv(s, data, today=TODAY))
    coordinates = {(r["lat"], r["lon"]) for r in rows if r["deployer"] == "FRA" and r["host"] == "NER"}
    assert ours.imported == 12 and coordinates == {(None, None), (-1.0, -1.0)}


def test_a_large_load_rebuilds_the_indexes_it_dropped(seeded_engine, monkeypatch):
    """Above REBUILD_INDEXES_FROM new rows the SQLite indexes and the scopes trigger are dropped, and
    rebuilt in the import's transaction: the same rows and scopes, and afterwards the same indexes and
    triggers as before, and the connection's sorter settings given back (it returns to the pool)."""
    monkeypatch.setattr(bulk, "REBUILD_INDEXES_FROM", 1)
    schema = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'reports' ORDER BY name"
    settings = "SELECT * FROM pragma_threads, pragma_cache_size"
    with seeded_engine.connect() as conn:
        before = conn.execute(text(schema)).all()
        pooled = conn.execute(text(settings)).one()
    assert {"ix_reports_pair_date", bulk.SCOPE_TRIGGER} <= {name for _, name, _ in before}
    data = "deployer,host,troops,date,source_name,mission\n" + "".join(
        f"FRA,NER,{i},2019-01-01,X,{'Barkhane' if i % 3 else ''}\n" for i in range(50)
    )
    assert_same_import(seeded_engine, data)
    with Session(seeded_engine) as session, session.begin():
        assert bulk.import_csv(session, data, today=TODAY).imported == 50
        assert session.execute(text(schema)).all() == before
        assert session.execute(text(settings)).one() == pooled != (bulk.SORTER_THREADS, -bulk.SORTER_CACHE_KIB)
        session.rollback()
