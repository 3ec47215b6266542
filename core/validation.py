"""Pure validation: raw values (CSV cells, form fields) in, a ReportData or field errors out."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from core import countries
from core.cells import missing
from core.domain import COUNT_KINDS, CSV_COLUMNS, MAX_TROOPS, PRECISIONS, STATUSES, TEXT_LIMITS, ReportData, format_date

# What people write for a count qualifier, mapped to a count_kind.
COUNT_KIND_ALIASES = {
    "about": "approx",
    "approximately": "approx",
    "around": "approx",
    "~": "approx",
    "some": "approx",
    "min": "at_least",
    "at least": "at_least",
    "more than": "at_least",
    "over": "at_least",
    "max": "at_most",
    "up to": "at_most",
    "at most": "at_most",
    "none": "unknown",
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$", re.ASCII)
_FIELDS = CSV_COLUMNS  # every column of the canonical CSV is read as text first
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")
# Accepts what urlsplit would (http/https scheme, a host) without its cost; anything else is checked in full.
_PLAIN_HTTP_URL = re.compile(r"https?://[^/?#\s\x00-\x1f\x7f]+[^\s\x00-\x1f\x7f]*\Z", re.IGNORECASE)


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class _Errors(list[FieldError]):
    def add(self, field: str, message: str) -> None:
        self.append(FieldError(field, message))


def _text(raw: Mapping[str, Any], field: str) -> str | None:
    value = raw.get(field)
    if value.__class__ is str:  # the common case (CSV cells, form fields) first: imports call this a lot
        return value.strip() or None
    if missing(value):  # NaN or pd.NA from a DataFrame
        return None
    return str(value).strip() or None


def parse_partial_date(text: str) -> tuple[dt.date, str]:
    """'2019' / '2019-03' / '2019-03-31' -> (first day of the period, precision). ValueError if not."""
    m = _DATE.match(text.strip())
    if not m:
        raise ValueError("use YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = m.groups()
    if int(year) < MIN_YEAR:
        raise ValueError(f"year {year} is before {MIN_YEAR}: use a four-digit year such as 2019")
    if day is not None:
        return dt.date(int(year), int(month), int(day)), "day"
    if month is not None:
        return dt.date(int(year), int(month), 1), "month"
    return dt.date(int(year), 1, 1), "year"


def _truncate(value: dt.date, precision: str) -> dt.date:
    if precision == "year":
        return value.replace(month=1, day=1)
    if precision == "month":
        return value.replace(day=1)
    return value


# ASCII digits only (Python's int() also reads Arabic-Indic and fullwidth digits); thousands grouped by
# commas in threes ("3,000") is the one grouping accepted. A point followed by exactly three digits
# ("1.000") could be a European thousands separator or a decimal point: refused, never guessed.
_WHOLE = re.compile(r"-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.0{1,2}|\.0{4,})?\Z", re.ASCII)
_DECIMAL = re.compile(r"[+-]?\d+(?:\.\d+)?\Z", re.ASCII)
_AMBIGUOUS_POINT = re.compile(r"\d\.\d{3}\Z", re.ASCII)
# A year before this is a typo ("0001", "0019"), not a report of foreign military presence.
MIN_YEAR = 1800


def _int(text: str) -> int:
    """'3,000' / '100.0' -> int; ValueError (with the reason) for anything another reading could give."""
    if not text.isascii():
        raise ValueError(f"{text!r} is not a whole number: write it with the digits 0-9")
    if _WHOLE.match(text):
        return int(text.replace(",", "").split(".")[0])
    if _AMBIGUOUS_POINT.search(text) or re.search(r"\d,\d{1,2}\Z", text):
        raise ValueError(
            f"{text!r} is ambiguous (a decimal or a thousands separator?): write the whole "
            "number without a separator, e.g. 1000"
        )
    raise ValueError(f"{text!r} is not a whole number")


def _decimal(text: str) -> float:
    """'10.5' -> 10.5; ValueError for NaN, infinity, exponents and non-ASCII digits."""
    if not _DECIMAL.match(text):
        raise ValueError(f"{text!r} is not a number: use decimal degrees such as -66.9")
    return float(text)


def _url_error(url: str) -> str | None:
    if _PLAIN_HTTP_URL.match(url):
        return None
    if _SPACE_OR_CONTROL.search(url):
        return "must not contain spaces or control characters"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return "only http:// and https:// links are allowed"
    if not parts.netloc:
        return "must be a full address such as https://example.org/article"
    return None


Text = dict[str, str | None]


def _country_fields(text: Text, errors: _Errors) -> dict[str, str]:
    """deployer and host -> ISO alpha-3 codes (they must differ)."""
    codes: dict[str, str] = {}
    for field in ("deployer", "host"):
        name = text[field]
        if name is None:
            errors.add(field, "required: a country name or ISO code")
            continue
        try:
            codes[field] = countries.registry().resolve(name).iso3
        except countries.UnknownCountry as exc:
            errors.add(field, str(exc))
    if codes.get("deployer") and codes.get("deployer") == codes.get("host"):
        errors.add("host", "must differ from deployer (a country's forces at home are not foreign presence)")
    return codes


def _troops_field(cell: str | None, field: str, errors: _Errors) -> int | None:
    if cell is None:
        return None
    try:
        value = _int(cell)
    except ValueError as exc:
        errors.add(field, str(exc))
        return None
    if not 0 <= value <= MAX_TROOPS:
        errors.add(field, f"must be between 0 and {MAX_TROOPS:,}")
        return None
    return value


def _kind_field(text: Text, errors: _Errors) -> str | None:
    """The count_kind given (aliases read), or the one the numbers imply when none is given."""
    kind_text = text["count_kind"]
    if kind_text is not None:
        kind = COUNT_KIND_ALIASES.get(kind_text.lower(), kind_text.lower())
        if kind not in COUNT_KINDS:
            errors.add("count_kind", f"{kind_text!r} is not one of {', '.join(COUNT_KINDS)}")
            return None
        return kind
    if text["troops"] is None:
        return "unknown"
    return "range" if text["troops_max"] is not None else "exact"


def _count_fields(text: Text, errors: _Errors) -> tuple[int | None, int | None, str | None]:
    """(troops, troops_max, count_kind), the kind consistent with the numbers given."""
    troops = _troops_field(text["troops"], "troops", errors)
    troops_max = _troops_field(text["troops_max"], "troops_max", errors)
    kind = _kind_field(text, errors)
    if kind == "range":
        if troops is None or troops_max is None:
            errors.add("troops_max", "a range needs both troops (the low end) and troops_max")
        elif troops_max < troops:
            errors.add("troops_max", "must be at least troops")
    elif troops_max is not None:
        errors.add("troops_max", "only allowed with count_kind 'range'")
    if kind == "unknown" and troops is not None:
        errors.add("count_kind", "'unknown' means no number: leave troops empty or choose another kind")
    if kind in ("exact", "approx", "at_least", "at_most") and troops is None and text["troops"] is None:
        errors.add("troops", f"required when count_kind is {kind!r} (use 'unknown' when no number is given)")
    return troops, troops_max, kind


def _status_field(text: Text, errors: _Errors) -> str:
    status = (text["status"] or "present").lower()
    if status not in STATUSES:
        errors.add("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    return status


def _precision_field(text: Text, errors: _Errors) -> str | None:
    given = (text["date_precision"] or "").lower() or None
    if given is not None and given not in PRECISIONS:
        errors.add("date_precision", f"{given!r} is not one of {', '.join(PRECISIONS)}")
        return None
    return given


def _date_fields(
    value: Any, text: Text, status: str, today: dt.date, errors: _Errors
) -> tuple[dt.date | None, str | None]:
    """(date truncated to its precision, precision); `value` is the raw cell (a date from a frame, or text)."""
    date: dt.date | None = None
    precision: str | None = None
    given = _precision_field(text, errors)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        date, precision = value, given or "day"
    elif text["date"] is None:
        errors.add("date", "required: YYYY-MM-DD, YYYY-MM or YYYY")
    else:
        try:
            date, precision = parse_partial_date(text["date"])
        except ValueError as exc:
            errors.add("date", f"{text['date']!r} is not a date: {exc}")
    if date is None or precision is None:
        return None, None
    if given is not None:
        if PRECISIONS.index(given) < PRECISIONS.index(precision):
            errors.add("date_precision", f"{given!r} is finer than the date given")
        else:
            precision = given
    date = _truncate(date, precision)
    if date > today and status != "announced":
        errors.add("date", "is in the future: only an 'announced' report may be dated ahead")
    return date, precision


def _coordinate_fields(text: Text, errors: _Errors) -> tuple[float | None, float | None]:
    """(lat, lon): both or neither, in range."""
    found: dict[str, float] = {}
    for field, bound in (("lat", 90), ("lon", 180)):
        cell = text[field]
        if cell is None:
            continue
        try:
            number = _decimal(cell)
        except ValueError as exc:
            errors.add(field, str(exc))
            continue
        if not -bound <= number <= bound:
            errors.add(field, f"must be between -{bound} and {bound}")
        else:
            found[field] = number
    if (text["lat"] is None) != (text["lon"] is None):
        errors.add("lon" if text["lon"] is None else "lat", "give both lat and lon, or neither")
    return found.get("lat"), found.get("lon")


def _text_fields(text: Text, errors: _Errors) -> None:
    """Length limits and control characters of the free-text fields; source_name required; URL form."""
    for field, limit in TEXT_LIMITS.items():
        cell = text[field]
        if cell is None:
            continue
        if len(cell) > limit:
            errors.add(field, f"is {len(cell):,} characters long; the limit is {limit:,}")
        elif field != "notes" and _CONTROL.search(cell):
            errors.add(field, "contains control characters")
        elif "\x00" in cell:
            errors.add(field, "contains a NUL character")
    if text["source_name"] is None:
        errors.add("source_name", "required: who reported this (outlet, ministry, dataset)")
    url = text["source_url"]
    if url is not None:
        problem = _url_error(url)
        if problem:
            errors.add("source_url", problem)


def _source_date_field(value: Any, text: Text, today: dt.date, errors: _Errors) -> str | None:
    """The source's publication date, normalised to YYYY, YYYY-MM or YYYY-MM-DD; not in the future."""
    source_date = value.isoformat() if isinstance(value, dt.date) else text["source_date"]
    if source_date is None:
        return None
    try:
        published, published_precision = parse_partial_date(source_date)
    except ValueError as exc:
        errors.add("source_date", f"{source_date!r} is not a date: {exc}")
        return source_date
    if published > today:
        errors.add("source_date", "is in the future")
    return format_date(published, published_precision)


def texts_of(raw: Mapping[str, Any]) -> Text:
    """Every field's cell as stripped text, None where empty or missing."""
    return {field: _text(raw, field) for field in _FIELDS}


def validate(raw: Mapping[str, Any], today: dt.date | None = None) -> ReportData | list[FieldError]:
    """Check one report; return it normalised, or every problem as a FieldError."""
    today = today or dt.date.today()
    errors = _Errors()
    text = texts_of(raw)
    codes = _country_fields(text, errors)
    troops, troops_max, kind = _count_fields(text, errors)
    status = _status_field(text, errors)
    date, precision = _date_fields(raw.get("date"), text, status, today, errors)
    lat, lon = _coordinate_fields(text, errors)
    _text_fields(text, errors)
    source_date = _source_date_field(raw.get("source_date"), text, today, errors)
    if errors:
        return list(errors)
    assert kind is not None and date is not None and precision is not None and text["source_name"] is not None
    return ReportData(
        deployer=codes["deployer"],
        host=codes["host"],
        troops=troops,
        troops_max=troops_max,
        count_kind=kind,
        date=date,
        date_precision=precision,
        status=status,
        mission=text["mission"],
        location=text["location"],
        lat=lat,
        lon=lon,
        source_name=text["source_name"],
        source_url=text["source_url"],
        source_date=source_date,
        notes=text["notes"],
        cited_agency=text["cited_agency"],
        speaker=text["speaker"],
    )
