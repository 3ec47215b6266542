"""Hostile input at the edges: formula cells neutralised on CSV export (numbers untouched, export ->
import lossless), non-http(s) source URLs refused, non-CSV uploads refused with a message."""

import csv
import io

import pytest

from core import review
from core.export import neutralise, reports_frame, unneutralise, write_csv
from core.filters import Filters
from core.ingest import CsvFormatError, import_csv, read_upload
from core.review import Actor, Policy
from core.store import make_engine, reading, upgrade, writing
from core.validation import validate
from tests.conftest import TODAY

FORMULAS = [
    "=1+2",
    "+SUM(A1:A2)",
    "-2+3",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
    "\nLF",
    '=HYPERLINK("http://evil","x")',
    "=cmd|' /C calc'!A0",
    "'=already quoted",
    "''+two quotes",
    "-",
    "@",
]
TEXT_FIELDS = ("mission", "location", "source_name", "notes")


@pytest.mark.parametrize("payload", FORMULAS)
def test_neutralise_round_trips(payload):
    assert neutralise(payload).startswith("'")
    assert unneutralise(neutralise(payload)) == payload


@pytest.mark.parametrize("text", ["plain", "'quoted", "O'Brien", "", "1=1", "a-b"])
def test_harmless_text_is_left_alone(text):
    assert neutralise(text) == text and unneutralise(text) == text


def _store(engine, payloads):
    with writing(engine) as s:
        for n, payload in enumerate(payloads):
            values = {
                "deployer": "USA",
                "host": "DEU",
                "troops": str(-~n * 1000),
                "date": "2020-01-01",
                "lat": "-12.5",
                "lon": "-45.25",
                "source_url": "https://example.org/x",
                **{f: payload for f in TEXT_FIELDS},
            }
            if payload.strip() == "" or payload.lstrip()[:1] in "\t\r\n":
                values.update({f: f"x{payload}" for f in TEXT_FIELDS})  # validation strips edges
            review.submit(s, values, Actor("cli", True), "cli", Policy(), today=TODAY)


def test_every_formula_payload_is_neutralised_and_numbers_stay_numbers(engine):
    # Validation strips leading whitespace, so \t \r \n can only start a cell inside text;
    # they are checked through neutralise() above and here as stored values.
    payloads = [p for p in FORMULAS if p[:1] not in "\t\r\n"]
    _store(engine, payloads)
    with reading(engine) as s:
        frame = reports_frame(s)
    out = io.StringIO()
    write_csv(frame, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == len(payloads)
    dangerous = tuple("=+-@\t\r\n")
    for row in rows:
        for field in TEXT_FIELDS:
            assert not row[field].startswith(dangerous), row[field]
            assert row[field].startswith("'")
        assert row["lat"] == "-12.5" and row["lon"] == "-45.25"  # numbers are never prefixed
        assert row["troops"].isdigit()
    assert sorted(int(r["troops"]) for r in rows) == [1000 * (n + 1) for n in range(len(payloads))]


def test_export_then_import_is_lossless(engine, tmp_path):
    payloads = [p for p in FORMULAS if p[:1] not in "\t\r\n"]
    _store(engine, payloads)
    with reading(engine) as s:
        before = reports_frame(s)
    out = io.StringIO()
    write_csv(before, out)
    other = make_engine(f"sqlite:///{tmp_path / 'copy.sqlite'}")
    upgrade(other)
    with writing(other) as s:
        assert import_csv(s, out.getvalue(), today=TODAY).imported == len(payloads)
    with reading(other) as s:
        after = reports_frame(s)
    columns = ["troops", "lat", "lon", *TEXT_FIELDS]

    def rows(frame):
        return sorted(map(tuple, frame[columns].astype(str).values))

    assert rows(after) == rows(before)
    other.dispose()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "java\tscript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "java\nscript:alert(1)",
        "file:///etc/passwd",
        "//evil.example/x",
        "https:/no-host",
        "ftp://example.org/x",
    ],
)
def test_source_urls_other_than_http_and_https_are_refused(url):
    result = validate(
        {"deployer": "FRA", "host": "MLI", "date": "2020", "source_name": "x", "source_url": url}, today=TODAY
    )
    assert isinstance(result, list) and [e.field for e in result] == ["source_url"]


@pytest.mark.parametrize("url", ["https://example.org/a?b=c#d", "HTTP://EXAMPLE.ORG"])
def test_http_urls_pass(url):
    assert not isinstance(
        validate(
            {"deployer": "FRA", "host": "MLI", "date": "2020", "source_name": "x", "source_url": url}, today=TODAY
        ),
        list,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"%PDF-1.7\n", "PDF"),
        (b"deployer,host,date,source_name\nFRA,MLI,2020,x\x00y\n", "NUL"),
        ("deployer,host,date,source_name\nFRA,MLI,2020,Le Monde \u00e9t\u00e9\n".encode("latin-1"), "UTF-8"),
        ("deployer,host\n".encode("utf-16"), "UTF-8"),
    ],
)
def test_uploads_that_are_not_csv_text_are_refused(data, message):
    with pytest.raises(CsvFormatError, match=message):
        read_upload(data, name="upload.csv")


def test_upload_row_limit_and_a_good_upload():
    body = "deployer,host,date,source_name\n" + "FRA,MLI,2020,x\n" * 11
    with pytest.raises(CsvFormatError, match="limit is 10"):
        read_upload(body.encode(), max_rows=10)
    text = read_upload(("\ufeff" + body).encode("utf-8"), max_rows=11)
    assert text.startswith("deployer,") and len(text.splitlines()) == 12


def test_an_upload_with_a_wrong_header_is_refused_not_crashing(engine):
    text = read_upload(b"<html><script>alert(1)</script></html>\n")
    with pytest.raises(CsvFormatError, match="missing required"), writing(engine) as s:
        import_csv(s, text, today=TODAY)
    with reading(engine) as s:
        assert reports_frame(s, Filters(review_states=())).empty
