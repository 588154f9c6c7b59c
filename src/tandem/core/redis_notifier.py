"""Notifier over Redis pub/sub, for several workers sharing one PostgreSQL database."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from tandem.core.events import Listener

_PREFIX = "tandem:wake:"


class _RedisListener:
    def __init__(self, redis: Redis, channel: str) -> None:
        self._pubsub = redis.pubsub(ignore_subscribe_messages=True)
        self._channel = _PREFIX + channel

    async def start(self) -> None:
        await self._pubsub.subscribe(self._channel)

    async def wait(self, seconds: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (remaining := deadline - loop.time()) > 0:
            message = await self._pubsub.get_message(timeout=remaining)
            if message is not None and message.get("type") == "message":
                # Drain whatever else queued up: one read of the database covers them all.
                while await self._pubsub.get_message(timeout=0) is not None:
                    pass
                return True
        return False

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await self._pubsub.unsubscribe(self._channel)
        await self._pubsub.aclose()  # type: ignore[no-untyped-call]


class RedisNotifier:
    """Publishes wake-ups to Redis so every worker's listeners see them."""

    def __init__(self, url: str) -> None:
        self._redis = Redis.from_url(url)

    async def publish(self, channel: str) -> None:
        await self._redis.publish(_PREFIX + channel, b"1")

    @asynccontextmanager
    async def listen(self, channel: str) -> AsyncIterator[Listener]:
        listener = _RedisListener(self._redis, channel)
        await listener.start()
        try:
            yield listener
        finally:
            await listener.stop()

    async def close(self) -> None:
        await self._redis.aclose()
