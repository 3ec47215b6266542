"""Stage (between roles and drafts): the anchor's number as a level of one pair, or no figure.

A count is a level only when it belongs to one deployer in one host and is not the size of a reduction
("cut 1,000 troops" says how many leave, not how many stay; "withdraw its 1,500 troops" is the whole).
A figure shared by several hosts is kept aside (`shadow`) so that it still votes on the qualifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.extraction.counts import Anchor
from core.extraction.numbers import QUALIFIER
from core.extraction.vocab import ARMED, POLICE

_ALL = re.compile(
    rf"\b(?:all|entire|remaining|last|whole)\b|\b(?:its|their|the)\s+(?:(?:{QUALIFIER})\s+)?(?=\S*\d)",
    re.IGNORECASE,
)
_STATIONED_AFTER = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:stationed|deployed|based|serving|present)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    troops: int | None
    troops_max: int | None
    kind: str
    status: str
    notes: tuple[str, ...]
    shadow: tuple[tuple[str, int, str], ...] = ()  # (deployer, figure, kind) stated but given to no draft


def figure(sent: str, anchor: Anchor, status: str, withdraw: bool, deployers: tuple, hosts: tuple) -> Figure:
    """The anchor's figure for the pairs of `deployers` x `hosts`, with the notes a reviewer needs."""
    notes: list[str] = [anchor.note] if anchor.note else []
    troops, troops_max, kind = anchor.troops, anchor.troops_max, anchor.kind
    phrase = sent[anchor.start : anchor.end]
    shadow: tuple = ()
    whole = _ALL.search(sent[max(0, anchor.start - 30) : anchor.end])  # "withdraw its 1,500 troops": the level
    if withdraw and anchor.counted and anchor.status is None and not whole:
        notes.append(f"reduction of {phrase!r}: the number leaving, not the level")
        troops, troops_max, kind = None, None, "unknown"
    elif withdraw and anchor.counted and _STATIONED_AFTER.match(sent[anchor.end :]):
        status = "present"  # "remove the 80 troops stationed there": the level now
        notes.append("withdrawal planned or under way")
    if anchor.status == "present":
        status = "present"
    if len(deployers) > 1 and troops is not None:
        notes.append(f"{phrase!r} is shared by {len(deployers)} deployers; no per-country figure")
        troops, troops_max, kind = None, None, "unknown"
    if len(hosts) > 1 and troops is not None:
        shadow = tuple((dep, troops, kind) for dep in deployers)
        notes.append(f"{phrase!r} is shared across {len(hosts)} hosts; no per-country figure")
        troops, troops_max, kind = None, None, "unknown"
    notes.extend(_police_notes(sent, anchor))
    return Figure(troops, troops_max, kind, status, tuple(notes), shadow)


def _police_notes(sent: str, anchor: Anchor) -> list[str]:
    if anchor.police:
        mixed = ARMED.search(sent[max(0, anchor.start - 60) : anchor.end + 80])
        return ["POLICE and military (mixed contingent)" if mixed else "POLICE, not military"]
    if POLICE.search(sent[anchor.end : anchor.end + 80]) and anchor.counted:
        return ["contingent includes POLICE"]
    return []
