import datetime as dt

import pytest

from core.domain import ReportData
from core.validation import parse_partial_date, validate

TODAY = dt.date(2026, 11, 27)
BASE = {
    "deployer": "Russia",
    "host": "Venezuela",
    "troops": "100",
    "count_kind": "approx",
    "date": "2019-03",
    "source_name": "Interfax",
}


def errors_of(**changes):
    result = validate({**BASE, **changes}, today=TODAY)
    return {} if isinstance(result, ReportData) else {e.field: e.message for e in result}


def test_seed_row_is_valid_and_normalised():
    report = validate(BASE, today=TODAY)
    assert isinstance(report, ReportData)
    assert (report.deployer, report.host, report.troops, report.count_kind) == ("RUS", "VEN", 100, "approx")
    assert (report.date, report.date_precision, report.status) == (dt.date(2019, 3, 1), "month", "present")


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"deployer": "Narnia"}, "deployer", "unknown country"),
        ({"host": ""}, "host", "required"),
        ({"host": "RUS"}, "host", "must differ"),
        ({"troops": "lots"}, "troops", "not a whole number"),
        ({"troops": "-5"}, "troops", "between 0 and"),
        ({"troops": "2000001"}, "troops", "between 0 and"),
        ({"troops": "12.5"}, "troops", "not a whole number"),
        ({"troops_max": "50", "count_kind": "range"}, "troops_max", "at least troops"),
        ({"troops_max": "500"}, "troops_max", "only allowed with count_kind 'range'"),
        ({"count_kind": "range"}, "troops_max", "needs both"),
        ({"count_kind": "plenty"}, "count_kind", "not one of"),
        ({"count_kind": "unknown"}, "count_kind", "leave troops empty"),
        ({"troops": "", "count_kind": "exact"}, "troops", "required when count_kind"),
        ({"date": ""}, "date", "required"),
        ({"date": "2019-02-30"}, "date", "not a date"),
        ({"date": "31/03/2019"}, "date", "YYYY-MM-DD"),
        ({"date": "2027-01-01"}, "date", "future"),
        ({"date": "2019-03", "date_precision": "day"}, "date_precision", "finer"),
        ({"date_precision": "week"}, "date_precision", "not one of"),
        ({"status": "rumoured"}, "status", "not one of"),
        ({"lat": "91", "lon": "10"}, "lat", "between -90 and 90"),
        ({"lat": "10", "lon": "-181"}, "lon", "between -180 and 180"),
        ({"lat": "10"}, "lon", "both lat and lon"),
        ({"lat": "north", "lon": "1"}, "lat", "not a number"),
        ({"source_name": " "}, "source_name", "required"),
        ({"source_name": "x" * 201}, "source_name", "limit is 200"),
        ({"notes": "n" * 2001}, "notes", "limit is 2,000"),
        ({"location": "Caracas\x07"}, "location", "control characters"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "only http"),
        ({"source_url": " JaVaScRiPt:alert(1)"}, "source_url", "only http"),
        ({"source_url": "data:text/html,hi"}, "source_url", "only http"),
        ({"source_url": "java\tscript:alert(1)"}, "source_url", "spaces or control"),
        ({"source_url": "ftp://example.org/x"}, "source_url", "only http"),
        ({"source_url": "https://"}, "source_url", "full address"),
        ({"source_date": "2030-01-01"}, "source_date", "future"),
        ({"source_date": "April 2019"}, "source_date", "not a date"),
    ],
)
def test_field_errors_name_the_field(changes, field, fragment):
    errors = errors_of(**changes)
    assert field in errors, errors
    assert fragment in errors[field]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"troops": "", "count_kind": ""}, {"count_kind": "unknown", "troops": None}),
        ({"count_kind": ""}, {"count_kind": "exact"}),
        ({"count_kind": "about"}, {"count_kind": "approx"}),
        ({"count_kind": "up to"}, {"count_kind": "at_most"}),
        (
            {"count_kind": "", "troops": "300", "troops_max": "400"},
            {"count_kind": "range", "troops": 300, "troops_max": 400},
        ),
        ({"troops": "3,000"}, {"troops": 3000}),
        ({"troops": "100.0"}, {"troops": 100}),
        ({"date": "2019"}, {"date": dt.date(2019, 1, 1), "date_precision": "year"}),
        ({"date": "2019-03-31"}, {"date": dt.date(2019, 3, 31), "date_precision": "day"}),
        ({"date": "2019-03-31", "date_precision": "month"}, {"date": dt.date(2019, 3, 1)}),
        ({"date": dt.date(2019, 3, 31)}, {"date_precision": "day"}),
        ({"date": "2027-05", "status": "announced"}, {"status": "announced"}),
        ({"status": "Withdrawn", "troops": "", "count_kind": ""}, {"status": "withdrawn"}),
        ({"source_url": "HTTPS://example.org/a"}, {"source_url": "HTTPS://example.org/a"}),
        ({"source_date": "2019-4"}, {"source_date": "2019-04"}),
        ({"mission": "  MINUSMA "}, {"mission": "MINUSMA"}),
        ({"lat": "10.5", "lon": "-66.9"}, {"lat": 10.5, "lon": -66.9}),
        ({"notes": "<script>alert(1)</script>"}, {"notes": "<script>alert(1)</script>"}),
    ],
)
def test_normalisation(changes, expected):
    report = validate({**BASE, **changes}, today=TODAY)
    assert isinstance(report, ReportData), report
    for key, value in expected.items():
        assert getattr(report, key) == value


def test_every_problem_is_reported_at_once():
    errors = errors_of(deployer="", host="", troops="x", date="soon", source_name="")
    assert {"deployer", "host", "troops", "date", "source_name"} <= set(errors)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", (dt.date(2019, 1, 1), "year")),
        ("2019-03", (dt.date(2019, 3, 1), "month")),
        ("2019-03-31", (dt.date(2019, 3, 31), "day")),
    ],
)
def test_parse_partial_date(text, expected):
    assert parse_partial_date(text) == expected
