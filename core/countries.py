"""The country registry: ISO 3166-1 countries, their names, regions and a point to draw at.

Codes and ISO names come from pycountry (LGPL-2.1, used as a library). Everything else is read from
the package's own data files in core/data/ (core/data/README.md says where each row comes from):
country_names_cldr.csv (CLDR territory names in the six UN languages, scripts/build_country_names.py),
country_aliases.csv (Garrison's own: display names, former names, abbreviations), name_words.csv
(the words compared loosely: "the", "St.", "Republic"), countries.csv
(Natural Earth points and regions, scripts/build_geodata.py) and territories.csv (regions of the
territories Natural Earth folds into their parent).

A name resolves when it equals a known name, compared without case, accents, punctuation, "the"/"of"
and abbreviations ("St." = "Saint", "Rep." = "Republic"), in its own word order or in any order (so
"Korea, Dem. People's Rep." finds "Democratic People's Republic of Korea"). There is no search inside
longer text: "Gulf of Guinea" names no country, and is refused with suggestions.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
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

# Footnote marks of printed tables: "Thailand  e/ f/", "Germany*".
_FOOTNOTES = re.compile(r"(?:\s+[a-z]/)+$|\s*\*+$")
_QUALIFIED = re.compile(r"(.+?)\s*\(([^()]*)\)?")
_INCLUDING = re.compile(r"&|(?:and|inc|incl|including|includes)\b")

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})


def normalise(name: str) -> str:
    """Case-, accent-form-, apostrophe- and space-insensitive key for a country name."""
    text = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES)
    text = re.sub(r"\s*'\s*", "'", text)  # "Côte d' Ivoire" -> "côte d'ivoire"
    return " ".join(text.casefold().split())


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(name: str) -> tuple[str, ...]:
    """The words of a name as the resolver compares them: folded, punctuation gone, abbreviations spelled out.

    words("St. Vincent & the Grenadines") == ("saint", "vincent", "and", "grenadines")
    """
    text = _strip_accents(normalise(name)).replace("&", " and ")
    text = re.sub(r"\b\w(?:\. ?\w)+\b\.?", lambda m: re.sub(r"[. ]", "", m.group()), text)  # "U. S. A." = "USA"
    text = re.sub(r"\W+", " ", text.replace("'", ""))  # "Cote Divoire" = "Côte d'Ivoire"
    out: list[str] = []
    for word in text.split():
        out.extend(_ABBREVIATIONS.get(word, word).split())
    return tuple(w for w in out if w not in _DROPPED)


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


class MissingData(RuntimeError):
    """A data file the package must ship is absent: the installation is broken, not the input."""


def data_path(name: str) -> Path:
    """core/data/<name> in the installed package (a file on disk); MissingData when it is absent."""
    path = Path(str(resources.files("core").joinpath("data", name)))
    if not path.is_file():
        raise MissingData(
            f"{path} is missing from the installed garrison package: reinstall it "
            "(pip install --force-reinstall garrison) or, in a checkout, restore the file from git"
        )
    return path


def data_text(name: str) -> str:
    """The text of core/data/<name> (see data_path)."""
    return data_path(name).read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data_text(name))))


def _aliases() -> dict[str, str]:
    return {row["name"]: row["iso3"] for row in _rows("country_aliases.csv")}


def _name_words(kind: str) -> list[dict[str, str]]:
    return [row for row in _rows("name_words.csv") if row["kind"] == kind]


ALIASES = _aliases()  # alias -> iso3, read by the gazetteer too
# How the resolver compares names (core/data/name_words.csv says why each word is there).
_DROPPED = frozenset(row["word"] for row in _name_words("dropped"))
_ABBREVIATIONS = {row["word"]: row["means"] for row in _name_words("abbreviation")}
_LOOSE = frozenset(row["word"] for row in _name_words("loose"))
_FORMS = frozenset(row["word"] for row in _name_words("form"))


class _Index:
    """Known names by their words, in order and as a set; a key two countries share is dropped."""

    def __init__(self) -> None:
        self.ordered: dict[tuple[str, ...], tuple[int, str]] = {}
        self.unordered: dict[tuple[str, ...], tuple[int, str]] = {}
        self.labels: dict[str, str] = {}  # normalised name -> iso3, for suggestions

    def add(self, name: str, iso3: str, rank: int) -> None:
        """rank: 0 for Garrison's aliases, 1 for ISO names, 2 for CLDR English, 3 for other languages."""
        key = words(name)
        if not key:
            return
        for table, k in ((self.ordered, key), (self.unordered, _unordered(key))):
            held = table.get(k)
            if not k:
                continue
            if held is None or rank < held[0]:
                table[k] = (rank, iso3)
            elif rank == held[0] and held[1] not in (iso3, ""):
                table[k] = (rank, "")  # ambiguous at this rank: neither country
        if rank <= 2:  # suggestions are read by English-language users
            self.labels.setdefault(_strip_accents(normalise(name)), iso3)

    def find(self, name: str) -> str | None:
        key = words(name)
        bare = _without_forms(key)
        for k in (key, bare) if bare != key else (key,):
            for table, variant in ((self.ordered, k), (self.unordered, _unordered(k))):
                held = table.get(variant)
                if held is not None:
                    return held[1] or None
        return None


def _unordered(key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(w for w in key if w not in _LOOSE))  # a multiset: "Sudan and South Sudan" stays two


def _without_forms(key: tuple[str, ...]) -> tuple[str, ...]:
    start, end = 0, len(key)
    while start < end and key[start] in _FORMS:
        start += 1
    while end > start and key[end - 1] in _FORMS:
        end -= 1
    return key[start:end]


def _iso_entries() -> list[tuple[str, str, list[str], str]]:
    """(iso3, iso2, ISO names, official name) for pycountry's countries and EXTRA_CODES."""
    entries = []
    for c in pycountry.countries:
        names = [n for n in (c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")) if n]
        entries.append((c.alpha_3, c.alpha_2, names, getattr(c, "official_name", c.name)))
    entries += [(iso3, iso2, [name, official], official) for iso3, (iso2, name, official) in EXTRA_CODES.items()]
    return entries


def _cldr_names() -> dict[str, dict[str, str]]:
    """iso2 -> {language: CLDR name}."""
    out: dict[str, dict[str, str]] = {}
    for row in _rows("country_names_cldr.csv"):
        out.setdefault(row["iso2"], {})[row["language"]] = row["name"]
    return out


def _regions() -> dict[str, dict[str, str]]:
    """iso3 -> Natural Earth row (lat, lon, continent, subregion), territories.csv filling the gaps."""
    points = {row["iso3"]: row for row in _rows("countries.csv")}
    for row in _rows("territories.csv"):
        points.setdefault(row["iso3"], {"continent": row["continent"], "subregion": row["region"]})
    return points


class Registry:
    """All countries, indexed by code and by every known name."""

    def __init__(self) -> None:
        cldr, points = _cldr_names(), _regions()
        display = {row["iso3"]: row["name"] for row in _rows("country_aliases.csv") if row["use"] == "display"}
        self.by_iso3: dict[str, Country] = {}
        self._codes: dict[str, str] = {}
        self._index = _Index()
        for iso3, iso2, iso_names, official in _iso_entries():
            names = cldr.get(iso2, {})
            english = names.get("en", "").replace(" & ", " and ")
            name = display.get(iso3) or english or iso_names[0]
            p = points.get(iso3, {})
            self.by_iso3[iso3] = Country(
                iso3=iso3,
                iso2=iso2,
                name=name,
                official_name=official,
                continent=p.get("continent", ""),
                region=p.get("subregion", ""),
                subregion=p.get("subregion", ""),
                lat=float(p["lat"]) if p.get("lat") else None,
                lon=float(p["lon"]) if p.get("lon") else None,
                aliases=tuple(sorted({*iso_names, english} - {name, ""})),
            )
            self._codes[iso3.casefold()] = self._codes[iso2.casefold()] = iso3
            for n in (name, *iso_names):
                self._index.add(n, iso3, 1)
            for language, n in names.items():
                self._index.add(n, iso3, 2 if language == "en" else 3)
        for alias, iso3 in ALIASES.items():
            self._index.add(alias, iso3, 0)

    def resolve(self, name: str) -> Country:
        """The country a name or code means; raises UnknownCountry with suggestions."""
        iso3 = self._resolve_code(name)
        if iso3 is None:
            raise UnknownCountry(name, self.suggest(name))
        return self.by_iso3[iso3]

    @functools.lru_cache(maxsize=8192)  # noqa: B019 - one registry lives for the process
    def _resolve_code(self, name: str) -> str | None:
        key = _FOOTNOTES.sub("", normalise(name)).strip(" .,;*")
        if not key:
            return None
        if key in self._codes:
            return self._codes[key]
        found = self._index.find(key)
        qualified = _QUALIFIED.fullmatch(key)
        if found is None and qualified:
            # "Greece (Incl. Crete)", "Cuba (Guantanamo)": the country outside the brackets, unless the
            # brackets name another one ("Israel (Palestine)") other than as a part ("Hong Kong (& China)").
            outer, inner = self._index.find(qualified[1]), self._index.find(qualified[2])
            if inner in (None, outer) or _INCLUDING.match(qualified[2]):
                return outer
        return found

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Countries named inside `name` ("Gulf of Guinea": Guinea), then the closest spellings."""
        found = [self._index.find(" ".join(part)) for part in _phrases(words(name))]
        key = _strip_accents(normalise(name))
        close = difflib.get_close_matches(key, list(self._index.labels), n=n * 3, cutoff=0.6)
        out: list[str] = []
        for iso3 in [*found, *(self._index.labels[m] for m in close)]:
            label = self.by_iso3[iso3].name if iso3 else None
            if label and label not in out:
                out.append(label)
        return out[:n]

    def all(self) -> list[Country]:
        return sorted(self.by_iso3.values(), key=lambda c: c.name)


def _phrases(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every run of words shorter than the whole, longest first."""
    return [key[i : i + size] for size in range(len(key) - 1, 0, -1) for i in range(len(key) - size + 1)]


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
