"""dashboard/tables.py on the map page (AppTest, fixture store): downloads stay when a pair is selected
(issue 11, bug 4), presence downloads, readable report tables, the history chart's legend."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pandas as pd

from core.filters import Filters
from dashboard import data, tables


def download_keys(at) -> set[str]:
    return {b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")}


def select_pair(at, deployer_name: str, host_name: str):
    table = at.dataframe[0].value
    row = table.index[(table["deployer_name"] == deployer_name) & (table["host_name"] == host_name)][0]
    at.session_state["pairs"] = {"selection": {"rows": [int(row)], "columns": [], "cells": []}}
    return at.run()


REPORT_DOWNLOADS = {"download_csv", "download_geojson", "download_xlsx"}
PRESENCE_DOWNLOADS = {"download_presence_csv", "download_presence_xlsx"}


def test_selecting_a_pair_keeps_the_downloads_and_the_reports_section(app):
    at = app()
    assert REPORT_DOWNLOADS | PRESENCE_DOWNLOADS <= download_keys(at)
    at = select_pair(at, "United States", "Japan")
    assert not at.exception
    assert REPORT_DOWNLOADS | PRESENCE_DOWNLOADS <= download_keys(at)
    assert "Reports behind it" in [h.value for h in at.subheader]
    assert "United States in Japan" in [h.value for h in at.subheader]


def test_the_reports_table_shows_names_and_no_none(app):
    at = select_pair(app(), "United States", "Japan")
    reports = at.dataframe[1].value
    assert set(reports["deployer_name"]) == {"United States"} and set(reports["host_name"]) == {"Japan"}
    assert not reports.isna().any().any()  # nothing for the grid to print as "None"
    assert reports["mission"].tolist() == [""] and reports["troops_max"].tolist() == [""]
    config = json.loads(at.dataframe[1].proto.columns)
    assert config["deployer_name"]["label"] == "Deployer" and config["deployer"]["hidden"] is True


def test_readable_puts_names_beside_the_codes_and_blanks_missing_text():
    frame = pd.DataFrame(
        {"deployer": ["FRA"], "host": ["MLI"], "mission": [None], "troops": pd.array([None], dtype="Int64")}
    )
    shown = tables.readable(frame)
    assert list(shown.columns) == ["deployer_name", "deployer", "host_name", "host", "mission", "troops"]
    assert shown.iloc[0].tolist()[:5] == ["France", "FRA", "Mali", "MLI", ""]
    assert shown.iloc[0]["troops"] == ""  # the grid would print "None" for a missing number
    full = tables.readable(pd.DataFrame({"troops": pd.array([5, 7], dtype="Int64"), "lat": [1.5, None]}))
    assert full["troops"].tolist() == [5, 7] and pd.api.types.is_integer_dtype(full["troops"])
    assert full["lat"].tolist() == ["1.5", ""]
    assert tables.READABLE_CONFIG["deployer"] is None and tables.READABLE_CONFIG["host"] is None


def test_the_history_chart_legend_is_in_words_with_the_band():
    history = pd.DataFrame(
        {
            "date": [dt.date(2018, 1, 1)],
            "troops": [950],
            "troops_low": [800],
            "troops_high": [1100],
            "sources": [2],
            "status": ["present"],
            "conflict": [True],
        }
    )
    reports = pd.DataFrame(
        {
            "date": [dt.date(2018, 1, 1)] * 2,
            "troops": pd.array([800, 1100], dtype="Int64"),
            "role": ["counted", "superseded"],
            "status": ["present", "present"],
            "count_kind": ["approx", "approx"],
            "source_name": ["A", "B"],
            "location": ["", ""],
        }
    )
    spec = tables.history_chart(history, reports, dt.date(2019, 1, 1)).to_dict()
    band, line, dots = spec["layer"][:3]
    assert band["mark"]["type"] == "area" and band["mark"]["opacity"] >= 0.4
    domain = band["encoding"]["color"]["scale"]["domain"]
    assert {"low–high range", "figure (best estimate)", "counted", "superseded"} <= set(domain)
    datasets = spec["datasets"]
    assert any(row.get("band") == "low–high range" for rows in datasets.values() for row in rows)
    assert dots["encoding"]["color"]["field"] == "role"


def test_the_reports_excel_download_holds_what_the_csv_download_holds(fixture_db_url):
    args = (fixture_db_url, dt.date(2019, 7, 1), Filters(deployers=("FRA",)), None, "")
    rows = list(csv.DictReader(io.StringIO(data.export(*args, "csv").decode("utf-8"))))
    book = openpyxl.load_workbook(io.BytesIO(data.export_xlsx(*args)))
    cells = list(book["reports"].iter_rows())
    assert not [c.coordinate for row in cells for c in row if c.data_type == "f"]
    header = [c.value for c in cells[0]]
    sheet = [dict(zip(header, (c.value for c in row), strict=True)) for row in cells[1:]]
    assert len(sheet) == len(rows) == 5  # France in Mali, dated by 2019-07-01
    assert [r["troops"] for r in sheet] == [int(r["troops"]) if r["troops"] else None for r in rows]
    assert {r["deployer"] for r in sheet} == {"FRA"}


def test_changes_through_the_cache(fixture_db_url):
    frame = data.changes(fixture_db_url, (), dt.date(2013, 6, 1), dt.date(2014, 12, 1), Filters())
    assert frame[["deployer", "host", "kind", "change"]].values.tolist() == [["FRA", "MLI", "left", -4000]]
