"""The test harness itself: the guard that keeps writing tests off the shared app server, and the xdist
groups that keep costly shared fixtures on one worker."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.browser.conftest import SharedApp, store_fingerprint
from tests.conftest import load_fixture_reports


@pytest.fixture
def store(engine):
    load_fixture_reports(engine)
    return engine


def _path(engine):
    return engine.url.database


def test_the_fingerprint_is_stable_while_nothing_is_written(store):
    first = store_fingerprint(_path(store))
    with store.connect() as conn:
        conn.execute(text("SELECT count(*) FROM reports")).scalar()
    assert store_fingerprint(_path(store)) == first


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE reports SET troops = troops + 1 WHERE id = (SELECT min(id) FROM reports)",  # same row count
        "DELETE FROM reports WHERE id = (SELECT max(id) FROM reports)",
    ],
)
def test_any_change_to_the_store_changes_the_fingerprint(store, statement):
    before = store_fingerprint(_path(store))
    with store.begin() as conn:
        conn.execute(text(statement))
    assert store_fingerprint(_path(store)) != before


def test_a_shared_app_whose_store_changed_fails_the_test_naming_the_fixtures_to_use(store):
    path = _path(store)
    app = SharedApp("fixture", "http://127.0.0.1:1", path, None, store_fingerprint(path))
    app.assert_unchanged("t")  # unchanged: no error
    with store.begin() as conn:
        conn.execute(text("UPDATE reports SET notes = 'written' WHERE id = (SELECT min(id) FROM reports)"))
    with pytest.raises(AssertionError, match="must use the `server`/`page` fixtures"):
        app.assert_unchanged("t")


@pytest.fixture
def shared_app():
    """Stands in for the browser tests' fixture of that name: its name alone decides the group."""
    return None


@pytest.fixture(scope="module")
def costly():
    return object()


def _groups(request) -> list[str]:
    return [m.args[0] for m in request.node.iter_markers("xdist_group")]


def test_a_test_with_function_scoped_fixtures_only_has_no_group(request, store):
    assert _groups(request) == []


def test_a_test_on_a_shared_app_is_in_the_shared_app_group(request, shared_app):
    assert _groups(request) == ["shared-app"]


def test_a_test_with_a_module_scoped_fixture_is_grouped_with_its_module(request, costly):
    assert _groups(request) == ["tests/test_harness.py"]


def test_under_loadgroup_the_id_a_worker_reports_carries_the_group(request, costly):
    """xdist's scheduler groups tests by an "@group" suffix of the id each worker reports (see
    tests/conftest.py _tell_xdist_the_group); without it `make test` spreads every group over the workers."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("only on an xdist worker under --dist loadgroup (make test)")
    assert request.node.nodeid.endswith("_carries_the_group@tests/test_harness.py")
