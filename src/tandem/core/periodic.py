"""Background work that runs every few seconds inside a server process until it stops."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)


async def run_every(every: float, work: Callable[[], Awaitable[object]], *, name: str) -> None:
    """Run ``work`` every ``every`` seconds until cancelled.

    A failed run (a database or network hiccup) is logged with its traceback and the next run
    tries again; it never stops the loop or the server.
    """
    while True:
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("%s failed; trying again in %.0f s", name, every)
        await asyncio.sleep(every)
