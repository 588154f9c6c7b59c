"""While a customer waits for a person: tell them what they write is kept, without spamming."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import messages
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, Conversation, Message

# A waiting customer who keeps writing is told again that they were heard after this long.
ACK_EVERY = timedelta(minutes=10)
KIND = "waiting_ack"


async def acknowledge(
    session: AsyncSession, conversation: Conversation, message: Message, language: str | None
) -> None:
    """Acknowledge ``message``: once, then again after a quiet spell, never once a person wrote."""
    earlier = await conversation_service.recent_messages(session, conversation.id, limit=30)
    for previous in reversed(earlier):
        if previous.seq >= message.seq:
            continue
        if previous.author is Author.AGENT:
            return
        if previous.author is Author.SYSTEM and previous.data.get("kind") == KIND:
            if message.created_at - previous.created_at < ACK_EVERY:
                return
            break
    await conversation_service.append_message(
        session,
        conversation,
        author=Author.SYSTEM,
        text=messages.waiting_ack(language),
        data={"kind": KIND},
    )
