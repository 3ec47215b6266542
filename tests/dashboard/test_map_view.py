"""AppTest of the map page's view logic: the URL in and out, Clear filters, the opening date, stepping."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from core.ingest import import_csv
from core.store import make_engine, writing
from dashboard.text import plain
from tests.dashboard.conftest import APP


def description(at) -> str:
    return next(plain(m.value) for m in at.markdown if m.value.startswith("**Presence as of"))


def opened(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    return at.run()


def test_a_link_with_country_names_sets_the_widgets_and_the_url_uses_codes(app):
    at = opened({"host": "Venezuela", "deployer": "Russian Federation", "as_of": "2019-04"})
    assert not at.exception and not at.warning
    assert description(at) == "**Presence as of 2019-04-30 where deployer = Russia and host = Venezuela**"
    assert at.sidebar.multiselect(key="hosts").value == ["VEN"]
    assert at.query_params["host"] == "VEN" and at.query_params["as_of"] == "2019-04-30"


def test_an_unknown_name_in_a_link_is_reported_and_the_rest_applies(app):
    at = opened({"host": ["Atlantis", "Mali"]})
    assert "unknown country" in at.warning[0].value and "Atlantis" in at.warning[0].value
    assert at.sidebar.multiselect(key="hosts").value == ["MLI"]


def test_the_url_follows_filters_layers_and_the_selected_pair(app):
    at = app()
    at.sidebar.multiselect(key="deployers").set_value(["USA"]).run()
    at.button_group(key="layers").set_value(["countries", "arcs"]).run()
    at.session_state["map"] = {
        "selection": {"indices": {"arcs": [0]}, "objects": {"arcs": [{"deployer": "USA", "host": "JPN"}]}}
    }
    at.run()
    params = {k: at.query_params[k] for k in at.query_params}
    assert params == {
        "as_of": "2024-09-15",
        "deployer": "USA",
        "layers": "countries,arcs",
        "pair": "USA/JPN",
    }


def test_a_linked_pair_narrows_the_tables(app):
    at = opened({"pair": "United States/Japan"})
    table = at.dataframe[0].value
    assert list(zip(table["deployer_name"], table["host_name"], strict=True)) == [("United States", "Japan")]
    at.button(key="clear_pair").click().run()
    assert len(at.dataframe[0].value) > 1 and "pair" not in at.query_params


def test_clear_filters_empties_every_filter_widget_and_the_url(app):
    at = opened({"deployer": "FRA", "host": "VEN", "source": "Interfax", "status": "present", "min_troops": "5"})
    assert "where" in description(at)
    at.sidebar.button(key="clear_filters").click().run()
    sidebar = at.sidebar
    assert sidebar.multiselect(key="deployers").value == [] and sidebar.multiselect(key="hosts").value == []
    assert sidebar.multiselect(key="statuses").value == [] and sidebar.number_input(key="min_troops").value is None
    assert sidebar.text_input(key="source_text").value == ""
    assert set(at.query_params) == {"as_of"}
    at.button_group(key="layers").set_value(["countries"]).run()  # the next, unrelated change
    assert "where" not in description(at)


def test_the_map_opens_on_the_newest_counted_report_not_an_announcement(app, fixture_db_url):
    ahead = dt.date.today() + dt.timedelta(days=30)
    engine = make_engine(fixture_db_url)
    with writing(engine) as session:
        rows = f"deployer,host,troops,date,status,source_name\nRUS,VEN,200,{ahead},announced,Own Words Weekly\n"
        assert import_csv(session, rows).ok
    engine.dispose()
    at = app()
    assert at.session_state["as_of"] == dt.date(2024, 9, 15)
    assert at.select_slider(key="as_of_slider").value == dt.date(2024, 9, 15)


@pytest.mark.parametrize(
    ("step", "button", "expected"),
    [
        ("month", "play_forward", dt.date(2019, 4, 30)),
        ("quarter", "play_forward", dt.date(2019, 6, 30)),
        ("year", "play_back", dt.date(2018, 12, 31)),
    ],
)
def test_playback_steps_by_month_quarter_or_year(app, step, button, expected):
    at = opened({"as_of": "2019-03-31"})
    at.selectbox(key="play_step").set_value(step).run()
    at.button(key=button).click().run()
    assert at.session_state["as_of"] == expected
    assert at.query_params["as_of"] == expected.isoformat()


def test_playing_steps_in_the_page_run_and_stops_at_the_last_date(app):
    # The step is taken by the page run itself (no browser timer): one step from the month before the
    # end lands on the end, today, and playback stops there.
    today = dt.date.today()
    before_end = today.replace(day=1) - dt.timedelta(days=1)
    at = opened({"as_of": before_end.isoformat()})
    at.selectbox(key="play_speed").set_value("fast").run()
    at.button(key="play_toggle").click().run()
    assert not at.exception
    assert at.session_state["as_of"] == today and not at.session_state["playing"]
    assert at.query_params["as_of"] == today.isoformat()


def test_a_bad_date_in_the_box_says_so_and_keeps_the_view(app):
    at = opened({"as_of": "2019-03-31"})
    at.text_input(key="as_of_input").set_value("2019-02-31").run()
    assert "is not a date" in at.warning[0].value
    assert at.session_state["as_of"] == dt.date(2019, 3, 31)
