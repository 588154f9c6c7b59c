"""Notifier over Redis pub/sub, for several processes sharing one PostgreSQL database.

Each process holds one Redis subscription, to every wake-up channel, and fans wake-ups out to
its listeners in memory: thousands of live streams cost one connection, not one each.

While Redis is unreachable, streams keep delivering from the database, a little later, never
falling silent. With a change probe (the server gives one: which conversations hold items
their streams have not read; each stream says how far it read), the process asks the database
every ``poll_seconds`` which of its channels are behind and wakes only those: one query a
second, however many streams. Without one, every wait ends
after ``poll_seconds`` saying "look again". A publish then wakes this process's own listeners
directly. When the subscription is back, every listener is woken once for what it may have
missed.

While Redis is up, the same probe sweeps every ``sweep_seconds`` for a wake-up lost anyway (a
publish from a process that could not reach Redis for a moment), so a listener's own re-read
(``recheck_seconds``) can be rare: with the probe, one query per sweep replaces one read per
stream every 10 s. A stream woken through Redis has read what woke it, so a sweep wakes only
the streams a wake-up missed, however busy the conversations were since the last one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.exceptions import RedisError

from tandem.core.events import RECHECK_SECONDS, ChangeProbe, InProcessNotifier, Listener

logger = logging.getLogger(__name__)
_PREFIX = "tandem:wake:"
POLL_SECONDS = 1.0  # how often listeners look at the database while Redis is unreachable
# With a probe, one query this often finds the conversations whose wake-up was lost (a
# publish while Redis blinked), so a listener need not re-read the database on its own.
SWEEP_SECONDS = 10.0
PROBED_RECHECK_SECONDS = 60.0
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0)  # reconnection backoff, then every 5 s
FIRST_SUBSCRIBE_SECONDS = 2.0  # a new listener waits this long for the subscription at start


class _PollingListener:
    """Waits for a wake-up; while Redis is unreachable, also ends every ``poll`` seconds."""

    def __init__(self, inner: Listener, notifier: RedisNotifier) -> None:
        self._inner = inner
        self._notifier = notifier

    def read_to(self, seq: int) -> None:
        self._inner.read_to(seq)

    async def wait(self, seconds: float) -> bool:
        poll = self._notifier.poll_seconds
        if self._notifier.woken_for_changes or seconds <= poll:
            return await self._inner.wait(seconds)
        await self._inner.wait(poll)
        return True  # look again: a wake-up from another process may have been lost


class RedisNotifier:
    """Publishes wake-ups to Redis; one subscription per process wakes its listeners."""

    def __init__(
        self,
        url: str,
        *,
        poll_seconds: float = POLL_SECONDS,
        probe: ChangeProbe | None = None,
        sweep_seconds: float = SWEEP_SECONDS,
    ) -> None:
        self._redis = Redis.from_url(
            url, socket_connect_timeout=2, socket_keepalive=True, health_check_interval=30
        )
        self.poll_seconds = poll_seconds
        self.sweep_seconds = sweep_seconds
        # Without a probe each listener re-reads every 10 s: 2,000 streams, 200 reads a second.
        self.recheck_seconds = RECHECK_SECONDS if probe is None else PROBED_RECHECK_SECONDS
        self.connected = False
        self._probe = probe
        self._local = InProcessNotifier()
        self._reader: asyncio.Task[None] | None = None
        self._poller: asyncio.Task[None] | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._probing = asyncio.Lock()  # the sweeper and the outage poller share the probe
        self._subscribed = asyncio.Event()
        self._publish_failing = False

    async def publish(self, channel: str) -> None:
        try:
            await self._redis.publish(_PREFIX + channel, b"1")
        except (RedisError, OSError) as error:
            if not self._publish_failing:
                logger.warning("Redis unreachable (%s); wake-ups stay in this process", error)
            self._publish_failing = True
            await self._local.publish(channel)  # the other processes' listeners are polling
            return
        self._publish_failing = False

    @asynccontextmanager
    async def listen(self, channel: str) -> AsyncIterator[Listener]:
        self._start_reader()
        async with self._local.listen(channel) as inner:
            if not self.connected:
                with contextlib.suppress(TimeoutError):  # unreachable: the listener polls
                    await asyncio.wait_for(self._subscribed.wait(), FIRST_SUBSCRIBE_SECONDS)
            yield _PollingListener(inner, self)

    def _start_reader(self) -> None:
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read_forever(), name="redis wake-ups")
        if self._probe is not None and (self._sweeper is None or self._sweeper.done()):
            self._sweeper = asyncio.create_task(
                self._sweep_forever(self._probe), name="lost wake-ups"
            )

    async def _read_forever(self) -> None:
        failures = 0
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(_PREFIX + "*")
                self._back_up(after_outage=failures > 0)
                await self._stop_polling()
                failures = 0
                async for message in pubsub.listen():
                    if message.get("type") == "pmessage":
                        channel = message["channel"].decode().removeprefix(_PREFIX)
                        await self._local.publish(channel)
            except (RedisError, OSError) as error:
                if failures == 0:
                    logger.warning(
                        "Redis unreachable (%s); live streams read the database every %g s "
                        "until it is back",
                        error,
                        self.poll_seconds,
                    )
                self.connected = False
                self._subscribed.clear()
                if self._probe is None:
                    self._local.wake_all()  # they re-read, then poll
                elif self._poller is None or self._poller.done():
                    self._poller = asyncio.create_task(self._poll_forever(self._probe))
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            await asyncio.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
            failures += 1

    @property
    def woken_for_changes(self) -> bool:
        """Whether a wake-up comes for every change (through Redis, or the probe's polls)."""
        return self.connected or (self._poller is not None and not self._poller.done())

    async def _poll_forever(self, probe: ChangeProbe) -> None:
        """Wake the listeners of channels the probe finds changed, until Redis is back."""
        while not self.connected:
            await self._wake_behind(probe)
            await asyncio.sleep(self.poll_seconds)

    async def _sweep_forever(self, probe: ChangeProbe) -> None:
        """While Redis is up, wake what a wake-up missed, every ``sweep_seconds``."""
        while True:
            await asyncio.sleep(self.sweep_seconds)
            if self.connected:
                await self._wake_behind(probe)

    async def _wake_behind(self, probe: ChangeProbe) -> None:
        async with self._probing:
            marks = self._local.marks()
            try:
                behind = await probe.behind(marks) if marks else set()
            except Exception:  # the database too: wake everyone, their reads report it
                logger.warning("the change probe failed; waking every listener", exc_info=True)
                behind = set(marks)
            for channel in behind:
                await self._local.publish(channel)

    async def _stop_polling(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None

    def _back_up(self, *, after_outage: bool) -> None:
        self.connected = True
        self._subscribed.set()
        if after_outage:
            logger.warning("Redis reachable again; live streams are woken by it")
            self._local.wake_all()  # for the wake-ups published while it was away

    async def close(self) -> None:
        await self._stop_polling()
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        await self._local.close()
        await self._redis.aclose()
