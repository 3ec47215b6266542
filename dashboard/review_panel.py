"""One pending report under review: beside it the pair's presence, conflicting reports and its history;
the editor's actions (approve, reject with a reason, edit, delete) against the version shown.

Owns the session-state keys that start with "review_". Every action passes the version this page
showed (bound when the buttons were drawn): a save over a newer version is refused by core.review.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from core import countries
from core.cells import missing
from core.domain import COUNT_KINDS, CSV_COLUMNS, PRECISIONS, STATUSES
from core.review import Actor, ReviewError
from dashboard import auth, data
from dashboard.text import md

CHOICES = {"count_kind": COUNT_KINDS, "date_precision": PRECISIONS, "status": STATUSES}
LONG_TEXT = ("notes",)


def _text(value) -> str:
    return "" if missing(value) else str(value)


def _done(message: str) -> None:
    state = st.session_state
    state["review_notice"] = message
    state.pop("review_error", None)
    # A new key for the queue table: its selection must not point at another report after a change.
    state["review_round"] = state.get("review_round", 0) + 1


def _act(action: str, report_id: int, version: int, **kwargs) -> None:
    state = st.session_state
    actor = auth.actor()
    if action == "reject":
        kwargs["reason"] = state.get(f"review_reject_{report_id}", "")
    if action == "delete":
        kwargs["reason"] = state.get(f"review_delete_{report_id}", "") or None
    if action == "approve":
        kwargs["policy"] = auth.policy()
    try:
        row = data.review_action(action, report_id, actor, version, **kwargs)
    except ReviewError as exc:
        state["review_error"] = str(exc)
        state.pop("review_notice", None)
        return
    verb = {"approve": "approved and published", "reject": "rejected", "delete": "deleted", "edit": "saved"}[action]
    _done(f"Report #{report_id} {verb} (now version {row['version']}).")


def _edit(report_id: int, version: int, original: dict[str, str]) -> None:
    state = st.session_state
    changes = {}
    for field in CSV_COLUMNS:
        typed = _text(state.get(f"review_edit_{report_id}_{version}_{field}"))
        if typed.strip() != original[field]:
            changes[field] = typed.strip() or None
    if not changes:
        state["review_error"] = "Nothing changed: edit a field before saving."
        return
    _act("edit", report_id, version, changes=changes)


def messages() -> None:
    """The outcome of the last action (shown above the queue)."""
    state = st.session_state
    if state.get("review_notice"):
        st.success(state["review_notice"])
    if state.get("review_error"):
        # Messages may quote editor names and reasons: escaped, so they show as text.
        st.error(md(state["review_error"]), icon=":material/error:")


def queue_table(queue: pd.DataFrame) -> int:
    """The pending queue (oldest first); returns the id of the selected report (the oldest by default)."""
    key = f"review_queue_{st.session_state.get('review_round', 0)}"
    shown = queue.assign(deployer=queue["deployer"].map(countries.name_of), host=queue["host"].map(countries.name_of))
    event = st.dataframe(
        shown, key=key, on_select="rerun", selection_mode="single-row", hide_index=True, width="stretch"
    )
    rows = event["selection"]["rows"] if event else []
    index = rows[0] if rows and rows[0] < len(queue) else 0
    return int(queue.iloc[index]["id"])


def _fields(report: dict) -> pd.DataFrame:
    return pd.DataFrame({"field": list(CSV_COLUMNS), "value": [_text(report[c]) for c in CSV_COLUMNS]})


def _history(history: pd.DataFrame) -> pd.DataFrame:
    return history.assign(changes=history["changes"].map(lambda c: json.dumps(c, ensure_ascii=False)))


def show(actor: Actor, report_id: int) -> None:
    context = data.review_context(report_id)
    report, version = context["report"], context["report"]["version"]
    name = countries.name_of
    st.subheader(f"Report #{report_id}: {name(report['deployer'])} in {name(report['host'])}")
    st.caption(f"Version {version} · {report['review_state']} · submitted by {md(report['submitted_by'] or '?')}")
    left, right = st.columns(2)
    with left:
        st.dataframe(_fields(report), hide_index=True, width="stretch", key=f"review_fields_{report_id}")
    with right:
        st.markdown("**Current presence of the pair** (published reports, as of today)")
        if context["presence"].empty:
            st.caption("No published presence for this pair yet.")
        else:
            st.dataframe(context["presence"], hide_index=True)
        st.markdown("**Possible conflicts** (same pair and scope, within a month, different figure)")
        if context["conflicts"].empty:
            st.caption("None.")
        else:
            st.dataframe(context["conflicts"], hide_index=True)
    with st.expander(f"History ({len(context['history'])} entries)"):
        st.dataframe(_history(context["history"]), hide_index=True, width="stretch")

    own = bool(auth.policy().other_approvers(report["submitted_by"], actor))
    approve, delete = st.columns(2)
    approve.button(
        "Approve",
        key=f"review_approve_{report_id}",
        type="primary",
        on_click=_act,
        args=("approve", report_id, version),
        disabled=own,
        help="You submitted this report: another editor must approve it." if own else None,
    )
    with delete.popover("Delete"):
        st.text_input("Reason (optional)", key=f"review_delete_{report_id}")
        st.button(
            "Delete (soft: the row and its history stay)",
            key=f"review_delete_go_{report_id}",
            on_click=_act,
            args=("delete", report_id, version),
        )
    with st.form(f"review_reject_form_{report_id}", border=True):
        st.text_input(
            "Reason for rejecting (required; the submitter and other editors see it)", key=f"review_reject_{report_id}"
        )
        st.form_submit_button("Reject", on_click=_act, args=("reject", report_id, version))
    original = {field: _text(report[field]) for field in CSV_COLUMNS}
    with st.expander("Edit"), st.form(f"review_edit_form_{report_id}", border=False):
        columns = st.columns(2)
        for i, field in enumerate(CSV_COLUMNS):
            key = f"review_edit_{report_id}_{version}_{field}"
            with columns[i % 2]:
                if field in CHOICES:
                    options = list(CHOICES[field])
                    st.selectbox(
                        field,
                        options,
                        index=options.index(original[field]) if original[field] in options else 0,
                        key=key,
                    )
                elif field in LONG_TEXT:
                    st.text_area(field, value=original[field], key=key)
                else:
                    st.text_input(field, value=original[field], key=key)
        st.form_submit_button(f"Save changes to version {version}", on_click=_edit, args=(report_id, version, original))
