"""Stage: drafts — the Draft a person confirms, built from one anchor's reading, and the merge of one
pair's drafts across sentences."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from core.domain import format_date
from core.extraction.counts import Anchor
from core.extraction.figures import Figure
from core.extraction.roles import Roles
from core.extraction.source import Citation
from core.extraction.status import Dated, Status


@dataclass
class Draft:
    """One deployment the text states, as a report waiting for a person to confirm it.

    deployer/host are ISO alpha-3 codes; troops is None when the text gives no number (count_kind
    "unknown"), the low end of a range otherwise; date is None when the sentence (or an earlier one
    about the pair) states none. confidence (0-1) is higher when both countries and the number come
    from the sentence itself, lower when one side comes from earlier in the article, for police and
    for vague quantities. notes say what a reviewer should know (POLICE, TOTAL, shared figures, a
    reduction whose size is not a level, where a side or the date came from).

    `evidence` = {"sentence": str, "start": int, "end": int, "spans": {field: [start, end, text]}}
    with offsets into the text given to extract(); `also` holds the evidence of other sentences
    that state the same figure.
    """

    deployer: str
    host: str
    troops: int | None = None
    troops_max: int | None = None
    count_kind: str = "unknown"
    date: str | None = None  # "YYYY-MM-DD" / "YYYY-MM" / "YYYY", as the text states it
    date_precision: str | None = None
    status: str = "present"
    location: str | None = None
    source_name: str | None = None
    cited_agency: str | None = None  # the agency or outlet the text cites ("Interfax cites ...")
    speaker: str | None = None  # who is quoted: a person (with the title the text gives) or an office
    confidence: float = 0.5
    evidence: dict = field(default_factory=dict)
    notes: str | None = None
    published: str | None = None
    also: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_report_fields(
        self,
        source_name: str | None = None,
        source_url: str | None = None,
        published: dt.date | str | None = None,
    ) -> dict[str, Any]:
        """The canonical report fields (core.domain.CSV_COLUMNS) for core.validation.validate.

        Where the text does not say, the caller supplies: the outlet as source_name, the article's
        address, its publication date (also used as the report date when the text gives none).
        """
        pub = published.isoformat() if isinstance(published, dt.date) else (published or self.published)
        date, precision = self.date, self.date_precision
        notes = self.notes or ""
        if date is None and pub:
            date, precision = pub, None
            notes = "; ".join(filter(None, [notes, "date: publication date (the text gives none)"]))
        quote = self.evidence.get("sentence", "")
        if quote:
            notes = "; ".join(filter(None, [notes, f'evidence: "{quote[:1500]}"']))
        return {
            "deployer": self.deployer,
            "host": self.host,
            "troops": self.troops,
            "troops_max": self.troops_max,
            "count_kind": self.count_kind,
            "date": date,
            "date_precision": precision,
            "status": self.status,
            "mission": None,
            "location": self.location,
            "lat": None,
            "lon": None,
            "source_name": self.source_name or source_name,
            "cited_agency": self.cited_agency,
            "speaker": self.speaker,
            "source_url": source_url,
            "source_date": pub,
            "notes": notes[:2000] or None,
        }


_HEDGED = ("approx", "at_least", "at_most", "range")
_RANK = {"day": 0, "month": 1, "year": 2, None: 3}


def merge(drafts: list[Draft], shadow: list[tuple[str, int, str]], headline_end: int = 0) -> list[Draft]:
    """One draft per pair, status and figure; its kind is the one most sentences use.

    On a tie a hedged kind wins: headlines drop the "some" and "about" that the body keeps.
    """
    merged: dict[tuple, Draft] = {}
    votes: dict[tuple, list[str]] = {}
    for d in drafts:
        key = (d.deployer, d.host, d.status, d.troops, d.troops_max)
        if key not in merged:
            merged[key] = d
            votes[key] = [d.count_kind]
            continue
        first = merged[key]
        votes[key].append(d.count_kind)
        first.also.append(d.evidence)
        first.confidence = max(first.confidence, d.confidence)
        for note in (d.notes or "").split("; "):
            if re.search(r"POLICE|TOTAL|reduction|withdrawal", note) and note not in (first.notes or ""):
                first.notes = "; ".join(filter(None, [first.notes, note]))
        for attr in ("location", "source_name", "cited_agency", "speaker"):
            if getattr(first, attr) is None and getattr(d, attr) is not None:
                setattr(first, attr, getattr(d, attr))
        # "arrived this week" and "began streaming in Thursday": keep the more precise
        if d.date and (first.date is None or _RANK[d.date_precision] < _RANK[first.date_precision]):
            first.date, first.date_precision = d.date, d.date_precision
    for key, d in merged.items():
        if d.troops is None:
            continue
        votes[key].extend(k for dep, n, k in shadow if dep == d.deployer and n == d.troops)
        counts = {k: votes[key].count(k) for k in votes[key]}
        best = max(counts.values())
        tied = [k for k in counts if counts[k] == best]
        d.count_kind = next((k for k in tied if k in _HEDGED), tied[0]) if len(tied) > 1 else tied[0]
        if len(counts) > 1:
            d.notes = "; ".join(
                filter(None, [d.notes, "qualifiers differ between sentences: " + ", ".join(sorted(counts))])
            )
    out = list(merged.values())
    counted = {(d.deployer, d.host, d.status) for d in out if d.troops is not None}
    same: dict[tuple, list[Draft]] = {}  # drafts of one pair and status: the only donors of a date
    for d in out:
        same.setdefault((d.deployer, d.host, d.status), []).append(d)
    result = []
    for d in out:
        if d.troops is None and (d.deployer, d.host, d.status) in counted:
            continue
        if d.date is None:
            _date_from_others(d, same[(d.deployer, d.host, d.status)], headline_end)
        result.append(d)
    return result


def _date_from_others(d: Draft, out: list[Draft], headline_end: int) -> None:
    """A lead's date carries to later sentences about the pair ("dispatched ... late Tuesday" ... "up to
    10,000 soldiers"), not back: a later "since October" is about something else. The headline, which
    states no date, takes the body's. The most precise date wins."""
    donors = [
        o
        for o in out
        if o.date
        and (o.deployer, o.host, o.status) == (d.deployer, d.host, d.status)
        and (o.evidence["start"] < d.evidence["start"] or d.evidence["end"] <= headline_end)
    ]
    if donors:
        best = min(donors, key=lambda o: (_RANK[o.date_precision], o.evidence["start"]))
        d.date, d.date_precision = best.date, best.date_precision
        d.notes = "; ".join(filter(None, [d.notes, "date from another sentence about this pair"]))


@dataclass(frozen=True)
class Reading:
    """Everything one anchor's drafts are made of: its sentence (offsets into the text), the stages' answers."""

    sentence: str
    start: int
    end: int
    anchor: Anchor
    roles: Roles
    status: Status
    figure: Figure
    dated: Dated
    citation: Citation
    published: dt.date | None


def build(r: Reading, seen: frozenset = frozenset()) -> list[Draft]:
    """One draft per deployer x host of the reading; a count-less anchor skips pairs its sentence drafted."""
    roles, fig, anchor = r.roles, r.figure, r.anchor
    host_m = roles.host
    location = (
        host_m.text
        if host_m is not None and host_m.kind in ("place", "capital") and host_m.text.upper() != host_m.text
        else None
    )
    evidence = {"sentence": r.sentence.strip(), "start": r.start, "end": r.end, "spans": _spans(r, location)}
    fields: dict[str, Any] = {
        "troops": fig.troops,
        "troops_max": fig.troops_max,
        "count_kind": fig.kind if fig.troops is not None else "unknown",
        "date": format_date(r.dated.date, r.dated.precision) if r.dated.date and r.dated.precision else None,
        "date_precision": r.dated.precision,
        "status": fig.status,
        "location": location,
        "source_name": r.citation.name,
        "cited_agency": r.citation.agency,
        "speaker": r.citation.speaker,
        "confidence": _confidence(r),
        "notes": "; ".join(dict.fromkeys(fig.notes)) or None,
        "published": r.published.isoformat() if r.published else None,
    }
    return [
        Draft(deployer=dep, host=host, evidence=evidence, **fields)
        for dep in roles.deployers
        for host in roles.hosts
        if dep != host and (anchor.counted or (dep, host) not in seen)
    ]


def _confidence(r: Reading) -> float:
    """Higher when the sentence itself names both sides and the number; lower for police and vague words."""
    value = (
        0.35
        + (0.2 if r.roles.deployer is not None else 0)
        + (0.15 if r.roles.host is not None else 0)
        + (0.15 if r.figure.troops is not None else 0)
        + (0.05 if r.citation.name else 0)
        - (0.15 if r.anchor.police else 0)
        - (0.1 if r.anchor.vague else 0)
    )
    return round(max(0.05, min(0.95, value)), 2)


def _spans(r: Reading, location: str | None) -> dict:
    """Where each field of the draft stands in the text: {field: [start, end, words]}."""
    found = {
        "deployer": (r.roles.deployer.start, r.roles.deployer.end) if r.roles.deployer is not None else None,
        "host": (r.roles.host.start, r.roles.host.end) if r.roles.host is not None else None,
        "troops": (r.anchor.start, r.anchor.end) if r.anchor.counted else None,
        "count_kind": r.anchor.qual_span,
        "date": r.dated.span,
        "status": r.status.span,
        "source_name": r.citation.span,
        "location": (r.roles.host.start, r.roles.host.end) if location and r.roles.host is not None else None,
    }
    return {
        name: [r.start + a, r.start + b, r.sentence[a:b]] for name, (a, b) in ((k, v) for k, v in found.items() if v)
    }
