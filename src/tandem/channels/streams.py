"""Server-sent event streams: read from the database, sleep until the notifier wakes us.

Each SSE event's id is the sequence number, so a client that reconnects (with ``after`` or the
standard Last-Event-ID header) gets exactly what it missed, in order, without duplicates.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.channels.serializers import timeline_items
from tandem.conversations import service as conversation_service
from tandem.core.db import transaction
from tandem.core.deps import MAX_ROW_ID
from tandem.core.events import (
    QUEUE_CHANNEL,
    RECHECK_SECONDS,
    conversation_channel,
    get_notifier,
)
from tandem.core.metrics import STREAMS


def resume_point(request: Request, after: int) -> int:
    """Return where to resume: the larger of ``after`` and the Last-Event-ID header."""
    header = request.headers.get("last-event-id", "")
    resumed = int(header) if header.isdigit() and len(header) <= 10 else 0
    return max(after, min(resumed, MAX_ROW_ID))


async def timeline_events(
    factory: async_sessionmaker[AsyncSession],
    conversation_id: str,
    *,
    after: int,
) -> AsyncIterator[dict[str, Any]]:
    """Yield every timeline item after ``after`` now and as it is committed."""
    STREAMS.inc()
    try:
        # Closed with this generator, not when collected: the listener leaves the notifier now.
        async with contextlib.aclosing(_timeline(factory, conversation_id, after=after)) as items:
            async for item in items:
                yield item
    finally:
        STREAMS.dec()


async def _timeline(
    factory: async_sessionmaker[AsyncSession],
    conversation_id: str,
    *,
    after: int,
) -> AsyncGenerator[dict[str, Any]]:
    notifier = get_notifier()
    async with notifier.listen(conversation_channel(conversation_id)) as listener:
        while True:  # EventSourceResponse cancels this generator when the client goes away
            async with transaction(factory, write=False) as session:
                messages, events = await conversation_service.timeline_after(
                    session, conversation_id, after=after
                )
                items = await timeline_items(session, messages, events)
            # Read up to here: a sweep for lost wake-ups leaves this stream alone until the
            # conversation moves past it (items the customer does not see count too).
            listener.read_to(max([after, *(m.seq for m in messages), *(e.seq for e in events)]))
            for item in items:
                yield {"id": str(item.seq), "event": item.type, "data": item.model_dump_json()}
                after = item.seq
            # A page that was not full is all there was: what is committed after the read
            # wakes the listener (a wake-up during the read ends the next wait at once).
            if not _full(messages, events):
                await listener.wait(notifier.recheck_seconds)


def _full(*pages: list[Any]) -> bool:
    return any(len(page) >= conversation_service.TIMELINE_PAGE for page in pages)


async def queue_events() -> AsyncIterator[dict[str, Any]]:
    """Yield a "queue" event on connect and whenever the human queue may have changed."""
    async with get_notifier().listen(QUEUE_CHANNEL) as listener:
        version = 0
        while True:
            version += 1
            yield {"event": "queue", "data": json.dumps({"version": version})}
            await listener.wait(RECHECK_SECONDS)
