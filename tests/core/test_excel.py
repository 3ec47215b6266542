"""Exports of what is computed (core/excel.py): presence, changes and reports as Excel and CSV that
open with no formula in them and numbers kept numbers; GeoJSON points that say where they come from."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from core import changes, excel, presence, review
from core.export import reports_frame, to_geojson, unneutralise
from core.review import Actor, Policy
from core.store import reading, writing
from tests.conftest import TODAY

AS_OF = dt.date(2020, 6, 1)
# Text a spreadsheet would run, written by this test into a report's text fields.
PAYLOADS = ["=1+2", '=HYPERLINK("http://example.invalid","see")', "+SUM(A1:A2)", "-3+4", "@SUM(A1)"]
TEXT_FIELDS = ("mission", "location", "source_name", "notes")


def _sheets(data: bytes) -> dict[str, list[list[openpyxl.cell.Cell]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows()] for sheet in book}


def _no_formulas(data: bytes) -> list:
    cells = [c for rows in _sheets(data).values() for row in rows for c in row]
    assert cells, "the workbook is empty"
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return cells


def _by_header(rows: list[list]) -> list[dict]:
    header = [c.value for c in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_presence_as_excel_has_numbers_dates_and_names(fixture_engine):
    with reading(fixture_engine) as s:
        pairs = presence.presence_as_of(s, AS_OF)
    data = excel.write_xlsx({"presence": excel.presence_export(pairs)})
    _no_formulas(data)
    rows = _by_header(_sheets(data)["presence"])
    assert len(rows) == len(pairs)
    niger = next(r for r in rows if r["host"].value == "NER")
    assert (niger["deployer_name"].value, niger["host_name"].value) == ("United States", "Niger")
    for column, expected in (("troops", 950), ("troops_low", 800), ("troops_high", 1100), ("sources", 2)):
        assert niger[column].value == expected and niger[column].data_type == "n"
    assert niger["conflict"].value is True and niger["conflict"].data_type == "b"
    assert niger["last_report_date"].value == dt.datetime(2018, 1, 1)
    assert niger["last_report_date"].is_date
    assert niger["source_names"].value == "Fixture Outlet A; Fixture Outlet B"
    assert [c.value for c in _sheets(data)["presence"][0]] == excel.PRESENCE_EXPORT


def test_a_missing_number_is_an_empty_cell_not_none_text(fixture_engine):
    with reading(fixture_engine) as s:
        pairs = presence.presence_as_of(s, dt.date(2018, 6, 1))
    rows = _by_header(_sheets(excel.write_xlsx({"presence": excel.presence_export(pairs)}))["presence"])
    djibouti = next(r for r in rows if r["host"].value == "DJI")  # the 2017 report gives no number
    assert djibouti["troops"].value is None
    assert all(c.value != "None" for r in rows for c in r.values())


def _hostile_store(engine):
    with writing(engine) as s:
        for n, payload in enumerate(PAYLOADS):
            values = {
                "deployer": "USA",
                "host": "DEU",
                "troops": str((n + 1) * 1000),
                "date": f"2020-01-0{n + 1}",
                "lat": "-12.5",
                "lon": "-45.25",
                "source_url": "https://example.org/x",
                **{f: payload for f in TEXT_FIELDS},
            }
            review.submit(s, values, Actor("cli", True), "cli", Policy(), today=TODAY)


def test_reports_as_excel_are_formula_safe_and_keep_the_text(engine):
    _hostile_store(engine)
    with reading(engine) as s:
        frame = reports_frame(s)
    data = excel.write_xlsx({"reports": frame[excel.REPORT_EXPORT]})
    _no_formulas(data)
    rows = _by_header(_sheets(data)["reports"])
    assert len(rows) == len(PAYLOADS)
    seen = set()
    for row in rows:
        for field in TEXT_FIELDS:
            cell = row[field]
            assert cell.data_type == "s" and not cell.value.startswith(tuple("=+-@"))
            seen.add(unneutralise(cell.value))  # the text itself survives, only made inert
        assert (row["lat"].value, row["lon"].value) == (-12.5, -45.25)  # a negative number stays a number
        assert row["troops"].data_type == "n" and row["id"].data_type == "n"
    assert seen == set(PAYLOADS)


def test_changes_and_presence_as_csv_neutralise_text_but_not_negative_numbers(fixture_engine):
    with reading(fixture_engine) as s:
        frame = changes.changes_between(s, dt.date(2019, 1, 1), dt.date(2024, 12, 31))
    hostile = frame.assign(host_name=frame["host_name"].where(frame["host"] != "NER", "=Niger"))
    out = io.StringIO()
    assert excel.write_table_csv(hostile, out) == len(frame)
    niger = next(r for r in csv.DictReader(io.StringIO(out.getvalue())) if r["host"] == "NER")
    assert niger["change"] == "-950"  # numeric column: untouched
    assert niger["host_name"] != "=Niger" and unneutralise(niger["host_name"]) == "=Niger"
    assert niger["last_report_to"] == "2024-09-15"


def test_changes_as_excel(fixture_engine):
    with reading(fixture_engine) as s:
        frame = changes.changes_between(s, dt.date(2019, 1, 1), dt.date(2024, 12, 31))
    data = excel.write_xlsx({"changes": frame, "hosts": changes.host_changes(frame)})
    _no_formulas(data)
    sheets = _sheets(data)
    niger = next(r for r in _by_header(sheets["changes"]) if r["host"].value == "NER")
    assert (niger["change"].value, niger["change"].data_type, niger["kind"].value) == (-950, "n", "left")
    assert set(sheets) == {"changes", "hosts"}


def test_control_characters_do_not_break_the_workbook():
    frame = pd.DataFrame({"notes": ["bell\x07here", "=x"], "troops": pd.array([1, None], dtype="Int64")})
    rows = _by_header(_sheets(excel.write_xlsx({"t": frame}))["t"])
    assert rows[0]["notes"].value == "bell\ufffdhere"
    assert rows[1]["troops"].value is None


def test_more_rows_than_a_sheet_holds_are_refused_with_a_way_out():
    frame = pd.DataFrame({"n": range(excel.MAX_ROWS)})  # with the header: one row too many
    with pytest.raises(excel.TooLargeForExcel, match="download CSV"):
        excel.write_xlsx({"big": frame})


def test_geojson_points_say_when_they_are_the_hosts_drawing_point(fixture_engine):
    with reading(fixture_engine) as s:
        frame = reports_frame(s)
    features = to_geojson(frame)["features"]
    caracas = [f for f in features if f["properties"]["location"] == "Caracas"]
    assert caracas and all(f["properties"]["located"] is True for f in caracas)
    assert all(f["properties"]["position"] == "reported" for f in caracas)
    assert caracas[0]["geometry"]["coordinates"] == [-66.9036, 10.4806]
    japan = [f for f in features if f["properties"]["host"] == "JPN"]
    assert japan and all(f["properties"]["located"] is False for f in japan)
    assert all(f["properties"]["position"] == "host drawing point" for f in japan)
