"""A sliding-window rate limit (N actions per window per key), small enough to keep in session state."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class RateLimiter:
    """`limit` actions per `window` seconds per key (e.g. a session id, or "login:<name>").

    `check(key)` records the action and returns 0.0 when it is allowed, else the seconds to wait
    (nothing recorded). The dashboard keeps one instance in st.session_state (per session) or in
    st.cache_resource (across sessions, e.g. for login attempts).
    """

    limit: int = 10
    window: float = 3600.0
    _hits: dict[str, deque[float]] = field(default_factory=dict, repr=False)

    def check(self, key: str, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return hits[0] + self.window - now
        hits.append(now)
        return 0.0

    def remaining(self, key: str, now: float | None = None) -> int:
        now = time.monotonic() if now is None else now
        return self.limit - sum(1 for t in self._hits.get(key, ()) if t > now - self.window)
