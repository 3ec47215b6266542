"""core.filters on both backends: the source filter and the tables' text search take text literally."""

from __future__ import annotations

import datetime as dt

import pytest

from core import views
from core.filters import Filters
from core.ingest import import_csv
from core.presence import presence_as_of
from core.store import reading, writing
from tests.conftest import TODAY

# One pair per source, so the pairs presence keeps name the sources the filter let through.
SOURCES = (
    "\n".join(
        [
            "deployer,host,troops,date,source_name,source_url",
            "FRA,MLI,10,2019-01-01,Outlet_B,",
            "FRA,NER,20,2019-01-01,OutletXB,",
            "FRA,TCD,30,2019-01-01,100% Radio,",
            "FRA,DJI,40,2019-01-01,1000 Radio,https://example.org/a/b",
            "FRA,CIV,50,2019-01-01,Plain,https://example.org/ab",
        ]
    )
    + "\n"
)
HOST = {"Outlet_B": "MLI", "OutletXB": "NER", "100% Radio": "TCD", "1000 Radio": "DJI", "Plain": "CIV"}
AS_OF = dt.date(2020, 1, 1)


@pytest.fixture
def store(any_engine):
    with writing(any_engine) as session:
        assert import_csv(session, SOURCES, today=TODAY).ok
    return any_engine


@pytest.mark.parametrize(
    ("text", "sources"),
    [
        ("_", {"Outlet_B"}),
        ("t_b", {"Outlet_B"}),
        ("%", {"100% Radio"}),
        ("0%", {"100% Radio"}),
        ("/a/", {"1000 Radio"}),
        ("OUTLET", {"Outlet_B", "OutletXB"}),
        ("radio", {"100% Radio", "1000 Radio"}),
    ],
)
def test_source_filter_takes_wildcards_literally(store, text, sources):
    with reading(store) as session:
        pairs = presence_as_of(session, AS_OF, Filters(source_text=text))
        tables = views.reports_as_of(session, AS_OF, Filters(), text=text)
    assert set(pairs["host"]) == {HOST[s] for s in sources}
    assert set(tables["source_name"]) == sources
