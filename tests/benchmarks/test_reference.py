"""The DuckDB reference must give Garrison's answers, or the benchmark compares nothing."""

import datetime as dt

import pandas as pd
import pytest

from benchmarks import reference
from core.filters import Filters
from core.ingest import import_rows
from core.presence import presence_as_of
from core.store import reading, writing
from core.synth import synth_rows
from tests.conftest import TODAY

DATES = ["2013-06-01", "2019-04-01", "2019-12-31", "2022-12-31", "2026-01-01"]


def same(store_engine, as_of, host=None):
    with reading(store_engine) as session:
        ours = presence_as_of(session, as_of, Filters(hosts=(host,) if host else ()))
        con = reference.load(session)
    theirs = reference.presence(con, as_of, host)
    pd.testing.assert_frame_equal(reference.normalise(ours), reference.normalise(theirs))
    return ours


@pytest.mark.parametrize("as_of", DATES)
def test_reference_agrees_on_the_fixture_store(fixture_engine, as_of):
    same(fixture_engine, dt.date.fromisoformat(as_of))


def test_reference_agrees_on_synthetic_reports(any_engine):
    with writing(any_engine) as session:
        result = import_rows(session, enumerate(synth_rows(4000, seed=7), start=2), today=TODAY)
    assert result.ok and result.imported > 3900
    for as_of in ("2001-01-01", "2012-07-15", "2025-12-31"):
        ours = same(any_engine, dt.date.fromisoformat(as_of))
        assert len(ours) > 100
    same(any_engine, dt.date(2025, 12, 31), host="USA")
