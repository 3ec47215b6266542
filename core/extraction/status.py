"""Stage: status and date — is the anchor's deployment present, announced or withdrawn, and when.

Status comes from the words governing the anchor (future modals and plans: announced; pullouts and
departures: withdrawn; a relocation's destination: present there). The date is the sentence's date
expression nearest the anchor, resolved against the publication date, forward for announcements.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.extraction import dates as _dates
from core.extraction.counts import Anchor
from core.extraction.dates import FoundDate
from core.extraction.roles import clause_start
from core.extraction.source import SAY
from core.extraction.vocab import FUTURE, LEAVE, MODAL, MOVE

_NEGATION = re.compile(
    r"\b(?:not|never|no|denied|denies|deny|denying|rejected|rejects|ruled\s+out|refused|refuses|"
    r"declined|declines)\b|n't\b",
    re.IGNORECASE,
)
# "withdraw its 1,500 troops", "remove the roughly 80 troops": the whole contingent, so its size is the level
_WITHDRAW = re.compile(
    r"\b(?:withdr[ae]w\w*|withdrawn|withdrawal|pull(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?(?:out|back)|pull-?out|"
    r"drawdown|draw\s+down|cut(?:s|ting)?|reduc\w+|remov\w+|bring(?:ing)?\s+home|brought\s+home|"
    r"repatriat\w+|end(?:ed|ing|s)?\s+(?:its|their|the)\s+(?:mission|deployment|presence)|get\s+out|"
    # case-sensitive capital: "leaves Mali" is a departure, "leaves just 200 troops" is not
    rf"(?:{LEAVE})\s+(?=(?-i:[A-Z])))\b",
    re.IGNORECASE,
)


_PUNCT = re.compile(r"[,;:]")
_NOT_AFTER = re.compile(r"^\s*(?:were|are|will|would|have|had|has)?\s*(?:not|never)\b", re.IGNORECASE)
# The future of a relative clause ("..., where the brigade will be based") is not the troops' future.
_RIGHT_END = re.compile(r"[;:“”\"]|,\s+(?:the|a|an|and\s+the)\b|\b(?:where|which|who|whom|whose|while|but)\b")
_FROM_SOON = re.compile(r"^[^.;]{0,40}?\bfrom\b", re.IGNORECASE)
_PULL = re.compile(r"\bpull(?:s|ed|ing)?\b", re.IGNORECASE)
_OUT_BACK = re.compile(r"^\s*(?:out|back|home)\b", re.IGNORECASE)
_LEAVING_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,3}?(?:will\s+be\s+|are\s+being\s+|were\s+|have\s+been\s+)?"
    # "left for Iraq" is a departure towards the host, not from it
    r"(?:withdrawn|pulled\s+out|repatriated|brought\s+home|leav\w+|left)\b(?!\s+for\b)",
    re.IGNORECASE,
)
_FUTURE_AFTER = re.compile(
    rf"^[^.;]{{0,70}}?\b(?:{MODAL}|are\s+to|is\s+to|are\s+set\s+to|are\s+expected\s+to)\b", re.IGNORECASE
)
_FOUR_DIGITS = re.compile(r"\d{4}")
_SAID_END = re.compile(rf"\b(?:{SAY}|announced|added)\s*$", re.IGNORECASE)
_AHEAD_END = re.compile(
    rf"\bnext\s*$|\b(?:{MODAL}|(?:is|are|due|set|expected|scheduled)\s+to)\b(?:\s+\w+){{1,4}}\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Status:
    """present / announced / withdrawn, the words that say so, and whether troops are leaving (which
    makes "from X" the host and a count the number leaving)."""

    status: str = "present"
    span: tuple[int, int] | None = None
    withdraw: bool = False


@dataclass(frozen=True)
class Dated:
    date: dt.date | None = None
    precision: str | None = None
    span: tuple[int, int] | None = None


def status_of(sent: str, anchor: Anchor, moved: bool) -> Status:
    """The status of one anchor; `moved` is the destination of a relocation, where troops are (or will be)."""
    clause = clause_start(sent, anchor.start)
    status, span, withdraw = _status(sent, anchor, clause)
    if moved:
        future = FUTURE.search(sent[max(clause, anchor.start - 120) : anchor.start])
        status, span, withdraw = ("announced" if future else "present"), None, False
    if anchor.status == "announced":
        status = "announced"
    elif anchor.status == "withdrawn" and not withdraw:  # "ordered the Americans to withdraw"
        status, withdraw = "withdrawn", True
    return Status(status, span, withdraw)


def leaving_home(sent: str, mentions: list, anchor: Anchor, st: Status, deployers: tuple) -> Status | None:
    """ "left Nairobi on Saturday" of Kenyan police: leaving one's own country is setting out, not withdrawing.
    The status without the withdrawal, or None when the troops leave somewhere else."""
    if not st.withdraw or st.span is None:
        return None
    left = next((m for m in mentions if m.start >= st.span[1] and m.iso3), None)
    if left is None or left.iso3 not in deployers or left.start - st.span[1] > 12:
        return None
    future = FUTURE.search(sent[max(0, anchor.start - 120) : anchor.end + 80])
    return Status("announced" if future else "present", None, False)


def negated(sent: str, anchor: Anchor) -> bool:
    """'will not send troops', 'denied deploying soldiers': nothing to draft."""
    left = sent[max(0, anchor.start - 50) : anchor.start].rsplit(",", 1)[-1]
    right = _PUNCT.split(sent[anchor.end : anchor.end + 40], 1)[0]
    return bool(_NEGATION.search(left) or _NOT_AFTER.match(right))


def _status(sent: str, anchor: Anchor, clause: int) -> tuple[str, tuple[int, int] | None, bool]:
    """(status, span of the cue, is a withdrawal) from the words governing the anchor."""
    left_start = max(clause, anchor.start - 120)
    left = sent[left_start : anchor.start]
    right = sent[anchor.end : anchor.end + 80]
    right = _RIGHT_END.split(right, 1)[0]
    withdraw = None
    for m in _WITHDRAW.finditer(left):
        withdraw = (left_start + m.start(), left_start + m.end())
    if withdraw is None:
        # Moving troops out of a host ("reposition 11,900 personnel from Germany") is a reduction there.
        moves = list(MOVE.finditer(left))
        if moves and _FROM_SOON.match(right):
            withdraw = (left_start + moves[-1].start(), left_start + moves[-1].end())
    if withdraw is None and _PULL.search(left) and _OUT_BACK.match(right):
        withdraw = (anchor.end, anchor.end + len(right) - len(right.lstrip()) + 3)
    if withdraw is None:
        leaving = _LEAVING_AFTER.match(right)
        if leaving:
            withdraw = (anchor.end, anchor.end + leaving.end())
    future = None
    for m in FUTURE.finditer(left):
        future = (left_start + m.start(), left_start + m.end())
    if future is None:
        ahead = _FUTURE_AFTER.match(right)
        if ahead:
            future = (anchor.end + ahead.start(), anchor.end + ahead.end())
    if withdraw is not None:
        return ("announced" if future else "withdrawn"), withdraw, True
    if future is not None:
        return "announced", future, False
    return "present", None, False


def _ahead(sent: str, found) -> bool:
    """'will arrive on Monday', 'will send ... in January' look forward; 'announced on Sunday' looks back."""
    if _FOUR_DIGITS.search(found.text) or found.precision == "year":
        return False
    before = sent[max(0, found.start - 40) : found.start]
    if _SAID_END.search(before):
        return False
    if found.precision == "month" or not found.text.lower().endswith("day"):
        return True
    return _AHEAD_END.search(before) is not None


def date_for(
    sent: str, dates: list[FoundDate], anchor: Anchor, status: str, ref: dt.date | None, pub: dt.date | None
) -> Dated:
    """The sentence's date nearest the anchor (after it preferred); an announced one looks forward."""
    usable = [d for d in dates if d.date is not None]
    if not usable:
        return Dated()
    best = min(usable, key=lambda d: abs(d.start - anchor.end) + (0 if d.start >= anchor.end else 20))
    date = best.date
    again = _dates.DATE.match(best.text)
    if status == "announced" and ref and again and _ahead(sent, best):
        date = _dates.resolve(again, ref, forward=True)[0] or date
    if pub is not None and date is not None and date > pub and status != "announced":
        return Dated()
    return Dated(date, best.precision, (best.start, best.end))
