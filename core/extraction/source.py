"""Stage: who a sentence's figure comes from — the source credited, the agency cited and the speaker.

`cite(sentence, quoted)` -> Citation. `quoted_people(text)` reads the whole article once for "Interfax
cites Gil as saying" and "Gil told Reuters", so that a later "Gil noted" is credited to Interfax and
names Gil as the speaker. `Citation.name` is what a draft's source_name has always been (the outlet or
agency the text credits, else the speaker); `agency` and `speaker` keep the two links of the chain apart.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from core.extraction.gazetteer import gazetteer
from core.extraction.words import fold

_DATA = Path(__file__).with_name("data")

SAY = (
    r"said|says|told|reported|reports|noted|added|stated|announced|confirmed|claimed|cites|cited|quoted|"
    r"quotes|wrote|explained|stressed|emphasi[sz]ed|tweeted|declared|insisted|revealed"
)
_PARTICLES = r"of|the|de|al|bin|von|van"
_CAPNAME = rf"(?:[A-Z][\w.'’\-]*|{_PARTICLES})(?:\s+(?:[A-Z][\w.'’\-]*|{_PARTICLES}|for))*"
_ACCORDING = re.compile(
    r"\baccording\s+to\s+(?:an?\s+|the\s+)?(?:(?:report|statement|reports|data|figures|estimates)\s+"
    r"(?:from|by|in|of)\s+(?:the\s+)?)?(?P<src>[^,.;:“\"()]{2,80})",
    re.IGNORECASE,
)
_SAYS = re.compile(
    rf"(?P<src>(?<![\w'’])(?:the\s+)?{_CAPNAME}(?:\s+(?:news\s+agency|agency|ministry|news\s+service))?)"
    rf"\s*,?\s+(?:{SAY})\b"
)
_INSTITUTION = re.compile(
    r"(?P<src>(?<![\w'’])(?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,3}(?:(?:defen[cs]e|foreign|interior|armed\s+forces)\s+)?"
    r"(?:ministry|government|army|military|presidency|embassy|general\s+staff|command))\s+"
    rf"(?:{SAY})\b"
)
_SAID = re.compile(r"\b(?:said|says|according\s+to)\s+(?P<src>(?:[A-Z][\w.'’\-]*\s+){0,6}[A-Z][\w.'’\-]*)")
_SAY_WORD = re.compile(rf"\b(?:{SAY}|according)\b")  # on the lower-cased sentence
_CITES = re.compile(rf"(?P<outlet>{_CAPNAME})\s+(?:cites|cited|quotes|quoted)\s+(?P<who>{_CAPNAME})")
_TOLD = re.compile(rf"(?P<who>{_CAPNAME})\s+told\s+(?:the\s+)?(?P<outlet>{_CAPNAME})")
_PRONOUN = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "the", "there", "but", "and"}
_STARTER = re.compile(r"^(?:But|And|However|Meanwhile|Also|Now|So|Yet|Still|Later|Earlier|Separately)\b,?\s*")
_NOT_NAME = re.compile(r"(?:The\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|On|In|But|And|It)")
_NAME_WORDS = ("of", "the", "de", "al", "for", "news", "agency", "ministry")


@dataclass(frozen=True)
class Citation:
    """Who a sentence credits. span: where `name` (or the agency) stands in the sentence."""

    name: str | None = None
    agency: str | None = None
    speaker: str | None = None
    span: tuple[int, int] | None = None


@dataclass(frozen=True)
class Quoted:
    """A person an article quotes through an agency: 'Interfax cites Gil' -> Quoted('Interfax', full name)."""

    agency: str
    speaker: str
    credit: str  # what source_name says for their words


@functools.cache
def agencies() -> frozenset[str]:
    """The agency names of data/news_agencies.txt, casefolded (read once)."""
    lines = (_DATA / "news_agencies.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def is_agency(name: str) -> bool:
    folded = name.casefold()
    return (
        folded in agencies()
        or folded.endswith(("news agency", "news service"))
        or (folded.startswith("the ") and folded[4:] in agencies())
    )


def clean(raw: str) -> str | None:
    """The name at the end of a phrase: 'international current affairs magazine The Diplomat' -> 'The Diplomat'."""
    raw = _STARTER.sub("", raw.strip(" '\"“”‘’-—"))
    words = raw.split()
    i = len(words)
    while i > 0 and (words[i - 1][:1].isupper() or words[i - 1].lower() in _NAME_WORDS):
        i -= 1
    name = " ".join(words[i:]).strip(" ,.")
    if not name and words and words[-1].lower() in ("report", "reports", "statement", "data", "estimates"):
        return clean(" ".join(words[:-1]))
    while name.lower().startswith(("news ", "agency ", "of ", "for ")):
        name = name.split(" ", 1)[1] if " " in name else ""
    if not name or name.lower() in _PRONOUN or not name[:1].isupper() or _NOT_NAME.fullmatch(name):
        return None
    return name


_NAME_BEFORE = re.compile(r"(?:[A-Z][\w.'’\-]*[ ]+){0,6}$")


def _full_name(text: str, short: str) -> str:
    """The fullest form the text gives a person: 'Gil' -> 'Venezuelan Deputy Foreign Minister Ivan Gil'."""
    last = short.split()[-1]
    for m in re.finditer(rf"(?<![\w'’.\-]){re.escape(last)}\b", text):
        window = text[max(0, m.start() - 200) : m.start()]
        before = _NAME_BEFORE.search(window)
        name = _STARTER.sub("", before.group(0) + last).strip() if before else last
        if len(name) > len(short):
            return name
    return short


def quoted_people(text: str) -> dict[str, Quoted]:
    """Surname -> Quoted, for each person the article quotes through an agency or outlet."""
    out: dict[str, Quoted] = {}
    if not re.search(r"\b(?:cites|cited|quotes|quoted|told)\b", text):
        return out
    for m in _CITES.finditer(text):
        outlet, who = clean(m.group("outlet")), clean(m.group("who"))
        if outlet and who:
            out[who.split()[-1]] = Quoted(outlet, _full_name(text, who), outlet)
    for m in _TOLD.finditer(text):
        outlet, who = clean(m.group("outlet")), clean(m.group("who"))
        if outlet and who and who.split()[-1] not in out and gazetteer().lookup(outlet.split()[:1]) is None:
            out[who.split()[-1]] = Quoted(outlet, _full_name(text, who), f"{who} (to {outlet})")
    return out


def cite(sent: str, quoted: dict[str, Quoted], text: str = "") -> Citation:
    """Who the sentence credits; the first attribution pattern that names someone wins."""
    if not _SAY_WORD.search(fold(sent)):
        return Citation()
    cites = "cite" in sent or "quote" in sent  # _CITES needs one: most sentences are spared running it
    for rx in (_ACCORDING, _CITES, _INSTITUTION, _SAYS, _SAID) if cites else (_ACCORDING, _INSTITUTION, _SAYS, _SAID):
        for m in rx.finditer(sent):
            found = _credit(rx, m, quoted, text or sent)
            if found is not None:
                return found
    return Citation()


def _credit(rx: re.Pattern, m: re.Match, quoted: dict[str, Quoted], text: str) -> Citation | None:
    if rx is _INSTITUTION:
        name = re.sub(r"^the\s+", "", m.group("src"), flags=re.IGNORECASE)
        name = name[:1].upper() + name[1:]
        return Citation(name, None, name, m.span("src"))
    if rx is _CITES:
        outlet, who = clean(m.group("outlet")), clean(m.group("who"))
        if outlet is None:
            return None
        return Citation(outlet, outlet, _full_name(text, who) if who else None, m.span("outlet"))
    said = clean(m.group("src"))
    if said is None:
        return None
    return _credit_name(said, quoted, m.span("src"))


def _credit_name(name: str, quoted: dict[str, Quoted], span: tuple[int, int]) -> Citation:
    """A name credited in the sentence: a person the article quotes through an agency, an agency, or
    whoever it is (the speaker)."""
    last = name.split()[-1]
    if last in quoted:
        q = quoted[last]
        return Citation(q.credit, q.agency, q.speaker, span)
    if is_agency(name):
        return Citation(name, name, None, span)
    return Citation(name, None, name, span)
