"""AppTest of roles and review: anonymous submissions land pending and never reach an anonymous
session; an editor logs in, works the queue (oldest first), approves, rejects, edits, deletes; a save
over a newer version shows the StaleVersion message."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core import audit, review, users
from core.models import Report
from core.review import Actor, Policy
from core.store import ENV_VAR, make_engine, reading, writing
from dashboard import auth
from dashboard.text import plain
from tests.dashboard.conftest import APP
from tests.dashboard.test_submit_page import SUBMIT, fill, valid_report

PASSWORD = "correct horse battery"
SECRET = "PENDING-zq7-Unique-Source"  # appears only in the pending report's text fields
POLICY = Policy(editors=frozenset({"alice", "bob"}))
ANONYMOUS = Actor.anonymous()


@pytest.fixture(scope="module")
def editors() -> dict[str, str]:
    digest = users.hash_password(PASSWORD)
    return {"alice": digest, "bob": digest}


@pytest.fixture
def store(fixture_db_url):
    engine = make_engine(fixture_db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def run_app(fixture_db_url, monkeypatch, editors):
    """The app in password mode (alice, bob), first run done; login(...) signs an editor in."""
    monkeypatch.setenv(ENV_VAR, fixture_db_url)

    def run(editor: str | None = None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.secrets["editors"] = editors
        at.run()
        if editor:
            at.text_input(key="auth_name").set_value(editor)
            at.text_input(key="auth_password").set_value(PASSWORD)
            at.button(key="FormSubmitter:auth_login-Log in").click().run()
            assert at.session_state["auth_editor"] == editor
        if page:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return run


def pend(store, by: Actor = ANONYMOUS, **changes) -> int:
    """A pending report (as the form stores it) for USA in Japan; returns its id."""
    raw = {
        "deployer": "USA",
        "host": "JPN",
        "troops": "52000",
        "count_kind": "exact",
        "date": "2024-03-01",
        "status": "present",
        "source_name": "Pending Gazette",
        **changes,
    }
    with writing(store) as session:
        return review.submit(session, raw, by, "form", POLICY).id


def state_of(store, report_id: int) -> tuple[str, int]:
    with reading(store) as session:
        row = session.get(Report, report_id)
        return row.review_state, row.version


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def sent(at: AppTest) -> bytes:
    """Everything the session's elements carry to a browser: every element's serialized proto
    (dataframes as Arrow bytes, the deck as JSON, markdown, widget labels and values)."""
    return b"\n".join(n.proto.SerializeToString() for n in walk(at._tree) if getattr(n, "proto", None))


# --- anonymous sessions --------------------------------------------------------------------------


def test_an_anonymous_form_submission_awaits_review_and_stays_off_the_map(run_app, store):
    at = fill(run_app(page="views/submit.py"), **valid_report(deployer="NZL", host="FJI", source_name="Anon Outlet"))
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    message = at.success[0].value
    assert message.startswith("Received report #") and "awaits review by an editor" in message
    assert not at.get("page_link")  # no "see it on the map": it is not there
    report_id = at.session_state["form_saved"]["id"]
    assert state_of(store, report_id) == ("pending", 1)
    with reading(store) as session:
        create = audit.history(session, report_id).iloc[0]
    assert (create["action"], create["actor"], create["channel"]) == ("create", "anonymous", "form")
    at.switch_page("views/map.py")
    at.query_params.update({"deployer": "NZL", "host": "FJI", "as_of": "2023-05-01"})
    at.run()
    assert at.dataframe[0].value.empty


def test_an_anonymous_csv_upload_lands_pending_with_one_audit_row(run_app, store):
    text = "deployer,host,troops,date,source_name\nNZL,FJI,10,2023-05-01,CSV Outlet\nNZL,TON,12,2023-05-01,CSV Outlet\n"
    at = run_app(page="views/submit.py")
    at.file_uploader(key="upload").set_value(("pending.csv", text.encode(), "text/csv")).run()
    at.button(key="import").click().run()
    assert not at.exception
    assert any("await review by an editor" in s.value for s in at.success)
    with reading(store) as session:
        rows = session.execute(select(Report).where(Report.source_name == "CSV Outlet")).scalars().all()
        assert {r.review_state for r in rows} == {"pending"} and len(rows) == 2
        imports = audit.audit_frame(session).query("action == 'import'")
    assert len(imports) == 1 and imports.iloc[0]["channel"] == "csv"
    assert imports.iloc[0]["changes"]["source"] == "pending.csv"


@pytest.mark.parametrize("page", ["views/map.py", "views/submit.py", "views/about.py"])
def test_anonymous_sessions_never_receive_a_pending_report(run_app, store, page):
    pending = pend(store, source_name=SECRET, location=f"{SECRET} base", notes=f"{SECRET} notes", troops="99999")
    at = run_app(page=page)
    if page == "views/map.py":
        # The pending report's pair, as of its date, the pair selected and the reports searched for it.
        at.query_params.update({"deployer": "USA", "host": "JPN", "as_of": "2024-03-01"})
        at.run()
        assert SECRET.encode() not in sent(at)
        at.text_input(key="report_search").set_value(SECRET).run()
        assert SECRET.encode() not in sent(at)
        at.session_state["pairs"] = {"selection": {"rows": [0], "columns": []}}
        at.run()
        assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart") or at.info
        assert SECRET.encode() not in sent(at) and b"99999" not in sent(at)
        assert b"Fixture DMDC" in sent(at)  # control: the published reports of the pair are there
    if page == "views/submit.py":
        # Typing the same pair, date and source: the duplicate check must not reveal the pending one.
        fill(
            at,
            **valid_report(
                deployer="USA", host="JPN", date=dt.date(2024, 3, 1), date_precision="day", source_name=SECRET, troops=1
            ),
        )
        at.button(key=SUBMIT).click().run()
        assert not at.warning  # no "same pair, date and source" prompt listing it
        assert b"99999" not in sent(at)
    assert not at.exception
    assert state_of(store, pending)[0] == "pending"


def test_a_non_editor_is_not_offered_review_or_approve(run_app, store):
    pend(store)
    at = run_app()
    # Registered for everyone (hidden from an anonymous navigation): /review asks to sign in.
    at.switch_page("views/review.py").run()
    assert [i.value for i in at.info] == [auth.SIGN_IN_PROMPT]
    assert not [b for b in at.button if (b.key or "").startswith("review_")]
    assert not at.dataframe


# --- editors -------------------------------------------------------------------------------------


def test_an_editor_approves_the_oldest_pending_report_and_it_shows_on_the_map(run_app, store):
    first = pend(store, troops="51000")
    second = pend(store, deployer="GBR", host="CYP", troops="2260", source_name="Later Gazette")
    at = run_app("alice", "views/review.py")
    queue = at.dataframe[0].value
    assert list(queue["id"]) == [first, second]  # oldest first
    assert at.subheader[0].value == f"Report #{first}: United States in Japan"
    assert "Pending Gazette" in list(at.dataframe[1].value["value"])  # the report's fields
    at.button(key=f"review_approve_{first}").click().run()
    assert not at.exception
    assert at.success[0].value == f"Report #{first} approved and published (now version 2)."
    assert state_of(store, first) == ("published", 2)
    assert list(at.dataframe[0].value["id"]) == [second]
    at.switch_page("views/map.py")
    at.query_params.update({"deployer": "USA", "host": "JPN", "as_of": "2024-03-01"})
    at.run()
    pairs = at.dataframe[0].value
    assert list(zip(pairs["host_name"], pairs["troops"], strict=True)) == [("Japan", 51000)]


def test_the_review_page_shows_presence_conflicts_and_history(run_app, store):
    report = pend(store, troops="60000", date="2020-01-01", source_name="Conflicting Outlet")
    at = run_app("bob", "views/review.py")
    frames = [d.value for d in at.dataframe]
    presence = next(f for f in frames if "last_report_date" in f.columns)
    assert list(presence["host"]) == ["JPN"]  # the pair's published presence
    conflicts = next(
        f
        for f in frames
        if "review_state" in f.columns and "source_name" in f.columns and report not in list(f.get("id", []))
    )
    assert "Fixture DMDC" in list(conflicts["source_name"])  # 55,000 in 2020 vs 60,000 pending
    history = frames[-1]
    assert list(history["action"]) == ["create"] and list(history["actor"]) == ["anonymous"]


def test_an_editor_cannot_approve_their_own_submission_while_another_editor_exists(run_app, store):
    own = pend(store, by=Actor("alice", True))
    at = run_app("alice", "views/review.py")
    assert at.button(key=f"review_approve_{own}").disabled
    at = run_app("bob", "views/review.py")
    assert not at.button(key=f"review_approve_{own}").disabled


def test_a_save_over_a_newer_version_shows_the_stale_version_message(run_app, store):
    report = pend(store)
    at = run_app("alice", "views/review.py")  # alice sees version 1
    with writing(store) as session:  # meanwhile bob edits it: version 2
        review.edit(session, report, Actor("bob", True), {"troops": "53000"}, expected_version=1)
    at.button(key=f"review_approve_{report}").click().run()
    assert not at.exception
    message = plain(at.error[0].value)
    assert f"report {report} was changed by bob" in message and "Nothing was saved" in message
    assert state_of(store, report) == ("pending", 2)
    # The page now shows version 2; approving that works.
    at.button(key=f"review_approve_{report}").click().run()
    assert state_of(store, report) == ("published", 3)


def test_rejecting_needs_a_reason_and_keeps_it(run_app, store):
    report = pend(store)
    at = run_app("alice", "views/review.py")
    reject = f"FormSubmitter:review_reject_form_{report}-Reject"
    at.button(key=reject).click().run()
    assert "a rejection needs a reason" in plain(at.error[0].value)
    assert state_of(store, report) == ("pending", 1)
    at.text_input(key=f"review_reject_{report}").set_value("[no source](javascript:alert(1))")
    at.button(key=reject).click().run()
    assert state_of(store, report) == ("rejected", 2)
    assert at.info[0].value == "No report awaits review."
    with reading(store) as session:
        assert session.get(Report, report).review_reason == "[no source](javascript:alert(1))"


def test_an_edit_saves_the_changed_fields_against_the_version_shown(run_app, store):
    report = pend(store)
    at = run_app("alice", "views/review.py")
    at.text_input(key=f"review_edit_{report}_1_troops").set_value("54321")
    at.text_input(key=f"review_edit_{report}_1_location").set_value("Yokota")
    at.button(key=f"FormSubmitter:review_edit_form_{report}-Save changes to version 1").click().run()
    assert not at.exception
    assert at.success[0].value == f"Report #{report} saved (now version 2)."
    with reading(store) as session:
        row = session.get(Report, report)
        assert (row.troops, row.location, row.review_state, row.version) == (54321, "Yokota", "pending", 2)
        edit = audit.history(session, report).iloc[-1]
    assert edit["action"] == "edit" and edit["changes"]["troops"] == [52000, 54321]


def test_an_invalid_edit_shows_the_field_errors_and_saves_nothing(run_app, store):
    report = pend(store)
    at = run_app("alice", "views/review.py")
    at.text_input(key=f"review_edit_{report}_1_host").set_value("Atlantis")
    at.button(key=f"FormSubmitter:review_edit_form_{report}-Save changes to version 1").click().run()
    assert "host" in plain(at.error[0].value)
    assert state_of(store, report) == ("pending", 1)


def test_delete_is_soft(run_app, store):
    report = pend(store)
    at = run_app("alice", "views/review.py")
    at.text_input(key=f"review_delete_{report}").set_value("spam")
    at.button(key=f"review_delete_go_{report}").click().run()
    assert state_of(store, report) == ("deleted", 2)
    with reading(store) as session:
        assert list(audit.history(session, report)["action"]) == ["create", "delete"]


def test_the_map_shows_a_selected_reports_history(run_app, store):
    report = pend(store, deployer="USA", host="DEU", troops="36000", date="2024-01-01")
    with writing(store) as session:
        review.approve(session, report, Actor("bob", True), 1, POLICY)
    at = run_app()
    at.query_params.update({"deployer": "USA", "host": "DEU", "as_of": "2024-01-01"})
    at.run()
    at.session_state["pairs"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    at.session_state["pair_reports"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert not at.exception
    expander = next(e for e in at.expander if e.label.startswith("History of report #"))
    assert expander.label == f"History of report #{report} (2 entries)"
    history = expander.dataframe[0].value
    assert list(zip(history["action"], history["actor"], strict=True)) == [("create", "anonymous"), ("approve", "bob")]
