"""Dates in news prose, resolved against the publication date: "on Thursday", "end of March", "6 Feb 2025".

Finding the expressions is a regular expression (fast, and it knows which words are dates here: "May"
the month, not the verb); turning an explicit calendar date into a date is dateparser's job. Relative
expressions (weekdays, "last month", "today") are resolved by hand because news uses them relative to
the publication day, looking back for events that happened and forward for ones announced.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from core.extraction.words import fold

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"

DATE = re.compile(
    rf"""
    (?P<ymd>\b{_YEAR}-[01]\d-[0-3]\d\b)
  | (?P<dmy_num>\b[0-3]?\d[./][01]?\d[./]{_YEAR}\b)
  | (?:(?:on\s+)?(?:the\s+)?(?:(?:morning|afternoon|evening|night)\s+of\s+)?(?:late\s+|early\s+)?
        (?P<wd>{_WEEKDAY})(?:\s+(?:morning|afternoon|evening|night))?
        (?:,?\s+(?P<wd_date>{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?|{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?))?)
  | (?P<md>\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b)
  | (?P<dm>\b{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?\b)
  | (?:(?:at\s+|by\s+)?(?:the\s+)?(?P<part>end|beginning|start|middle|mid|early|late)(?:\s+of|-)?\s+
        (?P<part_month>{_MONTH})(?:\s+(?P<part_year>{_YEAR}))?\b)
  | (?P<month_year>\b{_MONTH}\s+{_YEAR}\b)
  | (?:\b(?:in|since|during|from|of|last|this|early|late|mid-?)\s+
        (?P<month>(?!May\b){_MONTH}|May(?=\s*[,.]))\b(?!\.?\s+(?:{_YEAR}|\d)))
  | (?P<rel>\b(?:today|tonight|yesterday|(?:earlier\s+)?this\s+week|last\s+week|last\s+month
        |(?:earlier\s+)?this\s+month
        |last\s+year|this\s+year)\b)
  | (?:\b(?P<year_prep>in|since|during|of|late|early|mid-?)\s+(?:(?:late|early|mid-?)\s*)?
        (?P<year>{_YEAR})\b)
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    text: str
    date: dt.date | None
    precision: str | None


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


@functools.lru_cache(maxsize=4096)
def _dateparser(text: str, ref: dt.date | None) -> dt.date | None:
    import dateparser  # imported on first use: it costs ~0.5 s and most texts need it rarely

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month"]}
    if ref is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(ref, dt.time())
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _year_for(month: int, day: int | None, ref: dt.date | None, forward: bool) -> int | None:
    if ref is None:
        return None
    year = ref.year
    candidate = dt.date(year, month, min(day or 1, 28))
    if not forward and candidate > ref + dt.timedelta(days=7 if day else 31):
        year -= 1  # "in November", written in February, means last November
    if forward and candidate < ref - dt.timedelta(days=31):
        year += 1
    return year


def resolve(m: re.Match, ref: dt.date | None, forward: bool = False) -> tuple[dt.date | None, str | None]:
    """(date, precision) of a DATE match; relative ones against `ref`, looking forward or back."""
    g = m.groupdict()
    for group, how in _RESOLVERS:
        if g[group]:
            return how(g, ref, forward)
    return None, None


def _ymd(g: dict, ref: dt.date | None, forward: bool):
    try:
        return dt.date.fromisoformat(g["ymd"]), "day"
    except ValueError:
        return None, None


def _dmy_num(g: dict, ref: dt.date | None, forward: bool):
    day, month, year = re.split(r"[./]", g["dmy_num"])
    try:
        return dt.date(int(year), int(month), int(day)), "day"
    except ValueError:
        return None, None


def _weekday(g: dict, ref: dt.date | None, forward: bool):
    if g["wd_date"]:
        return _explicit(g["wd_date"], ref, forward)
    if ref is None:
        return None, None
    wanted = WEEKDAYS[g["wd"].lower()]
    if forward:
        return ref + dt.timedelta(days=(wanted - ref.weekday()) % 7), "day"
    return ref - dt.timedelta(days=(ref.weekday() - wanted) % 7), "day"


def _month_day(g: dict, ref: dt.date | None, forward: bool):
    return _explicit(g["md"] or g["dm"], ref, forward)


def _part_of_month(g: dict, ref: dt.date | None, forward: bool):
    month = _month(g["part_month"])
    year = int(g["part_year"]) if g["part_year"] else _year_for(month, None, ref, forward)
    return (dt.date(year, month, 1), "month") if year else (None, None)


def _month_year(g: dict, ref: dt.date | None, forward: bool):
    parts = g["month_year"].split()
    return dt.date(int(parts[-1]), _month(parts[0]), 1), "month"


def _bare_month(g: dict, ref: dt.date | None, forward: bool):
    month = _month(g["month"])
    year = _year_for(month, None, ref, forward)
    return (dt.date(year, month, 1), "month") if year else (None, None)


def _relative(g: dict, ref: dt.date | None, forward: bool):
    if ref is None:
        return None, None
    rel = " ".join(g["rel"].lower().split()).removeprefix("earlier ")
    start_of_month = ref.replace(day=1)
    found = {
        "today": (ref, "day"),
        "tonight": (ref, "day"),
        "yesterday": (ref - dt.timedelta(days=1), "day"),
        "this week": (start_of_month, "month"),
        "this month": (start_of_month, "month"),
        "last week": ((ref - dt.timedelta(days=7)).replace(day=1), "month"),
        "last month": ((start_of_month - dt.timedelta(days=1)).replace(day=1), "month"),
        "this year": (ref.replace(month=1, day=1), "year"),
    }
    return found.get(rel, (dt.date(ref.year - 1, 1, 1), "year"))


def _year(g: dict, ref: dt.date | None, forward: bool):
    return dt.date(int(g["year"]), 1, 1), "year"


_RESOLVERS = (
    ("ymd", _ymd),
    ("dmy_num", _dmy_num),
    ("wd", _weekday),
    ("md", _month_day),
    ("dm", _month_day),
    ("part_month", _part_of_month),
    ("month_year", _month_year),
    ("month", _bare_month),
    ("rel", _relative),
    ("year", _year),
)


def _explicit(text: str, ref: dt.date | None, forward: bool) -> tuple[dt.date | None, str | None]:
    has_year = re.search(_YEAR, text) is not None
    if not has_year and ref is None:
        return None, None
    parsed = _dateparser(" ".join(text.split()), ref)
    if parsed is None:
        return None, None
    if not has_year:
        year = _year_for(parsed.month, parsed.day, ref, forward)
        if year is None:
            return None, None
        parsed = parsed.replace(year=year)
    return parsed, "day"


# Every date expression contains one of these; DATE itself runs only in windows around them (speed).
# Matched on the lower-cased text (case-sensitive on folded text is several times faster than IGNORECASE).
_KEYWORD = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan\b|feb\b|"
    r"mar\b|apr\b|jun\b|jul\b|aug\b|sept?\b|oct\b|nov\b|dec\b|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|today|tonight|yesterday|week\b|month\b|year\b|(?:19[5-9]|20\d)\d\b|\d{1,2}[./-]\d)"
)


def _windows(text: str) -> list[tuple[int, int]]:
    spans: list[list[int]] = []
    for k in _KEYWORD.finditer(fold(text)):
        start = max(0, k.start() - 45)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = min(len(text), k.end() + 40)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans]


def find_dates(text: str, ref: dt.date | None, forward: bool = False) -> list[FoundDate]:
    out = []
    matches = (m for a, b in _windows(text) for m in DATE.finditer(text, a, b))
    for m in matches:
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if re.search(r"\b(?:until|till|through|by|before)\s+$", before):
            continue  # an end of a period ("until 2026") is not when the deployment happened
        date, precision = resolve(m, ref, forward)
        out.append(FoundDate(m.start(), m.end(), m.group().strip(), date, precision))
    return out
