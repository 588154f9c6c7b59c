"""Notifiers wake listeners and carry nothing else; in-process and Redis behave the same."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest
import redis.asyncio as redis_asyncio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, Conversation
from tandem.conversations.probe import ConversationProbe
from tandem.core.events import (
    QUEUE_CHANNEL,
    RECHECK_SECONDS,
    InProcessNotifier,
    Listener,
    Notifier,
    conversation_channel,
)
from tandem.core.redis_notifier import RedisNotifier
from tests.conftest import IN_CI
from tests.factories import create_conversation, create_customer
from tests.live import free_port
from tests.waiting import eventually

REDIS_URL = os.environ.get("TANDEM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(params=["in-process", "redis"])
async def notifier(request: pytest.FixtureRequest) -> AsyncIterator[Notifier]:
    if request.param == "in-process":
        yield InProcessNotifier()
        return
    await _require_redis()
    real = RedisNotifier(REDIS_URL)
    yield real
    await real.close()


async def _require_redis() -> None:
    try:
        client = redis_asyncio.Redis.from_url(REDIS_URL)
        await client.ping()
        await client.aclose()
    except (OSError, redis_asyncio.ConnectionError) as error:
        if IN_CI:
            pytest.fail(f"Redis at {REDIS_URL} is not reachable: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {error}")


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


# -- Redis: one subscription per process, and polling while Redis is away --------------------


async def _pubsub_connections(client: redis_asyncio.Redis) -> int:
    listing = await client.execute_command("CLIENT", "LIST", "TYPE", "pubsub")
    text = listing.decode() if isinstance(listing, bytes) else str(listing)
    return len(text.splitlines())


@pytest.fixture
async def redis_notifier() -> AsyncIterator[RedisNotifier]:
    await _require_redis()
    notifier = RedisNotifier(REDIS_URL)
    yield notifier
    await notifier.close()


async def test_one_redis_connection_serves_thousands_of_listeners(
    redis_notifier: RedisNotifier,
) -> None:
    notifier = redis_notifier
    client = redis_asyncio.Redis.from_url(REDIS_URL)
    channels = [_channel() for _ in range(2000)]
    try:
        before = await _pubsub_connections(client)
        async with contextlib.AsyncExitStack() as stack:
            listeners = [await stack.enter_async_context(notifier.listen(c)) for c in channels]
            assert await _pubsub_connections(client) - before == 1
            await notifier.publish(channels[-1])
            assert await listeners[-1].wait(5.0) is True
            assert await listeners[0].wait(0.2) is False
    finally:
        await client.aclose()


class OwnRedis:
    """A redis-server of this test's own, to stop and start again."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            if time.monotonic() > deadline:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()  # as a crash: no goodbye to the subscribers
            self.process.wait()
            self.process = None


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is missing: scripts/test installs it")
    server = OwnRedis(free_port())
    server.start()
    yield server
    server.stop()


async def test_while_redis_is_away_listeners_poll_and_wake_ups_stay_local(
    own_redis: OwnRedis,
) -> None:
    notifier = RedisNotifier(own_redis.url, poll_seconds=0.2)
    channel = _channel()
    try:
        async with notifier.listen(channel) as listener:
            assert notifier.connected
            own_redis.stop()
            await eventually(lambda: _is(not notifier.connected))
            await _drain(listener)
            # A long wait ends at the next poll, so the stream looks at the database again.
            assert await asyncio.wait_for(listener.wait(600), timeout=60) is True
            await notifier.publish(channel)  # no error: this process's listeners are woken
            assert await listener.wait(0.1) is True

            own_redis.start()
            await eventually(lambda: _is(notifier.connected))
            await _drain(listener)  # the reconnection woke it once, for what it missed
            assert await listener.wait(0.5) is False  # no more polling
            await notifier.publish(channel)
            assert await listener.wait(5.0) is True
    finally:
        await notifier.close()


async def _is(value: bool) -> bool:
    return value


async def _drain(listener: Listener) -> None:
    while await listener.wait(0.05):
        pass


# -- with a change probe: one database query a second, whatever the number of streams ---------


def _units_inside(session: AsyncSession) -> async_sessionmaker[AsyncSession]:
    """Units of work that are savepoints of the test's rolled-back transaction."""
    return async_sessionmaker(
        bind=session.bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


async def test_the_probe_reports_the_conversations_beyond_what_their_streams_read(
    session: AsyncSession,
) -> None:
    customer = await create_customer(session)
    first = await create_conversation(session, customer, (Author.CUSTOMER, "hello"))
    second = await create_conversation(session, customer, (Author.CUSTOMER, "hi"))
    probe = ConversationProbe(_units_inside(session))
    first_channel, second_channel = conversation_channel(first.id), conversation_channel(second.id)
    read = {first_channel: first.last_seq, second_channel: second.last_seq, QUEUE_CHANNEL: None}

    assert await probe.behind(read) == {QUEUE_CHANNEL}  # cheap channels: always
    assert await probe.behind({**read, first_channel: None}) == {first_channel, QUEUE_CHANNEL}
    await conversation_service.append_message(
        session, second, author=Author.CUSTOMER, text="anyone?"
    )
    assert await probe.behind(read) == {second_channel, QUEUE_CHANNEL}
    assert await probe.behind({**read, second_channel: second.last_seq}) == {QUEUE_CHANNEL}


def _quiet_and_busy_listeners(
    notifier: Notifier, conversations: tuple[Conversation, Conversation]
) -> contextlib.AbstractAsyncContextManager[tuple[Listener, Listener]]:
    @contextlib.asynccontextmanager
    async def both() -> AsyncIterator[tuple[Listener, Listener]]:
        quiet, busy = conversations
        async with (
            notifier.listen(conversation_channel(quiet.id)) as quiet_listener,
            notifier.listen(conversation_channel(busy.id)) as busy_listener,
        ):
            quiet_listener.read_to(quiet.last_seq)  # as a stream does after each read
            busy_listener.read_to(busy.last_seq)
            yield quiet_listener, busy_listener

    return both()


async def _quiet_and_busy(session: AsyncSession) -> tuple[Conversation, Conversation]:
    customer = await create_customer(session)
    quiet = await create_conversation(session, customer, (Author.CUSTOMER, "hello"))
    busy = await create_conversation(session, customer, (Author.CUSTOMER, "hi"))
    return quiet, busy


async def _only_the_changed_conversation_wakes(
    session: AsyncSession,
    notifier: RedisNotifier,
    conversations: tuple[Conversation, Conversation],
    first: Callable[[], Awaitable[None]],
) -> None:
    _quiet, busy = conversations
    try:
        async with _quiet_and_busy_listeners(notifier, conversations) as listeners:
            quiet_listener, busy_listener = listeners
            await first()
            await _drain(quiet_listener)
            await _drain(busy_listener)

            await conversation_service.append_message(
                session, busy, author=Author.CUSTOMER, text="anyone there?"
            )  # committed, and no wake-up published: as if it was lost
            assert await busy_listener.wait(60) is True
            assert await quiet_listener.wait(1.0) is False  # no polling of its own
    finally:
        await notifier.close()


async def test_while_redis_is_away_the_probe_wakes_only_changed_conversations(
    own_redis: OwnRedis, session: AsyncSession
) -> None:
    conversations = await _quiet_and_busy(session)
    probe = ConversationProbe(_units_inside(session))
    notifier = RedisNotifier(own_redis.url, poll_seconds=0.2, probe=probe)

    async def redis_goes_away() -> None:
        own_redis.stop()
        await eventually(lambda: _is(not notifier.connected))

    await _only_the_changed_conversation_wakes(session, notifier, conversations, redis_goes_away)


async def test_while_redis_is_up_a_sweep_wakes_conversations_whose_wake_up_was_lost(
    own_redis: OwnRedis, session: AsyncSession
) -> None:
    conversations = await _quiet_and_busy(session)
    probe = ConversationProbe(_units_inside(session))
    notifier = RedisNotifier(own_redis.url, probe=probe, sweep_seconds=0.2)
    assert notifier.recheck_seconds > RECHECK_SECONDS  # the sweep looks at the database

    async def redis_is_up() -> None:
        await eventually(lambda: _is(notifier.connected))

    await _only_the_changed_conversation_wakes(session, notifier, conversations, redis_is_up)


async def test_a_sweep_leaves_alone_a_stream_that_read_what_changed(
    own_redis: OwnRedis, session: AsyncSession
) -> None:
    """A busy conversation whose wake-ups all arrived: its stream has read everything, so
    the sweep does not wake it again (500 busy streams woken at once stalled delivery)."""
    conversations = await _quiet_and_busy(session)
    _quiet, busy = conversations
    probe = ConversationProbe(_units_inside(session))
    notifier = RedisNotifier(own_redis.url, probe=probe, sweep_seconds=0.2)
    try:
        async with _quiet_and_busy_listeners(notifier, conversations) as listeners:
            _quiet_listener, busy_listener = listeners
            await eventually(lambda: _is(notifier.connected))
            await conversation_service.append_message(
                session, busy, author=Author.CUSTOMER, text="anyone there?"
            )
            await notifier.publish(conversation_channel(busy.id))
            assert await busy_listener.wait(60) is True
            busy_listener.read_to(busy.last_seq)  # the stream read it
            await _drain(busy_listener)
            assert await busy_listener.wait(1.0) is False  # five sweeps later: left alone
    finally:
        await notifier.close()


async def test_without_a_probe_listeners_re_read_on_their_own() -> None:
    notifier = RedisNotifier(REDIS_URL)
    try:
        assert notifier.recheck_seconds == RECHECK_SECONDS
    finally:
        await notifier.close()
    assert InProcessNotifier().recheck_seconds == RECHECK_SECONDS
