"""The country registry: ISO 3166-1 countries, their aliases, regions and a point to draw at.

The ISO table comes from pycountry; name matching uses the regular expressions maintained by the
country_converter project (its data file, read directly: its loader breaks on pandas 3 because
Namibia's code "NA" turns into a missing value). Points, regions and continents come from the
Natural Earth file in data/countries.csv (see scripts/build_geodata.py).
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pycountry

# Codes users need that ISO 3166-1 does not assign (user-assigned range).
EXTRA_CODES = {
    "XKX": ("XK", "Kosovo", "Republic of Kosovo"),
}

# Names that the ISO table and the country_converter patterns miss or get wrong. Keys are
# normalised (see normalise()).
ALIASES = {
    "u.s.": "USA", "u.s.a.": "USA", "america": "USA", "united states": "USA",
    "uk": "GBR", "u.k.": "GBR", "great britain": "GBR", "britain": "GBR", "england": "GBR",
    "drc": "COD", "d.r.c.": "COD", "congo - kinshasa": "COD", "congo-kinshasa": "COD",
    "congo kinshasa": "COD", "zaire (congo)": "COD",
    "congo - brazzaville": "COG", "congo-brazzaville": "COG", "congo brazzaville": "COG",
    "republic of the congo": "COG",
    "dprk": "PRK", "rok": "KOR", "korea (rok)": "KOR",
    "burma": "MMR", "swaziland": "SWZ", "macedonia": "MKD", "czech republic": "CZE",
    "turkiye": "TUR", "türkiye": "TUR", "ivory coast": "CIV", "cote d'ivoire": "CIV",
    "kosovo": "XKX", "taiwan": "TWN", "formosa (taiwan)": "TWN", "vatican": "VAT",
    "holy see": "VAT", "east timor": "TLS", "cape verde": "CPV", "palestine": "PSE",
    "russia": "RUS", "syria": "SYR", "iran": "IRN", "laos": "LAO", "vietnam": "VNM",
    "moldova": "MDA", "bolivia": "BOL", "venezuela": "VEN", "tanzania": "TZA",
    "south korea": "KOR", "north korea": "PRK", "micronesia": "FSM", "brunei": "BRN",
    "ryukyu islands": "JPN", "okinawa": "JPN", "diego garcia": "IOT", "west germany": "DEU",
    "south vietnam": "VNM", "union of south africa": "ZAF",
}

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})


def normalise(name: str) -> str:
    """Case-, accent-form-, apostrophe- and space-insensitive key for a country name."""
    text = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES)
    text = re.sub(r"\s*'\s*", "'", text)  # "Côte d' Ivoire" -> "côte d'ivoire"
    return " ".join(text.casefold().split())


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    name: str
    official_name: str
    continent: str = ""
    region: str = ""
    subregion: str = ""
    lat: float | None = None
    lon: float | None = None
    aliases: tuple[str, ...] = field(default=(), compare=False)


class UnknownCountry(ValueError):
    """A name that resolves to no country; carries the closest known names."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown country {name!r}{hint}")


DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def _coco_rows() -> list[dict[str, str]]:
    path = Path(str(resources.files("country_converter").joinpath("country_data.tsv")))
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _points() -> dict[str, dict[str, str]]:
    path = DATA_DIR / "countries.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {row["iso3"]: row for row in csv.DictReader(f)}


class Registry:
    """All countries, indexed by code and by every known name."""

    def __init__(self) -> None:
        coco = {row["ISO3"]: row for row in _coco_rows() if row.get("ISO3")}
        points = _points()
        entries: list[tuple[str, str, str, str]] = [
            (c.alpha_3, c.alpha_2, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name))
            for c in pycountry.countries
        ]
        entries += [(iso3, iso2, name, official) for iso3, (iso2, name, official) in EXTRA_CODES.items()]

        self.by_iso3: dict[str, Country] = {}
        self._by_name: dict[str, str] = {}
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        for iso3, iso2, name, official in entries:
            c = coco.get(iso3, {})
            p = points.get(iso3, {})
            names = {name, official, c.get("name_short", ""), c.get("name_official", "")}
            py = pycountry.countries.get(alpha_3=iso3)
            if py is not None:
                names.add(py.name)
            names.discard("")
            aliases = tuple(sorted(n for n in names if n != (c.get("name_short") or name)))
            self.by_iso3[iso3] = Country(
                iso3=iso3,
                iso2=iso2,
                # country_converter's short names read as people write them ("Russia", "DR Congo")
                name=c.get("name_short") or name,
                official_name=official,
                continent=p.get("continent") or c.get("continent", ""),
                region=p.get("subregion") or c.get("UNregion", ""),
                subregion=p.get("subregion", ""),
                lat=float(p["lat"]) if p.get("lat") else None,
                lon=float(p["lon"]) if p.get("lon") else None,
                aliases=aliases,
            )
            for n in names | {iso3, iso2}:
                self._by_name.setdefault(normalise(n), iso3)
                self._by_name.setdefault(normalise(_strip_accents(n)), iso3)
            if c.get("regex"):
                self._patterns.append((re.compile(c["regex"], re.IGNORECASE), iso3))
        for alias, iso3 in ALIASES.items():
            self._by_name[normalise(alias)] = iso3

    def resolve(self, name: str) -> Country:
        """The country a name or code means; raises UnknownCountry with suggestions."""
        iso3 = self._resolve_code(name)
        if iso3 is None:
            raise UnknownCountry(name, self.suggest(name))
        return self.by_iso3[iso3]

    @functools.lru_cache(maxsize=8192)  # noqa: B019 - one registry lives for the process
    def _resolve_code(self, name: str) -> str | None:
        raw = normalise(name)
        key = raw.strip(" .,;*")
        if not key:
            return None
        for candidate in (raw, key, _strip_accents(key)):
            if candidate in self._by_name:
                return self._by_name[candidate]
        if len(key) <= 3:  # unknown short codes must not fall through to fuzzy patterns
            return None
        matches = {iso3 for pattern, iso3 in self._patterns if pattern.search(key)}
        if len(matches) == 1:
            return matches.pop()
        return None

    def suggest(self, name: str, n: int = 3) -> list[str]:
        key = normalise(name)
        close = difflib.get_close_matches(key, list(self._by_name), n=n * 3, cutoff=0.6)
        out: list[str] = []
        for match in close:
            label = self.by_iso3[self._by_name[match]].name
            if label not in out:
                out.append(label)
        return out[:n]

    def all(self) -> list[Country]:
        return sorted(self.by_iso3.values(), key=lambda c: c.name)


@functools.cache
def registry() -> Registry:
    return Registry()


def resolve(name: str) -> Country:
    """resolve("Russian Federation").iso3 == "RUS"; raises UnknownCountry for unknown names."""
    return registry().resolve(name)


def resolve_iso3(name: str) -> str:
    return registry().resolve(name).iso3


def get(iso3: str) -> Country:
    """The country with this alpha-3 code (KeyError when unknown)."""
    return registry().by_iso3[iso3]


def name_of(iso3: str) -> str:
    country = registry().by_iso3.get(iso3)
    return country.name if country else iso3


def all_countries() -> list[Country]:
    return registry().all()
