"""Hostile input at the edges: formula cells neutralised on CSV export (numbers untouched, export ->
import lossless), non-http(s) source URLs refused, non-CSV uploads refused with a message."""

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import review
from core.domain import CSV_COLUMNS
from core.export import FORMULA_START, MARK, neutralise, reports_frame, unneutralise, write_csv
from core.filters import Filters
from core.ingest import CsvFormatError, import_csv, read_upload
from core.review import Actor, Policy, submit_csv
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
    "-",
    "@",
    MARK,  # the marker itself is marked, so that import can take exactly one off
    MARK + "=x",
    MARK + MARK,
]
TEXT_FIELDS = ("mission", "location", "source_name", "notes", "cited_agency", "speaker")
# Text a person may type in the form or a CSV cell; each must come back byte for byte after export ->
# import. A "'" is ordinary text now: "'=already" stays "'=already".
TYPED = [
    "'=already",
    "''+two quotes",
    "=1+1",
    "@x",
    "-x",
    "+1 (555) 0100",
    "line one\rline two",
    "0\r1",
    "a\r\nb\nc",
    "tab\tinside",
    MARK + "starts with a word joiner",
    MARK + "=marked formula",
    MARK + MARK + "two",
    "ends with a joiner" + MARK,
    "\U0001f5fa\ufe0f map, \U0001d54f, \u4e2d\u6587, \u0639\u0631\u0628\u064a",
    '"quoted", with commas',
    "O'Brien",
]


@pytest.mark.parametrize("payload", FORMULAS)
def test_neutralise_marks_formulas_and_round_trips(payload):
    assert neutralise(payload).startswith(MARK)
    assert not neutralise(payload).startswith(FORMULA_START)
    assert unneutralise(neutralise(payload)) == payload


@pytest.mark.parametrize("text", ["plain", "'quoted", "'=already", "O'Brien", "", "1=1", "a-b", "x" + MARK])
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
    for row in rows:
        for field in TEXT_FIELDS:
            assert not row[field].startswith(FORMULA_START), row[field]
            assert row[field].startswith(MARK)
        assert row["lat"] == "-12.5" and row["lon"] == "-45.25"  # numbers are never prefixed
        assert row["troops"].isdigit()
    assert sorted(int(r["troops"]) for r in rows) == [1000 * (n + 1) for n in range(len(payloads))]


def _texts(engine) -> list[tuple]:
    with reading(engine) as s:
        frame = reports_frame(s, Filters(review_states=()))
    return sorted(map(tuple, frame[["troops", "lat", "lon", *TEXT_FIELDS]].astype(str).values))


def test_export_then_import_is_lossless(engine, tmp_path):
    payloads = [p for p in FORMULAS + TYPED if p[:1] not in "\t\r\n"]
    _store(engine, payloads)
    out = io.StringIO()
    with reading(engine) as s:
        write_csv(reports_frame(s), out)
    other = make_engine(f"sqlite:///{tmp_path / 'copy.sqlite'}")
    upgrade(other)
    with writing(other) as s:
        assert import_csv(s, out.getvalue(), today=TODAY).imported == len(payloads)
    assert _texts(other) == _texts(engine)
    other.dispose()


@pytest.mark.parametrize("channel", ["form", "csv"])
def test_typed_text_survives_export_and_import_through_the_cli_byte_for_byte(channel, engine, tmp_path, run_cli):
    """Each TYPED text in every text column, typed in the form or in a CSV file imported with the CLI;
    `garrison export` then `garrison import` into a second store give back exactly what was stored."""
    first = f"sqlite:///{tmp_path / 'garrison.sqlite'}"
    if channel == "form":
        _store(engine, TYPED)
    else:
        typed = tmp_path / "typed.csv"
        with typed.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["deployer", "host", "troops", "date", "lat", "lon", *TEXT_FIELDS])
            for n, text in enumerate(TYPED):
                writer.writerow(["USA", "DEU", 1000 * (n + 1), "2020-01-01", "-12.5", "-45.25", *[text] * 6])
        assert run_cli("import", typed, "--db", first).returncode == 0
    stored = _texts(engine)
    exported = run_cli("export", "--db", first)
    assert exported.returncode == 0
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert len(rows) == len(TYPED) and all(not row[f].startswith(FORMULA_START) for row in rows for f in TEXT_FIELDS)
    path = tmp_path / "export.csv"
    path.write_text(exported.stdout, encoding="utf-8", newline="")
    second = tmp_path / "second.sqlite"
    assert run_cli("import", path, "--db", f"sqlite:///{second}").returncode == 0
    other = make_engine(f"sqlite:///{second}")
    assert _texts(other) == stored
    other.dispose()
    by_troops = {int(r[0]): r[3] for r in stored}
    typed_back = [by_troops[1000 * (n + 1)] for n in range(len(TYPED))]
    if channel == "form":
        assert typed_back == [t.strip() for t in TYPED]  # the form keeps every byte inside the edges
    else:  # a hand-typed CSV cell: only a leading word joiner is read as export's marker
        assert typed_back == [unneutralise(t).strip() for t in TYPED]


# Arbitrary text (any code point but surrogates), often behind what a spreadsheet runs or export marks.
_START = st.sampled_from(["", "=", "+", "-", "@", "\t", "\r", "\n", "'", "'=", MARK, MARK * 2, MARK + "="])
_TEXT = st.one_of(st.text(max_size=40), st.builds(str.__add__, _START, st.text(max_size=40)), st.sampled_from(TYPED))
_URL = st.builds(str.__add__, st.just("https://example.org/"), st.text(max_size=20))
_ROW = st.fixed_dictionaries({**{f: _TEXT for f in TEXT_FIELDS}, "source_url": _URL})
_CLI = Actor("cli", True)


def _acceptable(values: dict[str, str], channel: str) -> dict[str, str]:
    """The report with the given texts that validation accepts: a text it refuses (NUL, control
    characters outside notes, too long, a bad URL) is left out, and a source name is given if needed.
    A CSV cell is validated as import reads it (one leading MARK off)."""
    raw = {"deployer": "USA", "host": "DEU", "troops": "1000", "date": "2020-01-01", "lat": "-12.5", "lon": "-66.9"}
    raw.update(values)

    def check(raw):
        return validate({k: unneutralise(v) if channel == "csv" else v for k, v in raw.items()}, today=TODAY)

    result = check(raw)
    if isinstance(result, list):
        for error in result:
            raw.pop(error.field, None)
        raw.setdefault("source_name", "a source")
    assert not isinstance(check(raw), list)
    return raw


def _frame(engine) -> list[dict]:
    with reading(engine) as s:
        frame = reports_frame(s, Filters(review_states=()))[list(CSV_COLUMNS)]
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _upload(engine, body: bytes) -> None:
    """The Submit page's path: read_upload, then one import (published: the operator's channel)."""
    with writing(engine) as s:
        result = submit_csv(s, read_upload(body), _CLI, "csv", Policy(), review_state="published", today=TODAY)
        assert result.ok and result.imported == 1, result.errors


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory) -> Path:
    """An empty store at head, copied for each example (an Alembic upgrade per example is slow)."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=_ROW, channel=st.sampled_from(["form", "csv"]))
def test_any_text_in_any_text_column_survives_export_and_import(empty_store, values, channel):
    """Text typed in the form, or in a hand-made CSV file, in every text column: export -> upload into
    a second real SQLite store gives back every stored byte; no exported text cell starts a formula and
    the numbers (a negative longitude included) stay numbers."""
    raw = _acceptable(values, channel)
    with tempfile.TemporaryDirectory() as folder:
        first, second = (shutil.copy(empty_store, Path(folder) / name) for name in ("a.sqlite", "b.sqlite"))
        engines = [make_engine(f"sqlite:///{path}") for path in (first, second)]
        try:
            if channel == "form":
                with writing(engines[0]) as s:
                    review.submit(s, raw, _CLI, "form", Policy(), today=TODAY)
            else:
                typed = io.StringIO()
                writer = csv.writer(typed, lineterminator="\r\n")
                writer.writerows([list(raw), list(raw.values())])
                _upload(engines[0], typed.getvalue().encode())
            stored = _frame(engines[0])
            out = io.StringIO()
            write_csv(pd.DataFrame(stored), out)
            header, row = csv.reader(io.StringIO(out.getvalue(), newline=""))
            cells = dict(zip(header, row, strict=True))
            assert not any(cells[f].startswith(FORMULA_START) for f in (*TEXT_FIELDS, "source_url")), cells
            assert (cells["troops"], cells["lat"], cells["lon"]) == ("1000", "-12.5", "-66.9")
            _upload(engines[1], out.getvalue().encode())
            assert _frame(engines[1]) == stored
            if channel == "form":  # the form stores what was typed, only its edges trimmed
                assert {f: stored[0][f] for f in TEXT_FIELDS if f in raw} == {
                    f: raw[f].strip() or None for f in TEXT_FIELDS if f in raw
                }
        finally:
            for engine in engines:
                engine.dispose()


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
