"""Rate limits with the ``limits`` library: a moving window per key.

With Redis configured (``TANDEM_REDIS_URL``), every worker counts in Redis, so a client gets the
limit once however many workers serve it; without it, each process keeps its own counts. If
Redis cannot be reached, the hit is counted in this process instead (a limit is never lifted by
an outage) and the failure is logged. A refused hit raises ``TooManyRequestsError`` with the
seconds until the oldest hit in the window expires, which becomes the ``Retry-After`` header.
"""

from __future__ import annotations

import hashlib
import logging
import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError
from starlette.requests import Request

from tandem.core.errors import TooManyRequestsError

logger = logging.getLogger(__name__)
_REDIS_TIMEOUT = 0.25  # seconds


def client_address(request: Request) -> str:
    """The client's address (behind a TLS proxy, set ``TANDEM_FORWARDED_ALLOW_IPS``)."""
    return request.client.host if request.client else "unknown"


def limits_prefix(database_url: str) -> str:
    """The Redis key prefix of one deployment: its workers share counts, other deployments don't."""
    return "tandem-limits-" + hashlib.sha256(database_url.encode()).hexdigest()[:12]


class Limiter:
    """Counts hits per key in a one-minute moving window, in Redis when given its URL."""

    def __init__(self, redis_url: str | None = None, *, key_prefix: str = "tandem-limits") -> None:
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._shared = (
            MovingWindowRateLimiter(
                # The check runs on the event loop: an unreachable Redis may hold it 0.25 s
                # at most, then the hit is counted here.
                RedisStorage(
                    redis_url,
                    key_prefix=key_prefix,
                    socket_timeout=_REDIS_TIMEOUT,
                    socket_connect_timeout=_REDIS_TIMEOUT,
                )
            )
            if redis_url
            else None
        )

    @property
    def shared(self) -> bool:
        """Whether counts are shared between processes (through Redis)."""
        return self._shared is not None

    def hit(self, *, scope: str, key: str, per_minute: int, message: str) -> None:
        """Count a hit; raise ``TooManyRequestsError`` when ``key`` is over ``per_minute``."""
        item = RateLimitItemPerMinute(per_minute)
        limiter = self._local
        if self._shared is not None:
            try:
                if self._shared.hit(item, scope, key):
                    return
                limiter = self._shared
            except RedisError as error:
                logger.warning("rate limits counted in this process (Redis failed: %s)", error)
        if limiter is self._local and self._local.hit(item, scope, key):
            return
        reset = limiter.get_window_stats(item, scope, key).reset_time
        raise TooManyRequestsError(message, retry_after_seconds=int(reset - time.time()) + 1)
