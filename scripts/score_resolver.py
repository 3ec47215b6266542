"""Score core.countries.resolve on names that other libraries and the World Bank use.

    python scripts/score_resolver.py [--list]

Three measures, each as right / wrong / refused:

1. Library names: every name and code of country_converter's table (name_short, name_official, ISO2,
   ISO3 of country_data.tsv; two ISO2 cells that hold regular expressions are left out) and of
   pycountry (name, official_name, common_name, alpha_2, alpha_3), each expected to resolve to its
   row's alpha-3 code. country_converter is GPL-3.0 and no dependency of
   Garrison: it is only the measuring stick, read when it is installed (`pip install country_converter`),
   skipped with a note otherwise. Rows it marks obsolete (Soviet Union, Netherlands Antilles ...) have
   codes no ISO table assigns today; refusing them is right, so they are counted apart.
2. World Bank style names ("Korea, Dem. People's Rep.", "Venezuela, RB"), as the World Development
   Indicators print them.
3. Places and former states that contain a country's name but are none ("Persian Gulf", "Czechoslovakia"):
   right = refused.

--list prints every name that was not right.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pycountry  # noqa: E402

from core import countries  # noqa: E402

WORLD_BANK = [
    ("Korea, Dem. People's Rep.", "PRK"),
    ("Korea, Rep.", "KOR"),
    ("Venezuela, RB", "VEN"),
    ("Gambia, The", "GMB"),
    ("Bahamas, The", "BHS"),
    ("Egypt, Arab Rep.", "EGY"),
    ("Iran, Islamic Rep.", "IRN"),
    ("Yemen, Rep.", "YEM"),
    ("Congo, Dem. Rep.", "COD"),
    ("Congo, Rep.", "COG"),
    ("Lao PDR", "LAO"),
    ("Micronesia, Fed. Sts.", "FSM"),
    ("Hong Kong SAR, China", "HKG"),
    ("Macao SAR, China", "MAC"),
    ("Kyrgyz Republic", "KGZ"),
    ("Slovak Republic", "SVK"),
    ("St. Lucia", "LCA"),
    ("St. Vincent and the Grenadines", "VCT"),
    ("St. Kitts and Nevis", "KNA"),
    ("Virgin Islands (U.S.)", "VIR"),
    ("West Bank and Gaza", "PSE"),
    ("Syrian Arab Republic", "SYR"),
    ("Viet Nam", "VNM"),
    ("Cabo Verde", "CPV"),
    ("St. Martin (French part)", "MAF"),
    ("Sint Maarten (Dutch part)", "SXM"),
    ("Turkiye", "TUR"),
    ("Cote d'Ivoire", "CIV"),
    ("Curacao", "CUW"),
    ("Sao Tome and Principe", "STP"),
    ("Brunei Darussalam", "BRN"),
    ("Russian Federation", "RUS"),
]

# Each contains a country's name (or a former one) and is no country today.
NOT_COUNTRIES = [
    "Persian Gulf",
    "Gulf of Guinea",
    "South China Sea",
    "Niger Delta",
    "Sudan and South Sudan",
    "Czechoslovakia",
    "Yugoslavia",
    "Soviet Union",
    "East Germany",
    "Gulf of Oman",
    "Sea of Japan",
    "Korean Peninsula",
    "Horn of Africa",
    "Sahel",
    "Mediterranean Sea",
    "India, Pakistan",
    "Israel, Syria",
    "Kosovo, Serbia",
    "Indian Ocean",
    "Arabian Sea",
    "Iraq and Syria",
    "Mexico City",
    "Gulf of Mexico",
]


# Two ISO2 cells of country_converter's table hold regular expressions ("^GB$|^UK$"): no names.
_REGEX = re.compile(r"[$^|]")


def _coco_names() -> tuple[list[tuple[str, str]], list[tuple[str, str]]] | None:
    """(current, obsolete) (name, iso3) pairs of country_converter's table, or None when not installed."""
    try:
        path = Path(str(resources.files("country_converter").joinpath("country_data.tsv")))
    except ModuleNotFoundError:
        return None
    current, obsolete = [], []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            pairs = [(row[k], row["ISO3"]) for k in ("name_short", "name_official", "ISO2", "ISO3") if row[k]]
            pairs = [(n, iso3) for n, iso3 in pairs if not _REGEX.search(n)]
            (obsolete if row["obsolete"] else current).extend(pairs)
    return current, obsolete


def _pycountry_names() -> list[tuple[str, str]]:
    return [
        (getattr(c, attr), c.alpha_3)
        for c in pycountry.countries
        for attr in ("name", "official_name", "common_name", "alpha_2", "alpha_3")
        if hasattr(c, attr)
    ]


def _outcome(name: str) -> str | None:
    try:
        return countries.resolve_iso3(name)
    except countries.UnknownCountry:
        return None


def score(pairs: list[tuple[str, str | None]]) -> tuple[int, list[str], list[str]]:
    """(right, wrong, refused): an expected None means the name must be refused."""
    right, wrong, refused = 0, [], []
    for name, expected in pairs:
        got = _outcome(name)
        if got == expected:
            right += 1
        elif got is None:
            refused.append(f"{name!r} (expected {expected})")
        else:
            wrong.append(f"{name!r} -> {got} (expected {expected or 'refusal'})")
    return right, wrong, refused


def report(title: str, pairs: list[tuple[str, str | None]], show: bool) -> None:
    right, wrong, refused = score(pairs)
    print(f"{title}: {right} of {len(pairs)} right, {len(wrong)} wrong, {len(refused)} refused")
    if show:
        for line in wrong + refused:
            print(f"    {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="print every name that was not right")
    args = parser.parse_args(argv)
    coco = _coco_names()
    library = _pycountry_names()
    if coco is None:
        print("country_converter is not installed: library names are pycountry's only")
    else:
        current, obsolete = coco
        library = current + library
        report("obsolete country_converter rows (right = refused)", [(n, None) for n, _ in obsolete], args.list)
        print(f"library names incl. obsolete rows: {len(library) + len(obsolete)}")
    report("library names (country_converter + pycountry)", library, args.list)
    report("World Bank names", WORLD_BANK, args.list)
    report("not countries (right = refused)", [(n, None) for n in NOT_COUNTRIES], args.list)
    return 0


if __name__ == "__main__":
    sys.exit(main())
