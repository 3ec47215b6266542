"""core.extract: sentence cases for each rule of issue 5, the seed article, the CLI and the dev-set floor."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from core.extract import Draft, extract
from core.validation import validate

REPO = Path(__file__).resolve().parents[2]
DEV = Path(__file__).resolve().parents[2].parent / "shared" / "articles-dev"
NEW = DEV.with_name("articles-new")
SEED = REPO.parent / "shared" / "seed" / "russia-venezuela-2019.txt"


def _find(drafts: list[Draft], deployer: str, host: str, **fields) -> Draft:
    for d in drafts:
        if d.deployer == deployer and d.host == host and all(getattr(d, k) == v for k, v in fields.items()):
            return d
    pairs = [(d.deployer, d.host, d.troops, d.count_kind, d.status, d.date) for d in drafts]
    raise AssertionError(f"no draft {deployer}->{host} {fields}; got {pairs}")


# (sentence, published, deployer, host, expected fields)
CASES = [
    # countries from names, adjectives, demonyms, capitals as actors, cities placed in their country
    ("Turkish soldiers were deployed to northern Syria last week.", "2020-02-10", "TUR", "SYR", {}),
    (
        "Moscow has sent 400 military advisers to Bamako, a Malian official said.",
        None,
        "RUS",
        "MLI",
        {"troops": 400, "location": "Bamako"},
    ),
    (
        "Washington will deploy 2,000 more troops to Jordan, the Pentagon said.",
        None,
        "USA",
        "JOR",
        {"troops": 2000, "status": "announced"},
    ),
    (
        "About 1,200 French troops are stationed in Chad.",
        None,
        "FRA",
        "TCD",
        {"troops": 1200, "count_kind": "approx"},
    ),
    (
        "Rwandan troops arrived in Cabo Delgado on Monday.",
        "2021-07-14",
        "RWA",
        "MOZ",
        {"date": "2021-07-12", "location": "Cabo Delgado"},
    ),
    (
        "The Emirati contingent in Aden was reinforced by a further 300 soldiers.",
        None,
        "ARE",
        "YEM",
        {"troops": 300},
    ),
    # which country sends and which hosts
    (
        "Russia sent two hundred soldiers to the Central African Republic.",
        None,
        "RUS",
        "CAF",
        {"troops": 200, "count_kind": "exact"},
    ),
    (
        "Venezuela hosts roughly 2,000 Cuban military advisers, officials said.",
        None,
        "CUB",
        "VEN",
        {"troops": 2000, "count_kind": "approx"},
    ),
    (
        "India has stationed a thousand soldiers in Bhutan since the standoff.",
        None,
        "IND",
        "BTN",
        {"troops": 1000},
    ),
    (
        "Britain has some 900 troops in Estonia as part of the alliance's forward presence.",
        None,
        "GBR",
        "EST",
        {"troops": 900, "count_kind": "approx"},
    ),
    ("UN peacekeepers from Bangladesh are serving in South Sudan.", None, "BGD", "SSD", {"troops": None}),
    # counts and qualifiers
    (
        "More than 5,000 American troops remain in Iraq.",
        None,
        "USA",
        "IRQ",
        {"troops": 5000, "count_kind": "at_least"},
    ),
    (
        "Over 800 Italian soldiers serve in Lebanon.",
        None,
        "ITA",
        "LBN",
        {"troops": 800, "count_kind": "at_least"},
    ),
    (
        "Japan has dispatched nearly 700 troops to Djibouti.",
        None,
        "JPN",
        "DJI",
        {"troops": 700, "count_kind": "at_most"},
    ),
    (
        "Almost 1,000 Pakistani soldiers are based in Saudi Arabia.",
        None,
        "PAK",
        "SAU",
        {"troops": 1000, "count_kind": "at_most"},
    ),
    (
        "Up to 300 Chinese peacekeepers will be sent to South Sudan.",
        None,
        "CHN",
        "SSD",
        {"troops": 300, "count_kind": "at_most", "status": "announced"},
    ),
    (
        "Around 250 Belgian soldiers are training in Benin.",
        None,
        "BEL",
        "BEN",
        {"troops": 250, "count_kind": "approx"},
    ),
    (
        "Between 300 and 400 Russian mercenaries are operating in Libya.",
        None,
        "RUS",
        "LBY",
        {"troops": 300, "troops_max": 400, "count_kind": "range"},
    ),
    (
        "Nigeria keeps 300-400 troops in Gambia under the regional mission.",
        None,
        "NGA",
        "GMB",
        {"troops": 300, "troops_max": 400, "count_kind": "range"},
    ),
    # numbers that are not troop counts
    ("U.S. lawmakers voted 262-158 to keep troops in Kosovo.", None, "USA", "XKX", {"troops": None}),
    (
        "Polish lawmakers voted 310-95 to send up to 1,000 troops to Latvia.",
        None,
        "POL",
        "LVA",
        {"troops": 1000, "count_kind": "at_most", "status": "announced"},
    ),
    ("China's new base in Djibouti can house up to 5,000 troops.", None, "CHN", "DJI", {"troops": None}),
    (
        "The Netherlands shipped 40 tonnes of equipment to its 450 troops in Lithuania.",
        None,
        "NLD",
        "LTU",
        {"troops": 450},
    ),
    (
        "Thousands of people protested in Almaty against the arrival of Russian troops.",
        None,
        "RUS",
        "KAZ",
        {"troops": None},
    ),
    ("Canada spent $300 million in 2019 on its 540 soldiers in Latvia.", None, "CAN", "LVA", {"troops": 540}),
    # future, conditional and pullouts
    (
        "Germany plans to send 350 soldiers to Lithuania next year.",
        None,
        "DEU",
        "LTU",
        {"troops": 350, "status": "announced"},
    ),
    ("Egypt has pledged to deploy peacekeepers to Somalia.", None, "EGY", "SOM", {"status": "announced"}),
    (
        "Brazilian troops will probably arrive in Haiti in the spring.",
        None,
        "BRA",
        "HTI",
        {"status": "announced"},
    ),
    (
        "The last French soldiers left Niger on Friday.",
        "2023-12-24",
        "FRA",
        "NER",
        {"status": "withdrawn", "date": "2023-12-22"},
    ),
    (
        "The United States pulled its last troops out of Afghanistan in August 2021.",
        None,
        "USA",
        "AFG",
        {"status": "withdrawn", "date": "2021-08"},
    ),
    ("Spain is withdrawing its troops from Iraq.", None, "ESP", "IRQ", {"status": "withdrawn"}),
    # dates against the publication date
    ("Russian troops arrived in Caracas on Saturday.", "2019-03-27", "RUS", "VEN", {"date": "2019-03-23"}),
    (
        "Kenyan police officers landed in Port-au-Prince on June 25, 2024.",
        None,
        "KEN",
        "HTI",
        {"date": "2024-06-25"},
    ),
    (
        "Estonia received 150 Danish soldiers at the end of March.",
        "2019-04-05",
        "DNK",
        "EST",
        {"date": "2019-03", "date_precision": "month"},
    ),
    ("Polish troops entered Lithuania in November.", "2022-02-03", "POL", "LTU", {"date": "2021-11"}),
    (
        "France will withdraw its 1,500 troops from Niger, President Macron announced on Sunday.",
        "2023-09-26",
        "FRA",
        "NER",
        {"status": "announced", "date": "2023-09-24"},
    ),
    # figures the article restates: totals and levels
    (
        "The U.K. will send 1,000 more soldiers to Estonia, bringing its presence there to around 1,900.",
        None,
        "GBR",
        "EST",
        {"troops": 1900, "count_kind": "approx"},
    ),
    (
        "Washington will cut its forces in Spain from about 3,000 to 2,200.",
        None,
        "USA",
        "ESP",
        {"troops": 3000, "count_kind": "approx", "status": "present"},
    ),
    (
        "Washington will cut its forces in Spain from about 3,000 to 2,200.",
        None,
        "USA",
        "ESP",
        {"troops": 2200, "status": "announced"},
    ),
    ("Belarus said Russian troops would stay on its territory after the drills.", None, "RUS", "BLR", {}),
    ("A few hundred Chadian troops arrived in Niger.", None, "TCD", "NER", {"troops": None}),
    # restated and elliptical figures, lists, anaphora
    (
        "The United States keeps roughly 2,500 troops in Iraq and about 900 in Syria.",
        None,
        "USA",
        "SYR",
        {"troops": 900, "count_kind": "approx"},
    ),
    (
        "In neighbouring Iraq, the United States keeps roughly 2,500 troops.",
        None,
        "USA",
        "IRQ",
        {"troops": 2500},
    ),
    (
        "Muizzu pledged to remove the roughly 80 Indian troops stationed in the Maldives.",
        None,
        "IND",
        "MDV",
        {"troops": 80, "status": "present"},
    ),
    ("Belgium, the Netherlands and Norway have troops in Lithuania.", None, "NOR", "LTU", {}),
    ("The 2,000-strong Kenyan contingent in Somalia is part of the AU mission.", None, "KEN", "SOM", {"troops": 2000}),
    (
        "Chinese troops, numbering about 2,000, are deployed in South Sudan.",
        None,
        "CHN",
        "SSD",
        {"troops": 2000, "count_kind": "approx"},
    ),
    (
        "Mozambique received 1,000 troops from Rwanda last week.",
        "2021-08-02",
        "RWA",
        "MOZ",
        {"troops": 1000, "date": "2021-07"},
    ),
    (
        "Trump threatened to pull all 28,500 U.S. troops out of South Korea.",
        None,
        "USA",
        "KOR",
        {"troops": 28500, "status": "announced"},
    ),
    (
        "“We will send 500 troops to Mali,” Chad's president said.",
        None,
        "TCD",
        "MLI",
        {"troops": 500, "status": "announced"},
    ),
    (
        "The Netherlands will send 270 soldiers to Lithuania in January, the Dutch defence ministry said.",
        "2024-05-01",
        "NLD",
        "LTU",
        {"date": "2025-01", "source_name": "Dutch defence ministry"},
    ),
]


@pytest.mark.parametrize(("text", "published", "deployer", "host", "fields"), CASES, ids=[c[0][:48] for c in CASES])
def test_sentence(text, published, deployer, host, fields):
    drafts = extract(text, published)
    _find(drafts, deployer, host, **fields)


@pytest.mark.parametrize(
    "text",
    [
        "In 2014, Russia annexed Crimea from Ukraine.",
        "Twelve Nigerien soldiers were killed in an attack near the Malian border.",
        "The vote passed 325-184 after a long debate in Ankara.",
        "The ship carried 35 tonnes of grain from Odesa to Egypt.",
        "NATO will deploy 4,000 troops to Romania.",
        "The African Union sent 1,000 peacekeepers to Somalia.",
        "The French embassy in Kigali will reopen on Monday.",
        "Russia has massed 100,000 troops near the Ukrainian border.",
        "The Pentagon will send 1,500 more troops to the Middle East amid tensions with Iran.",
        "Washington said it will not send troops to Haiti.",
        "The Kremlin said it had no plans to send troops to Venezuela.",
        "Beijing denied that it is building a naval base in Cambodia.",
        "Iran-aligned militias have wounded dozens of U.S. soldiers in attacks.",
        "",
    ],
)
def test_nothing_to_draft(text):
    assert extract(text, "2024-01-01") == []


def test_police_contingent_is_flagged():
    d = _find(extract("Kenya sent 400 police officers to Haiti."), "KEN", "HTI", troops=400)
    assert "POLICE" in (d.notes or "")


def test_evidence_spans_point_into_the_text():
    text = "Officials said on Tuesday.\nAccording to Reuters, about 3,000 Turkish troops are in Qatar."
    d = _find(extract(text, "2020-05-05"), "TUR", "QAT", troops=3000, count_kind="approx")
    assert d.source_name == "Reuters"
    for name, (start, end, quoted) in d.evidence["spans"].items():
        assert text[start:end] == quoted, name
    assert d.evidence["spans"]["count_kind"][2] == "about"
    assert text[d.evidence["start"] : d.evidence["end"]].strip() == d.evidence["sentence"]


def test_seed_article_done_when():
    if not SEED.exists():
        pytest.skip(f"{SEED} not found: the shared seed article is not beside this checkout")
    drafts = extract(SEED.read_text(encoding="utf-8"), "2019-04-12")
    d = _find(drafts, "RUS", "VEN", troops=100, status="present")
    assert d.count_kind in ("approx", "exact")
    assert (d.date, d.date_precision) == ("2019-03", "month")
    assert d.source_name == "Interfax"
    assert (d.cited_agency, d.location) == ("Interfax", "Caracas")
    assert d.speaker is not None and d.speaker.endswith("Ivan Gil")
    assert (
        "to reinforce the contingent of 100 soldiers deployed in Caracas at the end of March" in d.evidence["sentence"]
    )
    assert d.evidence["spans"]["troops"][2] == "contingent of 100 soldiers"
    follow_up = _find(drafts, "RUS", "VEN", status="announced")
    assert follow_up.troops is None and follow_up.count_kind == "unknown"
    assert follow_up.date is None or follow_up.date <= "2019-04-12"  # "said on Thursday" looks back


def test_report_fields_validate():
    d = _find(extract("Russia sent 100 troops to Venezuela on Monday.", "2019-03-27"), "RUS", "VEN")
    fields = d.to_report_fields(source_name="Example News", source_url="https://example.org/a")
    report = validate(fields, today=dt.date(2026, 11, 27))
    assert not isinstance(report, list), report
    assert (report.troops, report.date, report.source_name) == (100, dt.date(2019, 3, 25), "Example News")
    undated = _find(extract("Russia sent 100 troops to Venezuela."), "RUS", "VEN")
    fields = undated.to_report_fields(source_name="Example News", published=dt.date(2019, 3, 27))
    assert fields["date"] == "2019-03-27" and "publication date" in fields["notes"]
    assert not isinstance(validate(fields, today=dt.date(2026, 11, 27)), list)
    assert json.loads(json.dumps(d.to_dict()))["evidence"]["sentence"]


@pytest.fixture
def _cli(run_cli):
    return lambda *args, stdin: run_cli("extract", *args, stdin=stdin)


def test_cli_reads_stdin_and_prints_drafts(_cli):
    out = _cli(
        "-",
        "--published",
        "2021-07-09",
        stdin="Rwanda said on Friday it will send 1,000 troops to Mozambique.",
    )
    assert out.returncode == 0, out.stderr
    drafts = json.loads(out.stdout)
    assert [(d["deployer"], d["host"], d["troops"], d["status"], d["date"]) for d in drafts] == [
        ("RWA", "MOZ", 1000, "announced", "2021-07-09")
    ]
    assert set(drafts[0]) >= {
        "deployer",
        "host",
        "troops",
        "troops_max",
        "count_kind",
        "date",
        "date_precision",
        "status",
        "location",
        "source_name",
        "confidence",
        "evidence",
    }


def test_cli_empty_array_when_nothing_found(_cli):
    out = _cli("-", stdin="The weather in Paris was mild on Tuesday.")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_cli_file_argument(tmp_path, _cli):
    path = tmp_path / "a.txt"
    path.write_text("Some 2,500 Turkish soldiers are deployed in Somalia.", encoding="utf-8")
    out = _cli(str(path), stdin="")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)[0]["count_kind"] == "approx"
    assert _cli(str(tmp_path / "missing.txt"), stdin="").returncode == 2


def test_dev_set_floor():
    if not (DEV / "labels.csv").exists():
        pytest.skip(f"{DEV} not found: the labelled dev articles are not beside this checkout")
    sys.path.insert(0, str(REPO / "scripts"))
    from score_extractor import score

    result = score(DEV)
    assert result["f1"] >= 0.974, result
    assert result["precision"] >= 1.0, result
    assert result["count_accuracy"] >= 0.99, result  # 22 of 22
    assert result["qualifier_accuracy"] >= 0.99, result  # 9 of 9


def test_new_set_floor():
    """The 44 articles of ../shared/articles-new (issue 14), scored apart from the eight the rules were first
    written on: the floor is what the rules reach (pair F1 0.922, P 0.986, R 0.866, counts 0.88 on 100 rows, qualifiers
    0.964, dates 0.571, 5 spurious counts)."""
    if not (NEW / "labels.csv").exists():
        pytest.skip(f"{NEW} not found: the second set of labelled articles is not beside this checkout")
    sys.path.insert(0, str(REPO / "scripts"))
    from score_extractor import score

    result = score(NEW)
    assert result["f1"] >= 0.922, result
    assert result["recall"] >= 0.866, result
    assert result["precision"] >= 0.986, result
    assert result["count_accuracy"] >= 0.88, result
    assert result["qualifier_accuracy"] >= 0.964, result
    assert result["date_accuracy"] >= 0.571, result
    assert len(result["spurious_counts"]) <= 5, result["spurious_counts"]


# --- issue 14: rules that hold on unseen articles (each sentence written for its rule) -------------------

# (text, pairs that must be drafted as {(deployer, host): troops or None}, pairs or counts that must not be)
UNSEEN_CASES = [
    # "men" inside "government" is no troop noun: a budget cut is not a troop level
    (
        "The French government cut the fuel subsidy from 1,200 to 900, months after its troops left Chad.",
        {},
        {1200, 900},
    ),
    # the words between a number and a troop noun never name countries or speech
    ("Officials from three West African countries said soldiers had crossed into Gambia.", {}, {3}),
    # local forces are not foreign troops, whoever fights them
    (
        "Australian troops secured the airport in Dili while government forces fought up to 600 rebel soldiers.",
        {("AUS", "TLS"): None},
        {600},
    ),
    # people trained are not people sent
    (
        "Indian troops serve in the Maldives, where around 1,500 personnel have been trained in the past decade.",
        {("IND", "MDV"): None},
        {1500},
    ),
    # the size of a unit some soldiers come from is not the number sent
    ("More US soldiers from the 3,500-strong 2nd Brigade will fly to Haiti on Friday.", {("USA", "HTI"): None}, {3500}),
    # parts of a whole: the whole is the level
    ("Some 89 Indian troops are in the Maldives, including 12 medical personnel.", {("IND", "MDV"): 89}, {12}),
    ("The crews include 24 Indian personnel for one helicopter and 25 for the aircraft in the Maldives.", {}, {24, 25}),
    # a share of a multinational unit is not the deployer's own figure
    (
        "German troops make up around half of a 1,500-strong NATO battlegroup stationed in Lithuania.",
        {("DEU", "LTU"): None},
        {1500},
    ),
    # a country left behind is neither deployer nor host
    (
        "Hours after leaving snow-covered Germany, US soldiers were at an air base in Saudi Arabia.",
        {("USA", "SAU"): None},
        {("DEU", "SAU")},
    ),
    (
        "U.S. troops are heading to the Gulf. Hours after leaving snow-covered Germany, soldiers from the 2nd "
        "Regiment were at an air base in Saudi Arabia.",
        {("USA", "SAU"): None},
        {("DEU", "SAU")},
    ),
    # countries that are themselves deployers are not 'the country' the troops are in
    (
        "French troops have left Niger. Hundreds of US military personnel and a number of Italian and German "
        "troops remain in the country.",
        {("USA", "NER"): None, ("ITA", "NER"): None, ("DEU", "NER"): None},
        {("USA", "DEU"), ("USA", "ITA"), ("DEU", "USA"), ("ITA", "USA")},
    ),
    # "leaves" + a lowercase word is no departure; a country whose troops are named is not the host
    (
        "The French exit leaves just hundreds of US military personnel and some Italian troops in Niger.",
        {("USA", "NER"): None, ("ITA", "NER"): None},
        {("USA", "ITA"), ("ITA", "FRA")},
    ),
    # the country whose troops departed is not 'the country' where others stay
    (
        "British and Dutch troops were sent to Iraq. After the British withdrawal, only Dutch troops remain in the "
        "country.",
        {("NLD", "IRQ"): None},
        {("NLD", "GBR")},
    ),
    # a host inside a list, the preposition repeated
    ("US troops were sent to Poland and to Romania.", {("USA", "POL"): None, ("USA", "ROU"): None}, set()),
    (
        "Washington deployed troops to Poland, Lithuania and to Romania.",
        {("USA", "POL"): None, ("USA", "LTU"): None, ("USA", "ROU"): None},
        set(),
    ),
    # allies listed beside a deployer are not deployers; the host is the place "where" the troops are
    (
        "The United States, together with Canada, Germany and Britain, pledged support to Estonia, where 300 US "
        "troops are based.",
        {("USA", "EST"): 300},
        {("CAN", "EST"), ("DEU", "EST"), ("GBR", "EST")},
    ),
    # hosts listed as the subject of "host"
    (
        "Estonia, Latvia and Lithuania host US troops.",
        {("USA", "EST"): None, ("USA", "LVA"): None, ("USA", "LTU"): None},
        set(),
    ),
    # a national force's name deploys for its country; bases and towns of deployments place the host
    ("About 550 Ground Self-Defense Forces personnel will go to Samawah.", {("JPN", "IRQ"): 550}, set()),
    ("About 300 US marines were at a base in Darwin.", {("USA", "AUS"): 300}, set()),
    # "Iraq-bound forces" are bound for Iraq, not Iraq's
    (
        "The last South Korean troops arrived, completing the deployment of the 2,800-strong main body of "
        "Iraq-bound forces.",
        {("KOR", "IRQ"): 2800},
        set(),
    ),
    # a host inside a list of contributors: "alongside officers from A, B and C"
    (
        "Some 400 Kenyan police will serve in Haiti alongside officers from Chad, Benin and Jamaica.",
        {("KEN", "HTI"): 400, ("TCD", "HTI"): None, ("BEN", "HTI"): None, ("JAM", "HTI"): None},
        set(),
    ),
    # a relocation "from X to Y" puts the troops in Y
    ("The United States is moving about 1,000 soldiers from Germany to Romania.", {("USA", "ROU"): 1000}, set()),
    # across two sentences: the deployer named before a region, the host in the next sentence
    (
        "The U.S. military has begun to pull troops out of the Middle East. About 1,000 soldiers who had deployed "
        "to Kuwait in January have left.",
        {("USA", "KWT"): None},
        set(),
    ),
    # the actor a sentence is about carries on, not a partner it trained with
    (
        "The latest contingent of US Marines is going home after training with Australian forces. About 300 "
        "marines were at a base in Darwin today.",
        {("USA", "AUS"): 300},
        set(),
    ),
    # "from the current N": the level today, in a sentence about cutting it; "there" is the host named before
    (
        "The Pentagon has offered options to reduce American troop levels in South Korea. No decision has been made "
        "to reduce the number of U.S. forces stationed there from the current 28,500.",
        {("USA", "KOR"): 28500},
        set(),
    ),
    # troops in "the region" are not in the country named before
    (
        "US troops arrived in Kuwait. About 2,000 more soldiers are expected to leave the region soon.",
        {("USA", "KWT"): None},
        {2000},
    ),
    (
        "U.S. troops arrived in Saudi Arabia. The 240,000 U.S. troops already in the gulf are ready.",
        {("USA", "SAU"): None},
        {240000},
    ),
    # "a force which once numbered 50,000": a level of the force
    (
        "The last 2,000 Cuban troops in Angola will leave today. The expeditionary force, which once numbered "
        "50,000, came to support the government.",
        {("CUB", "AGO"): 50000},
        set(),
    ),
    # the place troops depart from is the deployer's, not the host
    (
        "A team of 190 officers and soldiers departed from northeast China's Dalian for a peacekeeping mission in "
        "Mali.",
        {("CHN", "MLI"): 190},
        {("MLI", "CHN")},
    ),
    # "China's 395-strong fifth peacekeeping force": the country owns the whole phrase
    ("The team is part of China's 395-strong fifth peacekeeping force to Mali.", {("CHN", "MLI"): 395}, set()),
    # hosts named as a list after "countries, including"
    (
        "Russia has sent mercenaries to several African countries, including Libya, Sudan and Mali.",
        {("RUS", "LBY"): None, ("RUS", "SDN"): None, ("RUS", "MLI"): None},
        set(),
    ),
    # "the first 100 of them": the troops of the sentence before, counted
    (
        "Washington is moving 1,000 soldiers to Romania. Officials said the first 100 of them were in the country.",
        {("USA", "ROU"): 100},
        set(),
    ),
    # weapons and aid are not troops
    ("The United States sent 300 Javelin missiles and $100 million in aid to Ukraine.", {}, {("USA", "UKR")}),
    # a number left out as something else (people trained) is no mention of forces either
    (
        "Indian troops serve in the Maldives. Around 800 personnel have been trained in India since 2015.",
        {("IND", "MDV"): None},
        {("MDV", "IND")},
    ),
    # an adjective before a base names its owner; the host is the place the base is in
    ("Japan intends to set up a base near the Dutch base in Samawa.", {("JPN", "IRQ"): None}, {("JPN", "NLD")}),
    # a host named after other troops is theirs; troops near a border are placed in no country
    (
        "The first U.S. forces are expected to land in Poland on Sunday, officials told reporters, as Russia's "
        "military presence near the Belarusian border grows.",
        {("USA", "POL"): None},
        {("RUS", "POL")},
    ),
    (
        "Canadian troops are based in Latvia, while Russian forces gather near the Latvian border.",
        {("CAN", "LVA"): None},
        {("RUS", "LVA")},
    ),
    # "the first 200 of its 1,000 ...": the part and the whole are both figures of the pair
    ("The first 200 of its 1,000 Kenyan police arrived in Haiti.", {("KEN", "HTI"): 200}, set()),
    ("The last 40 of the 900 Dutch soldiers in Mali flew home on Sunday.", {("NLD", "MLI"): 900}, set()),
    # members of an advance team or a contingent are troops; "left for X" is a departure towards X
    ("An advance team of about 30 Japanese staff left for Iraq on Friday.", {("JPN", "IRQ"): 30}, set()),
    ("A contingent of 120 Chinese engineers departed for Mali on Monday.", {("CHN", "MLI"): 120}, set()),
    # ... while a team of experts is not a body of troops
    ("A team of 30 experts from France arrived in Iraq to survey the damage.", {}, {30}),
    # two towns of one host are one host: the figure stays the pair's
    ("Japan will send about 100 troops to either Samawa or Nasiriya.", {("JPN", "IRQ"): 100}, set()),
    # a national force's abbreviation stands for its country
    ("About 100 GSDF troops will go to Iraq.", {("JPN", "IRQ"): 100}, set()),
    # troops "deployed from" a country are its troops, unless the sentence's actor moves them on from there
    (
        "Rwandan peacekeepers arrived in South Sudan. More troops were also expected to be deployed from Ethiopia.",
        {("RWA", "SSD"): None, ("ETH", "SSD"): None},
        set(),
    ),
    ("About 1,000 soldiers will be sent from Rwanda to Mozambique.", {("RWA", "MOZ"): 1000}, set()),
    ("Washington sent 500 troops from Germany to Poland.", {("USA", "POL"): 500}, {("DEU", "POL")}),
    # a country leaving a country needs no troop noun; leaving talks or an agreement is no departure
    (
        "It is the accord under which South Africa withdrew from Namibia, signed in New York.",
        {("ZAF", "NAM"): None},
        set(),
    ),
    ("Russia pulled out of Syria in 2017.", {("RUS", "SYR"): None}, set()),
    ("The US withdrew from Iran nuclear talks.", {}, {("USA", "IRN")}),
    ("The US withdrew from the Paris agreement.", {}, {("USA", "FRA")}),
    # "a five-person advance team": the article belongs to the team, the number is five
    ("A five-person British advance team landed in South Sudan on Friday.", {("GBR", "SSD"): 5}, set()),
    # a spokesperson's employer is not the clause's actor; troops "from other nations" are not the article's
    (
        "British troops have arrived in South Sudan. A spokesperson for the UN mission said a five-person advance "
        "team landed on Friday, joining 990 peacekeepers from other nations.",
        {("GBR", "SSD"): 5},
        {990},
    ),
    # "another 200 are expected": more of the forces the text is about; leaving one's own capital is setting
    # out, not a withdrawal (the figure stays a level)
    (
        "About 400 Kenyan police arrived in Haiti on Tuesday. A team of 10 officers left Nairobi on Saturday and "
        "another 200 are expected to arrive later this week.",
        {("KEN", "HTI"): 200},
        set(),
    ),
    ("Kenyan police arrived in Haiti. Another 200 were injured in the unrest.", {}, {200}),
    # a bare mention of forces takes the article's host only for troops named as a country's own
    (
        "Russian troops are in Syria. Iran and Iraq signed a trade deal a month before the deployment.",
        {("RUS", "SYR"): None},
        {("IRN", "SYR"), ("IRQ", "SYR")},
    ),
    ("Russian troops are in Syria. Turkish troops are there too.", {("RUS", "SYR"): None, ("TUR", "SYR"): None}, set()),
    # "They arrived in Poland": the sentence after an unplaced count places it
    ("Washington deployed 3,000 soldiers on Friday. They arrived in Poland on Monday.", {("USA", "POL"): 3000}, set()),
    ("The Kremlin has sent 2,000 troops. They will be based in Belarus, Minsk said.", {("RUS", "BLR"): 2000}, set()),
    ("Washington deployed 3,000 soldiers on Friday. They said the weather in Poland was fine.", {}, {("USA", "POL")}),
    # "the battlegroup in Estonia, which includes troops from ...": the place the relative clause is about
    (
        "Britain leads the NATO battlegroup in Estonia, which also includes troops from France and Denmark.",
        {("FRA", "EST"): None, ("DNK", "EST"): None},
        set(),
    ),
    ("A 1,000-strong battlegroup of Canadian troops is based in Latvia.", {("CAN", "LVA"): 1000}, set()),
    # troops being trained are the objects of the trainers' deployment, not a deployment of their own
    ("US forces have trained 7,000 Ukrainian soldiers in Germany.", {}, {("UKR", "DEU"), 7000}),
    (
        "The Pentagon said 300 US soldiers will train Ukrainian troops in Poland.",
        {("USA", "POL"): 300},
        {("UKR", "POL")},
    ),
    # a lead that names one side only: the next sentence with forces names the other
    (
        "Hundreds of Italian troops remain in the country. German soldiers are still based in Niger.",
        {("ITA", "NER"): None, ("DEU", "NER"): None},
        set(),
    ),
    (
        "About 1,200 marines began arriving on Monday. Washington has sent troops to Australia every year since 2012.",
        {("USA", "AUS"): 1200},
        set(),
    ),
]


@pytest.mark.parametrize(("text", "wanted", "unwanted"), UNSEEN_CASES)
def test_rules_for_unseen_articles(text, wanted, unwanted):
    drafts = extract(text)
    for (deployer, host), troops in wanted.items():
        if troops is None:
            _find(drafts, deployer, host)
        else:
            _find(drafts, deployer, host, troops=troops)
    for bad in unwanted:
        if isinstance(bad, tuple):
            assert not [d for d in drafts if (d.deployer, d.host) == bad], drafts
        else:
            assert bad not in {d.troops for d in drafts}, [(d.deployer, d.host, d.troops) for d in drafts]


# Distractor numbers (votes, tonnage, money, casualties, capacity, protest sizes, equipment) are never counts.
DISTRACTORS = [
    ("Turkish lawmakers voted 325-184 to send troops to Libya.", ("TUR", "LBY")),
    ("Russia shipped 4,000 tonnes of military equipment to its troops in Syria.", ("RUS", "SYR")),
    ("The base in Djibouti can hold 10,000 Chinese troops.", ("CHN", "DJI")),
    ("The camp in Niger has room for 2,000 American soldiers.", ("USA", "NER")),
    ("Some 20,000 people protested against the presence of US troops in Okinawa, Japan.", ("USA", "JPN")),
    ("About 5,000 protesters rallied against Russian troops in Georgia.", ("RUS", "GEO")),
    ("Some 150 armoured vehicles carrying Saudi troops entered Bahrain.", ("SAU", "BHR")),
    ("French troops in Mali lost 58 soldiers since 2013.", ("FRA", "MLI")),
    ("The US sent $300 million in aid and its troops to Jordan.", ("USA", "JOR")),
]


@pytest.mark.parametrize(("text", "pair"), DISTRACTORS)
def test_distractor_numbers_are_not_counts(text, pair):
    drafts = extract(text)
    found = _find(drafts, *pair)
    assert found.troops is None, (found.troops, found.evidence)


def test_the_month_may_is_no_modal():
    """ "landed on Monday 20 May" happened; only a lower-case "may" puts a deployment ahead."""
    drafts = extract("Kenyan troops landed in Haiti on Monday 20 May.", "2024-05-21")
    assert _find(drafts, "KEN", "HTI").status == "present"
    drafts = extract("Kenyan troops may land in Haiti on Monday.", "2024-05-21")
    assert _find(drafts, "KEN", "HTI").status == "announced"


# --- issue 14, h6: counts of a pair's own forces, levels reached ---------------------------------------------


def _pairs(drafts):
    return {(d.deployer, d.host, d.troops) for d in drafts}


def test_a_country_before_aircraft_is_no_deployer():
    """ "airlifted by U.S. aircraft": the aircraft's owner; the troops stay those the article is about."""
    drafts = extract(
        "Kenyan troops reached Somalia on Monday. About 500 soldiers were airlifted by U.S. aircraft from "
        "Djibouti while 600 soldiers drove overland in convoy with U.S. armed forces stationed in Somalia."
    )
    assert ("KEN", "SOM", 600) in _pairs(drafts)
    assert ("USA", "SOM", 600) not in _pairs(drafts)


def test_forces_named_as_companions_do_not_take_over_the_article():
    """Troops "escorted by Kenyan troops" are not Kenyan: the next sentence's contingent is still Uganda's."""
    drafts = extract(
        "Some 600 Ugandan soldiers arrived in Mogadishu on Monday, escorted by Kenyan troops. "
        "The 600-strong contingent will guard the airport."
    )
    assert ("UGA", "SOM", 600) in _pairs(drafts)
    assert ("KEN", "SOM", 600) not in _pairs(drafts)


@pytest.mark.parametrize(
    ("text", "pair", "troops", "status"),
    [
        (
            "US marines arrived in Darwin, Australia, in April. Marine numbers are expected to reach 2,500 by 2017.",
            ("USA", "AUS"),
            2500,
            "announced",
        ),
        ("US troop levels in Iraq will fall to 3,000 by December.", ("USA", "IRQ"), 3000, "announced"),
        ("The number of French troops in Mali rose to 5,100 last year.", ("FRA", "MLI"), 5100, "present"),
    ],
)
def test_a_level_reached_is_a_count(text, pair, troops, status):
    found = _find(extract(text), *pair, troops=troops)
    assert found.status == status


def test_a_number_of_troops_harmed_is_no_level():
    assert not [d for d in extract("The number of US soldiers killed in Iraq rose to 50.") if d.troops == 50]


def test_a_countrys_people_counted_in_a_sentence_about_forces():
    """ "The 4,395 Ethiopians are a mixture of fresh troops": the demonym is the troop noun, and the deployer."""
    drafts = extract(
        "Ethiopian troops joined the AU force in Somalia. "
        "The 4,395 Ethiopians are a mixture of fresh troops and soldiers already in the country."
    )
    assert ("ETH", "SOM", 4395) in _pairs(drafts)


@pytest.mark.parametrize(
    "text",
    [
        "About 2,000 Kenyans protested in Nairobi against the deployment of troops to Haiti.",
        "Some 300 Americans were evacuated from Sudan as US troops guarded the airport.",
    ],
)
def test_a_countrys_people_are_no_troops_elsewhere(text):
    """People protesting or evacuated are nobody's deployment, whatever forces the sentence names."""
    assert not [d for d in extract(text) if d.troops in (2000, 300)]


@pytest.mark.parametrize(
    ("text", "pair", "low", "high"),
    [
        ("One to two thousand Russian mercenaries are waiting in Libya.", ("RUS", "LBY"), 1000, 2000),
        ("Five to six hundred Turkish soldiers are in Qatar.", ("TUR", "QAT"), 500, 600),
        ("Between 500 and 600 French troops are based in Gabon.", ("FRA", "GAB"), 500, 600),
    ],
)
def test_a_range_with_its_scale_written_once(text, pair, low, high):
    found = _find(extract(text), *pair, troops=low)
    assert (found.count_kind, found.troops_max) == ("range", high)


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Turkish commandos arrived in Qatar on Monday.", ("TUR", "QAT")),
        ("British sailors are stationed in Bahrain.", ("GBR", "BHR")),
    ],
)
def test_every_strong_troop_noun_names_forces_without_a_count(text, pair):
    """The count-less mentions of forces are the troop-noun list (data/troop_nouns.txt) but its weak and
    count-only words, with the unit and base words of data/force_words.txt: a noun added there counts both ways."""
    assert _find(extract(text), *pair).troops is None


def test_police_alone_name_no_foreign_forces():
    """ "police" names forces only beside a count (data/count_only_nouns.txt): alone they are a country's own."""
    assert extract("Kenyan police patrol the streets of Nairobi, near the border with Somalia.") == []


def test_forces_named_by_an_unknown_acronym_are_not_the_running_deployers():
    """ "100 SDF troops": the acronym says whose they are; the Dutch of the sentence before are not."""
    drafts = extract(
        "Dutch troops patrol Samawa in Iraq. The government plans to send about 100 SDF troops to Samawa by December."
    )
    assert ("NLD", "IRQ", 100) not in _pairs(drafts)
    assert ("NLD", "IRQ", None) in _pairs(drafts)


def test_a_multinational_bodys_host_is_the_articles_host():
    """The body's pair is no country pair, but the contributors a later sentence names are in its host."""
    drafts = extract(
        "The multinational NATO battle group in Romania is holding an exercise. "
        "It includes France, which leads it with about 1,000 soldiers."
    )
    assert ("FRA", "ROU", 1000) in _pairs(drafts)


def test_a_bodys_withdrawal_leaves_no_host_behind():
    """Left by the body, the country is no host of the contributors named next."""
    drafts = extract(
        "NATO troops withdrew from Afghanistan in 2021. It includes Germany, which has about 1,000 soldiers."
    )
    assert not [d for d in drafts if d.host == "AFG"]


def test_a_countrys_named_force_is_no_local_defence_force():
    """ "the Air Self-Defense Force troops" are Japan's (gazetteer institution), not the host's own defence force;
    "the Latvian National Defense Force troops" stay Latvia's own."""
    drafts = extract(
        "Japan sent troops to Iraq. Most of the Air Self-Defense Force troops have been deployed in Kuwait."
    )
    assert ("JPN", "KWT", None) in _pairs(drafts)
    drafts = extract("Canadian troops arrived in Latvia as the Latvian National Defense Force troops held drills.")
    assert _pairs(drafts) == {("CAN", "LVA", None)}


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        (
            "Hundreds of Russian mercenaries are in Mali, where the junta has forced the French to leave the nation.",
            ("FRA", "MLI"),
        ),
        ("The new government in Niger ordered the Americans to withdraw.", ("USA", "NER")),
        ("The junta ordered the French to leave Burkina Faso.", ("FRA", "BFA")),
    ],
)
def test_a_countrys_people_sent_away_is_a_withdrawal(text, pair):
    """ "forced the French to leave": the country's forces, named by the people's name alone, withdrawn."""
    assert _find(extract(text), *pair).status == "withdrawn"


def test_people_told_to_leave_a_place_that_is_no_country_is_nothing():
    assert extract("The referee told the French to leave the pitch after the match.") == []
