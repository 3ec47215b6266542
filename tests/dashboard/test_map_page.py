"""AppTest of the map page against the fixture store."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from core.store import ENV_VAR
from dashboard import layers
from dashboard.text import plain
from tests.dashboard.conftest import APP
from tests.dashboard.test_layers import fill_of


def deck_spec(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def pairs_table(at):
    return at.dataframe[0].value


def description(at) -> str:
    # The page escapes the description (it quotes the typed source filter): compare the text shown.
    return next(plain(m.value) for m in at.markdown if m.value.startswith("**Presence as of"))


def test_opens_on_the_newest_report_with_metrics_and_all_layers(app):
    at = app()
    assert at.session_state["as_of"] == dt.date(2024, 9, 15)
    assert description(at) == "**Presence as of 2024-09-15**"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Newest report"] == "2024-09-15"
    assert int(metrics["Countries hosting foreign troops"]) >= 5
    spec = deck_spec(at)
    # Countries and presence are one layer: the static polygons, shaded by ISO code.
    assert [layer["id"] for layer in spec["layers"]] == ["countries", "borders", "arcs", "points"]
    assert spec["layers"][0]["data"] == "app/static/countries.geojson"
    fill = spec["layers"][0]["getFillColor"]
    base = [236, 233, 226, 255]
    assert all(fill_of(fill, code) != base for code in ("DEU", "JPN", "CYP", "DJI"))
    assert fill_of(fill, "NER") == base  # the US left Niger on 2024-09-15
    template = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)["html"]
    assert "<span class=gDEU>" in template and "<span class=gNER>" not in template
    assert spec["initialViewState"] == layers.DEFAULT_VIEW  # no country filter: the world


def test_a_deployer_filter_changes_the_table_and_the_description(app):
    at = app()
    before = pairs_table(at)
    assert set(before["deployer_name"]) > {"United States"}
    at.sidebar.multiselect(key="deployers").set_value(["USA"]).run()
    after = pairs_table(at)
    assert set(after["deployer_name"]) == {"United States"}
    assert len(after) < len(before)
    assert description(at) == "**Presence as of 2024-09-15 where deployer = United States**"
    spec = deck_spec(at)
    arcs = next(layer for layer in spec["layers"] if layer["id"] == "arcs")
    assert {a["deployer"] for a in arcs["data"]} == {"USA"}
    framed = json.loads(layers.view_of(pd.DataFrame(arcs["data"])).to_json())
    assert spec["initialViewState"] == framed  # the map zooms to the filtered pairs
    assert spec["initialViewState"] != layers.DEFAULT_VIEW


def test_moving_the_date_recomputes_presence(app):
    at = app()
    at.select_slider(key="as_of_slider").set_value(dt.date(2019, 7, 31)).run()
    assert at.session_state["as_of"] == dt.date(2019, 7, 31)
    assert at.text_input(key="as_of_input").value == "2019-07-31"
    table = pairs_table(at).set_index(["deployer_name", "host_name"])
    assert table.loc[("France", "Mali"), "troops"] == 1788
    assert table.loc[("United States", "Niger"), "troops_low"] == 800
    at.text_input(key="as_of_input").set_value("2018-02-01").run()
    assert at.select_slider(key="as_of_slider").value == dt.date(2018, 2, 1)
    table = pairs_table(at)
    assert ("France", "Mali") in set(zip(table["deployer_name"], table["host_name"], strict=True))


@pytest.mark.parametrize(
    ("key", "value", "check"),
    [
        ("regions", ["Africa"], lambda t: set(t["host_name"]) <= {"Djibouti", "Mali", "Niger"}),
        ("statuses", ["withdrawn"], lambda t: set(t["status"]) == {"withdrawn"}),
        ("min_troops", 30_000, lambda t: t["troops"].min() >= 30_000),
        ("source_text", "dmdc", lambda t: set(t["host_name"]) == {"Germany", "Japan"}),
    ],
)
def test_each_sidebar_filter_narrows_the_table(app, key, value, check):
    at = app()
    widget = (
        at.sidebar.number_input(key=key)
        if key == "min_troops"
        else (at.sidebar.text_input(key=key) if key == "source_text" else at.sidebar.multiselect(key=key))
    )
    widget.set_value(value).run()
    assert not at.exception
    table = pairs_table(at)
    assert len(table) > 0 and check(table)


def test_clicking_an_arc_narrows_the_tables_to_the_pair(app):
    at = app()
    at.session_state["map"] = {
        "selection": {"indices": {"arcs": [0]}, "objects": {"arcs": [{"deployer": "USA", "host": "JPN"}]}}
    }
    at.run()
    table = pairs_table(at)
    assert list(zip(table["deployer_name"], table["host_name"], strict=True)) == [("United States", "Japan")]
    reports = at.dataframe[1].value
    assert set(reports["host"]) == {"JPN"}


def test_clicking_a_country_keeps_pairs_where_it_is_deployer_or_host(app):
    at = app()
    at.session_state["map"] = {"selection": {"objects": {"countries": [{"properties": {"iso3": "GBR"}}]}}}
    at.run()
    assert set(pairs_table(at)["deployer_name"]) == {"United Kingdom"}  # GBR deploys
    at.session_state["map"] = {"selection": {"objects": {"countries": [{"properties": {"iso3": "VEN"}}]}}}
    at.run()
    table = pairs_table(at)
    assert set(zip(table["deployer_name"], table["host_name"], strict=True)) == {("Russia", "Venezuela")}  # hosts


def test_selecting_a_pair_shows_its_history_and_reports(app):
    at = app()
    at.session_state["as_of"] = dt.date(2019, 7, 1)
    at.run()
    table = pairs_table(at)
    row = table.index[(table["deployer_name"] == "United States") & (table["host_name"] == "Niger")][0]
    at.session_state["pairs"] = {"selection": {"rows": [int(row)], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert any(s.value == "United States in Niger" for s in at.subheader)
    assert at.get("vega_lite_chart")
    behind = at.dataframe[1].value
    assert set(behind["source_name"]) == {"Fixture Outlet A", "Fixture Outlet B"}
    assert (behind["role"] == "counted").all()
    assert behind["conflict"].all()  # 800 and 1,100 on the same day
    assert "counted" not in behind  # the role column says it


def test_reports_table_links_only_http_urls_and_searches(app):
    at = app()
    reports = at.dataframe[1].value
    assert all(re.match(r"^https?://", u) for u in reports["source_url"] if u)  # missing ones are empty cells
    at.text_input(key="report_search").set_value("interfax").run()
    assert set(at.dataframe[1].value["source_name"]) == {"Interfax"}
    assert at.get("download_button")


def test_pair_search_filters_the_presence_table(app):
    at = app()
    at.text_input(key="pair_search").set_value("japan").run()
    assert list(pairs_table(at)["host_name"]) == ["Japan"]


def test_an_uninitialised_store_gets_a_schema_and_an_empty_state(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, f"sqlite:///{tmp_path / 'new.sqlite'}")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "no reports yet" in at.info[0].value
    spec = deck_spec(at)
    assert [layer["id"] for layer in spec["layers"]] == ["countries", "borders"]


def test_a_map_link_sets_pair_and_date(app, fixture_db_url):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"deployer": "RUS", "host": "VEN", "as_of": "2019-04-01"})
    at.run()
    assert not at.exception
    assert description(at) == "**Presence as of 2019-04-01 where deployer = Russia and host = Venezuela**"


def test_filters_that_match_nothing_show_an_empty_map_not_an_error(app):
    at = app()
    at.sidebar.text_input(key="source_text").set_value("no such source anywhere").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Newest report"] == "—"
    assert pairs_table(at).empty
    assert deck_spec(at)["layers"][0]["getFillColor"] == [236, 233, 226, 255]  # nothing shaded


def test_layers_can_be_switched_off(app):
    at = app()
    at.button_group(key="layers").set_value(["countries", "points"]).run()
    assert [layer["id"] for layer in deck_spec(at)["layers"]] == ["countries", "borders", "points"]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("javascript:alert(1)", None),
        (" JaVaScRiPt:alert(1)", None),
        ("data:text/html,x", None),
        (None, None),
    ],
)
def test_only_http_links_become_link_cells(url, shown):
    """Defence in depth: validation refuses other schemes, and a row stored past it still shows no link."""
    from dashboard import tables

    assert tables.safe_url(url) == shown


def test_the_page_first_has_the_browser_fetch_the_deck_bundle(app):
    # The bundle of deck.gl (~3 MB) is fetched while the page's queries run, not after them.
    first = app().get("html")[0].proto.body
    name = re.search(r"href: './static/js/(DeckGlJsonChart\.[\w-]+\.js)'", first).group(1)
    assert (Path(streamlit.__file__).parent / "static" / "static" / "js" / name).is_file()
    assert "modulepreload" in first and "display:none" in first  # its own element takes no room
