"""Rate limits with the ``limits`` library: a moving window per key, in this process's memory.

Each process keeps its own counts (with several workers, a client gets up to that many times the
limit); a refused hit raises ``TooManyRequestsError`` with the seconds until the oldest hit in
the window expires, which becomes the ``Retry-After`` header.
"""

from __future__ import annotations

import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.requests import Request

from tandem.core.errors import TooManyRequestsError


def client_address(request: Request) -> str:
    """The client's address (behind a reverse proxy, run uvicorn with --proxy-headers)."""
    return request.client.host if request.client else "unknown"


class Limiter:
    """Counts hits per key in a one-minute moving window."""

    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, *, scope: str, key: str, per_minute: int, message: str) -> None:
        """Count a hit; raise ``TooManyRequestsError`` when ``key`` is over ``per_minute``."""
        item = RateLimitItemPerMinute(per_minute)
        if self._limiter.hit(item, scope, key):
            return
        reset = self._limiter.get_window_stats(item, scope, key).reset_time
        raise TooManyRequestsError(message, retry_after_seconds=int(reset - time.time()) + 1)
