"""Troop counts in news prose ("100", "3,500", "a thousand", "300-400") and their qualifiers."""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_WORD = "|".join(sorted([*_UNITS, *_SCALES, "dozen"], key=len, reverse=True))

# A number as written: digits with thousands separators, "1.5 million", or number words ("a thousand").
NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:million|thousand|k)\b)?"
    rf"|(?:(?:a|an|one)\s+)?(?:{_WORD})(?:(?:\s+|-)(?:and\s+)?(?:{_WORD}))*\b"
)

# Qualifier phrases -> count_kind. Longest first so "no more than" wins over "more than".
QUALIFIERS = {
    "approx": [
        "about",
        "around",
        "some",
        "roughly",
        "approximately",
        "approx.",
        "an estimated",
        "estimated",
        "close to",
        "circa",
        "c.",
        "~",
        "or so",
        "in the region of",
        "upwards of about",
    ],
    "at_least": [
        "more than",
        "over",
        "at least",
        "upwards of",
        "in excess of",
        "just over",
        "well over",
        "no fewer than",
        "no less than",
        "above",
        "a minimum of",
        "a further",
        "over than",
    ],
    "at_most": [
        "up to",
        "almost",
        "nearly",
        "as many as",
        "no more than",
        "at most",
        "fewer than",
        "less than",
        "under",
        "just under",
        "below",
        "a maximum of",
        "not more than",
        "close on",
    ],
}
_QUAL_KIND = {q: kind for kind, words in QUALIFIERS.items() for q in words}
_QUAL_KIND["a further"] = "exact"  # "a further 500": an increment, stated exactly
QUALIFIER = "|".join(re.escape(q) for q in sorted(_QUAL_KIND, key=len, reverse=True))


def qualifier_kind(text: str | None) -> str:
    if not text:
        return "exact"
    return _QUAL_KIND.get(" ".join(text.lower().split()), "exact")


def parse_number(text: str) -> int | None:
    """'3,500' -> 3500, '1.5 million' -> 1500000, 'a thousand' -> 1000, 'two hundred' -> 200."""
    t = text.strip().lower().replace("–", "-")
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(million|thousand|k)?", t)
    if m:
        value = float(m.group(1).replace(",", ""))
        value *= {"million": 1_000_000, "thousand": 1000, "k": 1000}.get(m.group(2) or "", 1)
        return int(round(value)) if value == int(value) or m.group(2) else None
    words = [w for w in re.split(r"[\s-]+", t) if w and w != "and"]
    if not words:
        return None
    if words[0] in _SCALES or words[0] == "dozen":
        return None  # "few hundred", "several thousand": a bare scale word is not a number
    if words[0] in ("a", "an"):
        if len(words) < 2:
            return None  # "a" alone is an article, not "one"
        # "a thousand" is one thousand; in "a five-person team" the article belongs to the team
        words = ["one", *words[1:]] if words[1] in (*_SCALES, "dozen") else words[1:]
    total = current = 0
    seen = False
    for w in words:
        if w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w == "dozen":
            current = (current or 1) * 12
            seen = True
        elif w == "hundred":
            current = (current or 1) * 100
            seen = True
        elif w in ("thousand", "million"):
            total += (current or 1) * _SCALES[w]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None
