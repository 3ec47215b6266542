"""Property-based: any input to validation or CSV import gives a result or field errors (or a
CsvFormatError for a file that is not a canonical CSV), never an unhandled exception."""

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.domain import CSV_COLUMNS, ReportData
from core.export import neutralise, unneutralise
from core.ingest import CsvFormatError, ImportResult, import_csv, read_upload
from core.store import writing
from core.validation import FieldError, validate
from tests.conftest import TODAY

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
