"""Stage: counts — the anchors of a sentence: troop counts and count-less mentions of forces.

`find(sentence) -> list[Anchor]`: "some 3,500 soldiers", "a contingent of 100", "a 1,000-person
contingent", "from 36,000 to 24,000" (two levels), "numbering about 2,000", and forces without a figure
("Turkish troops", "hundreds of soldiers", "bases"). Numbers that count something else — votes, tonnes,
money, casualties, capacity, crowds, people trained, a unit's size — are left out here, where the words
around the number are still in view. Each scanner adds to the sentence's list; a later one skips spans
an earlier one took.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from core.extraction.gazetteer import gazetteer
from core.extraction.numbers import NUMBER, QUALIFIER, parse_number, qualifier_kind
from core.extraction.vocab import FORCE_WORDS, POLICE, TROOP_NOUNS, UNIT, WEAK_NOUNS
from core.extraction.words import alternation, fold


@dataclass
class Anchor:
    """A count, or a mention of forces, with offsets into its sentence; what a draft is built around."""

    start: int  # of the whole phrase
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
    companion: bool = False  # "escorted by Kenyan troops": forces beside the ones the article follows


_MOD = rf"(?!(?:{alternation('not_troop_modifiers')})\b)(?:[A-Za-z][\w.'’\-]*|U\.S\.)"
_COUNT = re.compile(
    rf"""
    (?<![\w$€£.,-])
    (?:(?P<between>between)\s+)?
    (?:(?P<qual>{QUALIFIER})\s+)?
    (?P<num>{NUMBER})
    (?:\s*(?:-|–|to|and)\s*(?!(?:{QUALIFIER})\b)(?P<num2>{NUMBER}))?
    (?P<plus>\+)?
    (?:
        -(?P<strong>strong|person|man|member|troop|soldier|personnel)\b(?P<tail>(?:\s+{_MOD}){{0,3}}?\s+(?:{UNIT}|{TROOP_NOUNS})\b)?
      | (?P<mods>(?:\s+{_MOD}){{0,4}}?)\s+(?P<noun>{TROOP_NOUNS})\b
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
# "a contingent of 100", "a force of about 2,500 people", "consist of about 2,500 people"
_UNIT_OF = re.compile(
    rf"""\b(?P<unit>{UNIT}|total|strength|consist(?:s|ed|ing)?|comprising|comprised|made\s+up|numbering|totall?ing)
    (?:\s+of)?\s+(?:(?P<qual>{QUALIFIER})\s+)?(?P<num>{NUMBER})(?:\s*(?:-|–|to)\s*(?P<num2>{NUMBER}))?
    (?!\s*(?:-|–)?\s*(?:tonnes|tons|km|kilomet|miles|years|dollars|euros|per|%|million\s+dollars))
    (?:(?P<mods>(?:\s+{_MOD}){{0,3}}?)\s+(?P<noun>{TROOP_NOUNS})\b)?""",
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
# A level reached: "troop numbers are expected to reach 2,500", "the number of French soldiers rose to 5,100"
_LEVEL_REACHED = re.compile(
    rf"\b(?:(?:{TROOP_NOUNS}|troop|marine|soldier|force)\s+(?:numbers|levels?|strength)|number\s+of\s+"
    rf"(?:[\w.'’-]+\s+){{0,2}}?(?:{TROOP_NOUNS}))\b(?P<gap>[^.;:\d]{{0,60}}?)\b"
    r"(?:reach(?:es|ed|ing)?|(?:rise|rises|rose|risen|rising|grow|grows|grew|grown|increas\w+|fall|falls|fell|"
    r"fallen|dropp?\w*|declin\w+|shrink\w*|shrank|go|goes|went|gone)\s+to|top(?:s|ped)?|peak\w*\s+at|"
    r"stand(?:s|ing)?\s+at|stood\s+at)\s+"
    rf"(?:(?P<qual>{QUALIFIER})\s+)?(?P<num>{NUMBER})\b(?!\s*(?:-|–)?\s*(?:tonnes|tons|km|per|%|years|dollars))",
    re.IGNORECASE,
)
_HARMED = re.compile(r"\b(?:killed|dead|died|wounded|injured|captured|missing|infected|sick)\b", re.IGNORECASE)
# "the 4,395 Ethiopians": a count whose noun is the people of a country (checked in the gazetteer), taken only
# in a sentence about forces ("are a mixture of fresh troops")
_PEOPLE_COUNT = re.compile(
    rf"(?<![\w$€£.,-])(?:(?P<qual>{QUALIFIER})\s+)?(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+)\s+(?P<people>[A-Z][a-z]+s)\b"
)
# What a country's people do that troops do not: "2,000 Kenyans protested", "300 Americans live there"
_CIVIL_AFTER = re.compile(
    r"\s+(?:\w+\s+)?(?:protest\w*|rall(?:y|ied|ies)|march\w*|demonstrat\w+|fled|flee\w*|liv(?:e|es|ed|ing)|"
    r"work\w*|vot\w+|study\w*|studied|travel\w*|tourists?|voters|residents|citizens|civilians|nationals)\b",
    re.IGNORECASE,
)
_DIGITS_PEOPLE = re.compile(r"\d\s+[A-Z][a-z]+s\b")
# Whole words only: an unanchored alternation finds "men" inside "government".
_MIL_WORD = re.compile(rf"\b(?:{TROOP_NOUNS})\b", re.IGNORECASE)
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
# "the last 50 of the 1,500 French soldiers": a part of a counted whole, its own figure
_PART_OF_WHOLE = re.compile(
    rf"\bthe\s+(?:first|last|remaining|final)\s+(?P<num>{NUMBER})\s+of\s+(?:the|its|their)\s+"
    rf"(?:(?:{QUALIFIER})\s+)?(?:{NUMBER})(?:\s+{_MOD}){{0,3}}?\s+(?P<noun>{TROOP_NOUNS})\b",
    re.IGNORECASE,
)
# A unit whose members are troops whatever the noun: "a contingent of 300 members", "an advance team of 30 staff"
_ARMED_UNIT = re.compile(r"\b(?:contingent|battalion|brigade|detachment|corps|advance\s+(?:team|party))\s+of\b", re.I)
_CUE = re.compile(rf"\b(?:{TROOP_NOUNS}|{UNIT}|bases?|military|marine|withdr[ae]w|pulled\s+out)\b")  # on fold()
# "South Africa withdrew from Namibia": a country leaving a country, no troop noun needed. The place must end
# its phrase ("from Namibia in 1990"), so that "withdrew from Iran nuclear talks" is no departure.
_WITHDREW_FROM = re.compile(
    r"\b(?:withdr[ae]w|pulled\s+out)\s+(?:(?:its|their|all)\s+\w+\s+)?(?:from|of)\s+"
    r"(?=(?-i:[A-Z][\w'’-]*)(?:\s+(?-i:[A-Z][\w'’-]*)){0,2}\s*(?:[,.;)]|$|\s+(?:in|on|after|by|and|at|last|"
    r"this|following|within|under|when|as|before|until)\b))",
    re.IGNORECASE,
)
_HAS_NUMBER = re.compile(  # on fold()
    r"\d+|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen|million)\b"
)
# "Chinese troops, numbering about 2,000", "mercenaries, estimated at 1,500"
_POST_COUNT = re.compile(
    rf"\b(?P<noun>{TROOP_NOUNS}|force|contingent),?\s+(?:(?:now\s+)?numbering|totall?ing|(?:estimated|put|believed\s+to\s+number)\s+at|"
    rf"who\s+number|(?:which|that|who)\s+(?:once\s+|then\s+|now\s+|at\s+its\s+peak\s+)?numbered)\s+"
    rf"(?:(?P<qual>{QUALIFIER})\s+)?(?P<num>{NUMBER})",
    re.IGNORECASE,
)
_ELLIPSIS = re.compile(
    rf"(?:,|\band\b|\bwhile\b|\bwith\b)\s+(?:another\s+)?(?:(?P<qual>{QUALIFIER})\s+)?(?P<num>{NUMBER})"
    rf"(?:\s+(?:more|others))?\s+(?=(?:in|to|into|at|inside)\s+(?:the\s+)?[A-Z])",
    re.IGNORECASE,
)
# "another 200 are expected to arrive": more of the troops the text is about, the noun left out
_ANOTHER = re.compile(
    rf"\banother\s+(?:(?P<qual>{QUALIFIER})\s+)?(?P<num>{NUMBER})(?:\s+more)?\s+"
    r"(?=(?:are|were|will|would|is|have|had|arrived|landed|followed|joined)\b)",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    rf"\b(?:hundreds|thousands|dozens|scores|tens\s+of\s+thousands|a\s+few|several|many)\s+"
    rf"(?:of\s+)?(?:(?:{_MOD})\s+){{0,3}}?(?P<noun>{TROOP_NOUNS})\b",
    re.IGNORECASE,
)
# Run on the lower-cased sentence (vocab.fold); "officers from the Philippines" is checked on the original
_TRIGGER = re.compile(rf"\b(?:{FORCE_WORDS}|(?P<from>officers|contingents|units))\b")
_FROM_PLACE = re.compile(r"\s+from\s+(?:the\s+)?[A-Z]")
_NOT_FOREIGN = re.compile(
    r"\b(?:rebel|government|security|opposition|militia|insurgent|jihadist|enemy|separatist|local|"
    r"regime|pro-\w+|anti-\w+|armed|defence|defense|national|allied|coalition|ethnic)\s+(?:[A-Z][\w-]*\s+)?$",
    re.IGNORECASE,
)
_CASUALTY_AFTER = re.compile(
    r"^[^.;]{0,30}?\b(?:were|have\s+been|had\s+been|was|are|being)?\s*(?:killed|dead|died|wounded|injured|"
    r"captured|kidnapped|missing|taken\s+hostage|abducted|executed|arrested|detained|slain|lost\s+their\s+lives)\b",
    re.IGNORECASE,
)
# Troops trained, armed or evacuated are the objects of someone else's work, not a deployment of theirs
_TRAINED_BEFORE = re.compile(
    r"\b(?:train(?:ed|ing|s)?|recruit(?:ed|ing|s)?|arm(?:ed|ing|s)|equip(?:ped|ping|s)?|evacuat\w+)\s+"
    r"(?:[\w,.-]+\s+){0,3}$",
    re.IGNORECASE,
)
_NOT_DEPLOYED_BEFORE = re.compile(
    r"\b(?:killing|killed|kill|wound\w*|injur\w*|deaths?\s+of|bodies\s+of|death\s+toll|casualties|lost|losing|train(?:ed|ing|s)?|"
    r"recruit(?:ed|ing|s)?|equip(?:ped|ping|s)?|arm(?:ed|ing)|evacuat\w+|rescu\w+|house|housing|accommodat\w+|"
    r"capacity\s+(?:of|for)|room\s+for|hold|designed\s+for|big\s+enough\s+for|able\s+to\s+(?:host|hold)|"
    r"capable\s+of\s+\w+|protest\w*|rall(?:y|ied)|march(?:ed|ing)?)\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
_LOCAL_FORCES = re.compile(rf"\b(?:{alternation('local_forces')})\b", re.IGNORECASE)
_NOT_SENT_AFTER = re.compile(
    rf"^\s*(?:\w+\s+){{0,2}}?(?:have\s+been|had\s+been|were|are|being)\s+(?:{alternation('not_sent_after')})\b",
    re.IGNORECASE,
)
_PART_BEFORE = re.compile(rf"\b(?:{alternation('part_before')})\s+$", re.IGNORECASE)
# A count given item by item: "24 personnel for one helicopter"
_PER_ITEM_AFTER = re.compile(r"^\s+for\s+(?:one|each|every|a\s+single|the\s+(?:first|second|third|other))\b", re.I)
_FROM_UNIT_BEFORE = re.compile(r"\bfrom\s+(?:a|an|the|its|their)\s+$", re.IGNORECASE)
_MILITARY = re.compile(  # on fold()
    r"\b(?:troops|soldiers|military|army|defen[cs]e\s+force|armed\s+forces|marines|"
    r"peacekeep\w+|contingent|servicemen|battalion|brigade)\b"
)
_YEAR = re.compile(r"(19|20)\d\d")
_YEAR_PREP_END = re.compile(r"\b(?:in|since|of|by|until)\s+$")
# "in convoy with U.S. armed forces", "escorted by Kenyan troops", "alongside French soldiers"
_COMPANION_BEFORE = re.compile(
    r"\b(?:with|alongside|beside|by|joined\s+by)\s+(?:the\s+)?(?:[\w.'’-]+\s+){1,3}$", re.IGNORECASE
)
_LOYAL = re.compile(r"\s+loyal\b")
_MORE = re.compile(r"\b(?:more|additional|extra|further|fresh|new|another|reinforcements?)\b", re.IGNORECASE)


@functools.cache
def _case_sensitive(rx: re.Pattern) -> re.Pattern:
    """`rx` without IGNORECASE, for lower-cased text. A class such as [A-Z] would then match nothing: such
    patterns are kept case-insensitive and never run here."""
    if not rx.flags & re.IGNORECASE:
        return rx
    assert "A-Z]" not in rx.pattern.replace("A-Za-z]", ""), rx.pattern
    return re.compile(rx.pattern, rx.flags & ~re.IGNORECASE)


def _value(text: str | None) -> int | None:
    return parse_number(text) if text else None


_SCALE_END = re.compile(r"\b(hundred|thousand|million)$", re.IGNORECASE)
_SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000}


def _range_low(low: int, low_text: str, high: int, high_text: str) -> int:
    """The low end of a range whose scale word is written once: "one to two thousand" is 1,000-2,000,
    "five to six hundred" 500-600; a low end with its own scale ("500 to 600") is what it says."""
    scale = _SCALE_END.search(high_text.strip())
    if scale is None or _SCALE_END.search(low_text.strip()) or low >= high:
        return low
    scaled = low * _SCALE[scale.group(1).lower()]
    return scaled if scaled < high else low


def _noun_in(sent: str, start: int, end: int) -> int:
    """Where the troops are named in a level phrase ('the total number of Kenyan police in Haiti to 744')."""
    m = _MIL_WORD.search(sent[start:end])
    if m:
        return start + m.start()
    before = list(_MIL_WORD.finditer(sent[max(0, start - 90) : start]))
    return max(0, start - 90) + before[-1].start() if before else start


def _number_windows(numbers: list[tuple[int, int]], text_len: int, sent: str, before: int) -> list[tuple[int, int]]:
    """Stretches of the sentence around numbers, from `before` characters ahead of each to 90 after: a count
    pattern runs only there (speed), and reaches no further back from its number than `before`."""
    spans: list[list[int]] = []
    for num_start, num_end in numbers:
        start, end = max(0, num_start - before), min(text_len, num_end + 90)
        while start > 0 and not sent[start - 1].isspace():
            start -= 1
        while end < text_len and not sent[end].isspace():
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans]


# How far before its number each windowed pattern's match may start (characters, generous): a qualifier
# ("in the region of"), "between", a unit word and "of", "the current level of", a troop noun and
# "numbering", "brings the total number of Kenyan police in Haiti to".
_REACH = {"count": 50, "level": 80, "post": 100, "total": 140}


@dataclass
class _Scan:
    """One sentence's search for counts: the anchors found so far and the tests all patterns share."""

    sent: str
    found: list[Anchor]
    low: str  # the sentence lower-cased (vocab.fold), for the word-list patterns
    military: bool  # the sentence is about forces: weak nouns ("people", "staff") may count
    numbers: list[tuple[int, int]]  # spans of the numbers (in figures or words), where count patterns run
    _windows: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    rejected: list[tuple[int, int]] = field(default_factory=list)  # numbers counting something else

    def overlaps(self, a: int, b: int) -> bool:
        return any(a < x.end and x.start < b for x in self.found)

    def excluded(self, start: int, end: int) -> bool:
        """A number that counts something else. When the words say the people counted are not foreign troops
        here (trained, killed, rebels), its troop noun is no mention of forces either; a capacity or a protest
        ("can hold 10,000 Chinese troops") still names the forces."""
        sent = self.sent
        if _NOT_DEPLOYED_BEFORE.search(sent[max(0, start - 40) : start]) or _PART_BEFORE.search(sent[:start]):
            return True
        if (
            _LOCAL_FORCES.search(sent[start:end])
            or _NOT_SENT_AFTER.match(sent[end : end + 60])
            or _CASUALTY_AFTER.search(sent[end : end + 60])
        ):
            self.rejected.append((start, end))
            return True
        return False

    def has(self, *words: str) -> bool:
        """Whether the sentence has one of `words` (lower case): a pattern every match of which contains one
        is run only then, a substring test being far cheaper than the pattern."""
        return any(w in self.low for w in words)

    def scan(self, rx: re.Pattern, reach: str = "total") -> list[re.Match]:
        """The matches of `rx` in the windows around numbers, of a pattern reaching _REACH[reach] back. An
        IGNORECASE pattern runs on the lower-cased sentence without the flag (same offsets, several times
        faster), so its groups are in lower case."""
        before = _REACH[reach]
        if before not in self._windows:
            self._windows[before] = _number_windows(self.numbers, len(self.sent), self.sent, before)
        text = self.low if rx.flags & re.IGNORECASE else self.sent
        rx = _case_sensitive(rx)
        return [m for a, b in self._windows[before] for m in rx.finditer(text, a, b)]

    def unpack(self):
        return self.sent, self.found, self.overlaps, self.excluded, self.scan, self.military


def find(sent: str) -> list[Anchor]:
    low = fold(sent)
    if not _may_have_anchors(sent, low):
        return []  # every anchor names forces or a unit; most sentences of an article name neither
    sc = _Scan(sent, [], low, _MILITARY.search(low) is not None, [m.span() for m in _HAS_NUMBER.finditer(low)])
    for scanner in _SCANNERS:
        scanner(sc)
    found = sc.found
    for a in found:
        a.police = a.police or POLICE.search(sent[a.start : a.end]) is not None
    found.sort(key=lambda a: a.start)
    return found


_SENT_AWAY_WORDS = (" to leave", " to withdraw", " to depart", " to go home", " to get out", " to pull out")


def _may_have_anchors(sent: str, low: str) -> bool:
    """A troop noun, a unit or a cue word; "the first 100 of them"; "forced the French to leave"."""
    if _CUE.search(low) is not None:
        return True
    if "of them" in low and _OF_THEM.search(sent) is not None:
        return True
    return any(w in low for w in _SENT_AWAY_WORDS) and _SENT_AWAY.search(sent) is not None


def _scan_from_to(sc: _Scan) -> None:
    """ "reducing troops from some 36,000 to 24,000": both levels, before and after the change."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    for m in scan(_FROM_TO, "count") if sc.has("from") else ():
        window = sent[max(0, m.start() - 90) : m.start()]
        if not (_TRIGGER.search(sc.low, max(0, m.start() - 90), m.start()) or _MIL_WORD.search(window)):
            continue
        a, b = _value(m.group("num")), _value(m.group("num2"))
        if not a or not b or a == b:
            continue
        found.append(
            Anchor(
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
            Anchor(
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


def _scan_levels(sc: _Scan) -> None:
    """ "from the current 28,500", "the first 100 of them", "the last 50 of the 1,500 soldiers"."""
    sent, found, scan = sc.sent, sc.found, sc.scan
    for m in _OF_THEM.finditer(sent) if "of them" in sc.low else ():  # "the first 100 of them were there"
        value = _value(m.group("num"))
        if value:
            found.append(Anchor(m.start(), m.end(), m.start("num"), value, None, "exact", counted=True))
    for m in scan(_PART_OF_WHOLE, "count") if sc.has("first", "last", "remaining", "final") else ():
        value = _value(m.group("num"))
        if value:
            found.append(Anchor(m.start(), m.end("num"), m.start("noun"), value, None, "exact", counted=True))
    for m in scan(_CURRENT, "level") if sc.has("current") else ():
        value = _value(m.group("num"))
        if value and _MIL_WORD.search(sent[max(0, m.start() - 90) : m.start()]):
            qual = m.span("qual") if m.group("qual") else None
            found.append(
                Anchor(
                    m.start(),
                    m.end(),
                    _noun_in(sent, m.start(), m.start("num")),
                    value,
                    None,
                    qualifier_kind(m.group("qual")),
                    qual,
                    status="present",
                    counted=True,
                    note="current level",
                )
            )


def _scan_totals(sc: _Scan) -> None:
    """ "brings the total ... to 744"."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    for m in scan(_TOTAL_TO) if sc.has("bring", "brought", "rais", "increas", "boost", "tak") else ():
        value = _value(m.group("num"))
        if value and not overlaps(*m.span()):
            found.append(
                Anchor(
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


def _scan_level_reached(sc: _Scan) -> None:
    """ "Marine numbers were expected to reach 2,500": the level a deployment reaches (or was to reach)."""
    if not sc.has("number", "level", "strength"):
        return
    for m in sc.scan(_LEVEL_REACHED):
        value = _value(m.group("num"))
        if not value or sc.overlaps(m.start(), m.end()) or _HARMED.search(m.group("gap")):
            continue  # "the number of troops killed rose to 50" counts casualties
        if sc.excluded(m.start(), m.end()):
            continue
        qual = m.span("qual") if m.group("qual") else None
        noun = _noun_in(sc.sent, m.start(), m.start("num"))
        start = qual[0] if qual else m.start("num")  # the verb stays outside: "will fall to" governs the count
        sc.found.append(Anchor(start, m.end(), noun, value, None, qualifier_kind(m.group("qual")), qual, counted=True))


def _scan_units(sc: _Scan) -> None:
    """ "a contingent of 100", "a force of about 2,500 people"."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    for m in scan(_UNIT_OF, "level"):
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
        armed_unit = _ARMED_UNIT.search(sent, max(0, m.start() - 10), m.end())
        if noun in WEAK_NOUNS and not military_context and not armed_unit:
            continue
        if excluded(m.start(), m.end()):
            continue
        value, value2 = _value(m.group("num")), _value(m.group("num2"))
        if not value:
            continue
        if value2:
            value = _range_low(value, m.group("num"), value2, m.group("num2"))
        kind = qualifier_kind(m.group("qual"))
        troops_max = None
        if value2 and value < value2 <= value * 10:
            kind, troops_max = "range", value2
        found.append(
            Anchor(
                m.start(),
                m.end(),
                m.start("noun") if m.group("noun") else m.start(),
                value,
                troops_max,
                kind,
                m.span("qual") if m.group("qual") else None,
                counted=True,
                police=POLICE.search(m.group()) is not None,
            )
        )


def _scan_counts(sc: _Scan) -> None:
    """ "some 3,500 soldiers", "the 2,000-strong Kenyan contingent", "300-400 troops"."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    for m in scan(_COUNT, "count"):
        if overlaps(*m.span()):
            continue
        noun = (m.group("noun") or "").lower()
        if noun in WEAK_NOUNS and not military_context:
            continue
        if excluded(m.start(), m.end()) or _PER_ITEM_AFTER.match(sent[m.end() :]):
            continue
        if m.group("strong") and _FROM_UNIT_BEFORE.search(sent[: m.start()]):
            continue  # "soldiers from the 3,500-strong brigade": the unit's size, not the number sent
        value, value2 = _value(m.group("num")), _value(m.group("num2"))
        if value is None or (m.group("num2") and value2 is None):
            continue
        if value2 is not None:
            value = _range_low(value, m.group("num"), value2, m.group("num2"))
        num_text = m.group("num")
        if (
            _YEAR.fullmatch(num_text)
            and not m.group("num2")
            and _YEAR_PREP_END.search(sent[max(0, m.start() - 8) : m.start()])
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
            Anchor(
                m.start(),
                m.end(),
                noun_start,
                value,
                troops_max,
                kind,
                m.span("qual") if m.group("qual") else None,
                counted=True,
                police=POLICE.search(m.group()) is not None,
                note="additional (an increment on earlier numbers)" if _MORE.search(m.group("mods") or "") else None,
            )
        )


def _scan_people_counts(sc: _Scan) -> None:
    """ "The 4,395 Ethiopians are a mixture of fresh troops": a country's people, counted, in a sentence about
    forces. The anchor's noun stands after the demonym, so that the demonym is its modifier (the deployer)."""
    if not sc.military or _DIGITS_PEOPLE.search(sc.sent) is None:
        return  # the pattern's number and people in their simplest form: a digit, a space, a capital
    for m in sc.scan(_PEOPLE_COUNT, "count"):
        entry = gazetteer().lookup([m.group("people")])
        if entry is None or entry.iso3 is None or entry.kind != "adj":
            continue
        value = _value(m.group("num"))
        if not value or sc.overlaps(*m.span()) or _CIVIL_AFTER.match(sc.sent, m.end()):
            continue
        if sc.excluded(m.start(), m.end()):
            continue
        qual = m.span("qual") if m.group("qual") else None
        kind = qualifier_kind(m.group("qual"))
        sc.found.append(Anchor(m.start(), m.end(), m.end(), value, None, kind, qual, counted=True))


def _scan_post_counts(sc: _Scan) -> None:
    """ "Chinese troops, numbering about 2,000", "the force, which once numbered 50,000"."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    if not sc.has("number", "total", " at "):
        return
    for m in scan(_POST_COUNT, "post"):
        value = _value(m.group("num"))
        if value and not overlaps(*m.span()):
            found.append(
                Anchor(
                    m.start(),
                    m.end(),
                    m.start("noun"),
                    value,
                    None,
                    qualifier_kind(m.group("qual")) if m.group("qual") or "at" not in m.group() else "approx",
                    m.span("qual") if m.group("qual") else None,
                    # "which once numbered 50,000": a level the force had, not a number leaving
                    status="present" if "numbered" in m.group().lower() else None,
                    counted=True,
                )
            )


def _scan_ellipses(sc: _Scan) -> None:
    """ "5,200 troops in Iraq and about 2,000 in Syria": the noun is not repeated."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    if any(a.counted for a in found):
        # "5,200 troops in Iraq and about 2,000 in Syria": the noun is not repeated
        for m in _ELLIPSIS.finditer(sent):
            value = _value(m.group("num"))
            if value and not overlaps(m.start("num"), m.end()) and any(a.end <= m.start() for a in found):
                start = m.start("qual") if m.group("qual") else m.start("num")
                found.append(
                    Anchor(
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


def _scan_another(sc: _Scan) -> None:
    """ "another 200 are expected to arrive later this week": a count of the forces the sentence is about."""
    for m in sc.scan(_ANOTHER) if sc.has("another") else ():
        value = _value(m.group("num"))
        if value and not sc.overlaps(*m.span()) and not sc.excluded(m.start(), m.end()):
            qual = m.span("qual") if m.group("qual") else None
            sc.found.append(
                Anchor(
                    m.start(),
                    m.end("num"),
                    m.start("num"),
                    value,
                    None,
                    qualifier_kind(m.group("qual")),
                    qual,
                    counted=True,
                    note="additional (an increment on earlier numbers)",
                )
            )


def _scan_vague(sc: _Scan) -> None:
    """ "hundreds of soldiers", "several thousand troops": forces without a figure."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    lowered = sent.lower()
    vague_words = ("hundreds", "thousands", "dozens", "scores", "a few", "several", "many")
    for m in _VAGUE.finditer(sent) if any(w in lowered for w in vague_words) else ():
        if not overlaps(*m.span()) and not excluded(m.start(), m.end()):
            noun = m.group("noun").lower()
            if noun in WEAK_NOUNS and not military_context:
                continue
            found.append(
                Anchor(
                    m.start(),
                    m.end(),
                    m.start("noun"),
                    vague=True,
                    note="vague quantity",
                    police=POLICE.search(m.group()) is not None,
                )
            )


def _scan_triggers(sc: _Scan) -> None:
    """Count-less mentions of forces: "Turkish troops", "bases", "the deployment"."""
    sent, found, overlaps, excluded, scan, military_context = sc.unpack()
    for m in _TRIGGER.finditer(sc.low):
        if m.group("from") and not _FROM_PLACE.match(sent, m.end()):
            continue  # "officers", "units" alone are anyone's; "officers from Kenya" are a contingent
        if overlaps(*m.span()):
            continue
        if _NOT_FOREIGN.search(sent[max(0, m.start() - 25) : m.start()]) and not _force_name_before(sent, m.start()):
            continue
        if _CASUALTY_AFTER.search(sent[m.end() : m.end() + 60]):
            continue
        if _TRAINED_BEFORE.search(sent, max(0, m.start() - 50), m.start()):
            continue
        if _LOYAL.match(sent, m.end()) or any(a <= m.start() < b for a, b in sc.rejected):
            continue
        companion = _COMPANION_BEFORE.search(sent, max(0, m.start() - 60), m.start()) is not None
        found.append(
            Anchor(m.start(), m.end(), m.start(), police=POLICE.search(m.group()) is not None, companion=companion)
        )


# "the junta forced the French to leave", "ordered the Americans to withdraw": a country's forces sent away,
# named by the people's name alone
_SENT_AWAY = re.compile(
    r"\b(?:forc\w+|order\w+|ask\w+|told|tell\w*|demand\w*|urg\w+|want\w*)\s+the\s+(?P<people>[A-Z][a-z]+)\s+"
    r"to\s+(?:leave|withdraw|depart|go\s+home|get\s+out|pull\s+out)\b"
)


def _scan_sent_away(sc: _Scan) -> None:
    """ "forced the French to leave the nation": a withdrawal of the demonym's forces (checked in the
    gazetteer); the anchor's noun stands after the demonym, so that it is the deployer."""
    for m in _SENT_AWAY.finditer(sc.sent) if sc.has(*_SENT_AWAY_WORDS) else ():
        entry = gazetteer().lookup([m.group("people")])
        if entry is None or entry.iso3 is None or entry.kind != "adj" or sc.overlaps(*m.span("people")):
            continue
        sc.found.append(Anchor(m.start("people"), m.end("people"), m.end("people"), status="withdrawn"))


_CAPITALS_BEFORE = re.compile(r"((?:[A-Z][\w-]*\s+){1,4})$")


def _force_name_before(sent: str, pos: int) -> bool:
    """ "the Air Self-Defense Force troops": the words before the troop noun are a country's force (gazetteer),
    not a "defense force" of the place's own."""
    m = _CAPITALS_BEFORE.search(sent, max(0, pos - 60), pos)
    if m is None:
        return False
    words = m.group(1).split()
    for i in range(len(words)):
        entry = gazetteer().lookup(words[i:])
        if entry is not None and entry.iso3 is not None and entry.kind == "institution":
            return True
    return False


def _scan_withdrawals(sc: _Scan) -> None:
    """ "X withdrew from Y": a departure without a troop noun; the anchor stands after the verb, so that the
    verb governs it (withdrawn, host after "from")."""
    for m in _WITHDREW_FROM.finditer(sc.sent) if sc.has("withdr", "pulled") else ():
        start = m.end() - len(m.group().split()[-1]) - 1  # at "from"/"of"
        if not sc.overlaps(m.start(), m.end()):
            sc.found.append(Anchor(start, start + 1, start))


_SCANNERS = (
    _scan_from_to,
    _scan_levels,
    _scan_totals,
    _scan_level_reached,
    _scan_units,
    _scan_counts,
    _scan_people_counts,
    _scan_post_counts,
    _scan_ellipses,
    _scan_another,
    _scan_vague,
    _scan_triggers,
    _scan_withdrawals,
    _scan_sent_away,
)
