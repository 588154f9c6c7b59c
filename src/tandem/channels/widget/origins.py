"""Which sites may embed the chat widget: TANDEM_WIDGET_ORIGINS plus those added by admins.

Origins are compared exactly (scheme, host and port, as a browser sends ``Origin``). Every
process caches the list for a few seconds, so an origin an admin adds or removes takes effect
everywhere within that time without a restart.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from tandem.core.errors import InvalidInputError

CACHE_SECONDS = 5.0


def normalise_origin(value: str) -> str:
    """``https://shop.example.com`` from what an admin typed; refuse anything but an origin."""
    text = value.strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError(
            f"{value!r} is not a site origin; write it as https://shop.example.com (scheme, "
            "host and, if not the usual one, the port)."
        )
    if parts.path or parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidInputError(
            f"{value!r} has more than an origin; give only https://host[:port], no path."
        )
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


def parse_origins(setting: str | None) -> frozenset[str]:
    """The origins of a comma-separated setting; a bad one stops start-up with its name."""
    if not setting:
        return frozenset()
    return frozenset(normalise_origin(v) for v in setting.split(",") if v.strip())


class AllowedOrigins:
    """The configured origins and the admins' ones, read at most every few seconds."""

    def __init__(self, configured: frozenset[str]) -> None:
        self.configured = configured
        self._stored: frozenset[str] = frozenset()
        self._read_at = -CACHE_SECONDS

    async def get(self, read_stored: Callable[[], Awaitable[list[str]]]) -> frozenset[str]:
        """The allowed origins; ``read_stored`` reads the admins' list when the cache is old."""
        if time.monotonic() - self._read_at >= CACHE_SECONDS:
            self._stored = frozenset(await read_stored())
            self._read_at = time.monotonic()
        return self.configured | self._stored

    def forget(self) -> None:
        """Read the stored origins again on the next request (after an admin's change)."""
        self._read_at = -CACHE_SECONDS
