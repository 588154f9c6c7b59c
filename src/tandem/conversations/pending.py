"""Bot replies a model is wording in a job: recorded by the turn, taken by the job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations import repository
from tandem.conversations.models import Conversation, EventKind, Message, PendingReply
from tandem.conversations.service import append_event
from tandem.core.time import utc_now


async def add_pending_reply(
    session: AsyncSession, conversation: Conversation, *, reply_to: Message, data: dict[str, Any]
) -> PendingReply:
    """Record a reply a job will word; listeners see the bot typing (an event) meanwhile."""
    pending = PendingReply(conversation_id=conversation.id, reply_to=reply_to.id, data=data)
    session.add(pending)
    await session.flush()
    await append_event(
        session, conversation, kind=EventKind.BOT_TYPING, data={"reply_to": reply_to.seq}
    )
    return pending


async def has_pending_reply(session: AsyncSession, conversation_id: str) -> bool:
    """Whether a reply to the conversation is still being written (the bot is typing)."""
    return await repository.oldest_pending_reply(session, conversation_id) is not None


async def oldest_pending_reply(session: AsyncSession, conversation_id: str) -> PendingReply | None:
    """The conversation's next reply to word, oldest first (replies keep the order asked)."""
    return await repository.oldest_pending_reply(session, conversation_id)


async def mark_pending_reply_started(session: AsyncSession, reply_id: int) -> None:
    """Record that the job is making the reply's call (a write must not be made twice)."""
    await repository.mark_pending_reply_started(session, reply_id)


async def take_pending_reply(session: AsyncSession, reply_id: int) -> bool:
    """Remove a pending reply before posting it; False when another run took it first."""
    return await repository.delete_pending_reply(session, reply_id)


async def conversations_with_late_replies(session: AsyncSession, *, late: timedelta) -> list[str]:
    """Conversations with a reply pending for longer than ``late`` (its job was lost)."""
    return await repository.conversations_with_replies_pending_since(session, utc_now() - late)
