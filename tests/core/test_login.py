"""core.login: the per-browser backoff and the signed-in sessions, driven by an injected clock."""

from __future__ import annotations

import pytest

from core import login
from core.login import Attempt, Backoff, Guard, Sessions


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("failures", "wait"),
    [(0, 0), (1, 0), (2, 0), (3, 15), (4, 30), (5, 60), (6, 120), (7, 240), (8, 480), (9, 600), (10, 600), (500, 600)],
)
def test_the_wait_doubles_after_the_free_attempts_up_to_the_cap(failures, wait):
    assert Backoff().wait(failures) == wait


RIGHT, WRONG = "right", "wrong"

# (seconds since the start, password given, what comes of it): one browser, the default backoff.
SCENARIO = [
    (0, WRONG, Attempt(None, failures=1)),
    (1, WRONG, Attempt(None, failures=2)),
    (2, WRONG, Attempt(None, failures=3)),  # the free attempts are used up: 15 s from now on
    (10, RIGHT, Attempt(None, wait=7)),  # refused unchecked, even the right password
    (17, WRONG, Attempt(None, failures=4)),
    (41, WRONG, Attempt(None, wait=6)),  # 30 s after the 4th failure
    (47, WRONG, Attempt(None, failures=5)),
    (101, WRONG, Attempt(None, wait=6)),  # 60 s
    (107, RIGHT, Attempt("alice")),  # a success forgets the failures
    (108, WRONG, Attempt(None, failures=1)),
]


def test_one_browser_through_failures_waits_and_a_success():
    clock = Clock(0)
    guard = Guard(clock)
    for at, password, expected in SCENARIO:
        clock.now = at
        checked = []

        def check(password=password, checked=checked):
            checked.append(password)
            return "alice" if password == RIGHT else None

        assert guard.attempt("browser-a", Backoff(), check) == expected, at
        assert checked == ([] if expected.wait else [password]), "a refused attempt is never checked"


def test_another_browser_signs_in_at_once_while_one_is_waiting():
    clock = Clock(0)
    guard = Guard(clock)
    for _ in range(20):  # an attacker who always waits long enough
        clock.now += guard.wait("attacker", Backoff())
        assert guard.attempt("attacker", Backoff(), lambda: None).wait == 0
    assert guard.wait("attacker", Backoff()) == 600
    assert guard.wait("editor", Backoff()) == 0
    assert guard.attempt("editor", Backoff(), lambda: "alice") == Attempt("alice")


def test_failures_are_forgotten_a_day_after_the_last_one():
    clock = Clock(0)
    guard = Guard(clock)
    for _ in range(8):
        clock.now = guard.wait("b", Backoff()) + clock.now
        guard.attempt("b", Backoff(), lambda: None)
    assert guard.wait("b", Backoff()) == 480
    clock.now += Backoff().forget
    assert guard.wait("b", Backoff()) == 0
    assert guard.attempt("b", Backoff(), lambda: None) == Attempt(None, failures=1)


def test_the_policy_is_read_at_each_attempt():
    clock = Clock(0)
    guard = Guard(clock)
    guard.attempt("b", Backoff(free=0), lambda: None)
    assert guard.wait("b", Backoff(free=0, first=15)) == 15
    assert guard.wait("b", Backoff(free=0, first=900, cap=3600)) == 900
    assert guard.wait("b", Backoff(free=5)) == 0


def test_failure_records_are_bounded(monkeypatch):
    monkeypatch.setattr(login, "MAX_ENTRIES", 3)
    guard = Guard(Clock())
    for n in range(5):
        guard.attempt(f"b{n}", Backoff(free=0), lambda: None)
    assert [guard.wait(f"b{n}", Backoff(free=0)) > 0 for n in range(5)] == [False, False, True, True, True]


def test_a_session_signs_in_until_it_expires_or_is_closed():
    clock = Clock(0)
    sessions = Sessions(clock)
    token = sessions.open("alice", hours=2)
    assert login.valid_id(token) and sessions.editor(token) == "alice"
    assert token not in repr(vars(sessions))  # only its digest is kept
    clock.now = 2 * 3600 - 1
    assert sessions.editor(token) == "alice"
    clock.now = 2 * 3600
    assert sessions.editor(token) is None
    other = sessions.open("bob", hours=2)
    sessions.close(other)
    assert sessions.editor(other) is None


# "fresh" stands for a well-formed id never issued, made in the test: xdist workers must collect the same ids.
@pytest.mark.parametrize("token", [None, "", "short", "x" * 65, "a" * 30 + ";", 42, "fresh"])
def test_unknown_or_malformed_tokens_sign_no_one_in(token):
    token = login.new_id() if token == "fresh" else token
    assert Sessions().editor(token) is None
    Sessions().close(token)  # and closing one is harmless


def test_ids_are_fresh_and_cookie_safe():
    ids = {login.new_id() for _ in range(100)}
    assert len(ids) == 100 and all(login.valid_id(i) for i in ids)
    assert not login.valid_id("a" * 21) and not login.valid_id("a b" * 10)


def test_the_login_table_of_the_secrets_sets_the_backoff():
    assert login.backoff({}) == Backoff()
    policy = login.backoff({"login": {"free_attempts": 1, "first_wait_s": 600, "max_wait_s": 3600, "session_hours": 1}})
    assert policy == Backoff(free=1, first=600, cap=3600, session_hours=1)
    assert policy.wait(1) == 600 and policy.wait(3) == 2400 and policy.wait(4) == 3600


@pytest.mark.parametrize("value", [-1, "10", True, None])
def test_a_bad_login_setting_is_refused_naming_it(value):
    with pytest.raises(ValueError, match="first_wait_s"):
        login.backoff({"login": {"first_wait_s": value}})
