"""Which conversations changed, read from the database: live streams' fallback without Redis."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.conversations import repository
from tandem.core.db import transaction
from tandem.core.events import conversation_channel

_CONVERSATION = conversation_channel("")


class ConversationProbe:
    """Compares each listened conversation's last sequence number with the previous look.

    One query however many streams follow conversations. Channels that are not a
    conversation's (the console's queue, the outbox) are always reported: re-reading them is
    cheap.
    """

    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = factory
        self._seen: dict[str, int] = {}

    async def changed(self, channels: Collection[str], *, wake_unknown: bool = True) -> set[str]:
        ids = {c.removeprefix(_CONVERSATION): c for c in channels if c.startswith(_CONVERSATION)}
        async with transaction(self._factory, write=False) as session:
            seqs = await repository.last_seqs(session, list(ids))
        wake = {c for c in channels if not c.startswith(_CONVERSATION)}
        wake |= {
            channel
            for conversation_id, channel in ids.items()
            if (wake_unknown and conversation_id not in self._seen)
            or (
                conversation_id in self._seen
                and seqs.get(conversation_id) != self._seen[conversation_id]
            )
        }
        self._seen = seqs
        return wake

    def knows(self, conversation_id: str) -> bool:
        """Whether the previous look saw this conversation."""
        return conversation_id in self._seen
