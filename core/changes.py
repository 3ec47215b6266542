"""What changed between two dates: presence per pair at each date, the change, and its kind.

Both dates are evaluated by the one presence rule (core/rule.py, through core.presence) on the same
reports, so each side of a comparison is exactly what the map shows as of that date.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.orm import Session

from core import asof, countries, rule
from core.filters import Filters

CHANGE_COLUMNS = [
    "deployer",
    "host",
    "deployer_name",
    "host_name",
    "status_from",
    "status_to",
    "troops_from",
    "troops_to",
    "change",
    "kind",
    "sources_from",
    "sources_to",
    "last_report_from",
    "last_report_to",
]
# The kinds, in the order tables list them. "unknown": present at both dates, but a source gives no
# number at one of them, so whether the presence grew or shrank cannot be said.
KINDS = ("arrived", "left", "grew", "shrank", "unchanged", "unknown")
# A pair the rule does not list at a date (no report dated by then) has this status there.
NOT_LISTED = "none"
HOST_CHANGE_COLUMNS = ["host", "host_name", "change", "arrived", "left", "grew", "shrank", "unchanged", "unknown"]


class DateOrderError(ValueError):
    """The first date of a comparison is after the second."""


def changes_between(
    session: Session, date_from: dt.date, date_to: dt.date, filters: Filters | None = None
) -> pd.DataFrame:
    """Per (deployer, host) pair present at either date: troops at each date, the change, its kind.

    Columns: deployer, host (ISO alpha-3), deployer_name, host_name, status_from, status_to (present |
    withdrawn | announced | none: no report dated by then), troops_from, troops_to (best estimate when
    present, 0 when not present, <NA> when present with no number), change (troops_to - troops_from,
    <NA> when a number is missing), kind (arrived: present only at the second date; left: only at the
    first; grew / shrank / unchanged: present at both; unknown: present at both with a number missing),
    sources_from, sources_to, last_report_from, last_report_to (newest report the figure rests on).
    Sorted by the size of the change, largest first; pairs present at neither date are left out.
    The filters' min_troops keeps pairs with at least that many at either date; their statuses do
    not apply (a comparison is about presence at each date).
    Raises DateOrderError when date_from is after date_to.
    """
    if date_from > date_to:
        raise DateOrderError(f"the first date ({date_from.isoformat()}) is after the second ({date_to.isoformat()})")
    filters = filters or Filters()
    # One read of the reports, two evaluations of the rule: both sides see the same reports.
    _, rows = asof.rows_for(session, filters)
    frame = changes_of(*(rule.evaluate(rows, day).pairs for day in (date_from, date_to)))
    if filters.min_troops:
        # Per pair, not per date: a pair going from 1,200 to 900 under "at least 1,000" shrank, it did not leave.
        larger = frame[["troops_from", "troops_to"]].max(axis=1).astype("Float64").fillna(-1)
        frame = frame[larger >= filters.min_troops].reset_index(drop=True)
    return frame


def _side(pairs: pd.DataFrame, suffix: str) -> pd.DataFrame:
    frame = pairs[["deployer", "host", "status", "troops", "sources", "last_report_date"]]
    return frame.rename(
        columns={
            "status": f"status_{suffix}",
            "troops": f"troops_{suffix}",
            "sources": f"sources_{suffix}",
            "last_report_date": f"last_report_{suffix}",
        }
    )


def changes_of(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The CHANGE_COLUMNS from two presence frames (core.presence.presence_as_of at each date)."""
    merged = _side(before, "from").merge(_side(after, "to"), on=["deployer", "host"], how="outer")
    present = {}
    for side in ("from", "to"):
        status = merged[f"status_{side}"].astype(object).where(merged[f"status_{side}"].notna(), NOT_LISTED)
        merged[f"status_{side}"] = status
        present[side] = (status == "present").to_numpy()
        troops = pd.array(merged[f"troops_{side}"], dtype="Int64")
        # Not present means no troops there by the rule; present with no number stays unknown.
        merged[f"troops_{side}"] = pd.array(
            [t if p else 0 for t, p in zip(troops, present[side], strict=True)], dtype="Int64"
        )
        merged[f"sources_{side}"] = pd.array(merged[f"sources_{side}"], dtype="Int64").fillna(0)
        last = merged[f"last_report_{side}"].astype(object)
        merged[f"last_report_{side}"] = last.where(last.notna(), None)
    merged = merged[present["from"] | present["to"]].reset_index(drop=True)
    was = (merged["status_from"] == "present").to_numpy()
    now = (merged["status_to"] == "present").to_numpy()
    change = merged["troops_to"] - merged["troops_from"]
    merged["change"] = change
    kind = pd.Series("unknown", index=merged.index, dtype=object)
    both = was & now
    known = change.notna().to_numpy(dtype=bool, na_value=False)
    kind[now & ~was] = "arrived"
    kind[was & ~now] = "left"
    kind[both & known & (change.fillna(0) > 0).to_numpy()] = "grew"
    kind[both & known & (change.fillna(0) < 0).to_numpy()] = "shrank"
    kind[both & known & (change.fillna(1) == 0).to_numpy()] = "unchanged"
    merged["kind"] = kind
    merged["deployer_name"] = merged["deployer"].map(countries.name_of)
    merged["host_name"] = merged["host"].map(countries.name_of)
    size = change.abs().astype("Float64").fillna(-1.0)
    merged = merged.assign(_size=size).sort_values(["_size", "deployer", "host"], ascending=[False, True, True])
    return merged[CHANGE_COLUMNS].reset_index(drop=True)


def host_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """Net change per host from a changes_between frame (for a map shaded by change).

    Columns: host, host_name, change (sum of the known changes of its pairs; <NA> when none is
    known), then one count column per kind (arrived, left, grew, shrank, unchanged, unknown).
    Sorted by the size of the net change, largest first.
    """
    if changes.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in HOST_CHANGE_COLUMNS})
    by_host = changes.groupby("host")
    frame = by_host["change"].sum(min_count=1).to_frame()
    counts = pd.crosstab(changes["host"], changes["kind"]).reindex(columns=list(KINDS), fill_value=0)
    frame = frame.join(counts).reset_index()
    frame["host_name"] = frame["host"].map(countries.name_of)
    frame["change"] = pd.array(frame["change"], dtype="Int64")
    size = frame["change"].abs().astype("Float64").fillna(-1.0)
    frame = frame.assign(_size=size).sort_values(["_size", "host"], ascending=[False, True])
    return frame[HOST_CHANGE_COLUMNS].reset_index(drop=True)
