"""AppTest of the compare page (two dates, the change per pair) against the fixture store."""

from __future__ import annotations

import datetime as dt
import json

from streamlit.testing.v1 import AppTest

from core.store import ENV_VAR
from dashboard import compare_layers
from dashboard.text import plain
from tests.dashboard.conftest import APP

PAGE = "views/compare.py"


def deck_spec(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def changes_table(at):
    return at.dataframe[0].value


def set_dates(at, since: str, until: str):
    at.date_input(key="compare_from").set_value(dt.date.fromisoformat(since))
    at.date_input(key="compare_to").set_value(dt.date.fromisoformat(until))
    return at.run()


def test_opens_on_the_year_before_the_newest_report(app):
    at = app(PAGE)
    assert at.title[0].value == "Compare two dates"
    assert at.date_input(key="compare_to").value == dt.date(2024, 9, 15)
    assert at.date_input(key="compare_from").value == dt.date(2023, 9, 16)
    table = changes_table(at)
    niger = table[table["host_name"] == "Niger"].iloc[0]
    assert (niger["kind"], niger["troops_from"], niger["troops_to"], niger["change"]) == ("left", 950, 0, -950)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pairs that left"] == "1"
    assert any(plain(m.value) == "**Changes from 2023-09-16 to 2024-09-15**" for m in at.markdown)


def test_the_map_shades_the_static_polygons_by_net_change(app):
    at = set_dates(app(PAGE), "2018-06-01", "2020-06-01")
    spec = deck_spec(at)
    countries, borders, dots = spec["layers"]
    assert (countries["id"], borders["id"], dots["id"]) == ("countries", "borders", "changes")
    assert countries["data"] == "app/static/countries.geojson"  # polygons never travel with a rerun
    fill = countries["getFillColor"]
    assert "properties.iso3 == 'JPN'" in fill and str(compare_layers.change_colour(55000)) in fill
    assert countries["updateTriggers"]["getFillColor"]
    tips = {d["host"]: d["tooltip"] for d in dots["data"]}
    assert tips["JPN"].startswith("Japan: +55,000 troops") and "1 arrived" in tips["JPN"]
    assert tips["DJI"].startswith("Djibouti: unknown troops")
    assert json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)["text"] == "{tooltip}"


def test_moving_the_dates_recomputes_the_table(app):
    at = set_dates(app(PAGE), "2018-06-01", "2020-06-01")
    table = changes_table(at)
    kinds = dict(zip(table["host_name"], table["kind"], strict=True))
    assert kinds["Japan"] == "arrived" and kinds["Mali"] == "arrived" and kinds["Djibouti"] == "unknown"
    assert "Estonia" not in kinds  # unchanged pairs are hidden until asked for
    at.pills(key="compare_kinds").set_value(list(compare_layers.KIND_WORDS)).run()
    assert "Estonia" in set(changes_table(at)["host_name"])


def test_dates_in_the_wrong_order_say_what_to_do(app):
    at = set_dates(app(PAGE), "2024-01-01", "2019-01-01")
    assert not at.exception
    assert "swap the two dates" in at.error[0].value
    assert not at.get("deck_gl_json_chart")


def test_the_sidebar_filters_apply(app):
    at = set_dates(app(PAGE), "2018-06-01", "2020-06-01")
    at.sidebar.multiselect(key="hosts").set_value(["MLI"]).run()
    assert set(changes_table(at)["host_name"]) == {"Mali"}
    assert any(plain(m.value).endswith("where host = Mali**") for m in at.markdown)


def test_changes_can_be_downloaded(app):
    at = app(PAGE)
    keys = {b.proto.id for b in at.get("download_button")}
    assert any("download_changes_csv" in k for k in keys) and any("download_changes_xlsx" in k for k in keys)


def test_a_link_opens_the_comparison_it_names_and_the_url_follows_changes(fixture_db_url, monkeypatch):
    monkeypatch.setenv(ENV_VAR, fixture_db_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"from": "2018-06", "to": "2020-06-01", "host": "Japan", "show": "arrived"})
    at.switch_page(PAGE).run()  # the page opened first, as a followed link opens it
    assert not at.exception and not at.warning
    assert at.date_input(key="compare_from").value == dt.date(2018, 6, 30)
    assert at.sidebar.multiselect(key="hosts").value == ["JPN"]
    assert changes_table(at)["kind"].tolist() == ["arrived"]
    at.date_input(key="compare_to").set_value(dt.date(2021, 1, 1)).run()
    assert at.query_params["to"] == "2021-01-01" and at.query_params["show"] == "arrived"
    assert at.query_params["host"] == "JPN"


def test_a_bad_value_in_a_compare_link_is_named(fixture_db_url, monkeypatch):
    monkeypatch.setenv(ENV_VAR, fixture_db_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"from": "yesterday"})
    at.switch_page(PAGE).run()  # the page opened first, as a followed link opens it
    assert "from: 'yesterday' is not a date" in plain(at.warning[0].value)


def test_a_linked_date_outside_the_store_is_brought_inside_and_named(fixture_db_url, monkeypatch):
    monkeypatch.setenv(ENV_VAR, fixture_db_url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"from": "1900", "to": "2020-06-01"})
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "1900-12-31 is outside the reports' span" in at.warning[0].value
    assert at.date_input(key="compare_from").value > dt.date(1900, 12, 31)
