"""Import profiles: the pure mappings on small tables, atomicity, the CLI, and each real dataset file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict

import pytest
from sqlalchemy import func, select

from core import countries
from core.cli import main
from core.export import reports_frame, write_csv
from core.filters import Filters
from core.ingest import import_csv
from core.models import Report
from core.presence import presence_as_of
from core.profiles import (
    DESCRIPTIONS,
    PROFILES,
    ProfileFormatError,
    Skip,
    UnknownProfile,
    Unresolved,
    import_profile,
    mapped,
    summary_table,
    text_progress,
)
from core.profiles._common import read_table
from core.store import make_engine, reading, upgrade, writing
from tests.conftest import TODAY, shared_file


def table(text: str):
    return read_table(io.StringIO(text))


def outcomes(profile: str, text: str) -> list:
    return list(mapped(profile, table(text)))


def reports_of(items) -> list[dict]:
    return [item[1] for item in items if isinstance(item, tuple)]


def skips_of(items) -> Counter:
    return Counter(item.reason for item in items if isinstance(item, Skip))


# --- troopdata ------------------------------------------------------------------------------------

CY_HEADER = "countryname,year,ccode,iso3c,region,troops_ad,army_ad\n"


def test_troopdata_country_year_rules():
    items = outcomes(
        "troopdata",
        CY_HEADER
        + (
            "United States,1990,2,USA,North America,1000000,1\n"
            "Germany,1990,255,DEU,Europe,200000,1\n"
            "Germany,1991,255,DEU,Europe,0,1\n"  # a drop to zero: kept, withdrawn
            "Aruba,1990,1019,NA,Caribbean,0,0\n"  # zero, never present
            "Aruba,1991,1019,NA,Caribbean,NA,0\n"  # no figure
            "Portugal,1960,235,PRT,Europe,1000,0\n"
            "Azores,1960,1040,NA,Europe,500,0\n"  # part of Portugal: summed
            "Guam,1960,1008,NA,Asia,9000,0\n"  # US territory
            "Czechoslovakia,1960,315,NA,Europe,4,0\n"  # former state; core would say Czechia
            "Atlantis,1960,9999,NA,Nowhere,3,0\n"
        ),
    )
    reports = reports_of(items)
    by_key = {(r["host"], r["date"]): r for r in reports}
    assert set(by_key) == {("DEU", "1990"), ("DEU", "1991"), ("PRT", "1960")}
    assert by_key[("DEU", "1990")]["troops"] == "200000"
    assert by_key[("DEU", "1990")]["deployer"] == "USA"
    assert by_key[("DEU", "1990")]["source_name"] == "DMDC via troopdata"
    assert by_key[("DEU", "1991")]["status"] == "withdrawn"
    assert by_key[("DEU", "1991")]["troops"] == "0"
    assert by_key[("PRT", "1960")]["troops"] == "1500"
    assert "Portugal 1000 + Azores 500" in by_key[("PRT", "1960")]["notes"]
    assert skips_of(items) == {
        "domestic: the host is the deployer": 1,
        "zero, never present before": 1,
        "no troop figure": 1,
        "summed into another row of the same country and date": 1,
        "the deployer's own territory": 1,
        "former state with several successors": 1,
    }
    [unresolved] = [i for i in items if isinstance(i, Unresolved)]
    assert (unresolved.line, unresolved.name) == (11, "Atlantis")


LONG_HEADER = "ccode,iso3c,countryname,year,month,quarter,source,troops_ad,army_ad\n"


def test_troopdata_long_layout_dates_by_month_and_keeps_the_source():
    items = outcomes(
        "troopdata",
        LONG_HEADER
        + (
            "740,JPN,Japan,1950,June,2,June 1950,136688,1\n"
            "740,JPN,Japan,1951,June,2,Stepwise Imputation,150000,1\n"
            "740,JPN,Japan,2015,December,4,December 2015,52000,1\n"
        ),
    )
    reports = reports_of(items)
    assert [(r["date"], r["troops"]) for r in reports] == [("1950-06", "136688"), ("2015-12", "52000")]
    assert "troopdata source: June 1950" in reports[0]["notes"]
    assert skips_of(items) == {"imputed by troopdata, not a DoD report": 1}


def test_troopdata_legacy_layout_skips_aggregates():
    items = outcomes(
        "troopdata",
        "countryname,ccode,iso3c,year,troops,army\n"
        "Afloat,1003,NA,2006,166253,NA\nUNKNOWN,1099,NA,2010,5000,NA\n"
        "Zz-Unknown,1099,NA,2023,40,NA\nItaly,325,ITA,2006,9000,NA\n",
    )
    [report] = reports_of(items)
    assert (report["host"], report["date"], report["troops"]) == ("ITA", "2006", "9000")
    assert report["source_name"] == "DMDC and Kane (2006) via troopdata v0"
    assert skips_of(items) == {"aggregate row, not one country": 3}


def test_troopdata_raw_report_lines_are_refused():
    with pytest.raises(ProfileFormatError, match="troopdata_rebuild_long"):
        outcomes("troopdata", "ccode,countryname,region,year,month,quarter,source,Location,iso3c,troops_ad\n")


# --- mdi ------------------------------------------------------------------------------------------

MDI_HEADER = ",Year,Theatre,Lat,Lon,Country,Organisation,MissionName,MissionType,Deployed\n"


@pytest.mark.parametrize(
    ("theatre", "deployer", "reason"),
    [
        ("Persian Gulf", "USA", "sea or ocean, not a country"),  # core's patterns would say Iran
        ("Gulf of Guinea", "FRA", "sea or ocean, not a country"),  # ... and Guinea
        ("Mediterranean Sea", "ITA", "sea or ocean, not a country"),
        ("Middle East", "NOR", "region, not one country"),
        ("Nagorno Karabakh", "POL", "region, not one country"),
        ('"India, Pakistan"', "ITA", "names several countries"),
        ('"Kosovo, Serbia"', "DEU", "names several countries"),
        ("French Guiana", "FRA", "the deployer's own territory"),
        ("French West Indies", "FRA", "the deployer's own territory"),
        ("Falkland Islands", "GBR", "the deployer's own territory"),
        ("Canada", "CAN", "domestic: the host is the deployer"),
    ],
)
def test_mdi_skips_theatres_that_are_not_one_foreign_country(theatre, deployer, reason):
    items = outcomes("mdi", MDI_HEADER + f"1,2016,{theatre},1.0,2.0,{deployer},X,Op,Operation,10\n")
    assert skips_of(items) == {reason: 1}


def test_mdi_missions_are_scopes_and_notes_carry_organisation():
    items = outcomes(
        "mdi",
        MDI_HEADER
        + (
            "1,2014,Mali,16.37,-2.29,FRA,EU,EUTM Mali,Operation,70\n"
            "2,2014,Mali,16.37,-2.29,FRA,FRA,Operation Barkhane,Operation,1450\n"
            "3,2014,Côte d' Ivoire,7.9,-5.5,FRA,FRA,,MilitaryPresence,450\n"
            "4,2015,Mali,16.37,-2.29,FRA,FRA,Operation Barkhane,Operation,1680\n"
            "5,2015,Côte d' Ivoire,7.9,-5.5,FRA,FRA,,MilitaryPresence,500\n"
        ),
    )
    reports = reports_of(items)
    assert [(r["host"], r["date"], r["mission"], r["troops"], r["status"]) for r in reports] == [
        ("MLI", "2014", "EUTM Mali", "70", "present"),
        ("MLI", "2014", "Operation Barkhane", "1450", "present"),
        ("CIV", "2014", "military presence", "450", "present"),
        ("MLI", "2015", "Operation Barkhane", "1680", "present"),
        ("CIV", "2015", "military presence", "500", "present"),
        # EUTM is not in France's 2015 listing: withdrawn then
        ("MLI", "2015", "EUTM Mali", "0", "withdrawn"),
    ]
    assert reports[0]["notes"] == "organisation: EU; mission type: Operation"
    assert (reports[0]["lat"], reports[0]["lon"]) == ("16.37", "-2.29")


# --- geopko ---------------------------------------------------------------------------------------


def geopko_text(rows: list[tuple]) -> str:
    """Rows of (map, mission, year, month, location, country, [(tcc, troops), ...])."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    tcc_columns = [c for i in range(1, 15) for c in (f"name.of.TCC{i}", f"No.troops.per.TCC{i}")]
    writer.writerow(
        [
            "Source",
            "Mission",
            "year",
            "month",
            "location",
            "country",
            "latitude",
            "longitude",
            "No.troops",
            *tcc_columns,
            "comments",
        ]
    )
    for the_map, mission, year, month, location, country, tccs in rows:
        cells = [c for tcc in tccs for c in tcc] + ["NA"] * (28 - 2 * len(tccs))
        writer.writerow([the_map, mission, year, month, location, country, "1.5", "2.5", "x", *cells, ""])
    return out.getvalue()


def test_geopko_unrolls_contributors_and_closes_what_the_next_map_drops():
    items = outcomes(
        "geopko",
        geopko_text(
            [
                (
                    "Map 1",
                    "MONUC",
                    2005,
                    3,
                    "Bunia",
                    "DRC",
                    [("Bangladesh ", "850"), ("Nepal", "unknown"), ("MA", "150"), ("unknown", "35"), ("Congo", "NA")],
                ),
                ("Map 1", "MONUC", 2005, 3, "Goma", "DRC", [("India", "650"), ("India", "150"), ("DRC", "35")]),
                ("Map 1", "MONUC", 2005, 3, "Kinshasa", "DRC", []),
                ("Map 2", "MONUC", 2005, 9, "Bunia", "DRC", [("Bangladesh", "850")]),
                ("Map 2", "MONUC", 2005, 9, "Goma", "DRC", [("India", "800")]),
            ]
        ),
    )
    reports = reports_of(items)
    columns = ("deployer", "location", "date", "troops", "count_kind", "status")
    got = [tuple(r[c] for c in columns) for r in reports]
    assert got == [
        ("BGD", "Bunia", "2005-03", "850", "approx", "present"),
        ("NPL", "Bunia", "2005-03", "", "unknown", "present"),
        ("COG", "Bunia", "2005-03", "", "unknown", "present"),
        ("IND", "Goma", "2005-03", "800", "approx", "present"),
        ("BGD", "Bunia", "2005-09", "850", "approx", "present"),
        ("IND", "Goma", "2005-09", "800", "approx", "present"),
        ("NPL", "Bunia", "2005-09", "0", "exact", "withdrawn"),
        ("COG", "Bunia", "2005-09", "0", "exact", "withdrawn"),
        # MONUC ended in June 2010: the last map's contingents leave in July 2010
        ("BGD", "Bunia", "2010-07", "0", "exact", "withdrawn"),
        ("IND", "Goma", "2010-07", "0", "exact", "withdrawn"),
    ]
    assert {r["host"] for r in reports} == {"COD"}
    assert reports[0]["mission"] == "MONUC" and (reports[0]["lat"], reports[0]["lon"]) == ("1.5", "2.5")
    assert "nominal unit size" in reports[0]["notes"] and "UN map: Map 1" in reports[0]["notes"]
    assert "2 units summed (650, 150)" in reports[3]["notes"]
    assert skips_of(items) == {
        "not a country name (data-entry junk)": 1,
        "country not named in the source": 1,
        "another unit of the same country at the location (summed)": 1,
        "domestic: the host is the deployer": 1,
        "no troop contributor at the location": 1,
    }


@pytest.mark.parametrize("junk", ["MA", "Ireland and Scotland", "unknown", "TCC name unknown"])
def test_geopko_never_guesses_junk_contributor_names(junk):
    items = outcomes("geopko", geopko_text([("M", "UNMIL", 2004, 1, "Monrovia", "Liberia", [(junk, "150")])]))
    assert reports_of(items) == [] and sum(skips_of(items).values()) == 1


# --- bases ----------------------------------------------------------------------------------------


def test_bases_pairs_have_no_count_and_de_jure_hosts_keep_the_place_as_location():
    items = outcomes(
        "bases", ",Country,Overseas Base\n0,Turkey,Northern Cyprus\n1,United States,Japan\n2,France,French Guiana\n"
    )
    reports = reports_of(items)
    assert [(r["deployer"], r["host"], r.get("location"), r["count_kind"], r["troops"]) for r in reports] == [
        ("TUR", "CYP", "Northern Cyprus", "unknown", ""),
        ("USA", "JPN", None, "unknown", ""),
    ]
    assert reports[0]["date"] == "2019-09"
    assert skips_of(items) == {"the deployer's own territory": 1}


@pytest.mark.parametrize(
    ("profile", "text"),
    [
        ("troopdata", "country,year\nX,1\n"),
        ("mdi", CY_HEADER + "Germany,1990,255,DEU,Europe,1,1\n"),
        ("geopko", MDI_HEADER),
        ("bases", "a,b\n1,2\n"),
    ],
)
def test_a_file_of_another_layout_is_refused_with_its_columns(profile, text):
    with pytest.raises(ProfileFormatError, match="line 1"):
        outcomes(profile, text)


@pytest.mark.parametrize("name", list(PROFILES))
def test_every_profile_is_documented_for_the_chooser(name):
    assert callable(PROFILES[name].rows)
    assert len(DESCRIPTIONS[name]) > 20 and "\n" not in DESCRIPTIONS[name]


def test_unknown_profile_lists_the_choices():
    with pytest.raises(UnknownProfile, match="troopdata, mdi, geopko, bases"):
        outcomes("acled", "a\n1\n")


# --- import: atomic, unresolved names reported, summary -------------------------------------------


def count_reports(engine) -> int:
    with reading(engine) as session:
        return session.scalar(select(func.count(Report.id)))


def test_an_invalid_row_blocks_the_whole_import_unless_skip_invalid(engine):
    text = CY_HEADER + "Germany,1990,255,DEU,Europe,200000,1\nJapan,2031,740,JPN,Asia,50000,1\n"
    with writing(engine) as session:
        result = import_profile(session, "troopdata", io.StringIO(text), today=TODAY)
    assert (result.imported, result.invalid) == (0, 1)
    assert [(e.line, e.field) for e in result.errors] == [(3, "date")]
    assert count_reports(engine) == 0
    with writing(engine) as session:
        result = import_profile(session, "troopdata", io.StringIO(text), skip_invalid=True, today=TODAY)
    assert (result.imported, result.invalid) == (1, 1)
    assert count_reports(engine) == 1


def test_unresolved_names_are_reported_with_line_count_and_suggestions_but_do_not_block(engine):
    text = CY_HEADER + (
        "Germany,1990,255,DEU,Europe,200000,1\nGermanny,1991,255,DEU,Europe,1,1\nGermanny,1992,255,DEU,Europe,1,1\n"
    )
    with writing(engine) as session:
        result = import_profile(session, "troopdata", io.StringIO(text), today=TODAY)
    assert result.ok and result.imported == 1
    unresolved = result.unresolved["Germanny"]
    assert (unresolved.first_line, unresolved.count) == (3, 2)
    assert "Germany" in unresolved.suggestions
    table_text = summary_table(result)
    assert "'Germanny': first at line 3, 2 rows; closest: Germany" in table_text
    # a second import of the same file adds nothing
    with writing(engine) as session:
        again = import_profile(session, "troopdata", io.StringIO(text), today=TODAY)
    assert (again.imported, again.duplicates) == (0, 1)


def test_text_progress_reports_each_tenth_of_a_large_file_only():
    out = io.StringIO()
    progress = text_progress(out, "f.csv", min_total=100)
    for done in range(0, 201, 20):
        progress("read", done, 200)
    progress("store", 5, 50)
    lines = out.getvalue().splitlines()
    assert len(lines) == 10 and lines[-1] == "f.csv: read 200 of 200 (100%)"


def test_cli_import_profile_prints_the_summary_and_exits_2_on_a_wrong_layout(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'g.sqlite'}"
    good = tmp_path / "bases.csv"
    good.write_text(",Country,Overseas Base\n0,Russia,Armenia\n1,Narnia,Syria\n", encoding="utf-8")
    assert main(["import", "--db", db, "--profile", "bases", str(good)]) == 0
    out = capsys.readouterr().out
    assert "imported" in out and "'Narnia': first at line 3, 1 rows" in out
    assert main(["import", "--db", db, "--profile", "mdi", str(good)]) == 2
    assert "not a MDI/IISS deployments file" in capsys.readouterr().err


# --- the real files in ../shared/datasets --------------------------------------------------------

REAL = {
    "country_year": ("troopdata", "troopdata_country_year.csv"),
    "long": ("troopdata", "troopdata_rebuild_long.csv"),
    "legacy": ("troopdata", "troopdata_legacy_v0.csv"),
    "mdi": ("mdi", "mdi_iiss_deployments_2014_2021.csv"),
    "geopko": ("geopko", "geopko_africa_1994_2018.csv"),
    "bases": ("bases", "wikipedia_overseas_bases_2019.csv"),
}
# (imported, duplicates, skipped by reason, derived by reason) as observed on the shared files.
EXPECTED = {
    "country_year": (
        10502,
        0,
        {
            "zero, never present before": 1820,
            "the deployer's own territory": 403,
            "summed into another row of the same country and date": 146,
            "former state with several successors": 143,
            "domestic: the host is the deployer": 75,
            "names several countries": 27,
            "region, not one country": 19,
        },
        {},
    ),
    "long": (
        23968,
        0,
        {
            "zero, never present before": 4220,
            "the deployer's own territory": 467,
            "imputed by troopdata, not a DoD report": 324,
            "summed into another row of the same country and date": 290,
            "former state with several successors": 234,
            "domestic: the host is the deployer": 113,
            "region, not one country": 13,
        },
        {},
    ),
    "legacy": (
        10337,
        0,
        {
            "zero, never present before": 3584,
            "summed into another row of the same country and date": 332,
            "former state with several successors": 184,
            "region, not one country": 115,
            "the deployer's own territory": 82,
            "domestic: the host is the deployer": 72,
            "names several countries": 56,
            "aggregate row, not one country": 18,
            "territory without a country code": 12,
        },
        {},
    ),
    "mdi": (
        2981,
        1,
        {
            "names several countries": 212,
            "region, not one country": 109,
            "the deployer's own territory": 72,
            "sea or ocean, not a country": 24,
        },
        {"withdrawn: absent from the next complete listing": 329},
    ),
    "geopko": (
        15686,
        0,
        {
            "no troop contributor at the location": 3345,
            "country not named in the source": 197,
            "another unit of the same country at the location (summed)": 32,
            "not a country name (data-entry junk)": 7,
        },
        {"withdrawn: absent from the next complete listing": 1147, "withdrawn: the mission ended": 340},
    ),
    "bases": (115, 0, {}, {}),
}


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """Imports each real file once into its own store: name -> (engine, ProfileResult, path)."""
    done: dict = {}
    engines = []

    def get(name: str):
        if name not in done:
            profile, filename = REAL[name]
            path = shared_file(filename)
            engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp(name) / 'g.sqlite'}")
            upgrade(engine)
            engines.append(engine)
            with writing(engine) as session:
                result = import_profile(session, profile, path, today=TODAY)
            done[name] = (engine, result, path)
        return done[name]

    yield get
    for engine in engines:
        engine.dispose()


def raw_rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.shared
@pytest.mark.parametrize("name", list(REAL))
def test_real_file_counts(real, name):
    engine, result, path = real(name)
    imported, duplicates, skipped, derived = EXPECTED[name]
    assert result.ok, result.errors[:5]
    assert (result.imported, result.duplicates) == (imported, duplicates)
    assert dict(result.skipped) == skipped
    assert dict(result.derived) == derived
    assert result.unresolved == {}
    assert count_reports(engine) == imported
    # every data row is accounted for: imported from it, a duplicate, or skipped (Geo-PKO counts per TCC)
    if name not in ("geopko", "mdi"):
        assert imported + duplicates + sum(skipped.values()) == len(raw_rows(path))


def presence_of(engine, deployer: str, host: str, as_of: dt.date):
    with reading(engine) as session:
        frame = presence_as_of(session, as_of, Filters(deployers=(deployer,), hosts=(host,)))
    return frame.iloc[0] if len(frame) else None


@pytest.mark.shared
@pytest.mark.parametrize("host", ["DEU", "JPN", "KOR", "ITA", "GBR", "BHR"])
@pytest.mark.parametrize("year", [1965, 1990, 2019])
def test_country_year_presence_matches_the_files_figure(real, host, year):
    """Issue 2's acceptance test: presence at the end of a year is the file's troops_ad for that year."""
    engine, _, path = real("country_year")
    [expected] = [int(r["troops_ad"]) for r in raw_rows(path) if r["year"] == str(year) and r["iso3c"] == host]
    row = presence_of(engine, "USA", host, dt.date(year, 12, 31))
    assert row is not None and int(row["troops"]) == expected
    assert row["status"] == ("withdrawn" if expected == 0 else "present")


@pytest.mark.shared
@pytest.mark.parametrize(("host", "year"), [("DEU", 1970), ("KOR", 2000), ("ITA", 2015)])
def test_legacy_presence_matches_the_files_figure(real, host, year):
    engine, _, path = real("legacy")
    [expected] = [int(r["troops"]) for r in raw_rows(path) if r["year"] == str(year) and r["iso3c"] == host]
    assert int(presence_of(engine, "USA", host, dt.date(year, 12, 31))["troops"]) == expected


@pytest.mark.shared
@pytest.mark.parametrize(
    ("host", "as_of", "month"),
    [
        ("DEU", dt.date(2019, 6, 30), "June"),
        ("JPN", dt.date(2005, 9, 30), "September"),
        ("KOR", dt.date(2021, 12, 31), "December"),
    ],
)
def test_long_presence_matches_the_report_of_that_month(real, host, as_of, month):
    engine, _, path = real("long")
    [expected] = [
        int(r["troops_ad"])
        for r in raw_rows(path)
        if r["year"] == str(as_of.year) and r["month"] == month and r["iso3c"] == host
    ]
    assert int(presence_of(engine, "USA", host, as_of)["troops"]) == expected


@pytest.mark.shared
@pytest.mark.parametrize("year", [2014, 2017, 2021])
def test_mdi_france_in_mali_adds_up_its_missions(real, year):
    engine, _, path = real("mdi")
    missions = {
        r["MissionName"]: int(r["Deployed"])
        for r in raw_rows(path)
        if r["Country"] == "FRA" and r["Theatre"] == "Mali" and r["Year"] == str(year)
    }
    assert len(missions) >= 2
    assert int(presence_of(engine, "FRA", "MLI", dt.date(year, 12, 31))["troops"]) == sum(missions.values())


@pytest.mark.shared
def test_mdi_ended_missions_stop_counting(real):
    """A UK mission listed one year and not the next does not linger in later presence."""
    engine, _, path = real("mdi")
    rows = [r for r in raw_rows(path) if r["Country"] == "GBR" and r["Theatre"] == "Afghanistan"]
    latest = max(int(r["Year"]) for r in rows)
    expected = sum(int(r["Deployed"]) for r in rows if r["Year"] == str(latest))
    assert int(presence_of(engine, "GBR", "AFG", dt.date(2021, 12, 31))["troops"]) == (
        expected if latest == 2021 else 0
    )


@pytest.mark.shared
def test_geopko_one_location_has_the_files_contributors(real):
    engine, _, path = real("geopko")
    [row] = [
        r
        for r in raw_rows(path)
        if (r["Mission"], r["year"], r["month"], r["location"]) == ("MINUSMA", "2014", "3", "Gao")
    ]
    expected = {}
    for i in range(1, 15):
        name = row[f"name.of.TCC{i}"].strip()
        if name not in ("", "NA"):
            expected[countries.resolve_iso3(name)] = int(row[f"No.troops.per.TCC{i}"])
    assert len(expected) == 7 and expected["CIV"] == 150  # "Cote d'Ivoire"
    with reading(engine) as session:
        got = dict(
            session.execute(
                select(Report.deployer, Report.troops).where(
                    Report.mission == "MINUSMA", Report.location == "Gao", Report.date == dt.date(2014, 3, 1)
                )
            ).all()
        )
    assert got == expected
    # Germany was at Bamako on the March 2014 map and not on May's: withdrawn from May
    with reading(engine) as session:
        statuses = session.execute(
            select(Report.date, Report.status)
            .where(Report.deployer == "DEU", Report.mission == "MINUSMA", Report.location == "Bamako")
            .order_by(Report.date)
        ).all()
    assert statuses[:2] == [(dt.date(2014, 3, 1), "present"), (dt.date(2014, 5, 1), "withdrawn")]


@pytest.mark.shared
def test_geopko_presence_after_a_mission_ended_is_zero(real):
    engine, _, _ = real("geopko")
    with reading(engine) as session:
        liberia = presence_as_of(session, dt.date(2018, 12, 31), Filters(hosts=("LBR",)))
    assert len(liberia) > 10 and set(liberia["status"]) == {"withdrawn"}


@pytest.mark.shared
def test_bases_pairs_are_present_without_a_count(real):
    engine, _, path = real("bases")
    with reading(engine) as session:
        frame = presence_as_of(session, dt.date(2020, 1, 1))
    assert len(frame) == len(raw_rows(path)) == 115
    assert set(frame["status"]) == {"present"} and frame["troops"].isna().all()
    assert ("TUR", "CYP") in set(zip(frame["deployer"], frame["host"], strict=True))


def exported(engine) -> list[tuple]:
    out = io.StringIO()
    with reading(engine) as session:
        write_csv(reports_frame(session), out)
    return sorted(tuple(r) for r in csv.reader(io.StringIO(out.getvalue())))


@pytest.mark.shared
@pytest.mark.parametrize("name", ["country_year", "bases", "mdi", "geopko"])
def test_round_trip_export_then_canonical_import_gives_the_same_reports(real, name, tmp_path):
    engine, result, _ = real(name)
    first = exported(engine)
    out = io.StringIO()
    with reading(engine) as session:
        write_csv(reports_frame(session), out)
    again = make_engine(f"sqlite:///{tmp_path / 'again.sqlite'}")
    upgrade(again)
    with writing(again) as session:
        import_csv(session, out.getvalue(), today=TODAY)
    try:
        assert exported(again) == first
    finally:
        again.dispose()


@pytest.mark.shared
def test_reimporting_a_real_file_adds_only_duplicates(real):
    engine, result, path = real("geopko")
    with writing(engine) as session:
        again = import_profile(session, "geopko", path, today=TODAY)
    assert (again.imported, again.duplicates) == (0, result.imported)


def test_troopdata_presence_counts_parts_once(engine):
    """Two Yemens in one year are summed into one report, not two conflicting ones."""
    text = CY_HEADER + ("Yemen Arab Republic,1985,678,NA,MENA,22,0\nYemen People's Republic,1985,680,NA,MENA,3,0\n")
    with writing(engine) as session:
        import_profile(session, "troopdata", io.StringIO(text), today=TODAY)
    assert int(presence_of(engine, "USA", "YEM", dt.date(1985, 12, 31))["troops"]) == 25


def test_skip_reasons_group_rows_not_a_single_report():
    """A troopdata host that drops to zero and comes back is present again."""
    items = outcomes(
        "troopdata",
        CY_HEADER + ("Chad,1990,483,TCD,Africa,5,0\nChad,1991,483,TCD,Africa,0,0\nChad,1992,483,TCD,Africa,7,0\n"),
    )
    statuses = defaultdict(list)
    for r in reports_of(items):
        statuses[r["host"]].append((r["date"], r["status"]))
    assert statuses["TCD"] == [("1990", "present"), ("1991", "withdrawn"), ("1992", "present")]


def test_bases_generic_layout_keeps_its_own_dates_and_sources():
    items = outcomes(
        "bases", "deployer,host,date,source_name,location\nFrance,Chad,2020-05,Le Monde,\nUSA,Niger,2019,AP,Agadez\n"
    )
    assert [
        (r["deployer"], r["host"], r["date"], r["source_name"], r["location"], r["count_kind"])
        for r in reports_of(items)
    ] == [("FRA", "TCD", "2020-05", "Le Monde", "", "unknown"), ("USA", "NER", "2019", "AP", "Agadez", "unknown")]


def test_profile_imports_register_every_scope_they_store(engine):
    """Presence reads the scopes registry where the store has one: profile imports must fill it."""
    scope_model = getattr(__import__("core.models", fromlist=["Scope"]), "Scope", None)
    if scope_model is None:
        pytest.skip("this store has no scopes registry")
    text = MDI_HEADER + (
        "1,2014,Mali,16.37,-2.29,FRA,EU,EUTM Mali,Operation,70\n"
        "2,2014,Mali,16.37,-2.29,FRA,FRA,Operation Barkhane,Operation,70\n"
    )
    with writing(engine) as session:
        assert import_profile(session, "mdi", io.StringIO(text), today=TODAY).imported == 2
    with reading(engine) as session:
        scopes = set(session.execute(select(scope_model.scope_key)).scalars())
    assert scopes == {"eutm mali|", "operation barkhane|"}
