"""From article to draft reports: who sends how many troops where, when, on whose word, with the evidence.

`extract(text, published=None) -> list[Draft]`. The pipeline is rules, in this order, so that every
field of a draft can point at the words it came from:

1. sentences, and in them the countries (core.extraction.gazetteer: names, adjectives, capitals,
   cities, institutions; multinational bodies are recognised as actors that are not countries);
2. anchors: troop counts ("some 3,500 soldiers", "a contingent of 100", "a 1,000-person contingent",
   "from 36,000 to 24,000") and count-less mentions of forces ("Turkish troops", "bases");
3. for each anchor, the deployer (the country modifying the troops, else the clause's subject) and the
   host (the country after "to/in/into", the place troops are in, "X hosts", "there"), falling back to
   the article's running deployer/host only where the sentence itself names one side or a count;
4. status (announced for future and conditional wording, withdrawn for pullouts), date (resolved
   against the publication date), source (who the text attributes the sentence to);
5. drafts of one pair and figure are merged; a person confirms each draft before it is stored.

Stages with a module of their own in core.extraction: sentences (split), source (cite: the source,
the agency cited and the speaker), dates, numbers, gazetteer, drafts (Draft, merge); word lists in
core/extraction/data. Mentions, anchors (counts), roles and status are still here.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from core.domain import format_date
from core.extraction import dates as _dates
from core.extraction import drafts as _drafts
from core.extraction import sentences as _sentences
from core.extraction import words as _words
from core.extraction.drafts import Draft
from core.extraction.gazetteer import TOKEN, gazetteer
from core.extraction.numbers import NUMBER, QUALIFIER, parse_number, qualifier_kind
from core.extraction.source import SAY, cite, quoted_people

__all__ = ["Draft", "extract"]  # Draft lives in core.extraction.drafts; callers import it from here


# --- vocabulary -------------------------------------------------------------------------------------

# Defined once, in data files: the words of leaving a country, and the modals of a future deployment.
_LEAVE = _words.alternation("leave_words")
_MODAL = _words.alternation("future_modals")

_MIL_NOUN = (
    r"troops|soldiers|servicemen|servicemembers|service\s+members|service\s+personnel|military\s+personnel|"
    r"personnel|marines|paratroopers|commandos|special\s+forces|special\s+operations\s+forces|forces|"
    r"peacekeepers|peace-keepers|sailors|airmen|military\s+advis[oe]rs|advis[oe]rs|instructors|trainers|"
    r"mercenaries|contractors|gendarmes|police\s+officers|policemen|police|officers|fighters|guards|"
    r"military\s+police|boots\s+on\s+the\s+ground|staff|men|women|people|members|specialists|experts|"
    r"engineers|medics|pilots|crew|infantry|reservists|recruits|volunteers"
)
# Nouns that only count as troops when the sentence is about forces (people protesting are not troops).
_WEAK_NOUNS = {
    "people",
    "men",
    "women",
    "members",
    "staff",
    "officers",
    "specialists",
    "experts",
    "engineers",
    "medics",
    "pilots",
    "crew",
    "volunteers",
    "guards",
    "fighters",
    "contractors",
}
_UNIT = r"contingent|force|battalion|brigade|detachment|deployment|mission|unit|units|group|team|troop|corps"
_MOD_STOP = (
    r"of|the|a|an|and|or|to|in|into|from|at|on|for|with|by|were|was|are|is|be|been|have|has|had|"
    r"will|would|who|which|that|this|these|those|than|as|per|it|its|their|his|her|they|we|our|"
    r"killed|dead|died|wounded|injured|tonnes|tons|tonnes|km|kilometres|kilometers|miles|years|"
    r"dollars|euros|percent|per\s+cent|votes|hectares|square|metres|meters|"
    # "from five African nations said soldiers ...": countries and speech are no troops' modifiers
    r"nations|countries|said|says|told|reported|" + _words.alternation("not_troop_modifiers")
)
_MOD = rf"(?!(?:{_MOD_STOP})\b)(?:[A-Za-z][\w.'’\-]*|U\.S\.)"

_COUNT = re.compile(
    rf"""
    (?<![\w$€£.,-])
    (?:(?P<between>between)\s+)?
    (?:(?P<qual>{QUALIFIER})\s+)?
    (?P<num>{NUMBER})
    (?:\s*(?:-|–|to|and)\s*(?!(?:{QUALIFIER})\b)(?P<num2>{NUMBER}))?
    (?P<plus>\+)?
    (?:
        -(?P<strong>strong|person|man|member|troop|soldier|personnel)\b(?P<tail>(?:\s+{_MOD}){{0,3}}?\s+(?:{_UNIT}|{_MIL_NOUN})\b)?
      | (?P<mods>(?:\s+{_MOD}){{0,4}}?)\s+(?P<noun>{_MIL_NOUN})\b
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
# "a contingent of 100", "a force of about 2,500 people", "consist of about 2,500 people"
_UNIT_OF = re.compile(
    rf"""\b(?P<unit>{_UNIT}|total|strength|consist(?:s|ed|ing)?|comprising|comprised|made\s+up|numbering|totall?ing)
    (?:\s+of)?\s+(?:(?P<qual>{QUALIFIER})\s+)?(?P<num>{NUMBER})(?:\s*(?:-|–|to)\s*(?P<num2>{NUMBER}))?
    (?!\s*(?:-|–)?\s*(?:tonnes|tons|km|kilomet|miles|years|dollars|euros|per|%|million\s+dollars))
    (?:(?P<mods>(?:\s+{_MOD}){{0,3}}?)\s+(?P<noun>{_MIL_NOUN})\b)?""",
    re.VERBOSE | re.IGNORECASE,
)
# Levels: "reducing troops from some 36,000 to 24,000", "brings the total ... to 744"
_FROM_TO = re.compile(
    rf"\bfrom\s+(?:(?P<qual>{QUALIFIER})\s+)?(?P<num>{NUMBER})\s+(?:(?:down|up)\s+)?to\s+"
    rf"(?:(?P<qual2>{QUALIFIER})\s+)?(?P<num2>{NUMBER})\b(?!\s*(?:-|–)?\s*(?:tonnes|tons|km|per|%|years))",
    re.IGNORECASE,
)
_TOTAL_TO = re.compile(
    rf"\b(?:brings?|bringing|brought|raises?|raising|raised|increas\w+|boost\w*|takes?|taking)\s+(?:the|its|their)\s+"
    rf"(?:total|number|strength|overall|presence|contingent|deployment|force)\b[^.;:]{{0,80}}?\bto\s+(?:(?P<qual>{QUALIFIER})\s+)?(?P<num>{NUMBER})\b",
    re.IGNORECASE,
)
# Whole words only: an unanchored alternation finds "men" inside "government".
_MIL_WORD = re.compile(rf"\b(?:{_MIL_NOUN})\b", re.IGNORECASE)
# "U.S. forces stationed there from the current 28,500": the level today, whatever change is discussed
_CURRENT = re.compile(
    rf"\b(?:from|at|of)\s+(?:the|its|their|a)\s+current\s+(?:level\s+of\s+|total\s+of\s+)?"
    rf"(?:(?P<qual>{QUALIFIER})\s+)?(?P<num>{NUMBER})\b(?!\s*(?:-|–)?\s*(?:tonnes|tons|km|per|%|years|dollars))",
    re.IGNORECASE,
)
# The troops of the sentence before, counted: "the first 100 of them were in the country"
_OF_THEM = re.compile(
    rf"\bthe\s+(?:first|last|remaining)\s+(?P<num>{NUMBER})\s+of\s+them\b(?=\s+(?:were|are|have|had|arrived|landed))",
    re.IGNORECASE,
)
_CUE = re.compile(rf"\b(?:{_MIL_NOUN}|{_UNIT}|bases?|military)\b", re.IGNORECASE)
_HAS_NUMBER = re.compile(
    r"\d+|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen|million)\b",
    re.IGNORECASE,
)
# "Chinese troops, numbering about 2,000", "mercenaries, estimated at 1,500"
_POST_COUNT = re.compile(
    rf"\b(?P<noun>{_MIL_NOUN}|force|contingent),?\s+(?:(?:now\s+)?numbering|totall?ing|(?:estimated|put|believed\s+to\s+number)\s+at|"
    rf"who\s+number|(?:which|that|who)\s+(?:once\s+|then\s+|now\s+|at\s+its\s+peak\s+)?numbered)\s+"
    rf"(?:(?P<qual>{QUALIFIER})\s+)?(?P<num>{NUMBER})",
    re.IGNORECASE,
)
_ELLIPSIS = re.compile(
    rf"(?:,|\band\b|\bwhile\b|\bwith\b)\s+(?:another\s+)?(?:(?P<qual>{QUALIFIER})\s+)?(?P<num>{NUMBER})"
    rf"(?:\s+(?:more|others))?\s+(?=(?:in|to|into|at|inside)\s+(?:the\s+)?[A-Z])",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    rf"\b(?:hundreds|thousands|dozens|scores|tens\s+of\s+thousands|a\s+few|several|many)\s+"
    rf"(?:of\s+)?(?:(?:{_MOD})\s+){{0,3}}?(?P<noun>{_MIL_NOUN})\b",
    re.IGNORECASE,
)
_TRIGGER = re.compile(
    r"\b(?:troops|soldiers|servicemen|service\s+members|military\s+personnel|personnel|marines|paratroopers|"
    r"special\s+forces|forces|peacekeepers|contingent|battalions?|brigade|military\s+presence|"
    r"(?:military|air|naval|army|overseas)\s+bases?|bases?|deployment|military\s+advis[oe]rs|"
    r"police\s+officers|policemen|military\s+assets|warships|mercenaries|"
    r"(?:officers|contingents|units)(?=\s+from\s+(?:the\s+)?[A-Z])|troop\s+(?:levels?|numbers|presence))\b",
    re.IGNORECASE,
)
_NOT_FOREIGN = re.compile(
    r"\b(?:rebel|government|security|opposition|militia|insurgent|jihadist|enemy|separatist|local|"
    r"regime|pro-\w+|anti-\w+|armed|defence|defense|national|allied|coalition|ethnic|local)\s+(?:[A-Z][\w-]*\s+)?$",
    re.IGNORECASE,
)
_CASUALTY_AFTER = re.compile(
    r"^[^.;]{0,30}?\b(?:were|have\s+been|had\s+been|was|are|being)?\s*(?:killed|dead|died|wounded|injured|"
    r"captured|kidnapped|missing|taken\s+hostage|abducted|executed|arrested|detained|slain|lost\s+their\s+lives)\b",
    re.IGNORECASE,
)
_NOT_DEPLOYED_BEFORE = re.compile(
    r"\b(?:killing|killed|kill|wound\w*|injur\w*|deaths?\s+of|bodies\s+of|death\s+toll|casualties|lost|losing|train(?:ed|ing|s)?|"
    r"recruit(?:ed|ing|s)?|equip(?:ped|ping|s)?|arm(?:ed|ing)|evacuat\w+|rescu\w+|house|housing|accommodat\w+|"
    r"capacity\s+(?:of|for)|room\s+for|hold|designed\s+for|big\s+enough\s+for|able\s+to\s+(?:host|hold)|"
    r"capable\s+of\s+\w+|protest\w*|rall(?:y|ied)|march(?:ed|ing)?)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    rf"\b(?:{_MODAL}|threat\w*|plans?|planned|planning|intends?\s+to|intention|is\s+to|"
    r"are\s+to|set\s+to|expected\s+to|pledg\w+|promis\w+|vow\w*|offer\w*|agreed\s+to|authori[sz]\w*|"
    r"approv\w+|propos\w+|consider\w*|ready\s+to|prepared\s+to|going\s+to|soon|next\s+(?:week|month|year)|"
    r"upcoming|due\s+to\s+(?:arrive|deploy|be)|decision\s+to|decided\s+to|announced\s+plans?|'ll|to\s+(?:send|deploy|dispatch|station))\b",
    re.IGNORECASE,
)
_WITHDRAW = re.compile(
    r"\b(?:withdr[ae]w\w*|withdrawn|withdrawal|pull(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?(?:out|back)|pull-?out|"
    r"drawdown|draw\s+down|cut(?:s|ting)?|reduc\w+|remov\w+|bring(?:ing)?\s+home|brought\s+home|"
    r"repatriat\w+|end(?:ed|ing|s)?\s+(?:its|their|the)\s+(?:mission|deployment|presence)|get\s+out|"
    # case-sensitive capital: "leaves Mali" is a departure, "leaves just 200 troops" is not
    rf"(?:{_LEAVE})\s+(?=(?-i:[A-Z])))\b",
    re.IGNORECASE,
)
_LOCAL_FORCES = re.compile(rf"\b(?:{_words.alternation('local_forces')})\b", re.IGNORECASE)
_NOT_SENT_AFTER = re.compile(
    rf"^\s*(?:\w+\s+){{0,2}}?(?:have\s+been|had\s+been|were|are|being)\s+(?:{_words.alternation('not_sent_after')})\b",
    re.IGNORECASE,
)
_PART_BEFORE = re.compile(rf"\b(?:{_words.alternation('part_before')})\s+$", re.IGNORECASE)
# A count given item by item: "24 personnel for one helicopter"
_PER_ITEM_AFTER = re.compile(r"^\s+for\s+(?:one|each|every|a\s+single|the\s+(?:first|second|third|other))\b", re.I)
# "Italian and German troops", "US military personnel": a country whose forces the sentence names
_FORCE_AFTER = re.compile(
    rf"^(?:\s*,?\s*(?:and\s+)?[A-Z][\w.-]*)*\s+"
    rf"(?:(?:military|army|special|combat|ground|naval|navy|air|armed|elite|peacekeeping|marine)\s+)?(?:{_MIL_NOUN})\b"
)
_LEAVER_AFTER = re.compile(r"^\s+(?:exit|withdrawal|pull-?out|departure|drawdown|retreat)\b", re.IGNORECASE)
_IN_REGION = re.compile(
    # leaving "the region" is leaving more than one country; "to the region" is often the host's own
    rf"\b(?:(?:from|out\s+of|{_LEAVE})\s+the\s+(?:wider\s+)?(?:region|gulf|continent)|in\s+the\s+gulf)\b",
    re.IGNORECASE,
)
_FROM_UNIT_BEFORE = re.compile(r"\bfrom\s+(?:a|an|the|its|their)\s+$", re.IGNORECASE)
_MOVE = re.compile(
    r"\b(?:reposition\w*|relocat\w+|redeploy\w*|mov(?:e|es|ed|ing)|transferr?\w*|shift\w*)\b", re.IGNORECASE
)
_NEGATION = re.compile(
    r"\b(?:not|never|no|denied|denies|deny|denying|rejected|rejects|ruled\s+out|refused|refuses|"
    r"declined|declines)\b|n't\b",
    re.IGNORECASE,
)
# "withdraw its 1,500 troops", "remove the roughly 80 troops": the whole contingent, so its size is the level
_ALL = re.compile(
    rf"\b(?:all|entire|remaining|last|whole)\b|\b(?:its|their|the)\s+(?:(?:{QUALIFIER})\s+)?(?=\S*\d)",
    re.IGNORECASE,
)
_STATIONED_AFTER = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:stationed|deployed|based|serving|present)\b", re.IGNORECASE)
_HOST_PREP = (
    r"to|in|into|inside|within|at|toward|towards|across|throughout|on|near|entered|enter|enters|entering|"
    r"invaded|invade|invades|invading|reached|occupied|occupy|occupies|occupying"
)
_FILLER = {
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "our",
    "neighbouring",
    "neighboring",
    "nearby",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "capital",
    "city",
    "town",
    "port",
    "region",
    "province",
    "of",
    "partner",
    "partners",
    "ally",
    "allies",
    "fellow",
    "member",
    "state",
    "states",
    "country",
    "nation",
    "restive",
    "tiny",
    "small",
    "landlocked",
    "island",
    "neighbour",
    "neighbor",
    "strategic",
    "key",
    "bases",
    "base",
    "soil",
    "territory",
    "part",
    "parts",
    "areas",
    "area",
    "border",
    "borders",
    "camp",
    "outskirts",
    "heart",
    "rest",
    "embattled",
    "volatile",
    "troubled",
    "unstable",
    "oil-rich",
    "gas-rich",
    "war-torn",
    "conflict-hit",
    "insurgency-hit",
}
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
    rf"versus|between|like|than|about|of|amid|over|{_LEAVE}|ambassador\s+to|"
    r"request\s+of|invitation\s+of|behalf\s+of)"
    r"(?:\s+the)?(?:\s+[\w-]+){0,2}?\s*)$",
    re.IGNORECASE,
)
_NOT_HOST_BEFORE = re.compile(
    rf"\b(?:from|with|against|versus|between|amid|like|than|about|{_LEAVE}|near)(?:\s+the)?\s*$",
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
_POLICE = re.compile(r"\bpolice|policemen|gendarme|constabulary|\bFPU\b", re.IGNORECASE)
_MILITARY = re.compile(
    r"\b(?:troops|soldiers|military|army|defen[cs]e\s+force|armed\s+forces|marines|"
    r"peacekeep\w+|contingent|servicemen|battalion|brigade)\b",
    re.IGNORECASE,
)
_ARMED = re.compile(r"\b(?:troops|soldiers|military|army|defen[cs]e\s+force|armed\s+forces|marines)\b", re.IGNORECASE)
_MORE = re.compile(r"\b(?:more|additional|extra|further|fresh|new|another|reinforcements?)\b", re.IGNORECASE)


_SAY = SAY
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]{2,}(?:,\s*[A-Z][\w .'’-]+)?\s*(?:\([^)]{1,40}\))?\s*(?:--|—|–|-)\s")


@dataclass
class _Mention:
    start: int
    end: int
    iso3: str | None
    kind: str
    text: str
    dateline: bool = False


@dataclass
class _Anchor:
    start: int  # of the whole phrase, relative to the sentence
    end: int
    noun_start: int  # where the troop noun (or the number, without one) starts
    troops: int | None = None
    troops_max: int | None = None
    kind: str = "unknown"
    qual_span: tuple[int, int] | None = None
    status: str | None = None  # forced by the pattern (levels)
    note: str | None = None
    counted: bool = False
    police: bool = False
    vague: bool = False


# --- scanning ---------------------------------------------------------------------------------------


_CAPITALISED = re.compile(r"(?<![\w'’.-])[A-Z\u00C0-\u00DE][\w'’.-]*")


def _mentions(text: str) -> list[_Mention]:
    """Country words, longest match first; only capitalised words that can start a name are looked at."""
    gaz = gazetteer()
    out: list[_Mention] = []
    resume = 0
    for cap in _CAPITALISED.finditer(text):
        if cap.start() < resume:
            continue
        head = cap.group()
        key = head.casefold()
        if key not in gaz.first_words and head not in gaz.exact:
            if not any(c in head for c in "'’.-"):
                continue  # the common case: a capitalised word that starts no country name
            parts = re.split(r"['’.-]", key)[0], key.rstrip("."), key.replace("’", "'").split("'")[0]
            if not any(p in gaz.first_words for p in parts):
                continue
        toks = [
            (m.start(), m.end(), m.group().replace("’", "'"))
            for m in itertools.islice(TOKEN.finditer(text, cap.start(), cap.start() + 60), 6)
        ]
        found = None
        for n in range(len(toks), 0, -1):
            words = [t[2] for t in toks[:n]]
            if n > 1 and not words[-1][:1].isupper():
                continue
            entry = gaz.lookup(words)
            if entry is not None:
                found = (n, entry)
                break
        if found is None:
            word = toks[0][2] if toks else ""
            if "-" in word:  # "Iran-backed", "U.S.-led", "UN-supported"
                head_word = word.split("-")[0]
                entry = gaz.lookup([head_word])
                if entry is not None and entry.kind != "not":
                    # "Iraq-bound forces" go to Iraq: a place, never the forces' own country
                    kind = "place" if word.lower().endswith("-bound") else entry.kind
                    out.append(_Mention(toks[0][0], toks[0][0] + len(head_word), entry.iso3, kind, head_word))
            continue
        n, entry = found
        start, end = toks[0][0], toks[n - 1][1]
        resume = end
        if entry.kind != "not":
            out.append(_Mention(start, end, entry.iso3, entry.kind, text[start:end]))
    return out


def _value(text: str | None) -> int | None:
    return parse_number(text) if text else None


def _noun_in(sent: str, start: int, end: int) -> int:
    """Where the troops are named in a level phrase ('the total number of Kenyan police in Haiti to 744')."""
    m = re.search(rf"\b(?:{_MIL_NOUN})\b", sent[start:end], re.IGNORECASE)
    if m:
        return start + m.start()
    before = list(re.finditer(rf"\b(?:{_MIL_NOUN})\b", sent[max(0, start - 90) : start], re.IGNORECASE))
    return max(0, start - 90) + before[-1].start() if before else start


def _number_windows(sent: str) -> list[tuple[int, int]]:
    """Stretches of the sentence around numbers: the count patterns run only there (speed)."""
    spans: list[list[int]] = []
    for m in _HAS_NUMBER.finditer(sent):
        start, end = max(0, m.start() - 140), min(len(sent), m.end() + 90)
        while start > 0 and not sent[start - 1].isspace():
            start -= 1
        while end < len(sent) and not sent[end].isspace():
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans]


@dataclass
class _Scan:
    """One sentence's search for counts: the anchors found so far and the tests all patterns share."""

    sent: str
    found: list[_Anchor]
    military: bool  # the sentence is about forces: weak nouns ("people", "staff") may count
    windows: list[tuple[int, int]]  # stretches around numbers, where the count patterns run

    def overlaps(self, a: int, b: int) -> bool:
        return any(a < x.end and x.start < b for x in self.found)

    def excluded(self, start: int, end: int) -> bool:
        sent = self.sent
        if _NOT_DEPLOYED_BEFORE.search(sent[max(0, start - 40) : start]) or _PART_BEFORE.search(sent[:start]):
            return True
        if _LOCAL_FORCES.search(sent[start:end]) or _NOT_SENT_AFTER.match(sent[end : end + 60]):
            return True
        return _CASUALTY_AFTER.search(sent[end : end + 60]) is not None

    def scan(self, rx: re.Pattern) -> list[re.Match]:
        return [m for a, b in self.windows for m in rx.finditer(self.sent, a, b)]

    def unpack(self):
        return self.sent, self.found, self.overlaps, self.excluded, self.scan, self.military


def _anchors(sent: str) -> list[_Anchor]:
    if _CUE.search(sent) is None and _OF_THEM.search(sent) is None:
        return []  # every anchor names forces or a unit; most sentences of an article name neither
    sc = _Scan(sent, [], _MILITARY.search(sent) is not None, _number_windows(sent))
    for scanner in _SCANNERS:
        scanner(sc)
    found = sc.found
    for a in found:
        a.police = a.police or _POLICE.search(sent[a.start : a.end]) is not None
    found.sort(key=lambda a: a.start)
    return found


def _scan_levels(sc: _Scan) -> None:
    """"from some 36,000 to 24,000" (both levels), "from the current 28,500", "the first 100 of them"."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    for m in scan(_FROM_TO):
        window = sent[max(0, m.start() - 90) : m.start()]
        if not (_TRIGGER.search(window) or _MIL_WORD.search(window)):
            continue
        a, b = _value(m.group("num")), _value(m.group("num2"))
        if not a or not b or a == b:
            continue
        found.append(
            _Anchor(
                m.start(),
                m.start("num2") - 1,
                _noun_in(sent, m.start(), m.start("num")),
                a,
                None,
                qualifier_kind(m.group("qual")),
                m.span("qual") if m.group("qual") else None,
                status="present",
                counted=True,
                note="level before the change",
            )
        )
        found.append(
            _Anchor(
                m.start("num2") - 1,
                m.end(),
                _noun_in(sent, m.start(), m.start("num")),
                b,
                None,
                qualifier_kind(m.group("qual2")),
                m.span("qual2") if m.group("qual2") else None,
                status="announced",
                counted=True,
                note="level after the change",
            )
        )
    for m in _OF_THEM.finditer(sent):  # "the first 100 of them were in the country"
        value = _value(m.group("num"))
        if value:
            found.append(_Anchor(m.start(), m.end(), m.start("num"), value, None, "exact", counted=True))
    for m in scan(_CURRENT):
        value = _value(m.group("num"))
        if value and _MIL_WORD.search(sent[max(0, m.start() - 90) : m.start()]):
            qual = m.span("qual") if m.group("qual") else None
            found.append(_Anchor(m.start(), m.end(), _noun_in(sent, m.start(), m.start("num")), value, None,
                                 qualifier_kind(m.group("qual")), qual, status="present", counted=True,
                                 note="current level"))


def _scan_totals(sc: _Scan) -> None:
    """"brings the total ... to 744"."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    for m in scan(_TOTAL_TO):
        value = _value(m.group("num"))
        if value and not overlaps(*m.span()):
            found.append(
                _Anchor(
                    m.start(),
                    m.end(),
                    _noun_in(sent, m.start(), m.start("num")),
                    value,
                    None,
                    qualifier_kind(m.group("qual")),
                    m.span("qual") if m.group("qual") else None,
                    counted=True,
                    note="TOTAL",
                )
            )


def _scan_units(sc: _Scan) -> None:
    """"a contingent of 100", "a force of about 2,500 people"."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    for m in scan(_UNIT_OF):
        if overlaps(m.start("num"), m.end()):
            continue
        unit = m.group("unit").lower()
        noun = (m.group("noun") or "").lower()
        if not m.group("noun") and unit in (
            "total",
            "strength",
            "deployment",
            "mission",
            "group",
            "team",
            "unit",
            "units",
            "numbering",
            "totalling",
            "totaling",
        ):
            continue
        if not m.group("noun") and not military_context:
            continue
        if noun in _WEAK_NOUNS and not military_context:
            continue
        if excluded(m.start(), m.end()):
            continue
        value, value2 = _value(m.group("num")), _value(m.group("num2"))
        if not value:
            continue
        kind = qualifier_kind(m.group("qual"))
        troops_max = None
        if value2 and value < value2 <= value * 10:
            kind, troops_max = "range", value2
        found.append(
            _Anchor(
                m.start(),
                m.end(),
                m.start("noun") if m.group("noun") else m.start(),
                value,
                troops_max,
                kind,
                m.span("qual") if m.group("qual") else None,
                counted=True,
                police=_POLICE.search(m.group()) is not None,
            )
        )


def _scan_counts(sc: _Scan) -> None:
    """"some 3,500 soldiers", "the 2,000-strong Kenyan contingent", "300-400 troops"."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    for m in scan(_COUNT):
        if overlaps(*m.span()):
            continue
        noun = (m.group("noun") or "").lower()
        if noun in _WEAK_NOUNS and not military_context:
            continue
        if excluded(m.start(), m.end()) or _PER_ITEM_AFTER.match(sent[m.end() :]):
            continue
        if m.group("strong") and _FROM_UNIT_BEFORE.search(sent[: m.start()]):
            continue  # "soldiers from the 3,500-strong brigade": the unit's size, not the number sent
        value, value2 = _value(m.group("num")), _value(m.group("num2"))
        if value is None or (m.group("num2") and value2 is None):
            continue
        num_text = m.group("num")
        if (
            re.fullmatch(r"(19|20)\d\d", num_text)
            and not m.group("num2")
            and re.search(r"\b(?:in|since|of|by|until)\s+$", sent[max(0, m.start() - 8) : m.start()])
        ):
            continue  # "in 2014 troops ..." is a year
        kind = qualifier_kind(m.group("qual"))
        troops_max = None
        if value2 is not None:
            if value2 <= value or m.group("between") is None and value2 > value * 10:
                continue  # "325-184" is a tally, not a range
            kind, troops_max = "range", value2
        if m.group("plus"):
            kind = "at_least"
        if m.group("noun"):
            noun_start = m.start("noun")
        elif m.group("tail"):  # "the 2,000-strong Kenyan contingent": the unit word closes the phrase
            noun_start = m.end() - len(m.group("tail").split()[-1])
        else:
            noun_start = m.start("num")
        found.append(
            _Anchor(
                m.start(),
                m.end(),
                noun_start,
                value,
                troops_max,
                kind,
                m.span("qual") if m.group("qual") else None,
                counted=True,
                police=_POLICE.search(m.group()) is not None,
                note="additional (an increment on earlier numbers)" if _MORE.search(m.group("mods") or "") else None,
            )
        )


def _scan_post_counts(sc: _Scan) -> None:
    """"Chinese troops, numbering about 2,000", "the force, which once numbered 50,000"."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    for m in scan(_POST_COUNT):
        value = _value(m.group("num"))
        if value and not overlaps(*m.span()):
            found.append(
                _Anchor(
                    m.start(),
                    m.end(),
                    m.start("noun"),
                    value,
                    None,
                    qualifier_kind(m.group("qual")) if m.group("qual") or "at" not in m.group() else "approx",
                    m.span("qual") if m.group("qual") else None,
                    # "which once numbered 50,000": a level the force had, not a number leaving
                    status="present" if re.search(r"numbered", m.group(), re.IGNORECASE) else None,
                    counted=True,
                )
            )


def _scan_ellipses(sc: _Scan) -> None:
    """"5,200 troops in Iraq and about 2,000 in Syria": the noun is not repeated."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    if any(a.counted for a in found):
        # "5,200 troops in Iraq and about 2,000 in Syria": the noun is not repeated
        for m in _ELLIPSIS.finditer(sent):
            value = _value(m.group("num"))
            if value and not overlaps(m.start("num"), m.end()) and any(a.end <= m.start() for a in found):
                start = m.start("qual") if m.group("qual") else m.start("num")
                found.append(
                    _Anchor(
                        start,
                        m.end("num"),
                        m.start("num"),
                        value,
                        None,
                        qualifier_kind(m.group("qual")),
                        m.span("qual") if m.group("qual") else None,
                        counted=True,
                    )
                )


def _scan_vague(sc: _Scan) -> None:
    """"hundreds of soldiers", "several thousand troops": forces without a figure."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    lowered = sent.lower()
    vague_words = ("hundreds", "thousands", "dozens", "scores", "a few", "several", "many")
    for m in _VAGUE.finditer(sent) if any(w in lowered for w in vague_words) else ():
        if not overlaps(*m.span()) and not excluded(m.start(), m.end()):
            noun = m.group("noun").lower()
            if noun in _WEAK_NOUNS and not military_context:
                continue
            found.append(
                _Anchor(
                    m.start(),
                    m.end(),
                    m.start("noun"),
                    vague=True,
                    note="vague quantity",
                    police=_POLICE.search(m.group()) is not None,
                )
            )


def _scan_triggers(sc: _Scan) -> None:
    """Count-less mentions of forces: "Turkish troops", "bases", "the deployment"."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    for m in _TRIGGER.finditer(sent):
        if overlaps(*m.span()) or _NOT_FOREIGN.search(sent[max(0, m.start() - 25) : m.start()]):
            continue
        if _CASUALTY_AFTER.search(sent[m.end() : m.end() + 60]):
            continue
        if re.match(r"\s+loyal\b", sent[m.end() :]):
            continue
        found.append(_Anchor(m.start(), m.end(), m.start(), police=_POLICE.search(m.group()) is not None))


_SCANNERS = (
    _scan_levels,
    _scan_totals,
    _scan_units,
    _scan_counts,
    _scan_post_counts,
    _scan_ellipses,
    _scan_vague,
    _scan_triggers,
)


# --- roles ------------------------------------------------------------------------------------------


def _extend_list(sent: str, mentions: list[_Mention], chosen: _Mention) -> list[_Mention]:
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
    if len(group) > 1 and not any(
        re.search(r"\b(?:and|or)\b|&", sent[a.end : b.start]) for a, b in itertools.pairwise(group)
    ):
        return [chosen]  # "In neighbouring Iraq, the United States ...": a comma alone does not make a list
    return group


def _modifier(sent: str, mentions: list[_Mention], anchor: _Anchor) -> _Mention | None:
    """The country in the troops' own noun phrase: 'Russian troops', '100 U.S. soldiers', 'Kenya's police'."""
    for m in mentions:  # "550 Ground Self-Defense Forces personnel": the troop noun is inside the force's name
        if m.kind == "institution" and m.start < anchor.noun_start < m.end and m.iso3:
            return m
    for m in reversed(mentions):
        if m.end > anchor.noun_start or m.dateline or m.kind == "place":
            continue
        gap = sent[m.end : anchor.noun_start]
        if re.fullmatch(
            r"(?:['’]s)?(?:\s+(?:the|its|more|additional|extra|new|fresh|elite|special|combat|military|army|"
            r"naval|navy|air|ground|armed|defen[cs]e|national|marine|peacekeeping|contingent|of|support|"
            r"deployed|regular|active-duty|airborne|mechani[sz]ed|infantry|armou?red|[A-Z][\w-]*|"
            r"[\d,.]+-(?:strong|member|man|person)|first|second|third|fourth|fifth|sixth|latest))*\s*",
            gap,
        ):
            return m
        break
    after = sent[anchor.end :]
    m2 = re.match(r"\s*of\s+(?:the\s+)?", after)
    if m2:
        pos = anchor.end + m2.end()
        for m in mentions:
            if m.start == pos and m.kind != "place":
                return m
    return None


def _subject(sent: str, mentions: list[_Mention], anchor: _Anchor, clause_start: int) -> _Mention | None:
    for m in reversed(mentions):
        if m.end > anchor.start or m.start < clause_start or m.dateline or m.kind == "place":
            continue
        before = sent[max(clause_start, m.start - 40) : m.start]
        if _SUBJECT_OF.search(before) and not re.search(
            r"(?:request|invitation|behalf)\s+of\s+the\s+\w+\s+of\s*$", before, re.IGNORECASE
        ):
            return m
        if _BLOCKING_BEFORE.search(before):
            continue
        if m.kind == "adj" and m.text not in ("U.S.", "US", "USA", "U.S.A.") and not _ACTOR_NOUN.match(sent[m.end :]):
            continue  # "the Polish town" is not an actor; "Turkish lawmakers" is
        return m
    return None


def _prep_host(
    sent: str, mentions: list[_Mention], start: int, end: int, exclude: set, preps: str = _HOST_PREP
) -> tuple[_Mention | None, int | None]:
    """First 'to/in/into ... COUNTRY' between start and end.

    Anaphora ('there', 'the country', 'its territory') returns (None, its position) for the caller to resolve.
    """
    for p in re.finditer(rf"\b(?:{preps})\s+", sent[start:end], re.IGNORECASE):
        pos = start + p.end()
        rest = sent[pos : pos + 60]
        for m in mentions:
            if m.start < pos or (m.iso3 is None and m.kind != "region"):
                continue
            if re.match(r"\s+(?:border|borders|frontier|side)\b", sent[m.end :]):
                break  # troops "near the Ukrainian border" are on the other side of it
            words = re.findall(r"[\w'’-]+", sent[pos : m.start])
            if (
                len(words) <= 4
                and all(w.lower() in _FILLER or w.upper() == w and len(w) > 1 for w in words)
                and not re.search(r"[,;:()]", sent[pos : m.start])
            ):
                if m.iso3 not in exclude and not _FORCE_AFTER.match(sent[m.end :]):
                    return m, None  # a region too: the caller drops the anchor rather than guess a country
            break
        if _ANAPHOR.match(rest):
            return None, pos
    if re.search(r"\bthere\b", sent[start:end]):
        return None, start + re.search(r"\bthere\b", sent[start:end]).start()
    return None, None


def _clause_start(sent: str, pos: int) -> int:
    cut = 0
    for m in re.finditer(
        r"[:;“”\"]|\bsaid\s+(?:that\s+)?|\bthat\s+|,\s+(?:where|which|who|while|whereas|but)\b", sent[:pos]
    ):
        cut = m.end()
    return cut


@dataclass
class _Context:
    deployer: list[str] = field(default_factory=list)
    host: str | None = None
    blocked: bool = False  # the running actor is a multinational body
    sentence: int = -1  # where the sentence being read starts
    set_in: int = -2  # the sentence that last set the deployer


def _where_before(sent: str, mentions: list[_Mention], clause: int, exclude: set) -> _Mention | None:
    """'... to Estonia, where 300 US troops are based': the place the relative clause is about."""
    if not re.search(r",\s+where\s*$", sent[:clause]):
        return None
    before = sent[: clause].rstrip()
    before = before[: before.rfind(",")].rstrip()
    found = [m for m in mentions if m.iso3 and m.iso3 not in exclude and m.end == len(before)]
    return found[0] if found else None


_DEPARTED_FROM = re.compile(
    r"^[^.;]{0,40}?\b(?:departed|left|flew|sailed|set\s+(?:off|out))\s+(?:\w+\s+)?from\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+)?",
    re.IGNORECASE,
)


def _departure_origin(sent: str, mentions: list[_Mention], anchor: _Anchor) -> _Mention | None:
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


def _including_host(sent: str, mentions: list[_Mention], anchor: _Anchor, exclude: set) -> _Mention | None:
    """'mercenaries in several African countries, including Libya, Sudan and Mali': the list names the hosts."""
    m = _COUNTRIES_INCLUDING.match(sent[anchor.end :])
    if m is None:
        return None
    pos = anchor.end + m.end()
    return next((x for x in mentions if x.start == pos and x.iso3 and x.iso3 not in exclude), None)


def _carry(ctx: _Context, dep_m: _Mention | None, deployers: list[str]) -> None:
    """A deployer the sentence names carries to the next one even when no host country is named here:
    "The U.S. military is pulling troops out of the Middle East. About 1,000 who had deployed to Kuwait ..."."""
    if dep_m is not None and ctx.set_in != ctx.sentence:  # the sentence's first actor, not "with Australian forces"
        ctx.deployer, ctx.blocked, ctx.set_in = deployers, False, ctx.sentence


def _deployer_mention(sent: str, mentions: list[_Mention], anchor: _Anchor, clause: int, withdraw: bool):
    """(mention, tied to the noun): who the troops belong to, as far as the sentence says."""
    dep_m = _modifier(sent, mentions, anchor)
    by_modifier = dep_m is not None
    if dep_m is None and not withdraw:
        # "received 1,000 troops from Rwanda": the origin outranks the clause's subject
        m = re.match(r"\s*from\s+(?:the\s+)?", sent[anchor.end :])
        if m:
            dep_m = next((x for x in mentions if x.start == anchor.end + m.end() and x.iso3), None)
            by_modifier = dep_m is not None  # "officers from Chad, Benin and Jamaica": tied to the noun too
    if dep_m is None:
        dep_m = _departure_origin(sent, mentions, anchor)
    if dep_m is None:
        dep_m = _subject(sent, mentions, anchor, clause)
        if dep_m is None and clause:
            dep_m = _subject(sent, mentions, anchor, 0)
    if dep_m is None and re.search(r"\b(?:we|our|us)\b", sent[clause : anchor.start], re.IGNORECASE):
        # "'We will send 500 troops to Mali,' Chad's president said": the speaker's country
        for m in mentions:
            if (
                m.start > anchor.end
                and m.kind in ("name", "adj", "capital", "institution")
                and re.match(rf"(?:['’]s)?\s+(?:[\w-]+\s+){{0,4}}?(?:{_SAY})\b", sent[m.end :])
            ):
                dep_m = m
                break
    if dep_m is not None and dep_m.iso3 is None:
        # "UN peacekeepers from Bangladesh": the body's mission, the country's troops
        m = re.match(r"\s*from\s+(?:the\s+)?", sent[anchor.end :])
        origin = m and next((x for x in mentions if x.start == anchor.end + m.end() and x.iso3), None)
        dep_m = origin or dep_m
    return dep_m, by_modifier


def _host_mention(sent: str, mentions: list[_Mention], anchor: _Anchor, clause: int, withdraw: bool,
                  exclude: set, dep_m: _Mention | None):
    """(host mention, anaphor position, mentions): the first host rule that names a place wins."""
    host_m, anaphor = None, None
    end = len(sent)
    if withdraw:
        host_m, _ = _prep_host(sent, mentions, anchor.start, end, exclude, rf"from|out\s+of|of|{_LEAVE}")
    if host_m is None:
        host_m, anaphor = _prep_host(sent, mentions, anchor.noun_start, end, exclude)
    if host_m is None and anaphor is None:
        host_m = next((m for m in mentions if m.iso3 and m.iso3 not in exclude and _HOSTS_VERB.match(sent[m.end :])),
                      None)
    if host_m is None and anaphor is None:
        # "In Mali, French troops ...", "... in Poland is another step": a host named before the troops
        host_m, anaphor = _prep_host(sent, mentions, clause, anchor.start, exclude)
    if host_m is None and anaphor is None:
        host_m = _where_before(sent, mentions, clause, exclude)
    if host_m is None and anaphor is None:
        host_m = _including_host(sent, mentions, anchor, exclude)
    if host_m is None and anaphor is None:
        mentions = [m for m in mentions if not re.match(r"\s+(?:border|borders|frontier)\b", sent[m.end :])]
        host_m = _host_elsewhere(sent, mentions, anchor, exclude, dep_m)
    return host_m, anaphor, mentions


def _host_elsewhere(sent: str, mentions: list[_Mention], anchor: _Anchor, exclude: set, dep_m) -> _Mention | None:
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


def _anaphor_host(sent: str, mentions: list[_Mention], anaphor: int, exclude: set, ctx: _Context, how: list):
    """(hosts, mention) for 'there', 'the country': the last country named before it, else the article's."""
    before = [
        m
        for m in mentions
        if m.start < anaphor and m.iso3 and m.iso3 not in exclude and not m.dateline
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


def _roles(sent: str, mentions: list[_Mention], anchor: _Anchor, ctx: _Context, withdraw: bool):
    """(deployers, deployer mention, hosts, host mention, how, tied to the noun) for one anchor, or None.

    `how` lists what came from earlier in the article rather than from the sentence.
    """
    clause = _clause_start(sent, anchor.start)
    dep_m, by_modifier = _deployer_mention(sent, mentions, anchor, clause, withdraw)
    how = []
    if dep_m is not None and dep_m.iso3 is None:
        return None  # a multinational body deploys: not a country pair
    if dep_m is not None:
        deployers = [m.iso3 for m in _extend_list(sent, mentions, dep_m)]
    elif ctx.blocked or not ctx.deployer:
        return None
    else:
        deployers = list(ctx.deployer)
        how.append("deployer from earlier in the article")
    exclude = set(deployers)
    host_m, anaphor, mentions = _host_mention(sent, mentions, anchor, clause, withdraw, exclude, dep_m)
    if host_m is not None and host_m.kind == "region":
        _carry(ctx, dep_m, deployers)
        return None  # "to the Middle East": not a country, and not the country named nearby
    hosts: list[str] = []
    if host_m is not None:
        hosts = [m.iso3 for m in _extend_list(sent, mentions, host_m) if m.iso3 not in exclude]
    elif anaphor is not None:
        hosts, host_m = _anaphor_host(sent, mentions, anaphor, exclude, ctx, how)
    if not hosts and _IN_REGION.search(sent[anchor.end : anchor.end + 80]):
        return None  # "2,000 more are expected to leave the region": not only the country named before
    if not hosts:
        if not (ctx.host and ctx.host not in exclude and (anchor.counted or dep_m is not None)):
            _carry(ctx, dep_m, deployers)
            return None
        hosts = [ctx.host]
        how.append("host from earlier in the article")
    if dep_m is None and host_m is None and not anchor.counted:
        return None  # nothing in this sentence ties it to a pair
    return deployers, dep_m, hosts, host_m, how, by_modifier


# --- sources and status -----------------------------------------------------------------------------


def _negated(sent: str, anchor: _Anchor) -> bool:
    """'will not send troops', 'denied deploying soldiers': nothing to draft."""
    left = sent[max(0, anchor.start - 50) : anchor.start].rsplit(",", 1)[-1]
    right = re.split(r"[,;:]", sent[anchor.end : anchor.end + 40])[0]
    return bool(
        _NEGATION.search(left)
        or re.match(r"^\s*(?:were|are|will|would|have|had|has)?\s*(?:not|never)\b", right, re.IGNORECASE)
    )


def _status(sent: str, anchor: _Anchor, clause: int) -> tuple[str, tuple[int, int] | None, bool]:
    """(status, span of the cue, is a withdrawal) from the words governing the anchor."""
    left_start = max(clause, anchor.start - 120)
    left = sent[left_start : anchor.start]
    right = sent[anchor.end : anchor.end + 80]
    # The future of a relative clause ("..., where the brigade will be based") is not the troops' future.
    right = re.split(r"[;:“”\"]|,\s+(?:the|a|an|and\s+the)\b|\b(?:where|which|who|whom|whose|while|but)\b", right)[0]
    withdraw = None
    for m in _WITHDRAW.finditer(left):
        withdraw = (left_start + m.start(), left_start + m.end())
    if withdraw is None:
        # Moving troops out of a host ("reposition 11,900 personnel from Germany") is a reduction there.
        moves = list(_MOVE.finditer(left))
        if moves and re.match(r"^[^.;]{0,40}?\bfrom\b", right, re.IGNORECASE):
            withdraw = (left_start + moves[-1].start(), left_start + moves[-1].end())
    if (
        withdraw is None
        and re.search(r"\bpull(?:s|ed|ing)?\b", left, re.IGNORECASE)
        and re.match(r"^\s*(?:out|back|home)\b", right, re.IGNORECASE)
    ):
        withdraw = (anchor.end, anchor.end + len(right) - len(right.lstrip()) + 3)
    if withdraw is None:
        m = re.match(
            r"^\s*(?:\w+\s+){0,3}?(?:will\s+be\s+|are\s+being\s+|were\s+|have\s+been\s+)?"
            r"(?:withdrawn|pulled\s+out|repatriated|brought\s+home|leav\w+|left)\b",
            right,
            re.IGNORECASE,
        )
        if m:
            withdraw = (anchor.end, anchor.end + m.end())
    future = None
    for m in _FUTURE.finditer(left):
        future = (left_start + m.start(), left_start + m.end())
    if future is None:
        m = re.match(
            rf"^[^.;]{{0,70}}?\b(?:{_MODAL}|are\s+to|is\s+to|are\s+set\s+to|"
            r"are\s+expected\s+to)\b",
            right,
            re.IGNORECASE,
        )
        if m:
            future = (anchor.end + m.start(), anchor.end + m.end())
    if withdraw is not None:
        return ("announced" if future else "withdrawn"), withdraw, True
    if future is not None:
        return "announced", future, False
    return "present", None, False


def _put_span(spans: dict, sent: str, offset: int, name: str, a: int, b: int) -> None:
    spans[name] = [offset + a, offset + b, sent[a:b]]


def _ahead(sent: str, found) -> bool:
    """'will arrive on Monday', 'will send ... in January' look forward; 'announced on Sunday' looks back."""
    if re.search(r"\d{4}", found.text) or found.precision == "year":
        return False
    before = sent[max(0, found.start - 40) : found.start]
    if re.search(rf"\b(?:{_SAY}|announced|added)\s*$", before, re.IGNORECASE):
        return False
    if found.precision == "month" or not re.search(r"day$", found.text, re.IGNORECASE):
        return True
    return (
        re.search(
            rf"\bnext\s*$|\b(?:{_MODAL}|(?:is|are|due|set|expected|scheduled)\s+to)\b(?:\s+\w+){{1,4}}\s*$",
            before,
            re.IGNORECASE,
        )
        is not None
    )


# --- the pipeline -----------------------------------------------------------------------------------


def _parse_published(published) -> dt.date | None:
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


def _passes(sent: str, anchors: list[_Anchor]) -> list[tuple[_Anchor, bool]]:
    """Anchors in drafting order (counts first: a bare "brigade" in the same sentence only repeats the
    counted pair); a relocation ("moving 1,000 soldiers from Germany to Romania") is read twice: a
    departure from the origin, then an arrival at the destination."""
    out = []
    for anchor in sorted(anchors, key=lambda a: (not a.counted, a.start)):
        out.append((anchor, False))
        if (
            anchor.counted
            and _MOVE.search(sent[max(0, anchor.start - 60) : anchor.start])
            and _RELOCATED_TO.match(sent[anchor.end :])
        ):
            out.append((anchor, True))
    return out


def _without_origin(sent: str, mentions: list[_Mention], anchor: _Anchor) -> list[_Mention]:
    """The mentions but the place a relocation starts from ("from Vilseck, Germany to Romania")."""
    m = re.match(r"[^.;]{0,60}?\bfrom\s+(?P<origin>[^.;]*?)\s+to\s", sent[anchor.end :])
    if m is None:
        return mentions
    start, end = anchor.end + m.start("origin"), anchor.end + m.end("origin")
    return [x for x in mentions if not (start <= x.start < end)]


@dataclass
class _Sentence:
    """One sentence being read: its text and offsets, its country mentions and counts, what it credits."""

    text: str
    start: int
    end: int
    mentions: list[_Mention]
    anchors: list[_Anchor]
    citation: Any
    pub: dt.date | None
    ref: dt.date | None
    dates: list | None = None  # found on first use: most sentences with anchors need none
    seen: set = field(default_factory=set)  # pairs drafted here
    drafted: bool = False


def extract(text: str, published: dt.date | str | None = None) -> list[Draft]:
    """Draft deployment reports from a news text; `published` resolves weekdays and month names."""
    if not text or not text.strip():
        return []
    pub = _parse_published(published)
    ref = pub or _reference_date(text)
    ctx = _Context()
    drafts: list[Draft] = []
    shadow: list[tuple[str, int, str]] = []  # figures stated but not given to a draft: they still vote on kind
    for sent in _read(text, pub, ref):
        ctx.sentence = sent.start
        for anchor, moved in _passes(sent.text, sent.anchors):
            drafts.extend(_anchor_drafts(sent, anchor, moved, ctx, shadow))
    first_line = text.lstrip().split("\n", 1)[0]
    headline_end = len(text) - len(text.lstrip()) + len(first_line) if "\n" in text.strip() else 0
    return _drafts.merge(drafts, shadow, headline_end)


def _read(text: str, pub: dt.date | None, ref: dt.date | None):
    """The sentences that state counts or name forces, with their mentions (offsets into the sentence)."""
    mentions_all = _mentions(text)
    quoted = quoted_people(text)
    mi = 0
    for s_start, s_end in _sentences.split(text):
        sent = text[s_start:s_end]
        while mi < len(mentions_all) and mentions_all[mi].end <= s_start:
            mi += 1
        mentions = []
        for m in mentions_all[mi:]:
            if m.start >= s_end:
                break
            mentions.append(_Mention(m.start - s_start, m.end - s_start, m.iso3, m.kind, m.text))
        dl = _DATELINE.match(sent)
        for m in mentions if dl else ():
            m.dateline = m.end <= dl.end()
        anchors = _anchors(sent)
        if anchors:
            yield _Sentence(sent, s_start, s_end, mentions, anchors, cite(sent, quoted, text), pub, ref)


def _anchor_roles(sent: _Sentence, anchor: _Anchor, moved: bool, ctx: _Context):
    """(status, status span, withdraw, roles) for one anchor; roles None when it ties to no pair."""
    text, clause = sent.text, _clause_start(sent.text, anchor.start)
    status, status_span, withdraw = _status(text, anchor, clause)
    if moved:  # the destination of a relocation: the troops are (or will be) there
        future = _FUTURE.search(text[max(clause, anchor.start - 120) : anchor.start])
        status, status_span, withdraw = ("announced" if future else "present"), None, False
    if anchor.status == "announced":
        status = "announced"
    if moved:  # the origin is neither deployer nor host of the arrival
        roles = _roles(text, _without_origin(text, sent.mentions, anchor), anchor, ctx, True)
    else:
        roles = _roles(text, sent.mentions, anchor, ctx, withdraw)
    if roles is None:
        subj = _subject(text, sent.mentions, anchor, clause)
        if subj is not None and subj.iso3 is None:
            ctx.blocked, ctx.deployer = True, []
    return status, status_span, withdraw, roles


def _anchor_drafts(sent: _Sentence, anchor: _Anchor, moved: bool, ctx: _Context, shadow: list) -> list[Draft]:
    if _negated(sent.text, anchor):
        return []
    status, status_span, withdraw, roles = _anchor_roles(sent, anchor, moved, ctx)
    if roles is None:
        return []
    deployers, dep_m, hosts, host_m, how, by_modifier = roles
    if not anchor.counted and sent.drafted and not by_modifier:
        return []  # "... left Mali, ending its military presence": the sentence's pair is drafted
    if dep_m is not None:
        ctx.deployer, ctx.blocked, ctx.set_in = deployers, False, sent.start
    if host_m is not None and len(hosts) == 1:
        ctx.host = hosts[0]
    troops, troops_max, kind, status, notes = _figure(sent.text, anchor, status, withdraw, deployers, hosts, shadow)
    date, date_prec, date_span = _date_for(sent, anchor, status)
    confidence = (
        0.35
        + (0.2 if dep_m is not None else 0)
        + (0.15 if host_m is not None else 0)
        + (0.15 if troops is not None else 0)
        + (0.05 if sent.citation.name else 0)
        - (0.15 if anchor.police else 0)
        - (0.1 if anchor.vague else 0)
    )
    location = (
        host_m.text
        if host_m is not None and host_m.kind in ("place", "capital") and host_m.text.upper() != host_m.text
        else None
    )
    spans = _spans(sent, anchor, dep_m, host_m, date_span, status_span, location)
    evidence = {"sentence": sent.text.strip(), "start": sent.start, "end": sent.end, "spans": spans}
    out = []
    for dep, host in itertools.product(deployers, hosts):
        if dep == host or (not anchor.counted and (dep, host) in sent.seen):
            continue
        sent.seen.add((dep, host))
        sent.drafted = True
        out.append(
            Draft(
                deployer=dep,
                host=host,
                troops=troops,
                troops_max=troops_max,
                count_kind=kind if troops is not None else "unknown",
                date=format_date(date, date_prec) if date else None,
                date_precision=date_prec,
                status=status,
                location=location,
                source_name=sent.citation.name,
                cited_agency=sent.citation.agency,
                speaker=sent.citation.speaker,
                confidence=round(max(0.05, min(0.95, confidence)), 2),
                evidence=evidence,
                notes="; ".join(dict.fromkeys(notes)) or None,
                published=sent.pub.isoformat() if sent.pub else None,
            )
        )
    return out


def _figure(sent: str, anchor: _Anchor, status: str, withdraw: bool, deployers: list, hosts: list, shadow: list):
    """(troops, troops_max, kind, status, notes): the anchor's figure as a level of one pair, or none."""
    notes = []
    troops, troops_max, kind = anchor.troops, anchor.troops_max, anchor.kind
    phrase = sent[anchor.start : anchor.end]
    if anchor.note:
        notes.append(anchor.note)
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
        shadow.extend((dep, troops, kind) for dep in deployers)
        notes.append(f"{phrase!r} is shared across {len(hosts)} hosts; no per-country figure")
        troops, troops_max, kind = None, None, "unknown"
    if anchor.police:
        mixed = _ARMED.search(sent[max(0, anchor.start - 60) : anchor.end + 80])
        notes.append("POLICE and military (mixed contingent)" if mixed else "POLICE, not military")
    elif _POLICE.search(sent[anchor.end : anchor.end + 80]) and anchor.counted:
        notes.append("contingent includes POLICE")
    return troops, troops_max, kind, status, notes


def _date_for(sent: _Sentence, anchor: _Anchor, status: str):
    """(date, precision, span): the sentence's date nearest the anchor (after it preferred)."""
    if sent.dates is None:
        sent.dates = _dates.find_dates(sent.text, sent.ref, forward=False)
    usable = [d for d in sent.dates if d.date is not None]
    if not usable:
        return None, None, None
    best = min(usable, key=lambda d: abs(d.start - anchor.end) + (0 if d.start >= anchor.end else 20))
    date, date_prec, date_span = best.date, best.precision, (best.start, best.end)
    if status == "announced" and sent.ref and _ahead(sent.text, best):
        date = _dates.resolve(_dates.DATE.match(best.text), sent.ref, forward=True)[0] or date
    if sent.pub is not None and date > sent.pub and status != "announced":
        return None, None, None
    return date, date_prec, date_span


def _spans(sent: _Sentence, anchor: _Anchor, dep_m, host_m, date_span, status_span, location) -> dict:
    """Where each field of the draft stands in the text: {field: [start, end, words]}."""
    spans: dict[str, list] = {}
    span = functools.partial(_put_span, spans, sent.text, sent.start)
    if dep_m is not None:
        span("deployer", dep_m.start, dep_m.end)
    if host_m is not None:
        span("host", host_m.start, host_m.end)
    if anchor.counted:
        span("troops", anchor.start, anchor.end)
    if anchor.qual_span:
        span("count_kind", *anchor.qual_span)
    if date_span:
        span("date", *date_span)
    if status_span:
        span("status", *status_span)
    if sent.citation.span:
        span("source_name", *sent.citation.span)
    if location:
        span("location", host_m.start, host_m.end)
    return spans
