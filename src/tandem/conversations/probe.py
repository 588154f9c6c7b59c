"""Which conversations hold what their live streams have not read, from the database: the
sweep for wake-ups lost while Redis is up, and the streams' fallback while it is down."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.conversations import repository
from tandem.core.db import transaction
from tandem.core.events import ReadMarks, conversation_channel

_CONVERSATION = conversation_channel("")


class ConversationProbe:
    """Compares each listened conversation's last sequence number with what its streams read.

    One query however many streams follow conversations, and no state of its own: a stream
    woken through Redis has read what woke it, so only a lost wake-up leaves one behind.
    Channels that are not a conversation's (the console's queue, the outbox) are always
    reported: re-reading them is cheap. So is a conversation whose stream has not said how
    far it read (its first read is under way).
    """

    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = factory

    async def behind(self, marks: ReadMarks) -> set[str]:
        ids = {c.removeprefix(_CONVERSATION): c for c in marks if c.startswith(_CONVERSATION)}
        async with transaction(self._factory, write=False) as session:
            seqs = await repository.last_seqs(session, list(ids)) if ids else {}
        wake = {c for c in marks if not c.startswith(_CONVERSATION)}
        for conversation_id, channel in ids.items():
            read, last = marks[channel], seqs.get(conversation_id)
            if read is None or last is None or last > read:
                wake.add(channel)
        return wake
