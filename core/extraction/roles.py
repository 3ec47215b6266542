"""Stage: roles — for one anchor, the deployer and the host, from the sentence or the article so far.

The deployer is the country modifying the troops ("Turkish troops", "100 U.S. soldiers", "Kenya's
police"), else the origin ("troops from Rwanda"), else the clause's subject; the host is the country
after "to/in/into", the place the troops are in, "X hosts", "there" and "the country" (the last country
named before), a list after "countries, including". A side the sentence does not name comes from the
article's running Context, which `assign` returns updated rather than changing it.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, replace

from core.extraction.counts import Anchor
from core.extraction.mentions import Mention
from core.extraction.source import SAY
from core.extraction.vocab import LEAVE, TROOP_NOUNS
from core.extraction.words import alternation, words

# "Italian and German troops", "US military personnel": a country whose forces the sentence names
_FORCE_AFTER = re.compile(
    rf"^(?:\s*,?\s*(?:and\s+)?[A-Z][\w.-]*)*\s+"
    rf"(?:(?:military|army|special|combat|ground|naval|navy|air|armed|elite|peacekeeping|marine)\s+)?(?:{TROOP_NOUNS})\b"
)
# "near the Dutch base in Samawa": an adjective before a base names its owner; the host comes after
_BASE_AFTER = re.compile(r"^\s+(?:(?:military|air|naval|army)\s+)?(?:base|bases|camp|camps|garrison|embassy)\b", re.I)
_AT_BORDER = re.compile(
    r"^[^.;]{0,40}?\b(?:near|on|along|at|by|close\s+to)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:border|borders|frontier)\b",
    re.IGNORECASE,
)
_OTHER_TROOPS = re.compile(r"\b(?:troops|soldiers|forces|marines|peacekeepers|personnel|servicemen)\b", re.I)
_SENT_FROM = re.compile(
    r"^\s+(?:\w+\s+){0,5}?(?:deployed|sent|dispatched|drawn|coming|contributed|provided)\s+from\s+(?:the\s+)?",
    re.IGNORECASE,
)
_ON_TO = re.compile(r"^\s*(?:,\s*)?to\s+(?:the\s+)?[A-Z]")
_FROM_OTHERS = re.compile(
    r"^\s*from\s+(?:\w+\s+){0,2}?(?:other|several|many|various|\d+|[a-z]+teen|[a-z]+ty)\s+"
    r"(?:\w+\s+)?(?:nations|countries|states|contributors)\b",
    re.IGNORECASE,
)
_LEAVER_AFTER = re.compile(r"^\s+(?:exit|withdrawal|pull-?out|departure|drawdown|retreat)\b", re.IGNORECASE)
_IN_REGION = re.compile(
    # leaving "the region" is leaving more than one country; "to the region" is often the host's own
    rf"\b(?:(?:from|out\s+of|{LEAVE})\s+the\s+(?:wider\s+)?(?:region|gulf|continent)|in\s+the\s+gulf)\b",
    re.IGNORECASE,
)
_HOST_PREP = (
    r"to|in|into|inside|within|at|toward|towards|across|throughout|on|near|entered|enter|enters|entering|"
    r"invaded|invade|invades|invading|reached|occupied|occupy|occupies|occupying|"
    # "left for Iraq", "bound for Mali": a departure towards the host
    r"(?:left|leave|leaves|leaving|depart|departs|departed|bound|headed|heading|flew|fly|flies|sailed)\s+for"
)
# An acronym that is no country right before the troop noun ("SDF troops", "KFOR soldiers"): it names whose
# forces they are, so the article's running deployer must not be taken for theirs
_OWNER_UNKNOWN = re.compile(r"(?<![\w.])[A-Z]{2,6}\s+(?:[a-z]+\s+)?$")
_AND = re.compile(r"\b(?:and|or)\b|&")
_EQUIPMENT_AFTER = re.compile(rf"\s+(?:{alternation('equipment_nouns')})\b", re.IGNORECASE)
_NOUN_PHRASE_GAP = re.compile(  # what may stand between a country and its troop noun: "Russia's elite"
    r"(?:['’]s)?(?:\s+(?:the|its|more|additional|extra|new|fresh|elite|special|combat|military|army|"
    r"naval|navy|air|ground|armed|defen[cs]e|national|marine|peacekeeping|contingent|of|support|"
    r"deployed|regular|active-duty|airborne|mechani[sz]ed|infantry|armou?red|[A-Z][\w-]*|"
    r"[\d,.]+-(?:strong|member|man|person)|first|second|third|fourth|fifth|sixth|latest|advance|main|"
    r"rotational|engineering|medical|logistics))*\s*"
)
_OF = re.compile(r"\s*of\s+(?:the\s+)?")
_FROM = re.compile(r"\s*from\s+(?:the\s+)?")
_ON_BEHALF = re.compile(r"(?:request|invitation|behalf)\s+of\s+the\s+\w+\s+of\s*$", re.IGNORECASE)
_BORDER_AFTER = re.compile(r"\s+(?:border|borders|frontier|side)\b")
_WORDS = re.compile(r"[\w'’-]+")
_PUNCT = re.compile(r"[,;:()]")
_THERE = re.compile(r"\bthere\b")
_CLAUSE_CUT = re.compile(r"[:;“”\"]|\bsaid\s+(?:that\s+)?|\bthat\s+|,\s+(?:where|which|who|while|whereas|but)\b")
_REL_END = re.compile(r",\s+(where|which|that)\s*$")
_IN_TO_END = re.compile(r"\b(?:in|to|into)\s+(?:the\s+)?$")
_WE = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_SAYS_AFTER = re.compile(rf"(?:['’]s)?\s+(?:[\w-]+\s+){{0,4}}?(?:{SAY})\b")


@functools.cache
def _prep_rx(preps: str) -> re.Pattern:
    return re.compile(rf"\b(?:{preps})\s+", re.IGNORECASE)


_FILLER = frozenset(words("host_filler"))
_ANAPHOR = re.compile(
    r"^(?:the\s+)?(?:\w+[\s-]+){0,2}?(?:country|nation|island|kingdom|republic)\b|^there\b|"
    r"^(?:its|their)\s+(?:own\s+)?(?:territory|soil)\b",
    re.IGNORECASE,
)
_HOSTS_VERB = re.compile(
    r"^(?:['’]s)?\s*(?:hosts|host|hosted|is\s+hosting|are\s+hosting|ha(?:s|ve)\s+hosted|houses|is\s+home\s+to|welcom\w+|"
    r"(?:has\s+|had\s+)?receiv\w+|(?:has\s+|had\s+)?accept\w+)\b",
    re.IGNORECASE,
)
_BLOCKING_BEFORE = re.compile(
    r"(?:\b(?:to|in|into|inside|within|at|toward|towards|across|throughout|near|against|with|from|on|over|"
    rf"versus|between|like|than|about|of|amid|over|(?:spokes\w+|officials?|envoy|representative|head|chief)\s+for|{LEAVE}|ambassador\s+to|"
    r"request\s+of|invitation\s+of|behalf\s+of)"
    r"(?:\s+the)?(?:\s+[\w-]+){0,2}?\s*)$",
    re.IGNORECASE,
)
_NOT_HOST_BEFORE = re.compile(
    rf"\b(?:from|with|against|versus|between|amid|like|than|about|{LEAVE}|near)(?:\s+the)?\s*$",
    re.IGNORECASE,
)
_SUBJECT_OF = re.compile(
    r"\b(?:government|president|ministry|army|military|parliament|forces|republic|"
    r"leadership|authorities|kingdom)\s+of(?:\s+the)?\s*$",
    re.IGNORECASE,
)
_ACTOR_NOUN = re.compile(
    r"\s+(?:[A-Z][\w-]*\s+){0,3}?(?:government|authorities|officials|lawmakers|parliament|president|"
    r"prime\s+minister|minister|ministry|leader|leaders|army|military|navy|air\s+force|forces|troops|soldiers|"
    r"defen[cs]e|command|commanders?|general|generals|contingent|cabinet|state|administration|side|"
    r"officers|units|marines|peacekeepers|diplomats?|envoy|embassy|senate|congress|mps|legislators)\b",
    re.IGNORECASE,
)


def _extend_list(sent: str, mentions: list[Mention], chosen: Mention) -> list[Mention]:
    """'The United States, France, Japan and Spain' -> all four, from any one of them."""
    idx = mentions.index(chosen)
    group = [chosen]
    # "to Poland and to Romania": the preposition may repeat
    joiner = re.compile(r"^\s*(?:,|,?\s+and|,?\s+or|&)\s+(?:(?:to|in|into|from)\s+)?(?:the\s+)?$", re.IGNORECASE)
    j = idx
    while j > 0 and joiner.match(sent[mentions[j - 1].end : mentions[j].start]) and mentions[j - 1].iso3:
        j -= 1
        group.insert(0, mentions[j])
    j = idx
    while (
        j + 1 < len(mentions) and joiner.match(sent[mentions[j].end : mentions[j + 1].start]) and mentions[j + 1].iso3
    ):
        j += 1
        group.append(mentions[j])
    if len(group) > 1 and not any(_AND.search(sent, a.end, b.start) for a, b in itertools.pairwise(group)):
        return [chosen]  # "In neighbouring Iraq, the United States ...": a comma alone does not make a list
    return group


def _modifier(sent: str, mentions: list[Mention], anchor: Anchor) -> Mention | None:
    """The country in the troops' own noun phrase: 'Russian troops', '100 U.S. soldiers', 'Kenya's police'."""
    for m in mentions:  # "550 Ground Self-Defense Forces personnel": the troop noun is inside the force's name
        if m.kind == "institution" and m.start < anchor.noun_start < m.end and m.iso3:
            return m
    for m in reversed(mentions):
        if m.end > anchor.noun_start or m.dateline or m.kind == "place":
            continue
        gap = sent[m.end : anchor.noun_start]
        if _NOUN_PHRASE_GAP.fullmatch(gap):
            return m
        break
    after = sent[anchor.end :]
    m2 = _OF.match(after)
    if m2:
        pos = anchor.end + m2.end()
        for m in mentions:
            if m.start == pos and m.kind != "place":
                return m
    return None


def _subject(sent: str, mentions: list[Mention], anchor: Anchor, clause_start: int) -> Mention | None:
    for m in reversed(mentions):
        if m.end > anchor.start or m.start < clause_start or m.dateline or m.kind == "place":
            continue
        before = sent[max(clause_start, m.start - 40) : m.start]
        if _SUBJECT_OF.search(before) and not _ON_BEHALF.search(before):
            return m
        if _BLOCKING_BEFORE.search(before):
            continue
        if m.kind == "adj" and m.text not in ("U.S.", "US", "USA", "U.S.A.") and not _ACTOR_NOUN.match(sent[m.end :]):
            continue  # "the Polish town" is not an actor; "Turkish lawmakers" is
        if _EQUIPMENT_AFTER.match(sent, m.end):
            continue  # "flown in by U.S. aircraft": the aircraft's owner, not whose troops they are
        return m
    return None


def _prep_host(
    sent: str, mentions: list[Mention], start: int, end: int, exclude: set, preps: str = _HOST_PREP
) -> tuple[Mention | None, int | None]:
    """First 'to/in/into ... COUNTRY' between start and end.

    Anaphora ('there', 'the country', 'its territory') returns (None, its position) for the caller to resolve.
    """
    for p in _prep_rx(preps).finditer(sent[start:end]):
        pos = start + p.end()
        rest = sent[pos : pos + 60]
        for m in mentions:
            if m.start < pos or (m.iso3 is None and m.kind != "region"):
                continue
            if _BORDER_AFTER.match(sent, m.end):
                break  # troops "near the Ukrainian border" are on the other side of it
            words = _WORDS.findall(sent, pos, m.start)
            if (
                len(words) <= 4
                and all(w.lower() in _FILLER or w.upper() == w and len(w) > 1 for w in words)
                and not _PUNCT.search(sent, pos, m.start)
            ):
                if m.iso3 not in exclude and not _FORCE_AFTER.match(sent[m.end :]) and not _owner(m, sent):
                    return m, None  # a region too: the caller drops the anchor rather than guess a country
            break
        if _ANAPHOR.match(rest):
            return None, pos
    there = _THERE.search(sent, start, end)
    if there:
        return None, there.start()
    return None, None


def _owner(m: Mention, sent: str) -> bool:
    """'the Dutch base', 'the Russian camp': the country that owns the place, not the one it is in."""
    return m.kind == "adj" and _BASE_AFTER.match(sent[m.end :]) is not None


def clause_start(sent: str, pos: int) -> int:
    """Where the clause holding `pos` starts: after a colon, a quote, "said that", ", where"."""
    ends = _clause_cuts(sent)
    return ends[bisect.bisect_right(ends, pos) - 1]


@functools.lru_cache(maxsize=64)
def _clause_cuts(sent: str) -> list[int]:
    """0 and where each clause of the sentence starts (clause_start is asked many times a sentence)."""
    return [0, *(m.end() for m in _CLAUSE_CUT.finditer(sent))]


@dataclass(frozen=True)
class Context:
    """What the article has said so far, for sentences that name only one side: the running deployer
    (none while a multinational body is the actor) and host."""

    deployer: tuple[str, ...] = ()
    host: str | None = None
    blocked: bool = False  # the running actor is a multinational body
    sentence: int = -1  # where the sentence being read starts
    set_in: int = -2  # the sentence that last set the deployer


@dataclass(frozen=True)
class Roles:
    """Who sends the troops and where: the countries, the mentions they were read from (None when they
    come from earlier in the article), what came from earlier (`how`), and whether the deployer is the
    troops' own modifier ("Turkish troops") rather than the clause's subject."""

    deployers: tuple[str, ...]
    deployer: Mention | None
    hosts: tuple[str, ...]
    host: Mention | None
    how: tuple[str, ...]
    by_modifier: bool


@dataclass(frozen=True)
class Assigned:
    """The roles of one anchor (None when it ties to no pair) and the context for what follows."""

    roles: Roles | None
    context: Context


def _where_before(sent: str, mentions: list[Mention], clause: int, exclude: set) -> Mention | None:
    """'... to Estonia, where 300 US troops are based', '... the battlegroup in Estonia, which includes troops
    from France': the place the relative clause is about."""
    rel = _REL_END.search(sent[:clause])
    if rel is None:
        return None
    before = sent[:clause].rstrip()
    before = before[: before.rfind(",")].rstrip()
    found = [m for m in mentions if m.iso3 and m.iso3 not in exclude and m.end == len(before)]
    if found and rel.group(1) != "where" and not _IN_TO_END.search(sent[: found[0].start]):
        return None  # "..., which" after a country that is no place of the troops: "Britain, which ..."
    return found[0] if found else None


_DEPARTED_FROM = re.compile(
    r"^[^.;]{0,40}?\b(?:departed|left|flew|sailed|set\s+(?:off|out))\s+(?:\w+\s+)?from\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+)?",
    re.IGNORECASE,
)


def _departure_origin(sent: str, mentions: list[Mention], anchor: Anchor) -> Mention | None:
    """'190 soldiers departed from northeast China's Dalian for Mali': the troops' home is the deployer."""
    m = _DEPARTED_FROM.match(sent[anchor.end :])
    if m is None:
        return None
    pos = anchor.end + m.end()
    return next((x for x in mentions if x.start == pos and x.iso3 and x.kind in ("name", "adj", "capital")), None)


_COUNTRIES_INCLUDING = re.compile(
    r"^[^.;]{0,40}?\b(?:in|to|into|across)\s+(?:(?:these|those|several|other|many|some|a\s+number\s+of|"
    r"[A-Z][\w-]*|and)\s+){1,4}(?:nations|countries|states)\b[^.;]{0,80}?\bincluding\s+(?:the\s+)?",
)


def _including_host(sent: str, mentions: list[Mention], anchor: Anchor, exclude: set) -> Mention | None:
    """'mercenaries in several African countries, including Libya, Sudan and Mali': the list names the hosts."""
    m = _COUNTRIES_INCLUDING.match(sent[anchor.end :])
    if m is None:
        return None
    pos = anchor.end + m.end()
    return next((x for x in mentions if x.start == pos and x.iso3 and x.iso3 not in exclude), None)


def _carry(ctx: Context, dep_m: Mention | None, deployers: list[str]) -> Context:
    """A deployer the sentence names carries to the next one even when no host country is named here:
    "The U.S. military is pulling troops out of the Middle East. About 1,000 who had deployed to Kuwait ..."."""
    if dep_m is not None and ctx.set_in != ctx.sentence:  # the sentence's first actor, not "with Australian forces"
        return replace(ctx, deployer=tuple(deployers), blocked=False, set_in=ctx.sentence)
    return ctx


def _deployer_mention(sent: str, mentions: list[Mention], anchor: Anchor, clause: int, withdraw: bool):
    """(mention, tied to the noun): who the troops belong to, as far as the sentence says."""
    dep_m = _modifier(sent, mentions, anchor)
    by_modifier = dep_m is not None
    if dep_m is None and not withdraw:
        # "received 1,000 troops from Rwanda": the origin outranks the clause's subject
        # "more troops were expected to be deployed from Ethiopia": sent from there, so theirs
        m = _FROM.match(sent[anchor.end :]) or _SENT_FROM.match(sent[anchor.end :])
        if m:
            dep_m = next((x for x in mentions if x.start == anchor.end + m.end() and x.iso3), None)
            if dep_m is not None and (
                dep_m.kind == "place" or _ON_TO.match(sent[dep_m.end :]) and _subject(sent, mentions, anchor, clause)
            ):
                dep_m = None  # "Washington sent troops from Germany to Poland": where they were based, not whose
            by_modifier = dep_m is not None  # "officers from Chad, Benin and Jamaica": tied to the noun too
    if dep_m is None:
        dep_m = _departure_origin(sent, mentions, anchor)
    if dep_m is None:
        dep_m = _subject(sent, mentions, anchor, clause)
        if dep_m is None and clause:
            dep_m = _subject(sent, mentions, anchor, 0)
    if dep_m is None and _WE.search(sent, clause, anchor.start):
        # "'We will send 500 troops to Mali,' Chad's president said": the speaker's country
        for said in mentions:
            if (
                said.start > anchor.end
                and said.kind in ("name", "adj", "capital", "institution")
                and _SAYS_AFTER.match(sent, said.end)
            ):
                dep_m = said
                break
    if dep_m is not None and dep_m.iso3 is None:
        # "UN peacekeepers from Bangladesh": the body's mission, the country's troops
        after = _FROM.match(sent[anchor.end :])
        origin = after and next((x for x in mentions if x.start == anchor.end + after.end() and x.iso3), None)
        dep_m = origin or dep_m
    return dep_m, by_modifier


def _body_host(
    sent: str, mentions: list[Mention], anchor: Anchor, clause: int, withdraw: bool, body: Mention, ctx: Context
) -> Context:
    """A multinational body deploys ("the NATO battle group in Bulgaria"): no country pair, but its host is the
    article's host, for the contributors a later sentence names ("It includes Italy, with about 900 soldiers")."""
    host_m, _, _ = _host_mention(sent, mentions, anchor, clause, withdraw, set(), body)
    if host_m is None or host_m.iso3 is None or withdraw:
        return ctx
    return replace(ctx, host=host_m.iso3)


def _host_mention(
    sent: str, mentions: list[Mention], anchor: Anchor, clause: int, withdraw: bool, exclude: set, dep_m: Mention | None
):
    """(host mention, anaphor position, mentions): the first host rule that names a place wins."""
    host_m, anaphor = None, None
    end = len(sent)
    if withdraw:
        host_m, _ = _prep_host(sent, mentions, anchor.start, end, exclude, rf"from|out\s+of|of|{LEAVE}")
    if host_m is None:
        host_m, anaphor = _prep_host(sent, mentions, anchor.noun_start, end, exclude)
    if host_m is None and anaphor is None:
        host_m = next(
            (m for m in mentions if m.iso3 and m.iso3 not in exclude and _HOSTS_VERB.match(sent[m.end :])), None
        )
    if host_m is None and anaphor is None:
        # "In Mali, French troops ...", "... in Poland is another step": a host named before the troops
        # but not past other troops: "U.S. forces land in Poland as Russia's military presence grows"
        other = _OTHER_TROOPS.search(sent, clause, anchor.start)
        host_m, anaphor = _prep_host(sent, mentions, clause, other.start() if other else anchor.start, exclude)
    if host_m is None and anaphor is None:
        host_m = _where_before(sent, mentions, clause, exclude)
    if host_m is None and anaphor is None:
        host_m = _including_host(sent, mentions, anchor, exclude)
    if host_m is None and anaphor is None:
        mentions = [m for m in mentions if not _BORDER_AFTER.match(sent, m.end)]
        host_m = _host_elsewhere(sent, mentions, anchor, exclude, dep_m)
    return host_m, anaphor, mentions


def _host_elsewhere(sent: str, mentions: list[Mention], anchor: Anchor, exclude: set, dep_m) -> Mention | None:
    """A place elsewhere in the sentence ("a ceasefire in Nagorno-Karabakh, where ... are stationed"), or
    the one country left that is not an object of "with", "against", "from" ..."""
    cands = [
        m
        for m in mentions
        if m.iso3
        and m.iso3 not in exclude
        and m is not dep_m
        and m.kind == "place"
        and not _NOT_HOST_BEFORE.search(sent[max(0, m.start - 12) : m.start])
    ]
    others = {
        m.iso3
        for m in mentions
        if m.iso3
        and m.iso3 not in exclude
        and m is not dep_m
        and m.kind in ("name", "capital")
        and m.end <= anchor.start
        and not _BLOCKING_BEFORE.search(sent[max(0, m.start - 12) : m.start])
    }
    if cands:
        return cands[0]
    if len(others) == 1 and anchor.counted:
        return next(m for m in mentions if m.iso3 in others)
    return None


def _anaphor_host(sent: str, mentions: list[Mention], anaphor: int, exclude: set, ctx: Context, how: list):
    """(hosts, mention) for 'there', 'the country': the last country named before it, else the article's."""
    before = [
        m
        for m in mentions
        if m.start < anaphor
        and m.iso3
        and m.iso3 not in exclude
        and not m.dateline
        and not _FORCE_AFTER.match(sent[m.end :])  # "Italian and German troops": deployers, not the country
        and not _LEAVER_AFTER.match(sent[m.end :])  # "after the British withdrawal": not where troops stay
    ]
    named = [m for m in before if m.kind in ("name", "capital", "place")]
    if before:
        host_m = (named or before)[-1]
        return [host_m.iso3], host_m
    if ctx.host and ctx.host not in exclude:
        how.append("host from earlier in the article ('there', 'the country')")
        return [ctx.host], None
    return [], None


def assign(sent: str, mentions: list[Mention], anchor: Anchor, ctx: Context, withdraw: bool) -> Assigned:
    """The deployer and host of one anchor, from the sentence, else from the article so far."""
    roles, after = _roles(sent, mentions, anchor, ctx, withdraw)
    if roles is None:
        subj = _subject(sent, mentions, anchor, clause_start(sent, anchor.start))
        if subj is not None and subj.iso3 is None:  # a multinational body acts: no running deployer
            after = replace(after, blocked=True, deployer=())
    return Assigned(roles, after)


def advance(ctx: Context, roles: Roles, companion: bool = False) -> Context:
    """The context after a drafted anchor: the sides this sentence named run on; the owner of forces named
    only as a companion ("escorted by Kenyan troops") does not become the article's deployer."""
    if roles.deployer is not None and not companion:
        ctx = replace(ctx, deployer=roles.deployers, blocked=False, set_in=ctx.sentence)
    if roles.host is not None and len(roles.hosts) == 1:
        ctx = replace(ctx, host=roles.hosts[0])
    return ctx


def _roles(sent: str, mentions: list[Mention], anchor: Anchor, ctx: Context, withdraw: bool):
    """(Roles or None, context): `how` lists what came from earlier in the article rather than the sentence."""
    clause = clause_start(sent, anchor.start)
    dep_m, by_modifier = _deployer_mention(sent, mentions, anchor, clause, withdraw)
    if dep_m is None and _FROM_OTHERS.match(sent[anchor.end :]):
        return None, ctx  # "peacekeepers from other nations": not the article's deployer
    how = []
    if dep_m is not None and dep_m.iso3 is None:
        return None, _body_host(sent, mentions, anchor, clause, withdraw, dep_m, ctx)
    if dep_m is not None:
        deployers = list(dict.fromkeys(m.iso3 for m in _extend_list(sent, mentions, dep_m) if m.iso3))
    elif ctx.blocked or not ctx.deployer or _OWNER_UNKNOWN.search(sent, 0, anchor.noun_start):
        return None, ctx  # "100 SDF troops": someone's own forces, named in a way the gazetteer does not know
    else:
        deployers = list(ctx.deployer)
        how.append("deployer from earlier in the article")
    exclude = set(deployers)
    host_m, anaphor, mentions = _host_mention(sent, mentions, anchor, clause, withdraw, exclude, dep_m)
    if host_m is not None and host_m.kind == "region":
        return None, _carry(ctx, dep_m, deployers)  # "to the Middle East": not a country, nor one named nearby
    hosts: list[str] = []
    if host_m is not None:
        # "to either Samawa or Nasiriya": two towns of one host
        hosts = list(
            dict.fromkeys(m.iso3 for m in _extend_list(sent, mentions, host_m) if m.iso3 and m.iso3 not in exclude)
        )
    elif anaphor is not None:
        hosts, host_m = _anaphor_host(sent, mentions, anaphor, exclude, ctx, how)
    after = sent[anchor.end :]
    if not hosts and (_IN_REGION.search(after[:80]) or _AT_BORDER.match(after)):
        # "2,000 more are expected to leave the region", "troops near the Ukrainian border": not in the country
        # named before, and not placed in one
        return None, ctx
    if not hosts:
        # a bare mention of forces takes the article's host only for troops it names as a country's own
        # ("Turkish troops"), not for whatever the clause's subject is ("X and Y inked a deal before the deployment")
        if not (ctx.host and ctx.host not in exclude and (anchor.counted or by_modifier)):
            return None, _carry(ctx, dep_m, deployers)
        hosts = [ctx.host]
        how.append("host from earlier in the article")
    if dep_m is None and host_m is None and not anchor.counted:
        return None, ctx  # nothing in this sentence ties it to a pair
    return Roles(tuple(deployers), dep_m, tuple(hosts), host_m, tuple(how), by_modifier), ctx
