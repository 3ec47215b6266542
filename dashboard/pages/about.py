"""About page: the methodology in plain words (the rule itself lives in core/presence.py)."""

import streamlit as st

st.title("About Garrison")
st.markdown(
    """
Garrison maps **which country has how many troops in which other country, as of any date, and
according to which sources**. Nothing on the map is typed in directly: every figure is computed
from *reports*.

### What a report is
A report is one dated observation from one source: *Russia* has *about 100* troops in *Venezuela*
(*Caracas*), dated *March 2019*, according to *Interfax* (link, publication date). A report names
a **deployer** (whose forces) and a **host** (where they are), a **count** — exact, about, at least,
up to, a range, or no number at all — a **date** known to the day, month or year, and a **status**:

- **present** — troops are there on that date;
- **withdrawn** — the presence ended on that date (it counts as zero from then on);
- **announced** — a plan or promise; it is listed, never counted.

A report may also name a **mission** (Operation Barkhane, MINUSMA) or a **location** (a base, a city).
Reports are never overwritten: a newer report is added beside the older ones, so the history stays.

### How presence *as of* a date is computed
1. Only reports dated **on or before** the date count. Announcements never count.
2. Within one pair and one mission/location, the **latest report replaces earlier ones**. If two
   sources report on that same latest date and disagree, the figure is their **median**, and the
   lowest and highest become **low** and **high**.
   *Example:* on 2018-01 Outlet A says 800 US troops in Niger, Outlet B says 1,100: best 950,
   low 800, high 1,100.
3. **Different missions or locations add up.**
   *Example:* France in Mali on 2019-06-30: Barkhane 1,750 + MINUSMA 25 + EUTM 13 = 1,788.
4. A report **without mission or location is the pair's total**. The newest evidence wins: a
   total replaces the mission figures dated on or before it; mission figures dated after it
   replace the total.
   *Example:* a ministry total of 5,000 in 2020 replaces the 2019 mission figures; a 2021 report
   for one base then replaces that total.
5. A **withdrawn** report sets its scope to zero from its date.
   *Example:* Barkhane withdrawn 2022-08-15 — as of 2023 France shows only the other missions.
6. Announcements known by the date (published or dated on or before it) and newer than the pair's
   latest counted report are shown as **announced**.

### Low, high, best
- **best** — the number on the map and in the *Troops* column: the median of the sources that
  disagree (a range counts as its midpoint), summed over missions and locations.
- **low / high** — the smallest and largest figure any source on that date supports (a range
  contributes both ends). When they differ, tooltips show e.g. *~950 troops (800–1,100)*.
- "At least 400" counts as 400; "up to 400" also as 400 — the qualifier stays visible in the
  reports table.

### Staleness
Every pair shows its **last report** and the **days since** it. A figure is carried forward until a
newer report replaces it, so an old figure may no longer be true: a pair whose last report is years
old is a lead to check, not a fact. Sort the table by *Days since* to find them.

### Data sources and licences
- **Reports**: each row carries its own source name, link and publication date; check the link
  before quoting a figure. The reports bundled in `data/reports.csv` are documented, with their
  sources and licences, in `data/README.md`.
- **Country shapes and label points**: [Natural Earth](https://www.naturalearthdata.com/) 1:10m
  admin-0 countries, public domain, simplified for the web by `scripts/build_geodata.py`. Borders
  are drawn for legibility and imply no position on disputed territory.
- **Country names and codes**: ISO 3166-1 via pycountry (LGPL-2.1) and the name patterns of
  country_converter (GPL-3.0).
- **Software**: Streamlit, pydeck/deck.gl, SQLAlchemy, pandas — open source; Garrison itself is MIT.
"""
)
st.page_link("pages/map.py", label="Back to the map", icon=":material/public:")
