"""Queries for the copilot: resolved conversations to learn replies from, and macros."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations.models import Author, Conversation, ConversationStatus, Message
from tandem.copilot.models import Macro


async def resolved_exchanges(
    session: AsyncSession, *, conversations: int
) -> Sequence[tuple[str, Author, str]]:
    """Return (conversation id, author, text) of customer and agent messages, in order.

    Only the latest ``conversations`` resolved conversations that a person answered count.
    """
    with_agent = select(Message.conversation_id).where(Message.author == Author.AGENT)
    latest = (
        select(Conversation.id)
        .where(
            Conversation.status == ConversationStatus.RESOLVED,
            Conversation.id.in_(with_agent),
        )
        .order_by(Conversation.resolved_at.desc(), Conversation.id)
        .limit(conversations)
    )
    query = (
        select(Message.conversation_id, Message.author, Message.text)
        .where(
            Message.conversation_id.in_(latest),
            Message.author.in_([Author.CUSTOMER, Author.AGENT]),
        )
        .order_by(Message.conversation_id, Message.seq)
    )
    return [(row[0], row[1], row[2]) for row in (await session.execute(query)).all()]


async def list_macros(session: AsyncSession) -> Sequence[Macro]:
    return (await session.execute(select(Macro).order_by(Macro.title))).scalars().all()


async def get_macro(session: AsyncSession, macro_id: int) -> Macro | None:
    return await session.get(Macro, macro_id)


async def find_macro(session: AsyncSession, title: str) -> Macro | None:
    query = select(Macro).where(Macro.title == title)
    return (await session.execute(query)).scalar_one_or_none()
