"""AppTest fixtures: the app against a temporary store, with Streamlit's caches cleared per test."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.models import Report
from core.store import ENV_VAR, make_engine, reading

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture(autouse=True)
def clear_caches():
    # st.cache_* outlive an AppTest: without this a test would see the previous test's store.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app(fixture_db_url, monkeypatch):
    """A function that runs the app (optionally on a page) against the fixture store."""
    monkeypatch.setenv(ENV_VAR, fixture_db_url)

    def run(page: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60).run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return run


def count_reports(url: str) -> int:
    engine = make_engine(url)
    try:
        with reading(engine) as session:
            return session.execute(select(func.count(Report.id))).scalar_one()
    finally:
        engine.dispose()
