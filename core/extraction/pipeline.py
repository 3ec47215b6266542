"""The extractor's pipeline: sentences -> mentions -> counts -> status and date -> roles -> figure ->
source -> drafts, each stage a module of core.extraction; `extract` chains them.

Status is read before roles because a withdrawal changes where the host is ("pulled out of Mali": the
host follows "from/out of"). Across sentences only the roles' Context runs on (the article's deployer
and host, for sentences that name one side), passed in and returned, never changed in place.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from core.extraction import counts, mentions, sentences
from core.extraction import dates as _dates
from core.extraction import drafts as _drafts
from core.extraction.counts import Anchor
from core.extraction.drafts import Draft, Reading
from core.extraction.figures import figure
from core.extraction.mentions import Mention
from core.extraction.roles import Context, advance, assign
from core.extraction.source import Citation, cite, quoted_people
from core.extraction.status import date_for, leaving_home, negated, status_of
from core.extraction.vocab import MOVE


def extract(text: str, published: dt.date | str | None = None) -> list[Draft]:
    """Draft deployment reports from a news text; `published` resolves weekdays and month names."""
    if not text or not text.strip():
        return []
    article = _read_article(text, parse_published(published))
    ctx = Context()
    steps: list[_Step] = []
    pending: list[_Pending] = []
    unplaced: list[_Pending] = []
    for sent, anchors in _sentences_with_forces(article):
        if not anchors:  # "They arrived in Poland on Monday": the troops of the sentence before
            ctx, pending = _continued(article, unplaced, sent, ctx, steps), []
            continue
        ctx = replace(ctx, sentence=sent.start)
        lead = not ctx.deployer or ctx.host is None  # the article has not yet named both sides
        unplaced = []
        for anchor, moved in _passes(sent.text, anchors):
            step = _anchor_drafts(article, sent, anchor, moved, ctx)
            steps.append(step)
            ctx = step.context
            if step.unresolved and (lead or anchor.counted):
                (pending if lead else unplaced).append(_Pending(sent, anchor, moved))
        unplaced += [p for p in pending if p.sent is sent and p.anchor.counted]
        pending = _retry(article, pending, sent, ctx, steps)
    drafts = [d for step in steps for d in step.drafts]
    return _drafts.merge(drafts, [x for step in steps for x in step.shadow], _headline_end(text))


def _read_article(text: str, pub: dt.date | None) -> _Article:
    found = mentions.find(text)
    ref = pub or _reference_date(text)
    return _Article(text, pub, ref, found, [m.end for m in found], quoted_people(text))


_CONTINUES = re.compile(r"\s*(?:They|These|Those)\s+(?:\w+\s+){0,3}?(?:arrived|landed|are|were|will|would|have|had)\b")


def _sentences_with_forces(article: _Article):
    """(sentence, anchors) for each sentence that names forces, and (sentence, []) for one that goes on about
    the forces of the sentence before ("They arrived in ..."); most sentences are neither, and nothing else is
    read there."""
    text = article.text
    for start, end in sentences.split(text):
        anchors = counts.find(text[start:end])
        if anchors or _CONTINUES.match(text, start):
            here = mentions.in_sentence(article.mentions, text, start, end, article.ends)
            yield _Sentence(text[start:end], start, end, here, cite(text[start:end], article.quoted, text)), anchors


def _continued(article: _Article, unplaced: list[_Pending], sent: _Sentence, ctx: Context, steps: list) -> Context:
    """Counts the sentence before left without a pair, read with this sentence joined to theirs."""
    for p in unplaced:
        if article.text[p.sent.end : sent.start].strip():
            continue  # not the sentence right before
        start, end = p.sent.start, sent.end
        here = mentions.in_sentence(article.mentions, article.text, start, end, article.ends)
        joined = _Sentence(article.text[start:end], start, end, here, p.sent.citation)
        step = _anchor_drafts(article, joined, p.anchor, p.moved, ctx)
        if step.drafts:
            steps.append(step)
            ctx = step.context
    return ctx


@dataclass(frozen=True)
class _Pending:
    """An anchor of the lead that named one side only: the next sentences may name the other."""

    sent: _Sentence
    anchor: Anchor
    moved: bool
    left: int = 2  # sentences with forces it waits for


def _retry(article: _Article, pending: list[_Pending], sent: _Sentence, ctx: Context, steps: list) -> list[_Pending]:
    """Read pending anchors again with what later sentences said ("The last troops left the country." ...
    "France pulled its soldiers out of Niger"); those still unresolved wait for another sentence."""
    waiting = []
    for p in pending:
        if p.sent is sent:
            waiting.append(p)
            continue
        step = _anchor_drafts(article, p.sent, p.anchor, p.moved, ctx)  # its context is not carried on
        for d in step.drafts:
            d.notes = "; ".join(filter(None, [d.notes, "a side named later in the article"]))
        if step.drafts:
            steps.append(replace(step, context=ctx))
        elif p.left > 1:
            waiting.append(replace(p, left=p.left - 1))
    return waiting


@dataclass(frozen=True)
class _Article:
    """What is read once per text: the dates that anchor relative dates, every country word, who is quoted."""

    text: str
    pub: dt.date | None
    ref: dt.date | None
    mentions: list[Mention]
    ends: list[int]  # of the mentions, for finding a sentence's
    quoted: dict


@dataclass
class _Sentence:
    """A sentence with forces in it: its text and offsets, its country mentions, what it credits."""

    text: str
    start: int
    end: int
    mentions: list[Mention]
    citation: Citation
    dates: list | None = None  # found on first use: most sentences with anchors need none
    seen: set = field(default_factory=set)  # pairs drafted here


@dataclass(frozen=True)
class _Step:
    drafts: list[Draft]
    shadow: tuple = ()
    context: Context = Context()
    unresolved: bool = False  # the sentence ties the anchor to no pair (yet)


def _anchor_drafts(article: _Article, sent: _Sentence, anchor: Anchor, moved: bool, ctx: Context) -> _Step:
    """The drafts of one anchor: status, roles, figure and date, then one draft per pair."""
    if negated(sent.text, anchor):
        return _Step([], (), ctx)
    status = status_of(sent.text, anchor, moved)
    if moved:  # the origin of a relocation is neither deployer nor host of the arrival
        assigned = assign(sent.text, _without_origin(sent.text, sent.mentions, anchor), anchor, ctx, True)
    else:
        assigned = assign(sent.text, sent.mentions, anchor, ctx, status.withdraw)
    roles, ctx = assigned.roles, assigned.context
    home = roles and leaving_home(sent.text, sent.mentions, anchor, status, roles.deployers)
    if home:  # the troops set out from their own country: read the sentence again as a deployment
        status, assigned = home, assign(sent.text, sent.mentions, anchor, ctx, False)
        roles, ctx = assigned.roles, assigned.context
    if roles is None:
        return _Step([], (), ctx, unresolved=True)
    if not anchor.counted and sent.seen and not roles.by_modifier:
        return _Step([], (), ctx)  # "... left Mali, ending its military presence": the pair is drafted
    ctx = advance(ctx, roles, anchor.companion)
    fig = figure(sent.text, anchor, status.status, status.withdraw, roles.deployers, roles.hosts)
    if sent.dates is None:
        sent.dates = _dates.find_dates(sent.text, article.ref, forward=False)
    dated = date_for(sent.text, sent.dates, anchor, fig.status, article.ref, article.pub)
    reading = Reading(sent.text, sent.start, sent.end, anchor, roles, status, fig, dated, sent.citation, article.pub)
    made = _drafts.build(reading, frozenset(sent.seen))
    sent.seen.update((d.deployer, d.host) for d in made)
    return _Step(made, fig.shadow, ctx)


def _headline_end(text: str) -> int:
    """Where the first line ends when the text has more than one: a headline states no date of its own."""
    first_line = text.lstrip().split("\n", 1)[0]
    return len(text) - len(text.lstrip()) + len(first_line) if "\n" in text.strip() else 0


def parse_published(published) -> dt.date | None:
    if published is None or published == "":
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    text = str(published).strip()
    m = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?", text)
    if not m:
        raise ValueError(f"published {published!r} is not YYYY-MM-DD")
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))


def _reference_date(text: str) -> dt.date | None:
    """Without a publication date, an explicit full date in the text is the best anchor for weekdays."""
    for found in _dates.find_dates(text[:3000], None):
        if found.precision == "day" and found.date:
            return found.date
    return None


_RELOCATED_TO = re.compile(r"^[^.;]{0,60}?\bfrom\b[^.;]{0,60}?\bto\s+(?:the\s+)?[A-Z]")


def _passes(sent: str, anchors: list[Anchor]) -> list[tuple[Anchor, bool]]:
    """Anchors in drafting order (counts first: a bare "brigade" in the same sentence only repeats the
    counted pair); a relocation ("moving 1,000 soldiers from Germany to Romania") is read twice: a
    departure from the origin, then an arrival at the destination."""
    out = []
    for anchor in sorted(anchors, key=lambda a: (not a.counted, a.start)):
        out.append((anchor, False))
        if (
            anchor.counted
            and MOVE.search(sent[max(0, anchor.start - 60) : anchor.start])
            and _RELOCATED_TO.match(sent[anchor.end :])
        ):
            out.append((anchor, True))
    return out


def _without_origin(sent: str, mentions: list[Mention], anchor: Anchor) -> list[Mention]:
    """The mentions but the place a relocation starts from ("from Vilseck, Germany to Romania")."""
    m = re.match(r"[^.;]{0,60}?\bfrom\s+(?P<origin>[^.;]*?)\s+to\s", sent[anchor.end :])
    if m is None:
        return mentions
    start, end = anchor.end + m.start("origin"), anchor.end + m.end("origin")
    return [x for x in mentions if not (start <= x.start < end)]
