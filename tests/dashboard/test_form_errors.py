"""AppTest of the report form's errors: core's validation messages reach the page, every one of them."""

from __future__ import annotations

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1.element_tree import Selectbox

from tests.dashboard.conftest import count_reports
from tests.dashboard.test_submit_page import PAGE, SUBMIT, valid_report
from tests.dashboard.test_submit_page import fill as fill_widgets


class TypedSelectbox(Selectbox):
    """A selectbox that sends typed text, as the browser does for a value that is not an option
    (accept_new_options); AppTest's own Selectbox only sends listed options."""

    typed = ""

    @property
    def _widget_state(self) -> WidgetState:
        return WidgetState(id=self.id, string_value=self.typed)


def fill(at, deployer: str, **values):
    """The form filled, the deployer typed as free text."""
    widget = at.selectbox(key="f_deployer")
    widget.__class__ = TypedSelectbox
    widget.typed = deployer
    return fill_widgets(at, **values)


def errors_shown(at) -> list[str]:
    return [e.value for e in at.error]


def test_negative_troops_are_refused_with_the_allowed_range(app, fixture_db_url):
    before = count_reports(fixture_db_url)
    at = fill(app(PAGE), **valid_report(troops=-5))
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    assert any(e.startswith("troops: must be between 0 and") for e in errors_shown(at))
    assert count_reports(fixture_db_url) == before


def test_an_unknown_deployer_is_named_with_the_closest_country(app):
    at = fill(app(PAGE), **valid_report(deployer="Atlantis"))
    at.button(key=SUBMIT).click().run()
    messages = errors_shown(at)
    beside = [e for e in messages if e.startswith("deployer: ")]
    assert beside and "unknown country" in beside[0] and "Atlantis" in beside[0] and "did you mean" in beside[0]
    assert not any("required" in e for e in beside)


def test_a_typed_country_name_resolves_like_the_csv_path(app):
    at = fill(app(PAGE), **valid_report(deployer="Russian Federation"))
    at.button(key=SUBMIT).click().run()
    assert not at.error, errors_shown(at)
    assert at.session_state["form_saved"]["deployer"] == "RUS"


def test_several_bad_fields_are_all_listed(app):
    at = fill(app(PAGE), **valid_report(deployer="Atlantis", troops=-5, source_name="", lat=95.0, lon=0.0))
    at.button(key=SUBMIT).click().run()
    summary = next(e for e in errors_shown(at) if e.startswith("Nothing was saved"))
    for field in ("deployer", "troops", "source name", "lat"):
        assert f"- {field}: " in summary, summary
