"""Queries for customers, conversations, messages and events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations.models import (
    Attachment,
    Author,
    Conversation,
    ConversationEvent,
    Customer,
    Message,
    PendingReply,
)


async def get_conversation(session: AsyncSession, conversation_id: str) -> Conversation | None:
    return await session.get(Conversation, conversation_id)


async def find_by_idempotency_key(session: AsyncSession, key_hash: str) -> Conversation | None:
    result = await session.execute(
        select(Conversation).where(Conversation.idempotency_key_hash == key_hash)
    )
    return result.scalar_one_or_none()


async def get_customer(session: AsyncSession, customer_id: int) -> Customer | None:
    return await session.get(Customer, customer_id)


async def find_customer(
    session: AsyncSession, *, email: str | None = None, external_id: str | None = None
) -> Customer | None:
    if external_id:
        query = select(Customer).where(Customer.external_id == external_id)
    elif email:
        query = select(Customer).where(Customer.email == email)
    else:
        return None
    return (await session.execute(query)).scalar_one_or_none()


async def last_seqs(session: AsyncSession, conversation_ids: Sequence[str]) -> dict[str, int]:
    """Return each existing conversation's last sequence number."""
    found: dict[str, int] = {}
    for start in range(0, len(conversation_ids), 1000):
        chunk = conversation_ids[start : start + 1000]
        rows = await session.execute(
            select(Conversation.id, Conversation.last_seq).where(Conversation.id.in_(chunk))
        )
        found.update({str(row.id): int(row.last_seq) for row in rows})
    return found


async def bump_seq(
    session: AsyncSession,
    conversation_id: str,
    step: int = 1,
    *,
    touched_at: datetime | None = None,
) -> int:
    """Move the conversation's sequence by ``step`` under its row lock; return the new value.

    With ``touched_at`` the same statement sets ``updated_at``: appending a message or an
    event is then one UPDATE, not two."""
    touched = {} if touched_at is None else {"updated_at": touched_at}
    result = await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(last_seq=Conversation.last_seq + step, **touched)
        .returning(Conversation.last_seq)
        .execution_options(synchronize_session=False)
    )
    return int(result.scalar_one())


async def find_message_by_client_id(
    session: AsyncSession, conversation_id: str, client_msg_id: str
) -> Message | None:
    query = select(Message).where(
        Message.conversation_id == conversation_id, Message.client_msg_id == client_msg_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def list_messages_after(
    session: AsyncSession, conversation_id: str, *, after: int, limit: int
) -> Sequence[Message]:
    query = (
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.seq > after)
        .order_by(Message.seq)
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def list_events_after(
    session: AsyncSession, conversation_id: str, *, after: int, limit: int
) -> Sequence[ConversationEvent]:
    query = (
        select(ConversationEvent)
        .where(ConversationEvent.conversation_id == conversation_id, ConversationEvent.seq > after)
        .order_by(ConversationEvent.seq)
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def list_recent_messages(
    session: AsyncSession, conversation_id: str, *, limit: int
) -> Sequence[Message]:
    query = (
        select(Message)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.seq.desc())
        .limit(limit)
    )
    return list(reversed((await session.execute(query)).scalars().all()))


async def previous_message(
    session: AsyncSession, conversation_id: str, *, before: int, author: Author
) -> Message | None:
    query = (
        select(Message)
        .where(
            Message.conversation_id == conversation_id,
            Message.seq < before,
            Message.author == author,
        )
        .order_by(Message.seq.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def count_customer_conversations_since(
    session: AsyncSession, customer_id: int, *, since: datetime, exclude: str
) -> int:
    query = (
        select(func.count())
        .select_from(Conversation)
        .where(
            Conversation.customer_id == customer_id,
            Conversation.id != exclude,
            Conversation.created_at >= since,
        )
    )
    return int((await session.execute(query)).scalar_one())


async def list_customer_conversations(
    session: AsyncSession, customer_id: int, *, exclude: str, limit: int
) -> Sequence[Conversation]:
    query = (
        select(Conversation)
        .where(Conversation.customer_id == customer_id, Conversation.id != exclude)
        .order_by(Conversation.created_at.desc())
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def customer_turn_data(
    session: AsyncSession, *, conversations: int
) -> list[tuple[str, list[dict[str, Any]]]]:
    """Return the latest conversations' customer-message data, oldest turn first (2 queries)."""
    latest = select(Conversation.id).order_by(Conversation.created_at.desc()).limit(conversations)
    ids = [row[0] for row in (await session.execute(latest)).all()]
    if not ids:
        return []
    query = (
        select(Message.conversation_id, Message.data)
        .where(Message.conversation_id.in_(ids), Message.author == Author.CUSTOMER)
        .order_by(Message.conversation_id, Message.seq)
    )
    turns: dict[str, list[dict[str, Any]]] = {cid: [] for cid in ids}
    for conversation_id, data in (await session.execute(query)).all():
        turns[conversation_id].append(data)
    return [(cid, turns[cid]) for cid in ids]


async def get_attachment(
    session: AsyncSession, conversation_id: str, attachment_id: int
) -> Attachment | None:
    result = await session.execute(
        select(Attachment).where(
            Attachment.id == attachment_id, Attachment.conversation_id == conversation_id
        )
    )
    return result.scalar_one_or_none()


async def list_customers(
    session: AsyncSession, *, email: str | None, before_id: int | None, limit: int
) -> Sequence[Customer]:
    """Customers, newest first (by id), optionally one e-mail, after a page's last id."""
    query = select(Customer).order_by(Customer.id.desc()).limit(limit)
    if email:
        query = query.where(Customer.email == email.lower())
    if before_id is not None:
        query = query.where(Customer.id < before_id)
    return (await session.execute(query)).scalars().all()


async def activity_version(session: AsyncSession) -> tuple[object, ...]:
    """A cheap fingerprint of every conversation's content: it changes when a message or an
    event is added or a customer is erased (which rewrites text without adding rows)."""
    row = (
        await session.execute(
            select(
                select(func.max(Message.id)).scalar_subquery(),
                select(func.max(ConversationEvent.id)).scalar_subquery(),
                select(func.max(Conversation.erased_at)).scalar_subquery(),
            )
        )
    ).one()
    return tuple(row)


async def oldest_pending_reply(session: AsyncSession, conversation_id: str) -> PendingReply | None:
    query = (
        select(PendingReply)
        .where(PendingReply.conversation_id == conversation_id)
        .order_by(PendingReply.id)
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def conversations_with_replies_pending_since(
    session: AsyncSession, before: datetime
) -> list[str]:
    query = (
        select(PendingReply.conversation_id)
        .where(PendingReply.created_at < before)
        .group_by(PendingReply.conversation_id)
        .order_by(func.min(PendingReply.id))
    )
    return list((await session.execute(query)).scalars())


async def mark_pending_reply_started(session: AsyncSession, reply_id: int) -> None:
    reply = await session.get(PendingReply, reply_id)
    if reply is not None:
        reply.data = {**reply.data, "started": True}  # a new dict, so the JSON column is saved
        await session.flush()


async def delete_pending_reply(session: AsyncSession, reply_id: int) -> bool:
    """Delete the row; False when it was gone already (another run took it)."""
    result = await session.execute(delete(PendingReply).where(PendingReply.id == reply_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]
