import csv
import importlib.util
import io
import re
from importlib import resources
from pathlib import Path

import pytest

from core import countries
from core.countries import UnknownCountry, resolve

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

# Every name the issue lists, and spellings seen in the shared datasets.
CASES = [
    ("Russia", "RUS"),
    ("Russian Federation", "RUS"),
    ("RU", "RUS"),
    ("RUS", "RUS"),
    ("rus", "RUS"),
    ("USA", "USA"),
    ("U.S.", "USA"),
    ("United States of America", "USA"),
    ("us", "USA"),
    ("UK", "GBR"),
    ("U.K.", "GBR"),
    ("Great Britain", "GBR"),
    ("South Korea", "KOR"),
    ("Korea, Republic of", "KOR"),
    ("Korea, Republic of *", "KOR"),
    ("North Korea", "PRK"),
    ("DPRK", "PRK"),
    ("Türkiye", "TUR"),
    ("Turkey", "TUR"),
    ("Côte d'Ivoire", "CIV"),
    ("Côte d’Ivoire", "CIV"),
    ("Côte d‘Ivoire", "CIV"),
    ("Côte d' Ivoire", "CIV"),
    ("Cote D'ivoire", "CIV"),
    ("Ivory Coast", "CIV"),
    ("DRC", "COD"),
    ("Congo - Kinshasa", "COD"),
    ("Democratic Republic of the Congo", "COD"),
    ("Zaire (Congo)", "COD"),
    ("Congo-Brazzaville", "COG"),
    ("Congo - Brazzaville", "COG"),
    ("Czechia", "CZE"),
    ("Czech Republic", "CZE"),
    ("North Macedonia", "MKD"),
    ("Macedonia", "MKD"),
    ("Syria", "SYR"),
    ("Iran", "IRN"),
    ("Vietnam", "VNM"),
    ("Laos", "LAO"),
    ("Burma", "MMR"),
    ("Myanmar", "MMR"),
    ("Swaziland", "SWZ"),
    ("Eswatini", "SWZ"),
    ("Kosovo", "XKX"),
    ("XKX", "XKX"),
    ("Taiwan", "TWN"),
    ("  south   KOREA ", "KOR"),
    ("Niger", "NER"),
    ("Nigeria", "NGA"),
    ("Guinea", "GIN"),
    ("Equatorial Guinea", "GNQ"),
    ("Guinea-Bissau", "GNB"),
    ("Papua New Guinea", "PNG"),
    ("Dominica", "DMA"),
    ("Dominican Republic", "DOM"),
    ("Sudan", "SDN"),
    ("South Sudan", "SSD"),
    ("Trinidad And Tobago", "TTO"),
    ("Benin ", "BEN"),
    ("Germany*", "DEU"),
    # accents folded: a spelling with or without them is the same name
    ("Zaïre", "COD"),
    ("Zaire", "COD"),
    ("ZAÏRE", "COD"),
    ("Turkiye", "TUR"),
    ("Cote d'Ivoire", "CIV"),
    ("Curacao", "CUW"),
    ("São Tomé and Príncipe", "STP"),
    ("Sao Tome & Principe", "STP"),
    ("Reunion", "REU"),
    # World Bank style: inverted, abbreviated
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
    ("St. Lucia", "LCA"),
    ("Virgin Islands (U.S.)", "VIR"),
    ("St. Martin (French part)", "MAF"),
    ("West Bank and Gaza", "PSE"),
    # forms of state around a known name
    ("Republic of Rwanda", "RWA"),
    ("State of Libya", "LBY"),
    ("Oriental Republic of Uruguay", "URY"),
    ("Vatican City State", "VAT"),
    ("Hong Kong SAR", "HKG"),
    ("Republic of China", "TWN"),
    # printed tables: footnote marks, notes in brackets that name parts of the country
    ("Thailand  e/ f/", "THA"),
    ("Greece (Incl. Crete)", "GRC"),
    ("Cuba (Guantanamo)", "CUB"),
    ("Hong Kong (& China)", "HKG"),
    ("Korea, Democratic Peoples Republic of", "PRK"),
    ("Cote Divoire", "CIV"),
    ("U. S. Virgin Islands", "VIR"),
    ("Yemen Arab Republic", "YEM"),
    # names in the other UN languages (CLDR)
    ("Allemagne", "DEU"),
    ("Alemania", "DEU"),
    ("Германия", "DEU"),
    ("德国", "DEU"),
    ("ألمانيا", "DEU"),
]


@pytest.mark.parametrize(("name", "iso3"), CASES)
def test_resolve(name, iso3):
    assert resolve(name).iso3 == iso3


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("Venezuala", "Venezuela"), ("Russai", "Russia"), ("Germnay", "Germany"), ("Narnia", None)],
)
def test_unknown_names_raise_with_closest_matches(name, suggestion):
    with pytest.raises(UnknownCountry) as info:
        resolve(name)
    assert name in str(info.value)
    if suggestion:
        assert suggestion in info.value.suggestions
        assert suggestion in str(info.value)


@pytest.mark.parametrize("name", ["", "  ", "Mediterranean Sea", "India, Pakistan", "XYZ", "Atlantis"])
def test_non_countries_do_not_resolve(name):
    with pytest.raises(UnknownCountry):
        resolve(name)


# Text that contains a country's name and is none: refused, the countries it names offered instead.
INSIDE_LONGER_TEXT = [
    ("Persian Gulf", "Iran"),
    ("Gulf of Guinea", "Guinea"),
    ("South China Sea", "China"),
    ("Niger Delta", "Niger"),
    ("Sudan and South Sudan", "South Sudan"),
    ("Czechoslovakia", "Czechia"),
    ("Gulf of Oman", "Oman"),
    ("Sea of Japan", "Japan"),
    ("Gulf of Mexico", "Mexico"),
    ("Israel (Palestine)", "Israel"),
    ("Ireland and Scotland", "Ireland"),
]


@pytest.mark.parametrize(("name", "suggestion"), INSIDE_LONGER_TEXT)
def test_a_country_inside_longer_text_is_refused_with_suggestions(name, suggestion):
    with pytest.raises(UnknownCountry) as info:
        resolve(name)
    assert suggestion in info.value.suggestions, info.value.suggestions


@pytest.mark.parametrize("name", ["Yugoslavia", "Soviet Union", "Guiana", "Virgin Islands", "Korean Peninsula"])
def test_former_states_with_several_successors_and_shared_names_are_refused(name):
    with pytest.raises(UnknownCountry):
        resolve(name)


def test_every_alias_row_resolves_to_its_own_country_and_says_where_it_is_from():
    text = resources.files("core").joinpath("data", "country_aliases.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {row["use"] for row in rows} == {"alias", "display"}
    for row in rows:
        assert resolve(row["name"]).iso3 == row["iso3"], row
        if row["use"] == "display":
            assert countries.get(row["iso3"]).name == row["name"]
            assert row["note"], f"display name {row['name']!r} needs a note saying why"


def test_cldr_rows_name_their_source_and_cover_every_country():
    text = resources.files("core").joinpath("data", "country_names_cldr.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["language"] for row in rows} == {"en", "fr", "es", "ru", "ar", "zh"}
    assert all(re.fullmatch(r"CLDR \d+ via Babel [\d.]+", row["source"]) for row in rows)
    english = {row["iso2"] for row in rows if row["language"] == "en"}
    assert {c.iso2 for c in countries.all_countries()} <= english


def test_a_missing_data_file_fails_loudly(monkeypatch, tmp_path):
    monkeypatch.setattr(countries.resources, "files", lambda package: tmp_path)
    with pytest.raises(countries.MissingData, match=r"countries\.csv is missing .* reinstall"):
        countries.data_text("countries.csv")


def test_the_resolver_scores_on_library_names_are_kept():
    """The measuring stick of scripts/score_resolver.py: country_converter's and pycountry's names."""
    pytest.importorskip("country_converter", reason="country_converter (test extras) is the measuring stick")
    spec = importlib.util.spec_from_file_location("score_resolver", SCRIPTS / "score_resolver.py")
    score_resolver = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score_resolver)
    coco = score_resolver._coco_names()
    current, obsolete = coco
    right, wrong, refused = score_resolver.score(current + score_resolver._pycountry_names())
    assert wrong == [] and right >= 1928, refused
    assert score_resolver.score([(n, None) for n, _ in obsolete])[1] == []
    assert score_resolver.score(score_resolver.WORLD_BANK)[0] == len(score_resolver.WORLD_BANK)
    assert score_resolver.score([(n, None) for n in score_resolver.NOT_COUNTRIES])[1] == []


def test_registry_covers_iso_3166_and_has_points_and_regions():
    everything = countries.all_countries()
    assert len(everything) >= 249
    for iso3 in ("BHR", "SGP", "DJI", "MLT", "QAT", "CYP", "VEN", "XKX"):
        country = countries.get(iso3)
        assert country.lat is not None and country.lon is not None
        assert country.continent and country.region
    assert countries.get("VEN").continent == "South America"
    assert countries.name_of("RUS") == "Russia"
    # territories Natural Earth folds into France still have a region (core/data/territories.csv)
    assert (countries.get("REU").continent, countries.get("REU").region) == ("Africa", "Eastern Africa")
    assert all(c.continent and c.region for c in everything if c.iso3 != "ATA" and c.lat is not None)
