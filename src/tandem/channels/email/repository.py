"""Queries for mail threads, stored mails and the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.channels.email.models import MailDirection, MailMessage, MailStatus, MailThread
from tandem.conversations.models import Conversation


async def find_mail(session: AsyncSession, message_key: str) -> MailMessage | None:
    result = await session.execute(
        select(MailMessage).where(MailMessage.message_key == message_key)
    )
    return result.scalar_one_or_none()


async def conversation_of(session: AsyncSession, message_keys: Sequence[str]) -> str | None:
    """Return the conversation of the first of ``message_keys`` that is a stored mail."""
    if not message_keys:
        return None
    result = await session.execute(
        select(MailMessage.message_key, MailMessage.conversation_id).where(
            MailMessage.message_key.in_(message_keys),
            MailMessage.conversation_id.is_not(None),
        )
    )
    found = dict(result.all())
    for key in message_keys:
        if found.get(key):
            return found[key]
    return None


async def get_thread(session: AsyncSession, conversation_id: str) -> MailThread | None:
    return await session.get(MailThread, conversation_id)


async def thread_message_ids(session: AsyncSession, conversation_id: str) -> list[str]:
    """Message-IDs of the conversation's mails in and out, oldest first (ignored ones left out)."""
    result = await session.execute(
        select(MailMessage.message_id)
        .where(
            MailMessage.conversation_id == conversation_id,
            MailMessage.status != MailStatus.IGNORED,
        )
        .order_by(MailMessage.id)
    )
    return list(result.scalars())


async def threads_behind(session: AsyncSession, *, limit: int) -> list[tuple[MailThread, int]]:
    """Threads whose conversation has messages past ``mailed_seq``, with its latest seq."""
    result = await session.execute(
        select(MailThread, Conversation.last_seq)
        .join(Conversation, Conversation.id == MailThread.conversation_id)
        .where(Conversation.last_seq > MailThread.mailed_seq)
        .limit(limit)
    )
    return [(thread, int(seq)) for thread, seq in result.all()]


async def advance_thread(
    session: AsyncSession, conversation_id: str, *, seen: int, to: int
) -> bool:
    """Move ``mailed_seq`` from ``seen`` to ``to``; False if another process moved it first."""
    result = await session.execute(
        update(MailThread)
        .where(MailThread.conversation_id == conversation_id, MailThread.mailed_seq == seen)
        .values(mailed_seq=to)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def due_mails(session: AsyncSession, *, now: datetime, limit: int) -> list[MailMessage]:
    result = await session.execute(
        select(MailMessage)
        .where(
            MailMessage.direction == MailDirection.OUTBOUND,
            MailMessage.status == MailStatus.PENDING,
            MailMessage.next_attempt_at <= now,
        )
        .order_by(MailMessage.next_attempt_at, MailMessage.id)
        .limit(limit)
        .execution_options(populate_existing=True)  # leases are taken by UPDATE, not the ORM
    )
    return list(result.scalars())


async def lease_mail(
    session: AsyncSession, mail_id: int, *, attempts: int, until: datetime
) -> bool:
    """Take a due mail for sending until ``until``; False if another process took it."""
    result = await session.execute(
        update(MailMessage)
        .where(
            MailMessage.id == mail_id,
            MailMessage.status == MailStatus.PENDING,
            MailMessage.attempts == attempts,
        )
        .values(next_attempt_at=until, attempts=MailMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def get_mail(session: AsyncSession, mail_id: int) -> MailMessage | None:
    return await session.get(MailMessage, mail_id, populate_existing=True)


async def list_mails(session: AsyncSession, conversation_id: str) -> list[MailMessage]:
    result = await session.execute(
        select(MailMessage)
        .where(MailMessage.conversation_id == conversation_id)
        .order_by(MailMessage.id)
    )
    return list(result.scalars())
