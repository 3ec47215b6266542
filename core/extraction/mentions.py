"""Stage: mentions — the country words of a text (names, adjectives, capitals, cities, institutions).

`find(text)` reads the whole text once (core.extraction.gazetteer, longest match first);
`in_sentence(found, text, start, end)` gives one sentence's mentions with offsets into the sentence,
marking those in a dateline ("CARACAS (Reuters) -"), which place the reporter, not the troops.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from core.extraction.gazetteer import TOKEN, gazetteer


@dataclass(frozen=True)
class Mention:
    """A country word: its span, the country (None for a multinational body), and what kind of word it is
    (name, adj, capital, place, institution, region)."""

    start: int
    end: int
    iso3: str | None
    kind: str
    text: str
    dateline: bool = False


_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]{2,}(?:,\s*[A-Z][\w .'’-]+)?\s*(?:\([^)]{1,40}\))?\s*(?:--|—|–|-)\s")
_CAPITALISED = re.compile(r"(?<![\w'’.-])[A-Z\u00C0-\u00DE][\w'’.-]*")


def in_sentence(found: list[Mention], text: str, start: int, end: int, ends: list[int] | None = None) -> list[Mention]:
    """The mentions inside text[start:end], with offsets into that sentence; `ends` (each mention's end,
    in order) spares a long text's caller rebuilding them for every sentence."""
    sent = text[start:end]
    dl = _DATELINE.match(sent)
    first = bisect.bisect_right(ends if ends is not None else [m.end for m in found], start)
    out = []
    for m in found[first:]:
        if m.start >= end:
            break
        a, b = m.start - start, m.end - start
        out.append(Mention(a, b, m.iso3, m.kind, m.text, dateline=dl is not None and b <= dl.end()))
    return out


_CAPITALISED = re.compile(r"(?<![\w'’.-])[A-Z\u00C0-\u00DE][\w'’.-]*")


def find(text: str) -> list[Mention]:
    """Country words, longest match first; only capitalised words that can start a name are looked at."""
    gaz = gazetteer()
    out: list[Mention] = []
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
                    out.append(Mention(toks[0][0], toks[0][0] + len(head_word), entry.iso3, kind, head_word))
            continue
        n, entry = found
        start, end = toks[0][0], toks[n - 1][1]
        resume = end
        if entry.kind != "not":
            out.append(Mention(start, end, entry.iso3, entry.kind, text[start:end]))
    return out
