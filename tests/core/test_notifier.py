"""Notifiers wake listeners and carry nothing else; in-process and Redis behave the same."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis_asyncio

from tandem.core.events import InProcessNotifier, Notifier
from tandem.core.redis_notifier import RedisNotifier
from tests.conftest import IN_CI

REDIS_URL = os.environ.get("TANDEM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(params=["in-process", "redis"])
async def notifier(request: pytest.FixtureRequest) -> AsyncIterator[Notifier]:
    if request.param == "in-process":
        yield InProcessNotifier()
        return
    try:
        client = redis_asyncio.Redis.from_url(REDIS_URL)
        await client.ping()
        await client.aclose()
    except (OSError, redis_asyncio.ConnectionError) as error:
        if IN_CI:
            pytest.fail(f"Redis at {REDIS_URL} is not reachable: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {error}")
    real = RedisNotifier(REDIS_URL)
    yield real
    await real.close()


def _channel() -> str:
    return f"conversation:{uuid.uuid4()}"


async def test_a_publish_wakes_a_listener_of_that_channel(notifier: Notifier) -> None:
    channel = _channel()
    async with notifier.listen(channel) as listener:
        await notifier.publish(channel)
        assert await listener.wait(2.0) is True


async def test_a_listener_times_out_without_a_publish(notifier: Notifier) -> None:
    async with notifier.listen(_channel()) as listener:
        assert await listener.wait(0.2) is False


async def test_other_channels_do_not_wake_a_listener(notifier: Notifier) -> None:
    async with notifier.listen(_channel()) as listener:
        await notifier.publish(_channel())
        assert await listener.wait(0.3) is False


async def test_every_listener_of_a_channel_is_woken(notifier: Notifier) -> None:
    channel = _channel()
    async with notifier.listen(channel) as first, notifier.listen(channel) as second:
        await notifier.publish(channel)
        results = await asyncio.gather(first.wait(2.0), second.wait(2.0))
        assert results == [True, True]


async def test_a_burst_of_publishes_is_one_wake_up_then_quiet(notifier: Notifier) -> None:
    channel = _channel()
    async with notifier.listen(channel) as listener:
        for _ in range(5):
            await notifier.publish(channel)
        assert await listener.wait(2.0) is True
        await asyncio.sleep(0.1)
        # Wake-ups carry no data: the burst may collapse, and the listener reads the database.
        while await listener.wait(0.2):
            pass
        assert await listener.wait(0.2) is False
