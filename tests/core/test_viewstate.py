"""core.viewstate: a map view to URL parameters and back, and the dates playback steps to."""

from __future__ import annotations

import datetime as dt

import pytest

from core.changes import KINDS
from core.filters import Filters
from core.viewstate import CompareView, ViewState, month_ends, parse_as_of, step_date

LAYERS = ("countries", "presence", "arcs", "points")
D = dt.date


@pytest.mark.parametrize(
    ("params", "view"),
    [
        ({}, ViewState()),
        ({"as_of": ["2019-04-01"]}, ViewState(as_of=D(2019, 4, 1))),
        ({"as_of": ["2019-04"]}, ViewState(as_of=D(2019, 4, 30))),
        ({"as_of": ["2020"]}, ViewState(as_of=D(2020, 12, 31))),
        ({"host": ["VEN"]}, ViewState(filters=Filters(hosts=("VEN",)))),
        ({"host": ["Venezuela"]}, ViewState(filters=Filters(hosts=("VEN",)))),
        ({"host": ["venezuela", "VEN", "Mali"]}, ViewState(filters=Filters(hosts=("VEN", "MLI")))),
        ({"deployer": ["Russian Federation"]}, ViewState(filters=Filters(deployers=("RUS",)))),
        (
            {"region": ["africa"], "status": ["Present"]},
            ViewState(filters=Filters(regions=("Africa",), statuses=("present",))),
        ),
        (
            {"min_troops": ["500"], "source": [" Interfax "]},
            ViewState(filters=Filters(min_troops=500, source_text="Interfax")),
        ),
        ({"pair": ["USA/JPN"]}, ViewState(pair=("USA", "JPN"))),
        ({"pair": ["United States/Japan"]}, ViewState(pair=("USA", "JPN"))),
        ({"layers": ["countries,arcs"]}, ViewState(layers=("countries", "arcs"))),
        ({"layers": ["none"]}, ViewState(layers=())),
        ({"utm_source": ["x"], "embed": ["true"]}, ViewState()),  # not ours: ignored, not a problem
    ],
)
def test_parameters_give_the_view(params, view):
    assert ViewState.from_params(params, LAYERS) == (view, [])


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"host": ["Atlantis"]}, "host: unknown country 'Atlantis'"),
        ({"deployer": ["Frnace"]}, "did you mean France"),
        ({"as_of": ["2019-13-01"]}, "as_of: '2019-13-01' is not a date"),
        ({"min_troops": ["lots"]}, "min_troops: 'lots' is not a whole number"),
        ({"status": ["gone"]}, "status: 'gone' is not one of present, announced, withdrawn"),
        ({"region": ["Atlantis"]}, "region: 'Atlantis' is not one of"),
        ({"pair": ["USA"]}, "pair: 'USA' is not deployer/host"),
        ({"pair": ["USA/Atlantis"]}, "pair: unknown country 'Atlantis'"),
        ({"layers": ["arcs,heatmap"]}, "layers: 'heatmap' is not one of"),
    ],
)
def test_a_bad_value_is_reported_not_dropped(params, problem):
    view, problems = ViewState.from_params(params, LAYERS)
    assert len(problems) == 1 and problem in problems[0], problems


def test_the_good_parts_of_a_partly_bad_link_still_apply():
    view, problems = ViewState.from_params({"host": ["Atlantis", "Mali"], "as_of": ["2019-03-31"]}, LAYERS)
    assert view.filters.hosts == ("MLI",) and view.as_of == D(2019, 3, 31) and len(problems) == 1


@pytest.mark.parametrize(
    "view",
    [
        ViewState(),
        ViewState(as_of=D(2019, 3, 31), filters=Filters(deployers=("FRA", "RUS"), hosts=("VEN",))),
        ViewState(filters=Filters(regions=("Western Asia",), statuses=("announced", "withdrawn"), min_troops=1)),
        ViewState(filters=Filters(source_text='un.org & "Interfax"/x')),
        ViewState(pair=("USA", "DEU"), layers=("arcs",)),
        ViewState(layers=()),
    ],
)
def test_to_params_round_trips(view):
    params = {k: v if isinstance(v, list) else [v] for k, v in view.to_params().items()}
    assert ViewState.from_params(params, LAYERS) == (view, [])


def test_to_params_leaves_defaults_out_and_uses_codes():
    view = ViewState(as_of=D(2019, 3, 31), filters=Filters(hosts=("VEN",)), pair=("RUS", "VEN"))
    assert view.to_params() == {"as_of": "2019-03-31", "host": ["VEN"], "pair": "RUS/VEN"}
    assert ViewState().to_params() == {}


@pytest.mark.parametrize("text", ["", "yesterday", "2019-02-30", "19-03-01", "2019-3"])
def test_parse_as_of_refuses_what_is_not_a_date(text):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_as_of(text)


@pytest.mark.parametrize(
    ("date", "step", "forward", "expected"),
    [
        (D(2024, 9, 15), "month", True, D(2024, 9, 30)),
        (D(2024, 9, 30), "month", True, D(2024, 10, 31)),
        (D(2024, 1, 31), "month", True, D(2024, 2, 29)),
        (D(2024, 12, 31), "month", True, D(2025, 1, 31)),
        (D(2024, 9, 15), "month", False, D(2024, 8, 31)),
        (D(2024, 1, 31), "month", False, D(2023, 12, 31)),
        (D(2024, 2, 1), "quarter", True, D(2024, 3, 31)),
        (D(2024, 3, 31), "quarter", True, D(2024, 6, 30)),
        (D(2024, 11, 1), "quarter", True, D(2024, 12, 31)),
        (D(2024, 5, 5), "quarter", False, D(2024, 3, 31)),
        (D(2024, 5, 5), "year", True, D(2024, 12, 31)),
        (D(2024, 12, 31), "year", True, D(2025, 12, 31)),
        (D(2024, 5, 5), "year", False, D(2023, 12, 31)),
    ],
)
def test_step_date_lands_on_period_ends(date, step, forward, expected):
    assert step_date(date, step, forward) == expected


def test_month_ends_are_the_slider_stops():
    assert month_ends(D(2019, 1, 15), D(2019, 4, 10)) == [
        D(2019, 1, 31),
        D(2019, 2, 28),
        D(2019, 3, 31),
        D(2019, 4, 10),
    ]
    stops = month_ends(D(1999, 1, 1), D(2025, 6, 30))
    assert len(stops) == 26 * 12 + 6  # 26 years in 318 stops, not 9,678 days


@pytest.mark.parametrize(
    "params, view",
    [
        ({}, CompareView()),
        (
            {"from": ["2018-06"], "to": ["2020"], "host": ["Japan"], "show": ["arrived,left"]},
            CompareView(D(2018, 6, 30), D(2020, 12, 31), Filters(hosts=("JPN",)), ("arrived", "left")),
        ),
        ({"show": ["none"], "deployer": ["United States"]}, CompareView(filters=Filters(deployers=("USA",)), kinds=())),
        (
            {"show": ["Grew", "shrank"], "min_troops": ["100"]},
            CompareView(filters=Filters(min_troops=100), kinds=("grew", "shrank")),
        ),
    ],
)
def test_compare_parameters_give_the_view(params, view):
    assert CompareView.from_params(params, KINDS) == (view, [])


@pytest.mark.parametrize(
    "params, problem",
    [
        ({"from": ["last year"]}, "from: 'last year' is not a date"),
        ({"to": ["2019-02-30"]}, "to: '2019-02-30' is not a date"),
        ({"show": ["arrived,vanished"]}, "show: 'vanished' is not one of arrived"),
        ({"host": ["Atlantis"]}, "host: unknown country"),
    ],
)
def test_a_bad_compare_value_is_reported_not_dropped(params, problem):
    _, problems = CompareView.from_params(params, KINDS)
    assert len(problems) == 1 and problem in problems[0], problems


@pytest.mark.parametrize(
    "view",
    [
        CompareView(),
        CompareView(D(2019, 1, 1), D(2020, 1, 1), Filters(hosts=("MLI", "NER"), source_text="un.org"), ("left",)),
        CompareView(kinds=()),
    ],
)
def test_compare_to_params_round_trips(view):
    params = {k: v if isinstance(v, list) else [v] for k, v in view.to_params().items()}
    assert CompareView.from_params(params, KINDS) == (view, [])
