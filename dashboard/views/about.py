"""About page: the methodology in plain words (the rule itself lives in core/rule.py)."""

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
Many sources describe the same troops, so figures are **reconciled, never added up across sources**.
1. Only reports dated **on or before** the date count. Announcements never count. Of two reports that
   start the same day, the more precise (a day rather than a month or a year) is the newer.
2. Within one pair and one mission or location, the **latest report with a number (or a withdrawal)
   gives the figure**. If sources report on that date and disagree, that is a **conflict**: the
   figure is their **median**, the lowest and highest become **low** and **high**, and the tables
   show what each source gave.
   *Example:* Outlet A says 800 US troops in Niger, Outlet B says 1,100 on the same day: best 950,
   low 800, high 1,100, conflict. Outlet A says 1,000, Outlet B says withdrawn: best 1,000, low 0.
3. **Scopes nest**: the pair ⊃ its missions ⊃ their locations. Different missions add up; a location
   is part of its mission. *Example:* France in Mali on 2019-06-30: Barkhane 1,750 + MINUSMA 25 +
   EUTM 13 = 1,788. MINUSMA 1,000 and MINUSMA / Gao 200 on one day: 1,000.
4. The **newest evidence wins at each level**: a pair total replaces older mission figures; newer
   mission figures replace an older total.
5. A report **without a number confirms presence and keeps the last figure** (shown with the date the
   figure comes from). *Example:* DMDC 35,729 US troops in Germany (2019), then a base list without
   numbers (September 2019): 35,729, figure from 2019, confirmed September 2019.
6. A **withdrawal** sets its scope to zero. A withdrawn **part** never ends the whole pair: what the
   part last had is taken off the total, or, when nobody said how big it was, the low end drops to 0.
7. Announcements known by the date and newer than the pair's latest report are shown as **announced**.

### Low, high, best
- **best** — the number on the map and in the *Troops* column: the median of the sources that
  disagree (a range counts as its midpoint), summed over missions and locations.
- **low / high** — the smallest and largest figure the sources support (a range contributes both
  ends; a withdrawal or a withdrawn part of unknown size pulls the low end down).
- "At least 400" counts as 400; "up to 400" also as 400 — the qualifier stays visible in the
  reports table.
- **sources** — distinct sources: one outlet counts once, and so do the routes of one dataset (DMDC
  figures from the starter data and from troopdata are one source).

### Staleness
Every pair shows its **last report**, the date its **figure** comes from, and the **days since** the
last report. A figure is carried forward until a newer report replaces it, so an old figure may no
longer be true: a pair whose figure is years old is a lead to check, not a fact.

### Data sources and licences
- **Reports**: each row carries its own source name, link and publication date; check the link
  before quoting a figure. The reports bundled in `data/reports.csv` are documented, with their
  sources and licences, in `data/README.md`.
- **Country shapes and label points**: [Natural Earth](https://www.naturalearthdata.com/) 1:10m
  admin-0 countries, public domain, simplified for the web by `scripts/build_geodata.py`. Borders
  are drawn for legibility and imply no position on disputed territory.
- **Country names and codes**: ISO 3166-1 via pycountry (LGPL-2.1), names in six languages from the
  Unicode CLDR (Unicode License v3) and Garrison's own table of aliases (MIT).
- **Software**: Streamlit, pydeck/deck.gl, SQLAlchemy, pandas — open source; Garrison itself is MIT.
"""
)
st.page_link("views/map.py", label="Back to the map", icon=":material/public:")
