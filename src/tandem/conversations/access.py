"""The chokepoint through which a customer reaches a conversation."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations import repository
from tandem.conversations.models import Conversation
from tandem.conversations.service import token_matches
from tandem.core.errors import NotFoundError
from tandem.core.time import utc_now

_NOT_FOUND = "No such conversation for this token; start a new one with POST /api/v1/conversations."
_EXPIRED = (
    "This conversation's token has expired after a long pause; start a new one with "
    "POST /api/v1/conversations."
)


async def access_conversation_as_customer(
    session: AsyncSession, conversation_id: str, token: str | None, *, idle_days: int
) -> Conversation:
    """Return the conversation if ``token`` is its customer token; otherwise 404 (not 403).

    A wrong token and a missing conversation look the same, so ids cannot be probed. A token
    expires after ``idle_days`` without activity in the conversation; every message renews it,
    so only a conversation left alone that long becomes unreadable with it.
    """
    if not token:
        raise NotFoundError(_NOT_FOUND)
    conversation = await repository.get_conversation(session, conversation_id)
    if conversation is None or not token_matches(conversation, token):
        raise NotFoundError(_NOT_FOUND)
    if conversation.updated_at < utc_now() - timedelta(days=idle_days):
        raise NotFoundError(_EXPIRED)
    return conversation
