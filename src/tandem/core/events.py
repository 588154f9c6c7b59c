"""Live notifications: wake listeners after commit; they then read the database.

The database is the source of truth (messages and events ordered by sequence number). A notifier
carries no data, only "something changed on channel X", so a lost wake-up costs at most one
heartbeat of latency and never loses a message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)

_PENDING_KEY = "tandem.pending_notifications"
QUEUE_CHANNEL = "queue"


def conversation_channel(conversation_id: str) -> str:
    """Name the channel that wakes listeners of one conversation."""
    return f"conversation:{conversation_id}"


class Listener(Protocol):
    async def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for a wake-up; return False if none came."""
        ...

    def read_to(self, seq: int) -> None:
        """Say that the listener has read its channel up to sequence number ``seq``."""
        ...


# What each listened channel's listeners have read: the lowest sequence number among them,
# None while one of them has not said (it has not read yet, or it never reads).
ReadMarks = Mapping[str, int | None]


class ChangeProbe(Protocol):
    async def behind(self, marks: ReadMarks) -> set[str]:
        """Return the channels of ``marks`` that may hold what their listeners have not read,
        and every channel it cannot judge."""
        ...


class Notifier(Protocol):
    recheck_seconds: float
    """How long a listener may wait before it looks at the database on its own (a wake-up
    published elsewhere may not reach it)."""

    async def publish(self, channel: str) -> None: ...

    def listen(self, channel: str) -> contextlib.AbstractAsyncContextManager[Listener]: ...

    async def close(self) -> None: ...


class _EventListener:
    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.read: int | None = None

    def wake(self) -> None:
        self._event.set()

    def read_to(self, seq: int) -> None:
        self.read = seq

    async def wait(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._event.wait(), seconds)
        except TimeoutError:
            return False
        self._event.clear()
        return True


RECHECK_SECONDS = 10.0  # without a wake-up from every process, listeners re-read this often


class InProcessNotifier:
    """Notifier for the embedded single-process mode.

    Another process on the same database (a separate job runner, say) cannot wake its
    listeners, so they look again every ``recheck_seconds``.
    """

    recheck_seconds = RECHECK_SECONDS

    def __init__(self) -> None:
        self._listeners: dict[str, set[_EventListener]] = defaultdict(set)

    async def publish(self, channel: str) -> None:
        for listener in list(self._listeners.get(channel, ())):
            listener.wake()

    @asynccontextmanager
    async def listen(self, channel: str) -> AsyncIterator[Listener]:
        listener = _EventListener()
        self._listeners[channel].add(listener)
        try:
            yield listener
        finally:
            self._listeners[channel].discard(listener)
            if not self._listeners[channel]:
                del self._listeners[channel]

    def marks(self) -> dict[str, int | None]:
        """Each listened channel with how far all its listeners have read (``ReadMarks``)."""
        found: dict[str, int | None] = {}
        for channel, listeners in list(self._listeners.items()):
            reads = [listener.read for listener in listeners]
            found[channel] = None if None in reads else min(r for r in reads if r is not None)
        return found

    def wake_all(self) -> None:
        """Wake every listener of every channel (say, after wake-ups may have been lost)."""
        for listeners in list(self._listeners.values()):
            for listener in list(listeners):
                listener.wake()

    async def close(self) -> None:
        self._listeners.clear()


def notify_after_commit(session: AsyncSession, channel: str) -> None:
    """Ask for ``channel`` to be woken once the session's transaction commits."""
    session.info.setdefault(_PENDING_KEY, set()).add(channel)


def discard_notifications(session: AsyncSession) -> None:
    """Forget pending wake-ups (the transaction was rolled back)."""
    session.info.pop(_PENDING_KEY, None)


_notifier: Notifier | None = None


def set_notifier(notifier: Notifier | None) -> None:
    """Install the process-wide notifier (done by the app's lifespan and the CLI)."""
    global _notifier
    _notifier = notifier


def get_notifier() -> Notifier:
    """Return the process-wide notifier, creating the in-process one on first use."""
    global _notifier
    if _notifier is None:
        _notifier = InProcessNotifier()
    return _notifier


async def flush_notifications(session: AsyncSession) -> None:
    """Publish the wake-ups a committed session asked for; failures are logged, never raised."""
    channels = session.info.pop(_PENDING_KEY, set())
    notifier = get_notifier()
    for channel in sorted(channels):
        try:
            await notifier.publish(channel)
        except Exception:  # a lost wake-up only delays delivery until the next heartbeat
            logger.exception("could not publish wake-up on %s", channel)
