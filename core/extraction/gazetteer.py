"""Which words in news text name a country: names, adjectives, demonyms, capitals, cities, institutions.

Country names and aliases come from the registry (core.countries); the tables below add what the
registry cannot know: how journalists refer to a country ("Turkish", "Moscow", "the Pentagon") and
where the places in conflict reporting lie ("Caracas", "Cabo Delgado", "Incirlik"). Multinational
bodies are listed too, so that "CSTO peacekeepers" is recognised as a non-country actor instead of
being credited to whichever country is mentioned nearby.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from core import countries

# ISO3: adjectives and demonyms, "|"-separated. Plural demonyms matter ("Poles welcomed ...").
DEMONYMS = """
AFG Afghan|Afghans|Afghani; ALB Albanian|Albanians; DZA Algerian|Algerians; AND Andorran; AGO Angolan|
Angolans; ATG Antiguan; ARG Argentine|Argentinian|Argentinean|Argentines; ARM Armenian|Armenians;
AUS Australian|Australians|Aussie; AUT Austrian|Austrians; AZE Azerbaijani|Azeri|Azerbaijanis|Azeris;
BHS Bahamian; BHR Bahraini|Bahrainis; BGD Bangladeshi|Bangladeshis; BRB Barbadian; BLR Belarusian|
Belarussian|Belarusians; BEL Belgian|Belgians; BLZ Belizean; BEN Beninese|Beninois; BTN Bhutanese;
BOL Bolivian|Bolivians; BIH Bosnian|Bosnians|Herzegovinian; BWA Botswanan|Motswana|Batswana; BRA Brazilian|
Brazilians; BRN Bruneian; BGR Bulgarian|Bulgarians; BFA Burkinabe|Burkinabè|Burkinese; BDI Burundian|
Burundians; CPV Cape Verdean|Cabo Verdean; KHM Cambodian|Cambodians; CMR Cameroonian|Cameroonians;
CAN Canadian|Canadians; CAF Central African|Centrafrican; TCD Chadian|Chadians; CHL Chilean|Chileans;
CHN Chinese; COL Colombian|Colombians; COM Comorian; COD Congolese; CRI Costa Rican; HRV Croatian|Croat|
Croats|Croatians; CUB Cuban|Cubans; CYP Cypriot|Cypriots; CZE Czech|Czechs; DNK Danish|Dane|Danes;
DJI Djiboutian|Djiboutians; DMA Dominican (Dominica); DOM Dominican|Dominicans; ECU Ecuadorian|Ecuadorean;
EGY Egyptian|Egyptians; SLV Salvadoran|Salvadorean; GNQ Equatorial Guinean|Equatoguinean; ERI Eritrean|
Eritreans; EST Estonian|Estonians; SWZ Swazi|Emaswati; ETH Ethiopian|Ethiopians; FJI Fijian|Fijians;
FIN Finnish|Finns; FRA French|Frenchman|Frenchmen; GAB Gabonese; GMB Gambian|Gambians; GEO Georgian|
Georgians; DEU German|Germans; GHA Ghanaian|Ghanaians; GRC Greek|Greeks; GRD Grenadian; GTM Guatemalan|
Guatemalans; GIN Guinean|Guineans; GNB Bissau-Guinean; GUY Guyanese; HTI Haitian|Haitians; HND Honduran|
Hondurans; HUN Hungarian|Hungarians; ISL Icelandic|Icelander; IND Indian|Indians; IDN Indonesian|
Indonesians; IRN Iranian|Iranians|Persian; IRQ Iraqi|Iraqis; IRL Irish; ISR Israeli|Israelis; ITA Italian|
Italians; CIV Ivorian|Ivorians; JAM Jamaican|Jamaicans; JPN Japanese; JOR Jordanian|Jordanians; KAZ Kazakh|
Kazakhstani|Kazakhs; KEN Kenyan|Kenyans; KIR I-Kiribati; XKX Kosovar|Kosovan|Kosovars; KWT Kuwaiti|Kuwaitis;
KGZ Kyrgyz|Kyrgyzstani; LAO Laotian|; LVA Latvian|Latvians; LBN Lebanese; LSO Basotho|Mosotho; LBR Liberian|
Liberians; LBY Libyan|Libyans; LIE Liechtensteiner; LTU Lithuanian|Lithuanians; LUX Luxembourgish|
Luxembourger; MDG Malagasy; MWI Malawian|Malawians; MYS Malaysian|Malaysians; MDV Maldivian; MLI Malian|
Malians; MLT Maltese; MHL Marshallese; MRT Mauritanian|Mauritanians; MUS Mauritian; MEX Mexican|Mexicans;
FSM Micronesian; MDA Moldovan|Moldovans; MCO Monegasque; MNG Mongolian|Mongolians; MNE Montenegrin|
Montenegrins; MAR Moroccan|Moroccans; MOZ Mozambican|Mozambicans; MMR Myanmar|Burmese; NAM Namibian|
Namibians; NRU Nauruan; NPL Nepali|Nepalese; NLD Dutch|Dutchman|Netherlands; NZL New Zealander|;
NIC Nicaraguan|Nicaraguans; NER Nigerien|Nigeriens; NGA Nigerian|Nigerians; PRK North Korean|North Koreans;
MKD Macedonian|North Macedonian; NOR Norwegian|Norwegians; OMN Omani|Omanis; PAK Pakistani|Pakistanis;
PLW Palauan; PSE Palestinian|Palestinians; PAN Panamanian; PNG Papua New Guinean; PRY Paraguayan;
PER Peruvian|Peruvians; PHL Philippine|Filipino|Filipinos; POL Polish|Poles; PRT Portuguese; QAT Qatari|
Qataris; ROU Romanian|Romanians; RUS Russian|Russians; RWA Rwandan|Rwandans|Rwandese; KNA Kittitian;
LCA Saint Lucian; VCT Vincentian; WSM Samoan; SMR Sammarinese; STP Santomean; SAU Saudi|Saudis|
Saudi Arabian; SEN Senegalese; SRB Serbian|Serb|Serbs|Serbians; SYC Seychellois; SLE Sierra Leonean;
SGP Singaporean|Singaporeans; SVK Slovak|Slovakian|Slovaks; SVN Slovenian|Slovene|Slovenes;
SLB Solomon Islander; SOM Somali|Somalian|Somalis; ZAF South African|South Africans; KOR South Korean|
South Koreans|Korean; SSD South Sudanese; ESP Spanish|Spaniard|Spaniards; LKA Sri Lankan|Sri Lankans;
SDN Sudanese; SUR Surinamese; SWE Swedish|Swede|Swedes; CHE Swiss; SYR Syrian|Syrians; TWN Taiwanese;
TJK Tajik|Tajikistani|Tajiks; TZA Tanzanian|Tanzanians; THA Thai|Thais; TLS Timorese|East Timorese;
TGO Togolese; TON Tongan; TTO Trinidadian|Tobagonian; TUN Tunisian|Tunisians; TUR Turkish|Turk|Turks;
TKM Turkmen|Turkmenistani; TUV Tuvaluan; UGA Ugandan|Ugandans; UKR Ukrainian|Ukrainians; ARE Emirati|
Emiratis; GBR British|Briton|Britons|Brit|Brits|English|Scottish|Welsh; USA American|Americans|U.S.|US|USA|
U.S.A.; URY Uruguayan|Uruguayans; UZB Uzbek|Uzbekistani|Uzbeks; VUT Ni-Vanuatu; VEN Venezuelan|Venezuelans;
VNM Vietnamese; YEM Yemeni|Yemenis; ZMB Zambian|Zambians; ZWE Zimbabwean|Zimbabweans; ESH Sahrawi|Saharawi
"""

# Capitals and seats of government: used as actors ("Moscow says", "Washington will send") and as places.
CAPITALS = """
AFG Kabul; ALB Tirana; DZA Algiers; AGO Luanda; ARG Buenos Aires; ARM Yerevan; AUS Canberra; AUT Vienna;
AZE Baku; BHR Manama; BGD Dhaka; BLR Minsk; BEL Brussels; BEN Porto-Novo|Cotonou; BTN Thimphu; BOL La Paz|;
BIH Sarajevo; BWA Gaborone; BRA Brasilia|Brasília; BRN Bandar Seri Begawan; BGR Sofia; BFA Ouagadougou;
BDI Bujumbura|Gitega; KHM Phnom Penh; CMR Yaounde|Yaoundé; CAN Ottawa; CPV ; CAF Bangui; TCD N'Djamena|
Ndjamena; CHL ; CHN Beijing|Peking; COL Bogota|Bogotá; COM Moroni; COD Kinshasa; COG Brazzaville; CRI ;
HRV Zagreb; CUB Havana; CYP Nicosia; CZE Prague; DNK Copenhagen; DJI Djibouti City; DOM Santo Domingo;
ECU Quito; EGY Cairo; SLV San Salvador; GNQ Malabo; ERI Asmara; EST Tallinn; SWZ Mbabane; ETH Addis Ababa;
FJI Suva; FIN Helsinki; FRA Paris; GAB Libreville; GMB Banjul; GEO Tbilisi; DEU Berlin; GHA Accra;
GRC Athens; GTM Guatemala City; GIN Conakry; GNB Bissau; GUY ; HTI Port-au-Prince; HND Tegucigalpa;
HUN Budapest; ISL Reykjavik|Reykjavík; IND New Delhi|Delhi; IDN Jakarta; IRN Tehran|Teheran; IRQ Baghdad;
IRL Dublin; ISR Jerusalem|Tel Aviv; ITA Rome; CIV Yamoussoukro|Abidjan; JAM ; JPN Tokyo; JOR Amman;
KAZ Astana|Nur-Sultan; KEN Nairobi; XKX Pristina|Priština; KWT Kuwait City; KGZ Bishkek; LAO Vientiane;
LVA Riga; LBN Beirut; LSO Maseru; LBR Monrovia; LBY Tripoli; LTU Vilnius; LUX Luxembourg City;
MDG Antananarivo; MWI Lilongwe; MYS Kuala Lumpur; MDV Malé; MLI Bamako; MLT Valletta; MRT Nouakchott;
MUS Port Louis; MEX Mexico City; MDA Chisinau|Chișinău; MNG Ulaanbaatar|Ulan Bator; MNE Podgorica;
MAR Rabat; MOZ Maputo; MMR Naypyidaw|Naypyitaw|Yangon|Rangoon; NAM Windhoek; NPL Kathmandu; NLD Amsterdam|
The Hague; NZL Wellington; NIC Managua; NER Niamey; NGA Abuja; PRK Pyongyang; MKD Skopje; NOR Oslo;
OMN Muscat; PAK Islamabad; PSE Ramallah; PAN Panama City; PNG Port Moresby; PRY Asuncion|Asunción; PER Lima;
PHL Manila; POL Warsaw; PRT Lisbon; QAT Doha; ROU Bucharest; RUS Moscow; RWA Kigali; SAU Riyadh; SEN Dakar;
SRB Belgrade; SLE Freetown; SGP Singapore; SVK Bratislava; SVN Ljubljana; SOM Mogadishu; ZAF Pretoria;
KOR Seoul; SSD Juba; ESP Madrid; LKA Colombo; SDN Khartoum; SUR Paramaribo; SWE Stockholm; CHE Bern|Berne;
SYR Damascus; TWN Taipei; TJK Dushanbe; TZA Dodoma|Dar es Salaam; THA Bangkok; TLS Dili; TGO Lome|Lomé;
TTO Port of Spain; TUN Tunis; TUR Ankara; TKM Ashgabat; UGA Kampala; UKR Kyiv|Kiev; ARE Abu Dhabi;
GBR London; USA Washington|Washington D.C.|Washington DC; URY Montevideo; UZB Tashkent; VEN Caracas;
VNM Hanoi; YEM Sanaa|Sana'a|Aden; ZMB Lusaka; ZWE Harare; ESH Laayoune
"""

# Institutions that stand for their government in news copy.
INSTITUTIONS = """
USA Pentagon|White House|State Department|U.S. Army|US Army|AFRICOM|CENTCOM|EUCOM|INDOPACOM|US Marines|
U.S. Marines; RUS Kremlin|Wagner|Wagner Group|Africa Corps|Russian Federation; CHN People's Liberation Army|
PLA|Zhongnanhai; FRA Elysee|Élysée|Elysée; GBR Downing Street|Whitehall|Ministry of Defence; DEU Bundeswehr;
ISR IDF; TUR TSK; IRN IRGC|Revolutionary Guards|Quds Force
"""

# Cities, regions and bases that conflict and deployment news places troops in (host side only).
PLACES = """
SYR Aleppo|Homs|Hama|Idlib|Raqqa|Deir ez-Zor|Deir el-Zour|Manbij|Afrin|Kobani|Latakia|Tartus|Hmeimim|
Khmeimim|Palmyra|Al-Tanf|Tanf|Qamishli|Hasakah|Daraa|Golan Heights|Golan; IRQ Mosul|Erbil|Irbil|Kirkuk|
Basra|Fallujah|Ramadi|Tikrit|Sulaymaniyah|Ain al-Asad|Al Asad|Taji|Balad|Sinjar|Anbar; AFG Kandahar|Herat|
Mazar-i-Sharif|Helmand|Kunduz|Bagram|Jalalabad|Khost|Ghazni; LBY Benghazi|Sirte|Misrata|Misurata|Tobruk|
Sabha|Al-Watiya|Jufra|Derna; UKR Donetsk|Luhansk|Lugansk|Kharkiv|Kharkov|Mariupol|Odesa|Odessa|Kherson|
Zaporizhzhia|Dnipro|Lviv|Crimea|Sevastopol|Simferopol|Donbas|Donbass|Bakhmut|Avdiivka; GEO Abkhazia|
South Ossetia|Tskhinvali|Sukhumi; MDA Transnistria|Tiraspol; AZE Nagorno-Karabakh|Karabakh|Stepanakert|
Khankendi; ARM Gyumri; BLR Grodno|Hrodna; RUS Kaliningrad|St Petersburg|Saint Petersburg|Rostov|Kursk|
Belgorod|Chechnya; POL Zagan|Żagań|Orzysz|Rzeszow|Rzeszów|Poznan|Poznań|Redzikowo|Krakow|Kraków|Gdansk|
Gdańsk; LTU Rukla|Pabrade|Pabradė|Kaunas|Klaipeda; LVA Adazi|Ādaži; EST Tartu|Narva; ROU Constanta|
Constanța|Mihail Kogalniceanu|Deveselu|Cincu; BGR Novo Selo|Varna|Burgas; HUN Pápa; SVK ; DEU Ramstein|
Grafenwoehr|Grafenwöhr|Vilseck|Stuttgart|Wiesbaden|Spangdahlem|Baumholder|Hohenfels|Landstuhl|Büchel|Buchel|
Kaiserslautern; ITA Vicenza|Aviano|Sigonella|Naples|Sicily|Sardinia; ESP Rota|Morón; BEL Mons|Kleine Brogel;
NLD Volkel; GBR Lakenheath|Mildenhall|Fairford; TUR Incirlik|Kurecik|Istanbul|Izmir; GRC Souda Bay|Crete|
Alexandroupolis|Larissa; CYP Akrotiri|Dhekelia; NOR Vaernes|Værnes|Bardufoss; JPN Okinawa|Yokosuka|Sasebo|
Misawa|Iwakuni|Kadena|Futenma|Henoko|Yokota|; KOR Pyeongtaek|Camp Humphreys|Osan|Kunsan|Busan|Daegu;
PHL Subic|Subic Bay|Mindanao|Marawi|Palawan; AUS Pine Gap; SGP Changi; VNM Cam Ranh; KHM Ream; THA Utapao|
U-Tapao; QAT Al Udeid|Al-Udeid; ARE Al Dhafra|Al-Dhafra; KWT Camp Arifjan|Camp Buehring|Ali Al Salem;
SAU Prince Sultan Air Base|Jeddah; BHR Juffair; DJI Camp Lemonnier|Obock|Tadjourah; SOM Kismayo|Baidoa|
Beledweyne|Baledogle|Puntland|Somaliland|Berbera|Jubaland; KEN Mombasa|Lamu|Manda Bay|Garissa; ETH Tigray|
Mekelle|Amhara; SDN Darfur|El Fasher|Port Sudan|Kordofan; SSD Malakal|Wau; MLI Gao|Kati Camp|Timbuktu|
Tombouctou|Kidal|Menaka|Ménaka|Mopti|Tessalit|Sevare|Sévaré|Segou|Ségou; NER Agadez|Diffa|Tillaberi|
Tillabéri|Arlit|Madama|Ouallam; BFA Djibo|Dori|Fada N'Gourma; TCD Abeche|Abéché|Faya-Largeau|
Lake Chad Basin; NGA Niger Delta|Maiduguri|Borno|Lagos|Kano|Yobe; CMR Maroua|Douala; CAF Bambari|Bria|Bouar|
Berberati; COD Goma|Bunia|Ituri|North Kivu|South Kivu|Kivu|Lubumbashi|Kisangani|Bukavu|Uvira;
MOZ Cabo Delgado|Pemba|Mocimboa da Praia|Mocímboa da Praia|Nampula|Niassa; CIV Bouake|Bouaké; SEN Thies;
GAB Camp de Gaulle; EGY Sinai|Alexandria; ISR Haifa|Negev; PSE Gaza|Gaza Strip|West Bank|Rafah|Khan Younis;
LBN Naqoura|Tyre|Sidon|Bekaa; JOR Muwaffaq Salti|Azraq; YEM Hodeidah|Marib|Taiz|Mukalla|Socotra; OMN Duqm|
Salalah; IRN Isfahan|Natanz|Bandar Abbas; PAK Peshawar|Karachi|Quetta|Lahore|Waziristan|Rawalpindi;
IND Ladakh|Galwan|Kashmir Valley; HTI Cap-Haitien|Cap-Haïtien; VEN Maracaibo|Maracay|La Carlota;
CUB Guantanamo|Guantánamo|Guantanamo Bay; COL Tolemaida|Medellin|Medellín; GRL Thule|Pituffik; ISL Keflavik|
Keflavík; IOT Diego Garcia; GUM ; KAZ Almaty|Alma-Ata|Karaganda; TJK Kulob; KGZ Osh; ARM Gyumri;
SRB Novi Sad; XKX Camp Bondsteel; BIH Mostar|Banja Luka; MKD Krivolak; FRA Toulon|
"""

# Multinational bodies and missions: actors, but not countries.
BODIES = """
NATO|North Atlantic Treaty Organization|UN|U.N.|United Nations|EU|European Union|AU|African Union|SADC|
 Southern African Development Community|ECOWAS|CSTO|Collective Security Treaty Organization|MINUSMA|MONUSCO|
UNIFIL| MINUSCA|UNMISS|AMISOM|ATMIS|KFOR|ISAF|IGAD|EAC|East African Community|G5 Sahel|Arab League|OSCE|
Multinational Security Support|MSS|Wagner PMC|UNDOF|UNFICYP|UNMIK|MINURSO|EUFOR|EUTM|Takuba|Barkhane|Serval|
Sangaris|Operation Inherent Resolve|Coalition|Commonwealth"""

# Regions: a host that is not a country ("to the Middle East") must not fall back to a nearby country.
REGIONS = """
Middle East|Sahel|Gulf region|Europe|Eastern Europe|Western Europe|Central Europe|Africa|West Africa|
East Africa|Central Africa|North Africa|Southern Africa|Horn of Africa|Asia|Central Asia|Southeast Asia|
South Asia|East Asia|Asia-Pacific|Indo-Pacific|Pacific|Latin America|Caribbean|Balkans|Western Balkans|
Baltics|Baltic states|Baltic region|Black Sea region|Black Sea|Mediterranean|Eastern Mediterranean|
Levant|Caucasus|South Caucasus|Arctic|Scandinavia|Korean Peninsula|South China Sea|East China Sea|
Persian Gulf|Gulf of Guinea|Gulf of Aden|Gulf of Oman|Red Sea|Caspian Sea|Arabian Sea|Indian Ocean|
Lake Chad|Lake Chad region|Great Lakes region|Maghreb|Arabian Peninsula|Central America|Kurdistan|
NATO's eastern flank|eastern flank
"""

# Names that contain a country word but are not about the country.
NOT_COUNTRIES = """
Indian Ocean|Washington Post|Washington Times|Moscow Times|George Washington|New Jersey|New Mexico|
 New South Wales|New England|New Guinea|Korean Peninsula|South China Sea|East China Sea|Persian Gulf|
Gulf of Guinea| Gulf of Aden|Gulf of Oman|Horn of Africa|Black Sea|Red Sea|Caspian Sea|Arabian Sea|
Lake Chad|Congo River|Jordan River| Jordan Valley|Paris Agreement|Paris Club|Minsk Agreements|
Minsk agreement|Dominican Sisters|Guinea worm|French fries| Turkish Airlines|Qatar Airways|Panama Canal|
Suez Canal|American Samoa|Indian Army Day|Latin American|South American| North American|Central America|
Central American|Sub-Saharan|Pan-African|Arab|African|European|Asian|Western|Eastern"""

# Short uppercase names that must match case-exactly ("US troops", but never the pronoun "us").
CASE_EXACT = {
    "US",
    "USA",
    "UK",
    "UAE",
    "DRC",
    "CAR",
    "PRC",
    "DPRK",
    "ROK",
    "KSA",
    "PLA",
    "IDF",
    "TSK",
    "IRGC",
    "UN",
    "EU",
    "AU",
    "MSS",
    "EAC",
    "IGAD",
    "SADC",
    "NATO",
    "CSTO",
    "ECOWAS",
    "OSCE",
    "U.S.",
    "U.K.",
    "U.N.",
    "ISAF",
    "KFOR",
    "AFRICOM",
    "CENTCOM",
    "EUCOM",
    "INDOPACOM",
}

EXTRA_NAMES = """
USA United States|United States of America|U.S.|US|USA|U.S.A.|America|the States; GBR UK|U.K.|Britain|
Great Britain| United Kingdom; ARE UAE|United Arab Emirates|Emirates; COD DRC|Democratic Republic of Congo|
Democratic Republic of the Congo| DR Congo|Congo-Kinshasa|Congo; COG Republic of Congo|
Republic of the Congo|Congo-Brazzaville|Congo Republic; CAF CAR|Central African Republic; CHN PRC|
People's Republic of China|Mainland China; PRK DPRK|North Korea; KOR ROK|South Korea|Korea|
Republic of Korea; SAU KSA|Saudi Arabia; NLD Holland|the Netherlands; CZE Czech Republic; TUR Turkey|
Türkiye|Turkiye; CIV Ivory Coast; MMR Burma; SWZ Swaziland; MKD Macedonia; TLS East Timor; CPV Cape Verde;
VAT Vatican; PSE Palestinian territories; RUS Russia; IRN Iran; SYR Syria; FSM Micronesia; BIH Bosnia;
GMB The Gambia; BHS The Bahamas"""


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
    entries: dict[str, Entry] = {}
    exact: dict[str, Entry] = {}

    def add(name: str, iso3: str | None, kind: str, overwrite: bool = False) -> None:
        entry = Entry(iso3, kind, name)
        if name in CASE_EXACT:
            exact[name] = entry
            return
        key = key_of(name)
        if key and (overwrite or key not in entries):
            entries[key] = entry

    for country in countries.all_countries():
        for name in (country.name, country.official_name, *country.aliases):
            if "," in name or "(" in name:
                continue
            add(name, country.iso3, "name")
    for alias, iso3 in countries.ALIASES.items():
        if len(alias) > 3 and "(" not in alias:
            add(alias.title(), iso3, "name")
    for iso3, names in _parse_table(EXTRA_NAMES):
        for n in names:
            add(n, iso3, "name", overwrite=True)
    for table, kind in (
        (DEMONYMS, "adj"),
        (CAPITALS, "capital"),
        (INSTITUTIONS, "institution"),
        (PLACES, "place"),
    ):
        for iso3, names in _parse_table(table):
            for n in names:
                add(
                    n,
                    iso3,
                    "adj" if n in ("U.S.", "US", "USA", "U.S.A.") else kind,
                    overwrite=kind in ("adj", "capital"),
                )
    for n in " ".join(BODIES.split("\n")).split("|"):
        add(n.strip(), None, "body", overwrite=True)
    for n in " ".join(NOT_COUNTRIES.split("\n")).split("|"):
        add(n.strip(), None, "not", overwrite=True)
    for n in " ".join(REGIONS.split("\n")).split("|"):
        if n.strip():
            add(n.strip(), None, "region", overwrite=True)
    firsts = {key.split(" ")[0] for key in entries} | {name.split(" ")[0].casefold() for name in exact}
    return Gazetteer(entries, exact, frozenset(firsts))
