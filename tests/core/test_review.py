"""Review: pending submissions, editor-only actions, versions, soft delete, hostile text as typed."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from core import review
from core.filters import Filters
from core.models import Audit, Report, Scope
from core.presence import presence_as_of
from core.review import Actor, Policy
from core.store import reading, writing
from tests.conftest import TODAY

ALICE, BOB = Actor("alice", True), Actor("bob", True)
ANON = Actor.anonymous()
TWO_EDITORS = Policy(editors=frozenset({"alice", "bob"}))
FORM = {
    "deployer": "France",
    "host": "Mali",
    "troops": "1000",
    "date": "2020-01-15",
    "source_name": "Ministry",
    "source_url": "https://example.org/a",
}


def _submit(engine, actor=ANON, policy=TWO_EDITORS, **changes):
    with writing(engine) as s:
        report = review.submit(s, {**FORM, **changes}, actor, "form", policy, today=TODAY)
        return report.id, report.version, report.review_state


def _state(engine, report_id):
    with reading(engine) as s:
        r = s.get(Report, report_id)
        return r.review_state, r.version


def test_submissions_are_pending_when_editors_exist_and_published_in_single_user_mode(engine):
    _, _, state = _submit(engine)
    assert state == "pending"
    _, _, state = _submit(engine, policy=Policy(), troops="5")
    assert state == "published"


def test_pending_reports_are_invisible_until_approved(engine):
    report_id, version, _ = _submit(engine)
    with reading(engine) as s:
        assert presence_as_of(s, TODAY, Filters()).empty
    with writing(engine) as s:
        review.approve(s, report_id, BOB, version, TWO_EDITORS)
    with reading(engine) as s:
        assert presence_as_of(s, TODAY, Filters())["troops"].tolist() == [1000]


def test_queue_is_oldest_first_with_versions(engine):
    ids = [_submit(engine, troops=str(n))[0] for n in (10, 20, 30)]
    _submit(engine, policy=Policy(), troops="40")  # published: not queued
    with reading(engine) as s:
        queue = review.pending_queue(s)
        assert review.pending_count(s) == 3
    assert queue["id"].tolist() == ids
    assert queue["troops"].tolist() == [10, 20, 30]
    assert set(queue["version"]) == {1}
    assert queue["date"].tolist() == ["2020-01-15"] * 3
    assert not queue.attrs["truncated"]
    with reading(engine) as s:
        assert review.pending_queue(s, limit=2).attrs["truncated"]


@pytest.mark.parametrize(
    "action",
    [
        lambda s, i, v: review.approve(s, i, ANON, v, TWO_EDITORS),
        lambda s, i, v: review.reject(s, i, ANON, "wrong", v),
        lambda s, i, v: review.edit(s, i, ANON, {"troops": "1"}, v, today=TODAY),
        lambda s, i, v: review.delete(s, i, ANON, v),
        lambda s, i, v: review.approve(s, i, Actor("mallory", False), v, TWO_EDITORS),
    ],
    ids=["approve", "reject", "edit", "delete", "named-non-editor"],
)
def test_non_editors_get_permission_denied_and_nothing_changes(engine, action):
    report_id, version, _ = _submit(engine)
    with pytest.raises(review.PermissionDenied), writing(engine) as s:
        action(s, report_id, version)
    assert _state(engine, report_id) == ("pending", 1)


def test_self_approval_is_refused_while_another_editor_exists(engine):
    report_id, version, _ = _submit(engine, actor=ALICE)
    with pytest.raises(review.PermissionDenied, match="another editor"), writing(engine) as s:
        review.approve(s, report_id, ALICE, version, TWO_EDITORS)
    with writing(engine) as s:  # the only editor may approve their own
        review.approve(s, report_id, ALICE, version, Policy(editors=frozenset({"alice"})))
    report_id, version, _ = _submit(engine, actor=ALICE, troops="7")
    with writing(engine) as s:  # or when the policy allows it
        review.approve(s, report_id, ALICE, version, Policy(TWO_EDITORS.editors, allow_self_approval=True))
    assert _state(engine, report_id) == ("published", 2)


def test_other_approvers_is_the_one_self_approval_rule():
    """The review page disables Approve from this answer; core.review.approve refuses from it."""
    assert TWO_EDITORS.other_approvers("alice", ALICE) == {"bob"}
    assert TWO_EDITORS.other_approvers("carol", ALICE) == frozenset()
    assert TWO_EDITORS.other_approvers(None, ALICE) == frozenset()
    assert Policy(editors=frozenset({"alice"})).other_approvers("alice", ALICE) == frozenset()
    assert Policy(TWO_EDITORS.editors, allow_self_approval=True).other_approvers("alice", ALICE) == frozenset()


def test_a_save_over_a_newer_version_is_refused_with_who_and_when(engine):
    report_id, version, _ = _submit(engine)
    with writing(engine) as s:
        review.edit(s, report_id, ALICE, {"troops": "1100"}, version, today=TODAY)
    with pytest.raises(review.StaleVersion) as caught, writing(engine) as s:
        review.edit(s, report_id, BOB, {"troops": "900"}, version, today=TODAY)
    message = str(caught.value)
    assert "alice" in message and "version 2" in message and "Reload" in message
    with pytest.raises(review.StaleVersion), writing(engine) as s:
        review.approve(s, report_id, BOB, version, TWO_EDITORS)
    with reading(engine) as s:
        assert s.get(Report, report_id).troops == 1100


def test_edit_validates_bumps_the_version_and_registers_a_new_scope(engine):
    report_id, version, _ = _submit(engine, policy=Policy())
    with pytest.raises(review.InvalidReport) as caught, writing(engine) as s:
        review.edit(s, report_id, ALICE, {"troops": "lots", "source_url": "javascript:alert(1)"}, version, today=TODAY)
    assert {e.field for e in caught.value.errors} == {"troops", "source_url"}
    with writing(engine) as s:
        report = review.edit(s, report_id, ALICE, {"location": "Gao", "troops": "800"}, version, today=TODAY)
        assert report.version == 2 and report.scope_key == "|gao"
    with reading(engine) as s:
        assert ("FRA", "MLI", "|gao") in set(map(tuple, s.execute(select(Scope.deployer, Scope.host, Scope.scope_key))))
        assert presence_as_of(s, TODAY, Filters())["troops"].tolist() == [800]
    with writing(engine) as s:  # no change: no new version, no audit row
        before = s.execute(select(func.count(Audit.id))).scalar()
        assert review.edit(s, report_id, ALICE, {"troops": "800"}, 2, today=TODAY).version == 2
        assert s.execute(select(func.count(Audit.id))).scalar() == before


def test_reject_needs_a_reason_and_delete_is_soft(engine):
    report_id, version, _ = _submit(engine)
    with pytest.raises(review.InvalidTransition, match="reason"), writing(engine) as s:
        review.reject(s, report_id, BOB, "  ", version)
    with writing(engine) as s:
        review.reject(s, report_id, BOB, "no such deployment", version)
    assert _state(engine, report_id) == ("rejected", 2)
    with writing(engine) as s:
        review.delete(s, report_id, BOB, 2, reason="spam")
    assert _state(engine, report_id) == ("deleted", 3)
    with pytest.raises(review.InvalidTransition), writing(engine) as s:
        review.edit(s, report_id, BOB, {"troops": "1"}, 3, today=TODAY)
    with reading(engine) as s:
        assert s.get(Report, report_id).review_reason == "spam"


def test_review_context_shows_presence_and_conflicting_reports(engine):
    _submit(engine, policy=Policy(), troops="1000")
    _submit(engine, policy=Policy(), troops="1000", source_name="Same figure")
    report_id, _, _ = _submit(engine, troops="3000", source_name="Blog", date="2020-01-20")
    with reading(engine) as s:
        context = review.review_context(s, report_id, today=TODAY)
    assert context["report"]["troops"] == 3000 and context["report"]["review_state"] == "pending"
    assert context["presence"]["troops"].tolist() == [1000]
    assert context["conflicts"]["troops"].tolist() == [1000, 1000]
    assert context["history"]["action"].tolist() == ["create"]


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "[x](javascript:alert(1))",
    "![x](https://evil.example/x.png)",
    '=HYPERLINK("http://x")',
    "{{7*7}}",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_is_stored_exactly_as_typed(engine, payload):
    report_id, _, _ = _submit(engine, source_name=payload, notes=payload, location=payload, mission=payload)
    with reading(engine) as s:
        r = s.get(Report, report_id)
        assert (r.source_name, r.notes, r.location, r.mission) == (payload,) * 4


def test_submit_refuses_invalid_form_values_with_field_errors(engine):
    with pytest.raises(review.InvalidReport) as caught, writing(engine) as s:
        review.submit(s, {**FORM, "host": "France"}, ANON, "form", TWO_EDITORS, today=TODAY)
    assert [e.field for e in caught.value.errors] == ["host"]
    with reading(engine) as s:
        assert s.execute(select(func.count(Report.id))).scalar() == 0
        assert s.execute(select(func.count(Audit.id))).scalar() == 0


def test_dates_in_history_are_utc(engine):
    report_id, _, _ = _submit(engine)
    with reading(engine) as s:
        at = review.history(s, report_id)["at"].iloc[0]
    assert abs((dt.datetime.now(dt.UTC) - at.replace(tzinfo=dt.UTC)).total_seconds()) < 60


CSV_ROW = (
    "deployer,host,troops,date,source_name,source_url\nFrance,Mali,1000,2020-01-15,Ministry,https://example.org/a\n"
)


def _upload(engine, actor, text=CSV_ROW):
    with writing(engine) as s:
        return review.submit_csv(s, text, actor, "csv", TWO_EDITORS, today=TODAY).summary()


def test_an_anonymous_upload_matching_a_pending_report_gets_the_answer_of_a_new_row(engine):
    fresh = _upload(engine, ANON, CSV_ROW.replace("1000", "7"))  # matches nothing stored
    _submit(engine)  # pending, same pair, date, troops and source as CSV_ROW
    assert _upload(engine, ANON) == fresh == "imported 1, skipped 0 duplicates"
    # An editor sees pending reports, so for them it is a duplicate.
    assert _upload(engine, ALICE) == "imported 0, skipped 1 duplicates"


def test_a_rejected_report_does_not_block_the_same_report_again(engine):
    report_id, version, _ = _submit(engine)
    with writing(engine) as s:
        review.reject(s, report_id, BOB, "no such article", version)
    assert _upload(engine, ALICE) == "imported 1, skipped 0 duplicates"
