"""Build data/reports.csv, Garrison's starter dataset, from three kinds of public material.

1. DMDC quarterly personnel reports (US troops abroad), read from the troopdata files in the shared datasets
   folder. Every figure is the "Total Active Duty" line of one report as printed in
   troopdata_rebuild_reports.csv and is cross-checked against troopdata_rebuild_long.csv.
2. IISS Military Balance deployment figures (33 NATO/allied deployers), read from the MDI project's
   spreadsheet (mdi_iiss_deployments_2014_2021.csv). Only a hand-picked selection is taken.
3. Hand-curated rows from news reporting and official statements (NEWS_ROWS below). Each was checked
   against a stored copy of the cited article when the script was written; the quoted phrase is in `notes`.

The shared datasets are only needed to (re)build or re-check the file; the app reads the committed CSV.

    python scripts/build_starter_rows.py                 # write data/reports.csv
    python scripts/build_starter_rows.py --check         # re-verify the committed CSV against the datasets
    python scripts/build_starter_rows.py --datasets DIR  # datasets folder (default: ../shared/datasets)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "data" / "reports.csv"
DEFAULT_DATASETS = REPO.parent / "shared" / "datasets"

HEADER = [
    "deployer",
    "host",
    "troops",
    "troops_max",
    "count_kind",
    "date",
    "date_precision",
    "status",
    "mission",
    "location",
    "lat",
    "lon",
    "source_name",
    "source_url",
    "source_date",
    "notes",
]

TROOPDATA_URL = "https://github.com/meflynn/troopdata"
MDI_URL = "https://github.com/sebastiandohnany/mdi"
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}

# --------------------------------------------------------------------------------------------------
# 1. DMDC via troopdata: (host ISO3, countryname in the troopdata files, [(year, month), ...], note)
# --------------------------------------------------------------------------------------------------
# From 2018 DMDC's country lines for Kuwait, Qatar, the UAE, Jordan, Djibouti, Afghanistan, Iraq and
# Syria fall by 80-99% while IISS and official statements report stable forces (deployed/temporary
# personnel are no longer shown there), so those series stop in 2017 and continue from IISS or news.
CENTCOM_NOTE = (
    "DMDC lines count personnel assigned to the country; forces deployed on contingency "
    "operations are largely missing from 2018 on, so later years use IISS or official figures"
)
DMDC_PICKS = [
    ("DEU", "Germany", [(2000, 9), (2005, 9), (2008, 9), (2012, 9), (2016, 9), (2020, 9), (2022, 9), (2025, 9)], ""),
    ("JPN", "Japan", [(2000, 9), (2005, 9), (2012, 9), (2016, 9), (2019, 9), (2025, 9)], ""),
    ("KOR", "South Korea", [(2000, 9), (2005, 9), (2008, 9), (2016, 9), (2019, 9), (2025, 9)], ""),
    ("ITA", "Italy", [(2000, 9), (2010, 9), (2019, 9), (2024, 9)], ""),
    ("GBR", "United Kingdom", [(2000, 9), (2010, 9), (2019, 9), (2024, 9)], ""),
    ("ESP", "Spain", [(2000, 9), (2010, 9), (2015, 9), (2024, 9)], "Rota and Moron"),
    ("TUR", "Turkey", [(2000, 9), (2010, 9), (2016, 9), (2024, 9)], ""),
    ("BEL", "Belgium", [(2000, 9), (2016, 9), (2024, 9)], ""),
    ("NLD", "Netherlands", [(2000, 9), (2019, 9)], ""),
    ("GRC", "Greece", [(2000, 9), (2019, 9)], ""),
    ("PRT", "Portugal", [(2000, 9), (2019, 9)], "mainly Lajes Field, Azores"),
    ("NOR", "Norway", [(2000, 9), (2014, 9), (2020, 9), (2024, 9)], "rotational Marine Corps presence from 2017"),
    ("ISL", "Iceland", [(2000, 9), (2005, 9), (2007, 9)], "Naval Air Station Keflavik closed in 2006"),
    ("GRL", "Greenland", [(2002, 9), (2025, 9)], "Thule (Pituffik) Space Base"),
    (
        "POL",
        "Poland",
        [(2000, 9), (2008, 9), (2014, 9), (2016, 9)],
        "from 2017 most US troops in Poland are rotational and are not in DMDC's country line; see news rows",
    ),
    ("ROU", "Romania", [(2000, 9), (2014, 9), (2016, 9)], "rotational forces largely not included"),
    ("HUN", "Hungary", [(2000, 9), (2017, 9)], ""),
    (
        "BHR",
        "Bahrain",
        [(2000, 9), (2008, 9), (2013, 9), (2019, 9), (2025, 9)],
        "NSA Bahrain, US Fifth Fleet headquarters",
    ),
    ("KWT", "Kuwait", [(2000, 9), (2002, 9), (2008, 9), (2010, 9), (2013, 9), (2017, 9)], CENTCOM_NOTE),
    ("QAT", "Qatar", [(2002, 9), (2008, 9), (2010, 9), (2017, 9)], CENTCOM_NOTE),
    ("ARE", "United Arab Emirates", [(2000, 9), (2008, 9), (2014, 9), (2017, 9)], CENTCOM_NOTE),
    (
        "SAU",
        "Saudi Arabia",
        [(2000, 9), (2002, 9), (2004, 9), (2014, 9)],
        "US air operations moved from Saudi Arabia to Qatar in 2003",
    ),
    ("JOR", "Jordan", [(2008, 9), (2013, 9), (2017, 9)], CENTCOM_NOTE),
    ("DJI", "Djibouti", [(2002, 9), (2003, 9), (2008, 9), (2012, 9), (2017, 9)], "Camp Lemonnier; " + CENTCOM_NOTE),
    (
        "AFG",
        "Afghanistan",
        [(2008, 9), (2010, 9), (2012, 9), (2014, 12), (2016, 9)],
        "DMDC active-duty count; official/press totals are higher (reserve and temporary personnel)",
    ),
    (
        "IRQ",
        "Iraq",
        [(2008, 9), (2009, 9), (2010, 9), (2011, 9), (2014, 12), (2016, 9), (2017, 9)],
        "DMDC active-duty count; official/press totals are higher (reserve and temporary personnel)",
    ),
    ("KGZ", "Kyrgyzstan", [(2007, 9), (2011, 9), (2014, 9)], "Transit Center at Manas (closed 2014)"),
    ("IOT", "Diego Garcia", [(2000, 9), (2005, 9), (2007, 9)], "Diego Garcia"),
    ("CUB", "Cuba", [(2000, 9), (2008, 9), (2024, 9)], "Naval Station Guantanamo Bay"),
    ("HND", "Honduras", [(2000, 9), (2024, 9)], "Soto Cano Air Base (JTF-Bravo)"),
    (
        "AUS",
        "Australia",
        [(2000, 9), (2012, 9), (2019, 9), (2023, 9)],
        "includes the Marine Rotational Force-Darwin from 2012",
    ),
    ("PHL", "Philippines", [(2000, 9), (2010, 9), (2023, 9)], ""),
    ("SGP", "Singapore", [(2000, 9), (2019, 9)], ""),
    ("THA", "Thailand", [(2000, 9), (2019, 9)], ""),
]


def row(**kw) -> dict:
    r = {k: "" for k in HEADER}
    for k, v in kw.items():
        r[k] = "" if v is None else str(v)
    d = r["date"]
    r["date_precision"] = {4: "year", 7: "month", 10: "day"}.get(len(d), "")
    return r


def _month_name(m: int) -> str:
    return [k for k, v in MONTHS.items() if v == m][0]


def dmdc_rows(datasets: Path) -> tuple[list[dict], list[str]]:
    reports = list(csv.DictReader(open(datasets / "troopdata_rebuild_reports.csv", encoding="utf-8")))
    long = list(csv.DictReader(open(datasets / "troopdata_rebuild_long.csv", encoding="utf-8")))
    rep = defaultdict(list)
    for r in reports:
        rep[(r["countryname"], int(r["year"]), r["month"])].append(r)
    lng = {(r["countryname"], int(r["year"]), r["month"]): r for r in long}
    out, problems = [], []
    for iso, name, points, host_note in DMDC_PICKS:
        for year, month in points:
            key = (name, year, _month_name(month))
            lines = rep.get(key, [])
            if len(lines) != 1:
                problems.append(f"DMDC {key}: expected 1 report line, found {len(lines)}")
                continue
            line = lines[0]
            if "see " in line["Location"].lower():  # e.g. 'Kuwait (See OIF Table)': figure is elsewhere
                problems.append(f"DMDC {key}: country line points elsewhere ({line['Location']!r})")
                continue
            if not re.fullmatch(r"[A-Z][a-z]+ \d{4}", line["source"]):
                problems.append(f"DMDC {key}: not a dated DMDC report ({line['source']!r})")
                continue
            troops = int(line["troops_ad"])
            notes = [f"active-duty military personnel, DMDC line '{line['Location'].strip()}'"]
            reserve = (line.get("Total Selected Reserve") or "").strip()
            if reserve and reserve != "0":
                notes.append(f"plus {int(float(reserve)):,} selected reserve (not counted)")
            long_row = lng.get(key)
            if long_row is None or long_row["troops_ad"] == "":
                notes.append("not in troopdata_rebuild_long.csv")
            elif int(long_row["troops_ad"]) != troops:
                notes.append(
                    f"troopdata_rebuild_long.csv gives {int(long_row['troops_ad']):,} for this report "
                    "(aggregation double count); figure taken from the report line"
                )
            if host_note:
                notes.append(host_note)
            out.append(
                row(
                    deployer="USA",
                    host=iso,
                    troops=troops,
                    count_kind="exact",
                    date=f"{year}-{month:02d}",
                    status="present",
                    source_name=f"DMDC personnel report, {year}-{month:02d} (via troopdata)",
                    source_url=TROOPDATA_URL,
                    source_date=f"{year}-{month:02d}",
                    notes="; ".join(notes),
                )
            )
    return out, problems


# --------------------------------------------------------------------------------------------------
# 2. IISS Military Balance via MDI: (theatre, deployer, MissionName, [years], options)
#    options: mission=<override> (pair total when ""), location, note
# --------------------------------------------------------------------------------------------------
HOST_OF_THEATRE = {
    "Afghanistan": "AFG",
    "Australia": "AUS",
    "Azerbaijan": "AZE",
    "Bahrain": "BHR",
    "Belize": "BLZ",
    "Bosnia-Herzegovina": "BIH",
    "British Indian Ocean Territory": "IOT",
    "Brunei": "BRN",
    "Burkina Faso": "BFA",
    "Cameroon": "CMR",
    "Canada": "CAN",
    "Central African Republic": "CAF",
    "Chad": "TCD",
    "Colombia": "COL",
    "Cyprus": "CYP",
    "Côte d' Ivoire": "CIV",
    "Democratic Republic of the Congo": "COD",
    "Djibouti": "DJI",
    "Egypt": "EGY",
    "El Salvador": "SLV",
    "Estonia": "EST",
    "France": "FRA",
    "Gabon": "GAB",
    "Germany": "DEU",
    "Iraq": "IRQ",
    "Israel": "ISR",
    "Jordan": "JOR",
    "Kenya": "KEN",
    "Kuwait": "KWT",
    "Latvia": "LVA",
    "Lebanon": "LBN",
    "Libya": "LBY",
    "Lithuania": "LTU",
    "Malaysia": "MYS",
    "Mali": "MLI",
    "Mozambique": "MOZ",
    "Nepal": "NPL",
    "Niger": "NER",
    "Nigeria": "NGA",
    "Norway": "NOR",
    "Oman": "OMN",
    "Philippines": "PHL",
    "Poland": "POL",
    "Qatar": "QAT",
    "Romania": "ROU",
    "Saudi Arabia": "SAU",
    "Senegal": "SEN",
    "Sierra Leone": "SLE",
    "Somalia": "SOM",
    "South Sudan": "SSD",
    "Syria": "SYR",
    "Turkey": "TUR",
    "Uganda": "UGA",
    "Ukraine": "UKR",
    "United Arab Emirates": "ARE",
    "Western Sahara": "ESH",
}
PAIR = {"mission": ""}  # IISS lists a named operation, but the series is kept as the pair's total
MDI_PICKS = [
    # France
    ("Mali", "FRA", "Operation Barkhane", [2014, 2016, 2018, 2020, 2021], {}),
    ("Mali", "FRA", "MINUSMA", [2021], {}),
    ("Mali", "FRA", "EUTM Mali", [2014, 2018, 2021], {}),
    (
        "Chad",
        "FRA",
        "Operation Barkhane",
        [2014, 2021],
        {**PAIR, "note": "French forces stayed in Chad after Barkhane ended (Nov 2022); kept as the pair total"},
    ),
    (
        "Niger",
        "FRA",
        "Operation Barkhane",
        [2014, 2021],
        {**PAIR, "note": "kept as the pair total (French forces stayed in Niger until Dec 2023)"},
    ),
    (
        "Burkina Faso",
        "FRA",
        "Operation Barkhane",
        [2015, 2020],
        {**PAIR, "note": "special forces (Task Force Sabre) near Ouagadougou; kept as the pair total"},
    ),
    (
        "Côte d' Ivoire",
        "FRA",
        "Operation Licorne",
        [2014],
        {**PAIR, "note": "Licorne was replaced by the French forces in Côte d'Ivoire (FFCI); kept as the pair total"},
    ),
    ("Côte d' Ivoire", "FRA", "", [2015, 2021], {}),
    ("Senegal", "FRA", "", [2021], {}),
    ("Gabon", "FRA", "", [2014, 2021], {}),
    ("Djibouti", "FRA", "", [2014, 2021], {}),
    ("United Arab Emirates", "FRA", "", [2014, 2021], {}),
    ("Germany", "FRA", "", [2021], {}),
    ("Central African Republic", "FRA", "Operation Sangaris", [2014, 2015, 2016], {}),
    ("Central African Republic", "FRA", "EUTM RCA", [2021], {}),
    ("Lebanon", "FRA", "UNIFIL", [2014, 2021], {}),
    ("Estonia", "FRA", "Enhanced Forward Presence", [2021], {}),
    ("Iraq", "FRA", "Operation Inherent Resolve", [2016], {}),
    ("Jordan", "FRA", "Operation Inherent Resolve", [2021], {}),
    # United Kingdom
    ("Estonia", "GBR", "Enhanced Forward Presence", [2017, 2018, 2020, 2021], {}),
    ("Poland", "GBR", "Enhanced Forward Presence", [2021], {}),
    ("Cyprus", "GBR", "", [2014, 2021], {"note": "Sovereign Base Areas"}),
    ("Cyprus", "GBR", "UNFICYP", [2021], {}),
    ("Germany", "GBR", "", [2014, 2016, 2019, 2021], {"note": "British Army drawdown from Germany"}),
    ("Kenya", "GBR", "BATUK", [2021], {}),
    ("Brunei", "GBR", "", [2021], {"note": "Gurkha battalion"}),
    ("Belize", "GBR", "BATSUB", [2021], {}),
    ("Bahrain", "GBR", "", [2020], {}),
    ("Oman", "GBR", "", [2021], {}),
    ("Canada", "GBR", "BATUS", [2021], {}),
    ("Nepal", "GBR", "", [2021], {}),
    ("Nigeria", "GBR", "", [2021], {}),
    ("Sierra Leone", "GBR", "Operation Gritrock", [2014, 2016], {"note": "Ebola response"}),
    ("Iraq", "GBR", "Operation Inherent Resolve", [2017], {}),
    ("Afghanistan", "GBR", "Operation Resolute Support", [2015, 2018, 2020], {}),
    ("South Sudan", "GBR", "UNMISS", [2017, 2020], {}),
    ("Ukraine", "GBR", "Operation Orbital", [2021], {"note": "training mission"}),
    # Germany
    ("Lithuania", "DEU", "Enhanced Forward Presence", [2017, 2018, 2021], {}),
    ("Mali", "DEU", "MINUSMA", [2015, 2017, 2019, 2021], {}),
    ("Afghanistan", "DEU", "Operation Resolute Support", [2015, 2018, 2020], {}),
    ("Lebanon", "DEU", "UNIFIL", [2021], {}),
    ("Jordan", "DEU", "Operation Inherent Resolve", [2021], {}),
    ("Iraq", "DEU", "Operation Inherent Resolve", [2019], {}),
    ("France", "DEU", "", [2021], {"note": "Franco-German Brigade elements"}),
    ("South Sudan", "DEU", "UNMISS", [2021], {}),
    # Italy
    ("Lebanon", "ITA", "UNIFIL", [2014, 2018, 2021], {}),
    ("Iraq", "ITA", "Operation Inherent Resolve", [2016, 2019, 2021], {}),
    ("Libya", "ITA", "MIASIT", [2021], {}),
    ("Niger", "ITA", "MISIN", [2021], {}),
    ("Djibouti", "ITA", "", [2021], {}),
    ("Latvia", "ITA", "Enhanced Forward Presence", [2021], {}),
    ("Somalia", "ITA", "EUTM Somalia", [2021], {}),
    ("Egypt", "ITA", "MFO", [2021], {}),
    ("United Arab Emirates", "ITA", "", [2020], {}),
    # Spain
    ("Latvia", "ESP", "Enhanced Forward Presence", [2021], {}),
    ("Lebanon", "ESP", "UNIFIL", [2021], {}),
    ("Mali", "ESP", "EUTM Mali", [2018, 2021], {}),
    ("Turkey", "ESP", "Operation Active Fence", [2021], {"note": "Patriot battery, Adana"}),
    ("Iraq", "ESP", "Operation Inherent Resolve", [2019], {}),
    ("Central African Republic", "ESP", "EUTM RCA", [2021], {}),
    # Canada
    ("Latvia", "CAN", "Enhanced Forward Presence", [2017, 2019, 2021], {}),
    ("Iraq", "CAN", "Operation Inherent Resolve", [2018], {}),
    ("Egypt", "CAN", "Operation Calumet", [2021], {"note": "Canadian contribution to the MFO"}),
    ("Ukraine", "CAN", "Operation Unifier", [2021], {"note": "training mission"}),
    # Other NATO / allied
    ("Lithuania", "NLD", "Enhanced Forward Presence", [2021], {}),
    ("Mali", "NLD", "MINUSMA", [2014, 2019], {}),
    ("Lithuania", "NOR", "Enhanced Forward Presence", [2021], {}),
    ("Latvia", "POL", "Enhanced Forward Presence", [2021], {}),
    ("Romania", "POL", "MNB-SE", [2021], {}),
    ("Iraq", "POL", "NATO Mission Iraq", [2021], {}),
    ("Lithuania", "BEL", "Enhanced Forward Presence", [2021], {}),
    ("Niger", "BEL", "METT Maradi", [2021], {}),
    ("Latvia", "CZE", "Enhanced Forward Presence", [2021], {}),
    ("Estonia", "DNK", "Enhanced Forward Presence", [2020], {}),
    ("Iraq", "DNK", "Operation Inherent Resolve", [2016], {}),
    ("Poland", "HRV", "Enhanced Forward Presence", [2021], {}),
    ("Bosnia-Herzegovina", "HUN", "EUFOR", [2021], {}),
    ("Iraq", "HUN", "Operation Inherent Resolve", [2021], {}),
    ("Poland", "ROU", "Enhanced Forward Presence", [2021], {}),
    ("Central African Republic", "PRT", "MINUSCA", [2021], {}),
    ("Mozambique", "PRT", "EUTM Mozambique", [2021], {}),
    ("Cyprus", "SVK", "UNFICYP", [2021], {}),
    ("Latvia", "SVK", "Enhanced Forward Presence", [2021], {}),
    ("Latvia", "SVN", "Enhanced Forward Presence", [2021], {}),
    ("Latvia", "ALB", "Enhanced Forward Presence", [2021], {}),
    ("Cyprus", "GRC", "", [2021], {}),
    ("Iraq", "EST", "Operation Inherent Resolve", [2021], {}),
    ("Mali", "EST", "Operation Barkhane", [2020], {"note": "contribution to the French-led operation"}),
    ("Lithuania", "LUX", "Enhanced Forward Presence", [2021], {}),
    ("Ukraine", "LTU", "JMTG-U", [2021], {"note": "Joint Multinational Training Group - Ukraine"}),
    ("Western Sahara", "MNE", "MINURSO", [2021], {}),
    # Turkey
    ("Cyprus", "TUR", "", [2014, 2019, 2021], {"location": "Northern Cyprus"}),
    ("Qatar", "TUR", "", [2016, 2019, 2021], {}),
    (
        "Syria",
        "TUR",
        "Operation Euphrates Shield",
        [2016],
        {**PAIR, "note": "TUR-SYR kept as a series of pair totals; this IISS entry is Operation Euphrates Shield"},
    ),
    ("Syria", "TUR", "", [2017, 2018, 2019, 2021], {}),
    (
        "Syria",
        "TUR",
        "Operation Spring Shield",
        [2020],
        {**PAIR, "note": "TUR-SYR kept as a series of pair totals; this IISS entry is Operation Spring Shield (Idlib)"},
    ),
    ("Libya", "TUR", "", [2021], {}),
    ("Somalia", "TUR", "", [2021], {}),
    ("Iraq", "TUR", "", [2016, 2019, 2021], {}),
    ("Azerbaijan", "TUR", "", [2021], {}),
    ("Bosnia-Herzegovina", "TUR", "EUFOR", [2021], {}),
    ("Lebanon", "TUR", "UNIFIL", [2021], {}),
    # Asia-Pacific allies
    ("South Sudan", "KOR", "UNMISS", [2021], {}),
    ("Lebanon", "KOR", "UNIFIL", [2021], {}),
    ("United Arab Emirates", "KOR", "", [2021], {}),
    ("Djibouti", "JPN", "", [2021], {"note": "JSDF base for counter-piracy operations"}),
    ("South Sudan", "JPN", "UNMISS", [2014, 2016, 2017], {"note": "engineering unit withdrawn in 2017"}),
    ("United Arab Emirates", "AUS", "Operation Accordion", [2021], {}),
    ("Iraq", "AUS", "Operation Inherent Resolve", [2015, 2021], {}),
    ("Malaysia", "AUS", "", [2021], {"note": "RMAF Butterworth"}),
    ("Philippines", "AUS", "Operation Augury", [2021], {}),
    ("Egypt", "AUS", "Operation Mazurka", [2021], {"note": "Australian contribution to the MFO"}),
    ("Iraq", "NZL", "Operation Inherent Resolve", [2015, 2021], {}),
    # United States (where DMDC is absent or stops in 2017)
    ("Niger", "USA", "", [2017], {}),
    (
        "Poland",
        "USA",
        "",
        [2019, 2020],
        {"note": "IISS lists a further 670-857 US troops in Poland under NATO eFP (Battlegroup Poland)"},
    ),
    ("Syria", "USA", "Operation Inherent Resolve", [2017, 2018, 2019, 2020, 2021], {}),
    ("Somalia", "USA", "", [2020], {}),
    ("Cameroon", "USA", "", [2015], {}),
    ("Djibouti", "USA", "", [2018, 2021], {"note": "Camp Lemonnier; continues the DMDC series (see its notes)"}),
    ("Kuwait", "USA", "", [2018, 2021], {"note": "continues the DMDC series (see its notes)"}),
    ("Qatar", "USA", "", [2018, 2021], {"note": "Al Udeid Air Base; continues the DMDC series"}),
    ("United Arab Emirates", "USA", "", [2019, 2021], {"note": "continues the DMDC series"}),
    ("Saudi Arabia", "USA", "", [2019, 2021], {"note": "continues the DMDC series"}),
    (
        "Jordan",
        "USA",
        "Operation Inherent Resolve",
        [2018, 2021],
        {**PAIR, "note": "IISS lists this under Operation Inherent Resolve; continues the DMDC pair total"},
    ),
    ("Romania", "USA", "", [2017, 2019], {"note": "continues the DMDC series (rotational forces)"}),
    ("British Indian Ocean Territory", "USA", "", [2021], {"note": "Diego Garcia"}),
    ("Egypt", "USA", "MFO", [2014, 2021], {"note": "US battalion of the Multinational Force and Observers"}),
    ("Colombia", "USA", "", [2021], {}),
    ("El Salvador", "USA", "", [2021], {}),
    ("Israel", "USA", "", [2021], {}),
    ("Ukraine", "USA", "JMTG-U", [2021], {"note": "Joint Multinational Training Group - Ukraine"}),
]


def mdi_rows(datasets: Path) -> tuple[list[dict], list[str]]:
    data = list(csv.DictReader(open(datasets / "mdi_iiss_deployments_2014_2021.csv", encoding="utf-8")))
    idx = defaultdict(list)
    for r in data:
        idx[(r["Theatre"], r["Country"], r["MissionName"], int(r["Year"]))].append(r)
    out, problems = [], []
    for theatre, deployer, mission, years, opts in MDI_PICKS:
        host = HOST_OF_THEATRE[theatre]
        for year in years:
            found = idx.get((theatre, deployer, mission, year), [])
            values = {r["Deployed"] for r in found}
            if len(values) != 1:
                problems.append(f"MDI {theatre}/{deployer}/{mission}/{year}: values {sorted(values)}")
                continue
            r = found[0]
            notes = [f"Organisation: {r['Organisation']}", f"IISS type: {r['MissionType']}"]
            if "mission" in opts and mission:
                notes.append(f"IISS mission name: {mission}")
            if opts.get("note"):
                notes.append(opts["note"])
            out.append(
                row(
                    deployer=deployer,
                    host=host,
                    troops=int(r["Deployed"]),
                    count_kind="exact",
                    date=str(year),
                    status="present",
                    mission=opts.get("mission", mission),
                    location=opts.get("location", ""),
                    lat=f"{float(r['Lat']):.4f}" if r["Lat"] else "",
                    lon=f"{float(r['Lon']):.4f}" if r["Lon"] else "",
                    source_name=f"IISS Military Balance {year + 1} edition (via MDI)",
                    source_url=MDI_URL,
                    source_date=str(year + 1),
                    notes="; ".join(notes) + "; lat/lon: theatre centroid from MDI",
                )
            )
    return out, problems


# --------------------------------------------------------------------------------------------------
# 3. News reporting and official statements
# --------------------------------------------------------------------------------------------------
def N(
    deployer,
    host,
    troops,
    kind,
    date,
    status,
    source_name,
    source_url="",
    source_date="",
    notes="",
    mission="",
    location="",
    lat="",
    lon="",
    troops_max=None,
):
    return row(
        deployer=deployer,
        host=host,
        troops=troops,
        troops_max=troops_max,
        count_kind=kind,
        date=date,
        status=status,
        mission=mission,
        location=location,
        lat=lat,
        lon=lon,
        source_name=source_name,
        source_url=source_url,
        source_date=source_date,
        notes=notes,
    )


BARKHANE, SERVAL, OIR = "Operation Barkhane", "Operation Serval", "Operation Inherent Resolve"
WAGNER_MLI = "Wagner Group / Africa Corps"
RUS_CAF = "Russian instructors"
NEWS_ROWS = [
    # --- Russia in Venezuela (founding article) ---
    N(
        "RUS",
        "VEN",
        100,
        "approx",
        "2019-03",
        "present",
        "Interfax",
        "",
        "2019-04-04",
        'figure attributed to Venezuelan Deputy Foreign Minister Yvan Gil via Interfax: "the contingent of 100 '
        'soldiers deployed in Caracas at the end of March"; described as specialists under military-technical '
        "cooperation contracts. Two Russian aircraft (An-124, Il-62) landed at Caracas airport on 23 March 2019",
        location="Caracas",
        lat="10.4806",
        lon="-66.9036",
    ),
    N(
        "RUS",
        "VEN",
        None,
        "unknown",
        "2019-04-04",
        "announced",
        "Interfax",
        "",
        "2019-04-04",
        'Gil via Interfax: "New missions will probably arrive" to reinforce the contingent; no number or date',
        location="Caracas",
        lat="10.4806",
        lon="-66.9036",
    ),
    # --- France in Mali ---
    N(
        "FRA",
        "MLI",
        2400,
        "exact",
        "2013-01",
        "present",
        "Youm7 (quoting French defence minister Le Drian)",
        "https://www.masress.com/youm7/920653",
        "2013-01",
        'Le Drian two weeks into the operation: 3,700 French military engaged, "2,400 on the ground" in Mali',
        mission=SERVAL,
    ),
    N(
        "FRA",
        "MLI",
        4000,
        "approx",
        "2013-02",
        "present",
        "Al-Shorouk (quoting the French defence ministry)",
        "https://www.masress.com/shorouk/661947",
        "2013-02",
        '"about four thousand" French soldiers deployed on the ground in Mali',
        mission=SERVAL,
    ),
    N(
        "FRA",
        "MLI",
        1000,
        "approx",
        "2014-01-23",
        "announced",
        "Al-Jazirah (quoting Le Drian)",
        "https://al-jazirah.com/2014/20140124/du4.htm",
        "2014-01-24",
        'Le Drian: "we will keep a thousand soldiers there" for counter-terrorism',
        mission=SERVAL,
    ),
    N(
        "FRA",
        "MLI",
        None,
        "unknown",
        "2014-07",
        "withdrawn",
        "Military Review (US Army), Nov-Dec 2014",
        "https://view.joomag.com/military-review-english-edition-november-december-2014/0915712001414005115?page=87",
        "2014-11",
        "Serval ended in July 2014 (15 July per most accounts); its forces continued under Operation "
        "Barkhane, launched 1 August 2014 across the Sahel",
        mission=SERVAL,
    ),
    N(
        "FRA",
        "MLI",
        5100,
        "approx",
        "2020-02-29",
        "announced",
        "France 24 (AFP, Reuters)",
        "https://www.france24.com/en/20200202-france-sahel-africa-parly-troops-army-soldiers-defence-minister-florence-mali-burkina-faso-niger",
        "2020-02-02",
        "Parly: 600 more soldiers by end of February, Barkhane from 4,500 to 5,100. SAHEL-WIDE total "
        "(Mali, Niger, Chad, Burkina Faso, Mauritania), not Mali alone; the reinforcement went mostly to the "
        "Mali-Burkina-Niger border zone",
        mission=BARKHANE,
    ),
    N(
        "FRA",
        "MLI",
        2400,
        "approx",
        "2022-02-17",
        "present",
        "Associated Press",
        "https://kion546.com/news/ap-national-news/2022/02/17/france-to-withdraw-troops-from-mali-remain-in-region/",
        "2022-02-17",
        '"France has about 4,300 troops in the Sahel region, including 2,400 in Mali"',
        mission=BARKHANE,
    ),
    N(
        "FRA",
        "MLI",
        None,
        "unknown",
        "2022-02-17",
        "announced",
        "Reuters",
        "https://nationalpost.com/pmn/news-pmn/mali-troop-withdrawal-will-take-up-to-6-months-says-macron",
        "2022-02-17",
        'Macron announces withdrawal from Mali, to take "four to six months"',
        mission=BARKHANE,
    ),
    N(
        "FRA",
        "MLI",
        0,
        "exact",
        "2022-08-15",
        "withdrawn",
        "French Armed Forces General Staff (via franceinfo)",
        "https://www.francetvinfo.fr/monde/terrorisme-djihadistes/operation-barkhane/operation-barkhane-les-derniers-militaires-francais-ont-quitte-le-mali-annonce-l-elysee_5309833.html",
        "2022-08-15",
        "last Barkhane detachment crossed from Mali into Niger at 13:00 Paris time after handing over the Gao base",
        mission=BARKHANE,
    ),
    N(
        "FRA",
        "MLI",
        None,
        "unknown",
        "2023-12-31",
        "withdrawn",
        "United Nations (MINUSMA drawdown)",
        "",
        "2023-12",
        "MINUSMA's mandate ended on 30 June 2023 (UNSC res. 2690) and its withdrawal closed on "
        "31 Dec 2023; date is an upper bound for this contingent",
        mission="MINUSMA",
    ),
    N(
        "FRA",
        "MLI",
        None,
        "unknown",
        "2024-05-18",
        "withdrawn",
        "EU High Representative Borrell (via UNN)",
        "https://unn.ua/en/news/eu-winds-down-its-military-training-mission-eutm-in-mali",
        "2024-05-20",
        'EUTM Mali ended on 18 May 2024: "All personnel working under the EU flag have left the country"; '
        "date is an upper bound for this contingent",
        mission="EUTM Mali",
    ),
    N(
        "ESP",
        "MLI",
        None,
        "unknown",
        "2024-05-18",
        "withdrawn",
        "EU High Representative Borrell (via UNN)",
        "https://unn.ua/en/news/eu-winds-down-its-military-training-mission-eutm-in-mali",
        "2024-05-20",
        'EUTM Mali ended on 18 May 2024: "All personnel working under the EU flag have left the country"',
        mission="EUTM Mali",
    ),
    N(
        "DEU",
        "MLI",
        None,
        "unknown",
        "2023-12",
        "withdrawn",
        "Bundeswehr (via Deutscher BundeswehrVerband)",
        "https://dbwv.de/aktuelle-themen/einsatz-aktuell/beitrag/letzte-deutsche-soldatinnen-und-soldaten-verlassen-gao",
        "2023-12-12",
        "last 142 soldiers left Camp Castor, Gao, on 12 Dec 2023; 4 remaining at MINUSMA HQ "
        "Bamako due home 17 Dec. Before the drawdown the contingent was about 1,100",
        mission="MINUSMA",
    ),
    N(
        "NLD",
        "MLI",
        None,
        "unknown",
        "2023-12-31",
        "withdrawn",
        "United Nations (MINUSMA drawdown)",
        "",
        "2023-12",
        "MINUSMA closed on 31 Dec 2023; date is an upper bound",
        mission="MINUSMA",
    ),
    N(
        "EST",
        "MLI",
        None,
        "unknown",
        "2022-08-15",
        "withdrawn",
        "French Armed Forces General Staff (via franceinfo)",
        "https://www.francetvinfo.fr/monde/terrorisme-djihadistes/operation-barkhane/operation-barkhane-les-derniers-militaires-francais-ont-quitte-le-mali-annonce-l-elysee_5309833.html",
        "2022-08-15",
        "Barkhane left Mali on 15 Aug 2022; date is an upper bound for the Estonian contingent",
        mission=BARKHANE,
    ),
    # --- Chad, Russia/Wagner in Mali ---
    N(
        "TCD",
        "MLI",
        2000,
        "exact",
        "2013-01-18",
        "announced",
        "Wikipedia (Chadian intervention in northern Mali)",
        "https://en.wikipedia.org/wiki/FATIM",
        "",
        "Chad announced 2,000 troops (one infantry regiment of 1,200 and two support battalions of 800)",
        mission="FATIM",
    ),
    N(
        "TCD",
        "MLI",
        1800,
        "approx",
        "2013-02",
        "present",
        "El Massar (AFP, Chadian army general staff)",
        "https://djazairess.com/elmassar/25812",
        "2013-02",
        '"about 1,800 Chadian soldiers" deployed in Mali, the largest African contingent',
        mission="FATIM",
    ),
    N(
        "RUS",
        "MLI",
        1000,
        "approx",
        "2021-12",
        "announced",
        "BBC News (as republished)",
        "https://worldnews.wiki/wagner-group-why-the-eu-is-alarmed-by-russian-mercenaries-in-central-africa/",
        "2021-12",
        'Mali "wanted to employ about 1,000 Wagner operatives"; Wagner Group is a Russian private '
        "military company, not the regular armed forces",
        mission=WAGNER_MLI,
    ),
    N(
        "RUS",
        "MLI",
        None,
        "unknown",
        "2021-12-23",
        "present",
        "Lemkin Institute (joint statement of 15 states)",
        "https://lemkininstitute.com/single-post/the-wagner-wars-malian-edition",
        "2022-12",
        "on 23 Dec 2021 Canada and several EU countries jointly condemned the deployment of Wagner Group "
        "mercenaries in Mali; Mali denies and speaks of Russian 'instructors'",
        mission=WAGNER_MLI,
    ),
    N(
        "RUS",
        "MLI",
        2000,
        "approx",
        "2025-06-06",
        "present",
        "Deutsche Welle (via allAfrica)",
        "https://allafrica.com/stories/202506090190.html",
        "2025-06-07",
        'Wagner announced it is leaving Mali; the Russian MoD-controlled Africa Corps stays. "About 2,000 '
        'mercenaries are deployed in Mali" per US officials, split between Wagner and Africa Corps unknown',
        mission=WAGNER_MLI,
    ),
    # --- US in Afghanistan (pair totals) ---
    N(
        "USA",
        "AFG",
        None,
        "unknown",
        "2001-10-07",
        "present",
        "US Department of Defense",
        "",
        "2001-10-07",
        "Operation Enduring Freedom begins with US-led strikes",
    ),
    N(
        "USA",
        "AFG",
        70000,
        "approx",
        "2009-12-01",
        "present",
        "The Washington Post",
        "http://www.washingtonpost.com/wp-dyn/content/article/2009/12/01/AR2009120101231.html?nav=emailpage",
        "2009-12-02",
        '"the roughly 70,000 that are in Afghanistan now"',
    ),
    N(
        "USA",
        "AFG",
        100000,
        "approx",
        "2010-08",
        "announced",
        "The Washington Post",
        "http://www.washingtonpost.com/wp-dyn/content/article/2009/12/01/AR2009120101231.html?nav=emailpage",
        "2009-12-02",
        'Obama at West Point: "an additional 30,000 U.S. troops" by summer 2010 on top of ~70,000',
    ),
    N(
        "USA",
        "AFG",
        100000,
        "approx",
        "2011-06-21",
        "present",
        "CNN",
        "",
        "2011-06-21",
        '"An estimated 100,000 U.S. troops are currently serving in Afghanistan" (peak of the surge); DMDC\'s '
        "active-duty line for Sept 2010-11 is ~82,000 (sources disagree: different counting)",
    ),
    N(
        "USA",
        "AFG",
        70000,
        "at_most",
        "2012-09",
        "announced",
        "CNN",
        "https://afghanistan.blogs.cnn.com/2011/06/22/obama-surge-troops-out-in-15-months/",
        "2011-06-22",
        'Obama: 10,000 home by end of 2011, remaining 23,000 surge troops by Sept 2012, leaving "just under 70,000"',
    ),
    N(
        "USA",
        "AFG",
        32000,
        "approx",
        "2014-05-27",
        "present",
        "BBC News",
        "https://www.bbc.co.uk/news/av/world-us-canada-27596525/obama-statement-on-us-troop-withdrawal-in-afghanistan",
        "2014-05-27",
        '"its current force of 32,000"',
    ),
    N(
        "USA",
        "AFG",
        9800,
        "exact",
        "2015-01",
        "announced",
        "BBC News",
        "https://www.bbc.co.uk/news/av/world-us-canada-27596525/obama-statement-on-us-troop-withdrawal-in-afghanistan",
        "2014-05-27",
        "Obama seeks to keep 9,800 troops after the combat mission ends in 2014",
    ),
    N(
        "USA",
        "AFG",
        8400,
        "approx",
        "2017-08",
        "present",
        "Pentagon official count (as reported by AP, 2017-08-30)",
        "http://www.dailynews.com/general-news/20170830/there-are-more-us-troops-in-afghanistan-than-we-thought",
        "2017-08-30",
        "the 8,400 figure acknowledged under the Obama-era cap; superseded the same month",
    ),
    N(
        "USA",
        "AFG",
        11000,
        "approx",
        "2017-08-30",
        "present",
        "Associated Press (Pentagon briefing)",
        "http://www.dailynews.com/general-news/20170830/there-are-more-us-troops-in-afghanistan-than-we-thought",
        "2017-08-30",
        '"about 11,000 U.S. forces currently deployed"; includes temporary and covert units; '
        "sources disagree with the earlier official 8,400",
    ),
    N(
        "USA",
        "AFG",
        13000,
        "approx",
        "2020-02-29",
        "present",
        "PTI (via Navhind Times)",
        "https://www.navhindtimes.in/us-taliban-sign-historic-deal/",
        "2020-02-29",
        'Doha agreement: drawdown "from a total of 13,000 to 8,600"',
    ),
    N(
        "USA",
        "AFG",
        8600,
        "exact",
        "2020-07-13",
        "announced",
        "PTI (via Navhind Times)",
        "https://www.navhindtimes.in/us-taliban-sign-historic-deal/",
        "2020-02-29",
        "US to reduce to 8,600 within 135 days of the 29 Feb 2020 Doha agreement",
    ),
    N(
        "USA",
        "AFG",
        4500,
        "approx",
        "2020-11-17",
        "present",
        "Bloomberg",
        "https://link.mail.bloombergbusiness.com/click/22130298.30154/aHR0cHM6Ly93d3cuYmxvb21iZXJnLmNvbS9uZXdzL2FydGljbGVzLzIwMjAtMTEtMTcvdHJ1bXAtYWRtaW5pc3RyYXRpb24tb3JkZXJzLXRyb29wLWRyYXdkb3duLWluLWlyYXEtYWZnaGFuaXN0YW4_Y21waWQ9QkJEMTExNzIwX0JJWiZ1dG1fbWVkaXVtPWVtYWlsJnV0bV9zb3VyY2U9bmV3c2xldHRlciZ1dG1fdGVybT0yMDExMTcmdXRtX2NhbXBhaWduPWJsb29tYmVyZ2RhaWx5/5e4f0793bf008113d5712bd3Bc8b47cf8",
        "2020-11-17",
        'acting SecDef Miller: cut "from about 4,500 in Afghanistan" to 2,500 by 15 Jan 2021',
    ),
    N(
        "USA",
        "AFG",
        2500,
        "approx",
        "2021-01-15",
        "present",
        "US Department of Defense (via The Epoch Times)",
        "https://www.theepochtimes.com/pentagon-chief-us-troops-in-iraq-reduced-to-2500_3658100.html",
        "2021-01-15",
        "Miller: troops in Afghanistan reduced to 2,500",
    ),
    N(
        "USA",
        "AFG",
        None,
        "unknown",
        "2021-09-11",
        "announced",
        "Associated Press (via Daily Mail)",
        "https://www.dailymail.co.uk/wires/ap/article-9472757/AP-PHOTOS-Sacrifice-sorrow-20-years-war-Afghanistan.html",
        "2021-04-15",
        'Biden announced on 14 April 2021 the withdrawal of all remaining troops, "now numbering '
        '2,500", by 11 September',
    ),
    N(
        "USA",
        "AFG",
        4000,
        "at_most",
        "2021-08-28",
        "present",
        "The Guardian (AP)",
        "https://www.theguardian.com/world/live/2021/aug/29/afghanistan-live-news-terror-attack-highly-likely-in-next-24-36-hours-says-biden-last-uk-troops-leave-kabul",
        "2021-08-28",
        'forces at Kabul airport for the evacuation, "now numbering fewer than 4,000"',
    ),
    N(
        "USA",
        "AFG",
        0,
        "exact",
        "2021-08-30",
        "withdrawn",
        "Reuters (CENTCOM, Gen. McKenzie)",
        "https://www.devdiscourse.com/article/law-order/1711922-us-completes-troop-withdrawal-from-afghanistan",
        "2021-08-31",
        "last C-17 left Hamid Karzai International Airport on 30 Aug 2021",
    ),
    # --- NATO allies leaving Afghanistan ---
    N(
        "DEU",
        "AFG",
        0,
        "exact",
        "2021-06-29",
        "withdrawn",
        "Janes",
        "https://www.janes.com/amp/germany-withdraws-its-last-troops-from-afghanistan/ZnlJK3dHVU9mZ28xajRJVkc5dVI5VFp1cVMwPQ2",
        "2021-06-30",
        "last German troops flown out of Mazar-i-Sharif on 29 June 2021; 1,100 were there when the "
        "pullout began in May",
        mission="Operation Resolute Support",
    ),
    N(
        "GBR",
        "AFG",
        0,
        "exact",
        "2021-08-28",
        "withdrawn",
        "LBC",
        "https://www.lbc.co.uk/news/last-uk-troops-leave-kabul-on-final-military-flight-ending-20-year-involvement-i/",
        "2021-08-28",
        "final UK troops left Kabul at the end of Operation Pitting; the Resolute Support training "
        "contingent had left earlier in 2021",
        mission="Operation Resolute Support",
    ),
    # --- US in Iraq (pair totals) ---
    N(
        "USA",
        "IRQ",
        192000,
        "approx",
        "2003-03",
        "present",
        "Associated Press (troop-level timeline)",
        "https://archives.lincolndailynews.com/2008/Apr/08/News/other040808_s.shtml",
        "2008-04-08",
        '"March 2003 -- U.S. troops invade Iraq: 192,000"',
    ),
    N(
        "USA",
        "IRQ",
        146000,
        "approx",
        "2003-05",
        "present",
        "Associated Press (troop-level timeline)",
        "https://archives.lincolndailynews.com/2008/Apr/08/News/other040808_s.shtml",
        "2008-04-08",
        '"May 2003 -- President Bush declares the end of major combat: 146,000"',
    ),
    N(
        "USA",
        "IRQ",
        159000,
        "approx",
        "2005-01",
        "present",
        "Associated Press (troop-level timeline)",
        "https://archives.lincolndailynews.com/2008/Apr/08/News/other040808_s.shtml",
        "2008-04-08",
        '"January 2005 -- First post-invasion Iraqi election: 159,000"',
    ),
    N(
        "USA",
        "IRQ",
        125000,
        "approx",
        "2006-06",
        "present",
        "Associated Press (troop-level timeline)",
        "https://archives.lincolndailynews.com/2008/Apr/08/News/other040808_s.shtml",
        "2008-04-08",
        '"June 2006 -- Lowest troop level since July 2004: 125,000"',
    ),
    N(
        "USA",
        "IRQ",
        132000,
        "approx",
        "2007-01",
        "present",
        "Associated Press (troop-level timeline)",
        "https://archives.lincolndailynews.com/2008/Apr/08/News/other040808_s.shtml",
        "2008-04-08",
        "\"Mid-January 2007 -- Bush announces troop 'surge' plan: 132,000\"",
    ),
    N(
        "USA",
        "IRQ",
        170000,
        "approx",
        "2007-10",
        "present",
        "Associated Press (troop-level timeline)",
        "https://archives.lincolndailynews.com/2008/Apr/08/News/other040808_s.shtml",
        "2008-04-08",
        '"October 2007 - Troop buildup peaks: 170,000"',
    ),
    N(
        "USA",
        "IRQ",
        158000,
        "approx",
        "2008-03",
        "present",
        "Associated Press (troop-level timeline)",
        "https://archives.lincolndailynews.com/2008/Apr/08/News/other040808_s.shtml",
        "2008-04-08",
        '"March 2008 -- U.S. troop deaths reach 4,000: 158,000"; DMDC\'s Sept 2008 active-duty line gives '
        "110,793 (sources disagree: DMDC excludes reserve components)",
    ),
    N(
        "USA",
        "IRQ",
        50000,
        "approx",
        "2010-08-31",
        "present",
        "White House (Obama address of 31 Aug 2010)",
        "",
        "2010-08-31",
        "end of the US combat mission; about 50,000 troops remain under Operation New Dawn",
    ),
    N(
        "USA",
        "IRQ",
        0,
        "exact",
        "2011-12-18",
        "withdrawn",
        "Associated Press (via 6abc)",
        "http://6abc.com/archive/8471274/",
        "2011-12-18",
        "last US soldiers crossed into Kuwait; a small office (~150) remained under the embassy for training",
    ),
    N(
        "USA",
        "IRQ",
        300,
        "at_most",
        "2014-06-19",
        "announced",
        "White House (Obama statement)",
        "",
        "2014-06-19",
        "up to 300 military advisers to Iraq after the ISIS offensive",
    ),
    N(
        "USA",
        "IRQ",
        5200,
        "approx",
        "2017-12-06",
        "present",
        "Inside Defense (Pentagon briefing)",
        "https://insidedefense.com/insider/dod-acknowledges-additional-us-troops-syria",
        "2017-12-06",
        'Col. Rob Manning: "approximately 5,200 U.S. troops in Iraq"',
    ),
    N(
        "USA",
        "IRQ",
        5200,
        "approx",
        "2020-09-09",
        "present",
        "The Washington Times (CENTCOM, Gen. McKenzie)",
        "https://www.washingtontimes.com/news/2020/sep/9/us-cutting-troops-iraq-5200-3000-pentagon-confirms/",
        "2020-09-09",
        '"reduce our troop presence in Iraq from about 5,200 to 3,000 troops during the month of September"',
    ),
    N(
        "USA",
        "IRQ",
        3000,
        "approx",
        "2020-09-30",
        "announced",
        "The Washington Times (CENTCOM, Gen. McKenzie)",
        "https://www.washingtontimes.com/news/2020/sep/9/us-cutting-troops-iraq-5200-3000-pentagon-confirms/",
        "2020-09-09",
        "planned level by end of September 2020",
    ),
    N(
        "USA",
        "IRQ",
        3000,
        "approx",
        "2020-11-17",
        "present",
        "Bloomberg",
        "https://link.mail.bloombergbusiness.com/click/22130298.30154/aHR0cHM6Ly93d3cuYmxvb21iZXJnLmNvbS9uZXdzL2FydGljbGVzLzIwMjAtMTEtMTcvdHJ1bXAtYWRtaW5pc3RyYXRpb24tb3JkZXJzLXRyb29wLWRyYXdkb3duLWluLWlyYXEtYWZnaGFuaXN0YW4_Y21waWQ9QkJEMTExNzIwX0JJWiZ1dG1fbWVkaXVtPWVtYWlsJnV0bV9zb3VyY2U9bmV3c2xldHRlciZ1dG1fdGVybT0yMDExMTcmdXRtX2NhbXBhaWduPWJsb29tYmVyZ2RhaWx5/5e4f0793bf008113d5712bd3Bc8b47cf8",
        "2020-11-17",
        '"from about 3,000 in Iraq" to 2,500 by 15 Jan 2021',
    ),
    N(
        "USA",
        "IRQ",
        2500,
        "approx",
        "2021-01-15",
        "present",
        "US Department of Defense (via The Epoch Times)",
        "https://www.theepochtimes.com/pentagon-chief-us-troops-in-iraq-reduced-to-2500_3658100.html",
        "2021-01-15",
        "Miller: troops in Iraq reduced to 2,500",
    ),
    N(
        "USA",
        "IRQ",
        2500,
        "approx",
        "2021-12-09",
        "present",
        "The New York Times (via Daily Alert)",
        "https://www.dailyalert.org/rss/Mainissues.php?id=82995",
        "2021-12-13",
        'combat mission ended; "The U.S. will keep 2,500 soldiers on the ground in support roles"',
    ),
    # --- US in Syria (Operation Inherent Resolve scope) ---
    N(
        "USA",
        "SYR",
        50,
        "at_most",
        "2015-10-30",
        "announced",
        "White House",
        "",
        "2015-10-30",
        'Obama authorised "fewer than 50" special operations forces for northern Syria',
        mission=OIR,
    ),
    N(
        "USA",
        "SYR",
        2000,
        "approx",
        "2017-12-06",
        "present",
        "Inside Defense (Pentagon briefing)",
        "https://insidedefense.com/insider/dod-acknowledges-additional-us-troops-syria",
        "2017-12-06",
        'Pentagon: 2,000 US troops in Syria, "after last month reporting there were only 500" (sources disagree '
        "by counting method)",
        mission=OIR,
    ),
    N(
        "USA",
        "SYR",
        None,
        "unknown",
        "2018-12-19",
        "announced",
        "White House (President Trump)",
        "",
        "2018-12-19",
        "Trump announced the withdrawal of the roughly 2,000 US troops from Syria; it was later scaled back",
        mission=OIR,
    ),
    N(
        "USA",
        "SYR",
        1000,
        "approx",
        "2019-10-13",
        "announced",
        "NPR",
        "https://www.npr.org/2019/10/13/769946806/trump-orders-troop-pullout-in-syria",
        "2019-10-13",
        'Esper: "1,000 American troops are being pulled out of northern Syria" as Turkey attacks; some forces '
        "stayed elsewhere in Syria",
        mission=OIR,
    ),
    N(
        "USA",
        "SYR",
        900,
        "approx",
        "2024-11",
        "present",
        "Pentagon public figure (as reported by Reuters, 2024-12-19)",
        "https://www.hindustantimes.com/world-news/us-news/us-has-twice-as-many-troops-in-syria-than-previously-declared-pentagon-says-101734645428669.html",
        "2024-12-19",
        'the 900 figure the Pentagon had given "for several years"; superseded by 2,000 below',
        mission=OIR,
    ),
    N(
        "USA",
        "SYR",
        2000,
        "approx",
        "2024-12-19",
        "present",
        "Reuters (via Hindustan Times)",
        "https://www.hindustantimes.com/world-news/us-news/us-has-twice-as-many-troops-in-syria-than-previously-declared-pentagon-says-101734645428669.html",
        "2024-12-19",
        'Maj. Gen. Pat Ryder: 2,000 troops, "more than twice the 900"; the extra 1,100 are temporary rotational forces',
        mission=OIR,
    ),
    N(
        "USA",
        "SYR",
        2000,
        "approx",
        "2025-04-18",
        "present",
        "Reuters (via StratNews Global)",
        "https://stratnewsglobal.com/?p=93697",
        "2025-04-18",
        '"about 2,000 U.S. troops in Syria across a number of bases, mostly in the northeast"',
        mission=OIR,
    ),
    N(
        "USA",
        "SYR",
        1000,
        "at_most",
        "2025-07",
        "announced",
        "MENAFN (Pentagon spokesman Sean Parnell)",
        "https://menafn.com/1109447669/US-plans-to-Reduce-Number-of-Forces-in-Syria",
        "2025-04-19",
        'consolidation "will bring the U.S. footprint in Syria down to less than a 1,000 U.S. forces in the '
        'coming months" (no date given; month is indicative)',
        mission=OIR,
    ),
    # --- US in Niger (pair totals) ---
    N(
        "USA",
        "NER",
        100,
        "approx",
        "2013-02-20",
        "present",
        "White House letter to Congress (22 Feb 2013)",
        "https://www.voltairenet.org/article177657.html",
        "2013-02-22",
        '"The total number of U.S. military personnel deployed to Niger is approximately 100"',
    ),
    N(
        "USA",
        "NER",
        1100,
        "approx",
        "2023-08-10",
        "present",
        "Reuters (via Raw Story)",
        "https://www.rawstory.com/analysis-us-military-mission-in-niger-in-focus-after-coup/",
        "2023-08-10",
        '"the 1,100-strong military presence in the country" after the July 2023 coup',
    ),
    N(
        "USA",
        "NER",
        1000,
        "approx",
        "2024-04-11",
        "present",
        "Bloomberg (via BNN Bloomberg)",
        "https://www.bnnbloomberg.ca/niger-receives-russian-military-instructors-rtn-says-1.2058131",
        "2024-04-11",
        '"about 1,000 US troops deployed", most at the Agadez drone base; Niger had suspended the '
        "security agreement in March 2024",
    ),
    N(
        "USA",
        "NER",
        200,
        "approx",
        "2024-07-25",
        "present",
        "France 24 (via iAfrica)",
        "https://iafrica.com/us-troops-to-complete-niger-withdrawal-by-early-august/",
        "2024-07-25",
        'after leaving Niamey\'s Air Base 101 (7 July), "about 200 soldiers remain at the Agadez drone base"',
    ),
    N(
        "USA",
        "NER",
        0,
        "exact",
        "2024-08-05",
        "withdrawn",
        "US Africa Command (joint statement, via allAfrica)",
        "https://allafrica.com/stories/202408060009.html",
        "2024-08-06",
        '"withdrawal of U.S. forces and assets from Air Base 201 in Agadez is complete"; full withdrawal '
        "still to be completed",
        location="Air Base 201, Agadez",
    ),
    N(
        "USA",
        "NER",
        0,
        "exact",
        "2024-09-15",
        "withdrawn",
        "US Department of Defense / AFRICOM (via UNN)",
        "https://unn.ua/en/news/the-us-has-completed-its-withdrawal-from-niger",
        "2024-09-17",
        'withdrawal "completed without complications by the mutually agreed upon date of Sept. 15"',
    ),
    # --- US in Europe ---
    N(
        "USA",
        "POL",
        3500,
        "approx",
        "2017-01-12",
        "present",
        "The China Post (AFP)",
        "http://www.chinapost.com.tw/international/europe/2017/01/16/489480/US-deploys.htm",
        "2017-01-16",
        "\"some 3,500\" soldiers of the 'Iron Brigade' (rotational armored brigade) began arriving",
    ),
    N(
        "USA",
        "POL",
        10000,
        "approx",
        "2023-03",
        "present",
        "Hungarian Conservative",
        "https://www.hungarianconservative.com/articles/current/us_army_garrison_poland_first_permanent_base_strengthening_eastern_flank_nato/embed/",
        "2023-03",
        'on the new US Army Garrison Poland: "now there are 10, 000 American soldiers stationed in '
        'the country" (mostly rotational)',
    ),
    N(
        "USA",
        "DEU",
        36000,
        "approx",
        "2020-07-29",
        "present",
        "US Secretary of Defense Mark Esper (briefing)",
        "https://www.onenewspage.com/video/20200730/13237724/will-cut-nearly-12-000-troops.htm",
        "2020-07-30",
        '"some 36,000" US troops in Germany',
    ),
    N(
        "USA",
        "DEU",
        24000,
        "exact",
        "2020-07-29",
        "announced",
        "US Secretary of Defense Mark Esper (briefing)",
        "https://www.onenewspage.com/video/20200730/13237724/will-cut-nearly-12-000-troops.htm",
        "2020-07-30",
        "PLANNED level after withdrawing 11,900; about 5,600 to move to other NATO countries. Frozen by the "
        "Biden administration in Feb 2021",
    ),
    # --- UK, Germany, Canada on NATO's eastern flank ---
    N(
        "GBR",
        "EST",
        900,
        "approx",
        "2022-02-16",
        "present",
        "Reuters (via Al Arabiya)",
        "https://english.alarabiya.net/News/world/2022/02/16/UK-will-double-the-number-of-troops-in-Estonia-as-part-of-NATO-mission-",
        "2022-02-16",
        '"Britain already leads a NATO battlegroup in Estonia with 900 personnel"',
        mission="Enhanced Forward Presence",
    ),
    N(
        "GBR",
        "EST",
        None,
        "unknown",
        "2022-02-16",
        "announced",
        "Reuters (via Al Arabiya)",
        "https://english.alarabiya.net/News/world/2022/02/16/UK-will-double-the-number-of-troops-in-Estonia-as-part-of-NATO-mission-",
        "2022-02-16",
        '"Britain will double the size of the British force in Estonia"; MoD gave no exact number',
        mission="Enhanced Forward Presence",
    ),
    N(
        "DEU",
        "LTU",
        500,
        "approx",
        "2025-05-22",
        "present",
        "Lrytas",
        "https://www.lrytas.lt/english/politics/2025/05/22/news/vilnius-solemn-inauguration-of-the-german-brigade-lithuania-this-is-a-historic-example-of-leadership--37973026/",
        "2025-05-22",
        '"Currently, about 500 brigade soldiers are serving in Lithuania"; AFP gave an advance '
        'party of "around 400" (sources disagree)',
        mission="45th Armoured Brigade (Lithuania)",
    ),
    N(
        "DEU",
        "LTU",
        4800,
        "approx",
        "2027",
        "announced",
        "Journal de Bruxelles (AFP)",
        "https://www.journaldebruxelles.be/en/Politics/505205-merz-warns-of-russia-threat-vows-to-defend-nato-allies-on-lithuania-visit.html",
        "2025-05-22",
        'brigade "to consist of around 4,800 troops and 200 civilian Bundeswehr employees", full capability by 2027',
        mission="45th Armoured Brigade (Lithuania)",
    ),
    N(
        "CAN",
        "LVA",
        800,
        "approx",
        "2023-07-10",
        "present",
        "Babel (CTV News)",
        "https://babel.ua/en/news/96104-canada-is-more-than-doubling-its-military-presence-in-latvia",
        "2023-07-10",
        '"Currently, 800 servicemen of the Canadian Armed Forces are stationed in Latvia"',
        mission="Enhanced Forward Presence",
    ),
    N(
        "CAN",
        "LVA",
        2200,
        "at_most",
        "2026",
        "announced",
        "Babel (CTV News)",
        "https://babel.ua/en/news/96104-canada-is-more-than-doubling-its-military-presence-in-latvia",
        "2023-07-10",
        "Trudeau: up to 2,200 troops persistently deployed as the battlegroup grows to a brigade (by 2026)",
        mission="Enhanced Forward Presence",
    ),
    # --- France's exit from West and Central Africa (pair totals) ---
    N(
        "FRA",
        "NER",
        1000,
        "range",
        "2023-08",
        "present",
        "Reuters (via The Japan Times)",
        "https://japantimes.co.jp/world/2023/08/11/politics/us-mission-niger-focus-coup",
        "2023-08-11",
        'France "has between 1,000 and 1,500 troops in the country"',
        troops_max=1500,
    ),
    N(
        "FRA",
        "NER",
        157,
        "exact",
        "2023-12-13",
        "present",
        "Niger CNSP communique (via La Plume)",
        "https://la-plume.bf/2023/12/13/niger-le-retrait-des-forces-francaises-sera-acheve-le-22-decembre-prochain",
        "2023-12-13",
        '1,346 French soldiers had left; "Il ne reste plus que 157 soldats sur place"',
    ),
    N(
        "FRA",
        "NER",
        0,
        "exact",
        "2023-12-22",
        "withdrawn",
        "Xinhua (Nigerien army)",
        "http://en.people.cn/n3/2023/1223/c90000-20114097.html",
        "2023-12-23",
        '"The last 50 of the 1,500 French soldiers previously stationed in Niger left" on 22 Dec 2023',
    ),
    N(
        "FRA",
        "BFA",
        400,
        "approx",
        "2023-01",
        "present",
        "Reuters (via Boursier)",
        "https://www.boursier.com/actualites/reuters/fin-officielle-des-operations-des-troupes-francaises-au-burkina-faso-319468.html",
        "2023-02-19",
        '"environ 400 membres des forces spéciales" at Kamboinsin near Ouagadougou (Task Force Sabre)',
    ),
    N(
        "FRA",
        "BFA",
        0,
        "exact",
        "2023-02-18",
        "withdrawn",
        "Burkina Faso army general staff (via Reuters)",
        "https://www.boursier.com/actualites/reuters/fin-officielle-des-operations-des-troupes-francaises-au-burkina-faso-319468.html",
        "2023-02-19",
        "flag-lowering ceremony marking the official end of Task Force Sabre operations; logistics "
        "teams stayed briefly to remove equipment",
    ),
    N(
        "FRA",
        "TCD",
        1000,
        "approx",
        "2024-11",
        "present",
        "TASS",
        "https://tass.com/world/1907057",
        "2025-01-31",
        '"Until recently, there have been around 1,000 French troops in the three bases in Chad"; Chad ended '
        "the defence agreement in late November 2024",
    ),
    N(
        "FRA",
        "TCD",
        0,
        "exact",
        "2025-01-30",
        "withdrawn",
        "Chadian army (via Mehr News / Xinhua)",
        "https://en.mehrnews.com/news/227643/Chad-announces-full-pullout-of-French-troops",
        "2025-01-30",
        "\"The handover of the Sergent Adji Kossei Base in N'djamena definitively closes the presence of French "
        'forces in Chad"',
    ),
    N(
        "FRA",
        "CIV",
        1000,
        "approx",
        "2024-12",
        "present",
        "Le Monde (AFP)",
        "",
        "2025-02-20",
        '"About 1,000 French soldiers were deployed in Port-Bouet"; President Ouattara spoke of about 600 '
        "(sources disagree)",
    ),
    N(
        "FRA",
        "CIV",
        80,
        "range",
        "2025-02-20",
        "present",
        "Africanews; Le Monde (AFP)",
        "https://fr.africanews.com/2025/02/07/cote-divoire-la-base-militaire-francaise-retrocedee-le-20-fevrier",
        "2025-02-07",
        "43rd BIMA camp at Port-Bouet handed to Côte d'Ivoire on 20 Feb 2025; \"environ 82 "
        'soldats" (Africanews) or "about 100" (Le Monde) to remain for training',
        troops_max=100,
    ),
    N(
        "FRA",
        "SEN",
        0,
        "exact",
        "2025-07-17",
        "withdrawn",
        "TRT World (AFP)",
        "https://trt.global/world/article/254556f9b5aa",
        "2025-07-17",
        'last two bases (Camp Geille, Dakar airport airfield) handed back; "Around 350 French soldiers" leaving',
    ),
    N(
        "FRA",
        "CAF",
        0,
        "exact",
        "2016-10-31",
        "withdrawn",
        "Destimed (FranceInfo)",
        "https://destimed.fr/?p=60078",
        "2016-10-31",
        "Le Drian proclaimed the end of Operation Sangaris in Bangui; about 350 French military stayed, about "
        "100 of them in MINUSCA (RFI)",
        mission="Operation Sangaris",
    ),
    # --- Russia elsewhere ---
    N(
        "RUS",
        "SYR",
        None,
        "unknown",
        "2015-09-30",
        "present",
        "TASS",
        "https://tass.com/defense/980238",
        "2017-09-30",
        "Russian Aerospace Forces operation launched on 30 Sept 2015 from Hmeimim",
        location="Hmeimim Air Base",
        lat="35.4011",
        lon="35.9487",
    ),
    N(
        "RUS",
        "SYR",
        None,
        "unknown",
        "2017-01-18",
        "present",
        "Associated Press",
        "http://hosted.ap.org/dynamic/stories/E/EU_RUSSIA_SYRIA?SITE=ALMON&SECTION=HOME&TEMPLATE=DEFAULT",
        "2017-01-20",
        "49-year agreement signed 18 Jan 2017 to expand the naval facility (up to 11 warships); "
        "facility used by Moscow since the Soviet era",
        location="Tartus naval facility",
        lat="34.8890",
        lon="35.8866",
    ),
    N(
        "RUS",
        "CAF",
        175,
        "exact",
        "2018-08-03",
        "present",
        "Sputnik Italia (Russian MFA, Zakharova)",
        "https://it.sputniknews.com/politica/201808036321375-Russia-giornalisti-uccisi-Repubblica-Centrafricana-media-disinformazione-Occidente/",
        "2018-08-03",
        '"175 istruttori russi, tra cui 5 soldati e 170 civili"; widely reported as Wagner Group-linked',
        mission=RUS_CAF,
    ),
    N(
        "RUS",
        "CAF",
        1135,
        "exact",
        "2021-10-06",
        "present",
        "Sputnik (via UrduPoint), OUIS director Ivanov",
        "https://www.urdupoint.com/en/world/total-of-1135-russian-military-instructors-c-1368817.html",
        "2021-10-06",
        '"A total of 1,135 military instructors from Russia"; Russia added 300 in Dec 2020',
        mission=RUS_CAF,
    ),
    N(
        "RUS",
        "CAF",
        1345,
        "exact",
        "2022-09-01",
        "present",
        "Vanguard (Nigeria)",
        "https://www.vanguardngr.com/2022/09/the-first-group-of-210-russian-instructors-arrived-in-the-car/",
        "2022-09-01",
        '210 more arrived, "the total number of Russian instructors in the CAR is 1,345"',
        mission=RUS_CAF,
    ),
    N(
        "RUS",
        "CAF",
        4135,
        "at_most",
        "2022-09-01",
        "announced",
        "Vanguard (Nigeria)",
        "https://www.vanguardngr.com/2022/09/the-first-group-of-210-russian-instructors-arrived-in-the-car/",
        "2022-09-01",
        'CAR notified the UN of plans to add 3,000; total "will ... reach 4 135"',
        mission=RUS_CAF,
    ),
    N(
        "RUS",
        "LBY",
        800,
        "range",
        "2020-04",
        "present",
        "UN Panel of Experts on Libya (via Reuters/Al Jazeera)",
        "https://www.aljazeera.com/news/2020/05/russian-military-group-deployed-1200-people-libya-report-200507113646940.html",
        "2020-05-07",
        'Wagner Group: "the maximum number ... to be no more than 800 to 1,200"; not '
        "independently verified; private military company",
        mission="Wagner Group",
        troops_max=1200,
    ),
    N(
        "RUS",
        "BFA",
        100,
        "approx",
        "2024-01-24",
        "present",
        "Reuters (via TRT World)",
        "https://www.trtworld.com/article/16778978",
        "2024-01-25",
        'Africa Corps: "a group of 100 servicemen" flew to Ouagadougou',
        mission="Africa Corps",
    ),
    N(
        "RUS",
        "BFA",
        300,
        "approx",
        "2024-02",
        "announced",
        "Reuters (via TRT World)",
        "https://www.trtworld.com/article/16778978",
        "2024-01-25",
        '"A further 200 would be deployed in the near future" (total ~300)',
        mission="Africa Corps",
    ),
    N(
        "RUS",
        "NER",
        None,
        "unknown",
        "2024-04-10",
        "present",
        "AFP (via UrduPoint)",
        "https://www.urdupoint.com/en/world/russian-air-defence-system-trainers-arrive-i-1814334.html",
        "2024-04-12",
        "Russian MoD instructors with an air-defence system arrived in Niamey; number not given",
        mission="Africa Corps",
    ),
    N(
        "RUS",
        "AZE",
        1960,
        "exact",
        "2020-11-10",
        "present",
        "TASS",
        "https://tass.com/politics/1776731",
        "2024-04-17",
        'trilateral statement of 9/10 Nov 2020: "1,960 troops armed with light weapons"',
        mission="Russian peacekeeping contingent",
        location="Nagorno-Karabakh",
    ),
    N(
        "RUS",
        "AZE",
        0,
        "exact",
        "2024-06-12",
        "withdrawn",
        "Kyiv Independent (Azerbaijan defence ministry)",
        "https://kyivindependent.com/russian-peacekeepers-leave-karabakh",
        "2024-06",
        '"The personnel, weapons, and equipment of the peacekeeping contingent have completely left our '
        'territory"; withdrawal began in April 2024',
        mission="Russian peacekeeping contingent",
        location="Nagorno-Karabakh",
    ),
    N(
        "RUS",
        "TJK",
        7000,
        "approx",
        "2019-05-28",
        "present",
        "Asia-Plus",
        "https://asiaplus.news/en/news/tajikistan/security/20190528/russian-defense-minister-arrives-in-dushanbe-for-talks",
        "2019-05-28",
        '"some 7,000 Russian troops" at the 201st military base (Dushanbe and Bokhtar)',
        mission="201st Military Base",
    ),
    N(
        "RUS",
        "ARM",
        4000,
        "approx",
        "2021",
        "present",
        "UAWire",
        "https://www.uawire.org/russia-expands-its-military-base-in-armenia",
        "2021",
        '102nd military base (Gyumri and Yerevan garrisons): "about 4,000 people"; Caucasian Knot gave 3,083 '
        "staff in an earlier year (sources disagree)",
        mission="102nd Military Base",
    ),
    N(
        "RUS",
        "MDA",
        1500,
        "range",
        "2022-03-04",
        "present",
        "Balkan Insight (as quoted)",
        "https://russoukrainewarrr.blogspot.com/2022/03/moldova-concerned-about-possible-attack.html",
        "2022-03-04",
        '"Russia stations about 1,500 to 2,000 soldiers in the breakaway Moldovan region of '
        'Transnistria" (Operational Group plus peacekeepers)',
        location="Transnistria",
        troops_max=2000,
    ),
    N(
        "RUS",
        "BLR",
        30000,
        "approx",
        "2022-02-03",
        "present",
        "Politico Europe (NATO Secretary General)",
        "https://www.politico.eu/article/russia-nato-belarus-stoltenberg-military-buildup-ukraine/",
        "2022-02-03",
        'Stoltenberg: "an expected 30,000 combat troops" moving into Belarus, the biggest deployment since the '
        "Cold War (ahead of the Allied Resolve exercise)",
    ),
    N(
        "RUS",
        "UKR",
        None,
        "unknown",
        "2022-02-24",
        "present",
        "Reuters",
        "",
        "2022-02-24",
        "start of Russia's full-scale invasion of Ukraine",
    ),
    N(
        "RUS",
        "UKR",
        617000,
        "exact",
        "2023-12-14",
        "present",
        "IANS (Putin year-end press conference)",
        "https://www.latestly.com/world/russia-ukraine-war-vladimir-putin-says-617000-russian-troops-are-currently-fighting-in-ukraine-offering-rare-detail-5629782.html",
        "2023-12-14",
        'Putin: 617,000 in the "zone of the special military operation" (a claim; zone includes '
        "occupied areas and possibly adjacent Russian regions)",
    ),
    N(
        "PRK",
        "RUS",
        10000,
        "approx",
        "2024-10-28",
        "present",
        "AFP (via LBC), Pentagon",
        "https://www.lbcgroup.tv/news/world-news/810384/north-korea-has-sent-10000-troops-to-train-in-russia-pentagon/en",
        "2024-10-28",
        '"around 10,000 soldiers in total to train in eastern Russia", some moving toward Kursk; '
        "the previous US estimate was 3,000",
    ),
    N(
        "PRK",
        "RUS",
        12000,
        "at_most",
        "2024-11",
        "announced",
        "Tribune South Africa (AFP)",
        "https://tribunesouthafrica.com/north-korean-troops-deployed-to-eastern-russia-for-training-us-says",
        "2024-10-28",
        'Zelensky warned Pyongyang "may soon have as many as 12,000 soldiers on Russian soil"',
    ),
    # --- Turkey ---
    N(
        "TUR",
        "QAT",
        3000,
        "approx",
        "2015-12-16",
        "announced",
        "Reuters",
        "http://in.reuters.com/article/qatar-turkey-military-idINL8N1444TX20151216",
        "2015-12-16",
        'ambassador Ahmet Demirok: "3,000 ground troops would be stationed at the base"',
    ),
    N(
        "TUR",
        "QAT",
        90,
        "approx",
        "2017-06-19",
        "present",
        "Reuters",
        "http://uk.reuters.com/article/gulf-qatar-turkey-idUKL8N1JG17T",
        "2017-06-19",
        '"Turkey has a military base in Qatar that currently houses about 90 Turkish soldiers"',
    ),
    N(
        "TUR",
        "QAT",
        113,
        "approx",
        "2017-06-22",
        "present",
        "Turkish Minute (Hurriyet, Turkish General Staff)",
        "https://www.turkishminute.com/2017/06/22/more-turkish-troops-leave-for-qatar-amid-gulf-crisis/amp/",
        "2017-06-22",
        '23 more soldiers and 5 armoured vehicles arrived; total "will rise to 113"',
    ),
    N(
        "TUR",
        "LBY",
        None,
        "unknown",
        "2020-01-02",
        "announced",
        "Devdiscourse (Reuters)",
        "https://www.devdiscourse.com/article/international/815399-turkish-lawmakers-authorize-sending-troops-to-fight-in-libya",
        "2020-01-02",
        "parliament authorised a troop deployment (one-year mandate); '325-184' is the vote, not a troop number",
    ),
    N(
        "TUR",
        "SOM",
        200,
        "approx",
        "2017-09-30",
        "present",
        "TRT World (AA)",
        "https://www.trtworld.com/article/13095768",
        "2017-09-30",
        'TURKSOM training base opened in Mogadishu; "About 200 Turkish officers will be deployed"',
    ),
    # --- China ---
    N(
        "CHN",
        "DJI",
        None,
        "unknown",
        "2017-08-01",
        "present",
        "Global Times (Xinhua)",
        "http://www.globaltimes.cn/content/1059192.shtml",
        "2017-08-02",
        "ceremony marking the entry of troops into the PLA support base (established 11 July 2017). The "
        "'up to 10,000' often cited is a reported ceiling, not a troop count",
        location="PLA Support Base",
    ),
    # --- Gulf ---
    N(
        "SAU",
        "BHR",
        1000,
        "approx",
        "2011-03-14",
        "present",
        "Reuters (via RNZ)",
        "http://www.radionz.co.nz/news/world/70571/saudi-arabia-sends-troops-to-bahrain",
        "2011-03-15",
        '"About 1000 Saudi soldiers entered Bahrain"; the UAE sent about 500 police (not counted here)',
        mission="Peninsula Shield Force",
    ),
    N(
        "ARE",
        "YEM",
        None,
        "unknown",
        "2019-07-08",
        "announced",
        "AFP (via NewsOne)",
        "https://www.newsone.news/2019/07/uae-approves-withdrawal-of-some-troops.html",
        "2019-07-08",
        'UAE official: "a reduction in troop numbers" in Yemen; small counter-terrorism units stayed',
    ),
    N(
        "ARE",
        "YEM",
        0,
        "exact",
        "2026-01-02",
        "withdrawn",
        "AFP (via LBC)",
        "https://www.lbcgroup.tv/news/middleeastnews/897604/uae-confirms-its-last-forces-have-left-yemen-statement/en",
        "2026-01-02",
        '"The United Arab Emirates confirmed its last troops had left Yemen"',
    ),
    # --- India ---
    N(
        "IND",
        "MDV",
        75,
        "at_least",
        "2024-02-08",
        "present",
        "Associated Press (via Local News 8)",
        "https://localnews8.com/news/ap-national/2024/02/08/india-to-replace-military-personnel-in-maldives-with-civilians-after-president-demanded-they-leave/",
        "2024-02-08",
        '"At least 75 Indian military personnel are believed to be in Maldives" (aircraft crews)',
    ),
    N(
        "IND",
        "MDV",
        0,
        "exact",
        "2024-05-10",
        "withdrawn",
        "India TV (Maldives FM Moosa Zameer)",
        "https://www.indiatvnews.com/news/world/indian-troops-replaced-by-civilians-in-maldives-to-operate-india-gifted-aviation-platforms-updates-2024-05-11-930824",
        "2024-05-11",
        '"At least 76 Indian troops" replaced by HAL civilians ahead of the 10 May deadline',
    ),
    # --- Africa: Rwanda, Somalia ---
    N(
        "RWA",
        "MOZ",
        1000,
        "exact",
        "2021-07-09",
        "present",
        "Channels TV (Government of Rwanda)",
        "https://www.channelstv.com/2021/07/09/rwanda-sends-1000-troops-to-insurgency-hit-mozambique/",
        "2021-07-09",
        '"1,000-person contingent" of Rwanda Defence Force AND Rwanda National Police, Cabo Delgado',
    ),
    N(
        "RWA",
        "MOZ",
        2500,
        "at_least",
        "2022-11-30",
        "present",
        "The New Times (President Kagame)",
        "http://newtimes.co.rw/article/3163/news/africa/rwanda-sends-more-troops-to-mozambique/amp",
        "2022-11-30",
        'Kagame: Rwandan troops in Cabo Delgado "have reached more than 2,500"',
    ),
    N(
        "RWA",
        "CAF",
        None,
        "unknown",
        "2020-12",
        "present",
        "Channels TV (Government of Rwanda)",
        "https://www.channelstv.com/2021/07/09/rwanda-sends-1000-troops-to-insurgency-hit-mozambique/",
        "2021-07-09",
        'Rwanda "last year sent hundreds of troops" to CAR on a bilateral basis (no number)',
    ),
    N(
        "KEN",
        "SOM",
        None,
        "unknown",
        "2011-10-16",
        "present",
        "Newser (AP, BBC)",
        "https://img2-azcdn.newser.com/story/131195/kenyan-troops-invade-somalia.html",
        "2011-10-17",
        'Kenyan troops crossed into Somalia ("hundreds of soldiers", no number)',
        mission="Operation Linda Nchi",
    ),
    N(
        "KEN",
        "SOM",
        None,
        "unknown",
        "2012-05-31",
        "withdrawn",
        "Wikipedia (Operation Linda Nchi)",
        "https://en.wikipedia.org/wiki/Operation_Linda_Nchi",
        "",
        "operation ended 31 May 2012; the Kenyan forces joined AMISOM (see AMISOM rows)",
        mission="Operation Linda Nchi",
    ),
    N(
        "KEN",
        "SOM",
        3664,
        "exact",
        "2020-09",
        "present",
        "AMISOM (via US Army War College PKSOI)",
        "https://pksoi.armywarcollege.edu/index.php/amisom-strenght/",
        "2020-09-21",
        '"There are 3,664 troops from Kenya located in Sector 2" (Kismayo)',
        mission="AMISOM",
    ),
    N(
        "UGA",
        "SOM",
        6223,
        "exact",
        "2020-09",
        "present",
        "AMISOM (via US Army War College PKSOI)",
        "https://pksoi.armywarcollege.edu/index.php/amisom-strenght/",
        "2020-09-21",
        '"the largest contingent in AMISOM with 6,223 troops" (Sector 1, Mogadishu)',
        mission="AMISOM",
    ),
    N(
        "BDI",
        "SOM",
        5432,
        "exact",
        "2020-09",
        "present",
        "AMISOM (via US Army War College PKSOI)",
        "https://pksoi.armywarcollege.edu/index.php/amisom-strenght/",
        "2020-09-21",
        '"The Burundi contingent is the second largest within AMISOM with 5,432 troops" (Baidoa)',
        mission="AMISOM",
    ),
    N(
        "ETH",
        "SOM",
        4395,
        "exact",
        "2020-09",
        "present",
        "AMISOM (via US Army War College PKSOI)",
        "https://pksoi.armywarcollege.edu/index.php/amisom-strenght/",
        "2020-09-21",
        '"4,395 uniformed personnel located in Sector 3"',
        mission="AMISOM",
    ),
    N(
        "DJI",
        "SOM",
        960,
        "exact",
        "2020-09",
        "present",
        "AMISOM (via US Army War College PKSOI)",
        "https://pksoi.armywarcollege.edu/index.php/amisom-strenght/",
        "2020-09-21",
        '"a contingent of 960 troops" based in Beletweyne (Sector 4)',
        mission="AMISOM",
    ),
    N(
        "ETH",
        "SOM",
        None,
        "unknown",
        "2006-12",
        "present",
        "AFP (via France 24, 2009)",
        "https://www.france24.com/en/20090115-ethiopian-troops-pull-out-mogadishu-",
        "2009-01-15",
        "Ethiopian troops moved into Somalia in late 2006 against the Islamic Courts (no number at entry)",
    ),
    N(
        "ETH",
        "SOM",
        3000,
        "approx",
        "2009-01-15",
        "present",
        "AFP (via France 24)",
        "https://www.france24.com/en/20090115-ethiopian-troops-pull-out-mogadishu-",
        "2009-01-15",
        '"There were until recently about 3,000 Ethiopian troops in Somalia"; last convoy left Mogadishu',
    ),
    N(
        "ETH",
        "SOM",
        0,
        "exact",
        "2009-01-25",
        "withdrawn",
        "AFP (via Ethiofact)",
        "https://ethiofact.com/3673/somalia-7/",
        "2009-01-25",
        'minister Bereket Simon: "The Ethiopian army has ... been fully withdrawn" (re-entered later, and joined '
        "AMISOM in 2014)",
    ),
]


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------
TODAY = "2026-11-27"
KINDS = {"exact", "approx", "at_least", "at_most", "range", "unknown"}


PARTIAL_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"


def _code_ok(code: str, pycountry) -> bool:
    """An ISO 3166-1 alpha-3 code (Kosovo's XKX too); without pycountry, three capitals."""
    if code == "XKX":
        return True
    return bool(pycountry.countries.get(alpha_3=code) if pycountry else re.fullmatch(r"[A-Z]{3}", code))


def _count_errors(r: dict) -> list[str]:
    """troops, troops_max and count_kind agree: empty troops iff unknown, a range has a maximum above it."""
    t, tm, kind = r["troops"], r["troops_max"], r["count_kind"]
    errs = []
    if kind not in KINDS:
        errs.append(f"count_kind {kind!r}")
    if t and not re.fullmatch(r"\d+", t):
        errs.append(f"troops {t!r}")
    if (t == "") != (kind == "unknown"):
        errs.append("empty troops iff unknown")
    if tm and (kind != "range" or not t or int(tm) < int(t)):
        errs.append("troops_max")
    if kind == "range" and not tm:
        errs.append("range without troops_max")
    return errs


def _status_errors(r: dict) -> list[str]:
    if r["status"] not in {"present", "announced", "withdrawn"}:
        return ["status"]
    if r["status"] == "withdrawn" and r["troops"] not in ("", "0"):
        return ["withdrawn with troops"]
    return []


def _date_errors(r: dict) -> list[str]:
    """A real year, month or day, not in the future unless announced, and date_precision to match."""
    d = r["date"]
    errs = []
    if not re.fullmatch(PARTIAL_DATE, d):
        errs.append(f"date {d!r}")
    else:
        parts = [int(x) for x in d.split("-")] + [1, 1]
        try:
            dt.date(parts[0], parts[1], parts[2])
        except ValueError:
            errs.append("impossible date")
        if d > TODAY[: len(d)] and r["status"] != "announced":
            errs.append("future date")
    if r["date_precision"] != {4: "year", 7: "month", 10: "day"}.get(len(d)):
        errs.append("date_precision")
    return errs


def _source_and_place_errors(r: dict) -> list[str]:
    errs = []
    if not r["source_name"].strip():
        errs.append("no source_name")
    if r["source_url"] and not r["source_url"].startswith(("http://", "https://")):
        errs.append("source_url")
    if r["source_date"] and not re.fullmatch(PARTIAL_DATE, r["source_date"]):
        errs.append("source_date")
    for c, limit in (("lat", 90), ("lon", 180)):
        if r[c] and abs(float(r[c])) > limit:
            errs.append(c)
    return errs


def validate(rows: list[dict]) -> list[str]:
    """Every problem of every row, each as 'line N (DEP->HOST date): what', then duplicate rows."""
    try:
        import pycountry
    except ImportError:  # the project venv has it; fall back to a shape check
        pycountry = None
    errs = []
    seen = Counter()
    for i, r in enumerate(rows, start=2):
        where = f"line {i} ({r['deployer']}->{r['host']} {r['date']})"
        problems = [f"bad ISO3 {code!r}" for code in (r["deployer"], r["host"]) if not _code_ok(code, pycountry)]
        if r["deployer"] == r["host"]:
            problems.append("deployer == host")
        problems += _count_errors(r) + _status_errors(r) + _date_errors(r) + _source_and_place_errors(r)
        errs += [f"{where}: {p}" for p in problems]
        seen[(r["deployer"], r["host"], r["date"], r["troops"], r["source_name"])] += 1
    errs += [f"duplicate row {k}" for k, n in seen.items() if n > 1]
    return errs


def recheck_dmdc(rows: list[dict], datasets: Path) -> tuple[int, list[str]]:
    """Every DMDC row must equal the report line's active-duty figure (and say so when the long file differs)."""
    reports = list(csv.DictReader(open(datasets / "troopdata_rebuild_reports.csv", encoding="utf-8")))
    long = list(csv.DictReader(open(datasets / "troopdata_rebuild_long.csv", encoding="utf-8")))
    name_of = {iso: name for iso, name, _, _ in DMDC_PICKS}
    rep = {(r["countryname"], r["year"], r["month"]): r for r in reports}
    lng = {(r["countryname"], r["year"], r["month"]): r for r in long}
    n, errs = 0, []
    for r in rows:
        if not r["source_name"].startswith("DMDC"):
            continue
        y, m = r["date"].split("-")
        key = (name_of[r["host"]], y, _month_name(int(m)))
        line = rep.get(key)
        if line is None or line["troops_ad"] != r["troops"]:
            errs.append(f"DMDC mismatch {key}: csv {r['troops']} vs reports {line and line['troops_ad']}")
        lr = lng.get(key)
        if lr is not None and lr["troops_ad"] != r["troops"] and "troopdata_rebuild_long" not in r["notes"]:
            errs.append(f"DMDC {key}: long file differs but notes do not say so")
        n += 1
    return n, errs


def recheck_mdi(rows: list[dict], datasets: Path) -> tuple[int, list[str]]:
    data = list(csv.DictReader(open(datasets / "mdi_iiss_deployments_2014_2021.csv", encoding="utf-8")))
    theatres = defaultdict(list)
    for t, iso in HOST_OF_THEATRE.items():
        theatres[iso].append(t)
    vals = defaultdict(set)
    for d in data:
        vals[(d["Theatre"], d["Country"], d["Year"])].add(d["Deployed"])
    n, errs = 0, []
    for r in rows:
        if "(via MDI)" not in r["source_name"]:
            continue
        ok = any(r["troops"] in vals.get((t, r["deployer"], r["date"]), ()) for t in theatres[r["host"]])
        if not ok:
            errs.append(f"MDI mismatch {r['deployer']}->{r['host']} {r['date']} {r['troops']}")
        n += 1
    return n, errs


def build(datasets: Path) -> list[dict]:
    a, pa = dmdc_rows(datasets)
    b, pb = mdi_rows(datasets)
    problems = pa + pb
    if problems:
        sys.exit("selection problems:\n" + "\n".join(problems))
    rows = a + b + NEWS_ROWS
    rows.sort(key=lambda r: (r["deployer"], r["host"], r["mission"], r["location"], r["date"], r["status"]))
    return rows


def summary(rows: list[dict]) -> str:
    kinds = Counter(
        "DMDC"
        if r["source_name"].startswith("DMDC")
        else "IISS/MDI"
        if "(via MDI)" in r["source_name"]
        else "news/official"
        for r in rows
    )
    dates = sorted(r["date"] for r in rows)
    return (
        f"rows={len(rows)} deployers={len({r['deployer'] for r in rows})} "
        f"hosts={len({r['host'] for r in rows})} dates={dates[0]}..{dates[-1]} by_source={dict(kinds)} "
        f"status={dict(Counter(r['status'] for r in rows))}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    ap.add_argument("--check", action="store_true", help="validate the committed CSV instead of writing it")
    args = ap.parse_args()
    if args.check:
        with open(OUT, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames != HEADER:
                sys.exit(f"bad header: {reader.fieldnames}")
            rows = list(reader)
    else:
        rows = build(args.datasets)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        with open(OUT, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    errs = validate(rows)
    n_dmdc, e1 = recheck_dmdc(rows, args.datasets)
    n_mdi, e2 = recheck_mdi(rows, args.datasets)
    errs += e1 + e2
    print(summary(rows))
    print(
        f"re-checked: {n_dmdc} DMDC rows against troopdata_rebuild_reports.csv/_long.csv, "
        f"{n_mdi} IISS rows against mdi_iiss_deployments_2014_2021.csv"
    )
    if errs:
        print("\n".join(errs))
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
