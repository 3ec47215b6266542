"""Editor logins without locking editors out: a per-browser backoff on failed attempts and signed-in
sessions that outlive a page reload. Pure and in memory (no Streamlit); the clock is injected.

Both are keyed by random ids that the dashboard keeps in cookies: a *browser id* (every visitor in
password mode) and a *session token* (a signed-in editor). The state stays on the server, so a cookie
carries nothing but an unguessable id; only the SHA-256 of a session token is kept.

Backoff, per browser: the first `free` failures cost nothing; from then on each attempt must come at
least `wait(failures)` seconds after the last failure (`first` seconds, doubling, at most `cap`). A
refused attempt is not checked and not counted; a success forgets the failures. Nothing is kept per
editor name, so a guesser slows down only themselves: the right password from another browser signs
the editor in at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Clock = Callable[[], float]
_ID = re.compile(r"[A-Za-z0-9_-]{22,64}")
# Failure records and sessions kept at most (the oldest are dropped first): a client that throws its
# cookie away on every attempt can never grow the server's memory without bound.
MAX_ENTRIES = 100_000


def new_id() -> str:
    """A fresh random id (browser id or session token): 192 bits, URL- and cookie-safe."""
    return secrets.token_urlsafe(24)


def valid_id(value: object) -> bool:
    """Whether a cookie value has the shape new_id gives (anything else is ignored, never a key)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


@dataclass(frozen=True)
class Backoff:
    """How long a browser waits after failed logins; from `[login]` in the secrets file."""

    free: int = 3  # failures before any wait
    first: float = 15.0  # seconds: the wait after the first failure beyond `free`
    cap: float = 600.0  # the longest wait
    forget: float = 86_400.0  # failures this old (since the last one) are forgotten
    session_hours: float = 12.0  # how long a sign-in lasts

    def wait(self, failures: int) -> float:
        """Seconds an attempt must come after the last failure, given the failures so far."""
        if failures == 0 or failures < self.free:
            return 0.0
        return min(self.cap, self.first * 2.0 ** min(failures - max(self.free, 1), 64))


def backoff(secrets_: Mapping[str, Any]) -> Backoff:
    """The `[login]` table (free_attempts, first_wait_s, max_wait_s, session_hours); defaults when absent.
    Raises ValueError naming the key when a value is not a positive number."""
    table = secrets_.get("login") or {}
    defaults = Backoff()
    values: dict[str, float] = {}
    for key, field, default in (
        ("free_attempts", "free", defaults.free),
        ("first_wait_s", "first", defaults.first),
        ("max_wait_s", "cap", defaults.cap),
        ("session_hours", "session_hours", defaults.session_hours),
    ):
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError(f"[login] {key} must be a number of 0 or more, not {value!r}")
        values[field] = value
    return Backoff(
        free=int(values["free"]), first=values["first"], cap=values["cap"], session_hours=values["session_hours"]
    )


@dataclass(frozen=True)
class Attempt:
    """What came of a login attempt: `editor` when signed in, else `wait` > 0 when it was refused
    unchecked (seconds left), else a wrong name or password (`failures` so far)."""

    editor: str | None
    wait: float = 0.0
    failures: int = 0


class Guard:
    """Failed logins per browser id (a count and the time of the last one); thread-safe."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._failed: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, browser: str, policy: Backoff) -> float:
        """Seconds before this browser may try again (0: now)."""
        with self._lock:
            return self._wait(browser, policy, self._clock())

    def _wait(self, browser: str, policy: Backoff, now: float) -> float:
        if browser not in self._failed:
            return 0.0
        failures, last = self._failed[browser]
        if now - last >= policy.forget:
            del self._failed[browser]
            return 0.0
        return max(0.0, last + policy.wait(failures) - now)

    def attempt(self, browser: str, policy: Backoff, check: Callable[[], str | None]) -> Attempt:
        """Run `check` (the password check: the editor's name or None) unless this browser must wait."""
        with self._lock:
            wait = self._wait(browser, policy, self._clock())
            if wait > 0:
                return Attempt(None, wait=wait)
        editor = check()  # argon2 takes ~50 ms: not under the lock
        with self._lock:
            if editor is not None:
                self._failed.pop(browser, None)
                return Attempt(editor)
            failures = self._failed.pop(browser, (0, 0.0))[0] + 1
            self._failed[browser] = (failures, self._clock())
            while len(self._failed) > MAX_ENTRIES:
                self._failed.popitem(last=False)
            return Attempt(None, failures=failures)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    """Signed-in editors by session token, each until its expiry (wall clock); thread-safe."""

    def __init__(self, clock: Clock = time.time) -> None:
        self._clock = clock
        self._open: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def open(self, editor: str, hours: float) -> str:
        """A new token for `editor`, valid for `hours`."""
        token = new_id()
        with self._lock:
            self._open[_digest(token)] = (editor, self._clock() + hours * 3600.0)
            while len(self._open) > MAX_ENTRIES:
                self._open.popitem(last=False)
        return token

    def editor(self, token: object) -> str | None:
        """The editor a token signs in, or None (unknown, malformed, closed or expired)."""
        if not valid_id(token):
            return None
        key = _digest(str(token))
        with self._lock:
            editor, expires = self._open.get(key, (None, 0.0))
            if editor is not None and self._clock() >= expires:
                del self._open[key]
                return None
            return editor

    def close(self, token: object) -> None:
        """Sign the token out (log out): it no longer signs anyone in."""
        if valid_id(token):
            with self._lock:
                self._open.pop(_digest(str(token)), None)
