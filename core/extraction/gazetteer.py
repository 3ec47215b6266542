"""Which words in news text name a country: names, adjectives, demonyms, capitals, cities, institutions.

Country names and aliases come from the registry (core.countries); the tables below add what the
registry cannot know: how journalists refer to a country ("Turkish", "Moscow", "the Pentagon") and
where the places in conflict reporting lie ("Caracas", "Cabo Delgado", "Incirlik"). Multinational
bodies are listed too, so that "CSTO peacekeepers" is recognised as a non-country actor instead of
being credited to whichever country is mentioned nearby.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from core import countries

_DATA = Path(__file__).with_name("data") / "gazetteer"


def _table(name: str) -> str:
    """A table of data/gazetteer/<name>.txt ('ISO3 name|name; ...' or 'name|name'), its # lines dropped."""
    lines = (_DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("#")) + "\n"


DEMONYMS = _table("demonyms")

CAPITALS = _table("capitals")

INSTITUTIONS = _table("institutions")

PLACES = _table("places")

BODIES = _table("bodies")

REGIONS = _table("regions")

NOT_COUNTRIES = _table("not_countries")

# Short uppercase names that must match case-exactly ("US troops", but never the pronoun "us").
CASE_EXACT = frozenset(_table("case_exact").split())

EXTRA_NAMES = _table("extra_names")


@dataclass(frozen=True)
class Entry:
    iso3: str | None  # None for multinational bodies
    kind: str  # name | adj | capital | institution | place | body | region | not
    label: str


# Possessive "'s" is its own token so that "Turkey's" finds Turkey.
TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:-\w+)*(?:['’](?![sS]\b)\w+)*|['’][sS]\b|[^\s\w]")
MAX_NGRAM = 6


def tokens(text: str) -> list[str]:
    return [m.group().replace("’", "'") for m in TOKEN.finditer(text)]


def key_of(name: str) -> str:
    return " ".join(tokens(name)).casefold()


def _parse_table(table: str) -> list[tuple[str, list[str]]]:
    rows = []
    for chunk in " ".join(table.split("\n")).split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        iso3, _, names = chunk.partition(" ")
        names = re.sub(r"\s*\([^)]*\)", "", names)  # "(Dominica)" notes
        rows.append((iso3, [n.strip() for n in names.split("|") if n.strip()]))
    return rows


@dataclass
class Gazetteer:
    entries: dict[str, Entry]
    exact: dict[str, Entry]
    first_words: frozenset[str] = frozenset()  # first token of every name: a cheap "could start one" test

    def lookup(self, words: list[str]) -> Entry | None:
        joined = " ".join(words)
        if joined in self.exact:
            return self.exact[joined]
        entry = self.entries.get(joined.casefold())
        if entry is not None and joined.upper() == joined and len(joined) <= 4 and "." not in joined:
            # "IN", "TO" in an all-caps headline are words, not ISO codes
            return None
        return entry


@functools.cache
def gazetteer() -> Gazetteer:
    """Every country word, read once: later sources overwrite earlier ones where they are surer."""
    entries: dict[str, Entry] = {}
    exact: dict[str, Entry] = {}
    for name, iso3, kind, overwrite in itertools.chain(_country_names(), _tables(), _lists()):
        entry = Entry(iso3, kind, name)
        if name in CASE_EXACT:
            exact[name] = entry
            continue
        key = key_of(name)
        if key and (overwrite or key not in entries):
            entries[key] = entry
    firsts = {key.split(" ")[0] for key in entries} | {name.split(" ")[0].casefold() for name in exact}
    return Gazetteer(entries, exact, frozenset(firsts))


def _country_names():
    """(name, iso3, kind, overwrite) for the names core.countries knows."""
    for country in countries.all_countries():
        for name in (country.name, country.official_name, *country.aliases):
            if "," not in name and "(" not in name:
                yield name, country.iso3, "name", False
    for alias, iso3 in countries.ALIASES.items():
        if len(alias) > 3 and "(" not in alias:
            yield alias.title(), iso3, "name", False


def _tables():
    """The extractor's own tables: extra names, adjectives, capitals, institutions, places."""
    for iso3, names in _parse_table(EXTRA_NAMES):
        for n in names:
            yield n, iso3, "name", True
    for table, kind in ((DEMONYMS, "adj"), (CAPITALS, "capital"), (INSTITUTIONS, "institution"), (PLACES, "place")):
        for iso3, names in _parse_table(table):
            for n in names:
                yield n, iso3, "adj" if n in ("U.S.", "US", "USA", "U.S.A.") else kind, kind in ("adj", "capital")


def _lists():
    """Words that are not countries: multinational bodies, look-alikes, regions."""
    for text, kind in ((BODIES, "body"), (NOT_COUNTRIES, "not"), (REGIONS, "region")):
        for n in " ".join(text.split("\n")).split("|"):
            if n.strip() or kind != "region":
                yield n.strip(), None, kind, True
