"""The queries behind a data subject's rights: everything stored about one customer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.channels.email.models import MailMessage, MailThread
from tandem.conversations.models import (
    Attachment,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    Customer,
    Message,
    PendingReply,
)
from tandem.core.outbox import OutboxEvent
from tandem.learning.models import AnswerFlag, Proposal, ProposalStatus, TrainingExample
from tandem.routing.models import ConversationLabel, ConversationNote, Handoff


async def find_customer(session: AsyncSession, email: str) -> Customer | None:
    query = select(Customer).where(Customer.email == email.strip().lower())
    return (await session.execute(query)).scalar_one_or_none()


async def conversations_of(session: AsyncSession, customer_id: int) -> Sequence[Conversation]:
    query = (
        select(Conversation)
        .where(Conversation.customer_id == customer_id)
        .order_by(Conversation.created_at)
    )
    return (await session.execute(query)).scalars().all()


async def messages_of(session: AsyncSession, conversation_ids: Sequence[str]) -> Sequence[Message]:
    query = (
        select(Message)
        .where(Message.conversation_id.in_(conversation_ids))
        .order_by(Message.conversation_id, Message.seq)
    )
    return (await session.execute(query)).scalars().all()


async def events_of(
    session: AsyncSession, conversation_ids: Sequence[str]
) -> Sequence[ConversationEvent]:
    query = (
        select(ConversationEvent)
        .where(ConversationEvent.conversation_id.in_(conversation_ids))
        .order_by(ConversationEvent.conversation_id, ConversationEvent.seq)
    )
    return (await session.execute(query)).scalars().all()


async def handoffs_of(session: AsyncSession, conversation_ids: Sequence[str]) -> Sequence[Handoff]:
    query = select(Handoff).where(Handoff.conversation_id.in_(conversation_ids))
    return (await session.execute(query)).scalars().all()


async def notes_of(
    session: AsyncSession, conversation_ids: Sequence[str]
) -> Sequence[ConversationNote]:
    query = (
        select(ConversationNote)
        .where(ConversationNote.conversation_id.in_(conversation_ids))
        .order_by(ConversationNote.id)
    )
    return (await session.execute(query)).scalars().all()


async def labels_of(
    session: AsyncSession, conversation_ids: Sequence[str]
) -> Sequence[ConversationLabel]:
    query = (
        select(ConversationLabel)
        .where(ConversationLabel.conversation_id.in_(conversation_ids))
        .order_by(ConversationLabel.label)
    )
    return (await session.execute(query)).scalars().all()


async def answer_flags_of(
    session: AsyncSession, conversation_ids: Sequence[str]
) -> Sequence[AnswerFlag]:
    query = (
        select(AnswerFlag)
        .where(AnswerFlag.conversation_id.in_(conversation_ids))
        .order_by(AnswerFlag.id)
    )
    return (await session.execute(query)).scalars().all()


async def proposals(session: AsyncSession) -> Sequence[Proposal]:
    """Every learning proposal (few: one per resolved conversation worth learning from)."""
    return (await session.execute(select(Proposal))).scalars().all()


async def delete_pending_proposal(session: AsyncSession, proposal: Proposal) -> None:
    assert proposal.status is ProposalStatus.PENDING
    await session.execute(delete(TrainingExample).where(TrainingExample.proposal_id == proposal.id))
    await session.delete(proposal)


async def expired_conversations(
    session: AsyncSession, cutoff: datetime, limit: int
) -> Sequence[Conversation]:
    """Conversations not erased yet, with no person on them, and quiet since ``cutoff``."""
    last_activity = func.coalesce(Conversation.resolved_at, Conversation.updated_at)
    query = (
        select(Conversation)
        .where(
            Conversation.erased_at.is_(None),
            Conversation.status.in_([ConversationStatus.RESOLVED, ConversationStatus.BOT]),
            last_activity < cutoff,
        )
        .order_by(Conversation.created_at)
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def customers_without_recent_conversations(
    session: AsyncSession, cutoff: datetime
) -> Sequence[Customer]:
    """Customers still identifiable, known since before ``cutoff``, with nothing left unerased."""
    live = select(Conversation.id).where(
        Conversation.customer_id == Customer.id, Conversation.erased_at.is_(None)
    )
    query = select(Customer).where(
        Customer.created_at < cutoff,
        or_(
            Customer.email.is_not(None),
            Customer.name.is_not(None),
            Customer.external_id.is_not(None),
        ),
        ~live.exists(),
    )
    return (await session.execute(query)).scalars().all()


async def delete_pending_replies(session: AsyncSession, conversation_ids: Sequence[str]) -> None:
    await session.execute(
        delete(PendingReply).where(PendingReply.conversation_id.in_(conversation_ids))
    )


async def delete_attachments(session: AsyncSession, conversation_ids: Sequence[str]) -> None:
    await session.execute(
        delete(Attachment).where(Attachment.conversation_id.in_(conversation_ids))
    )


async def mails_of(session: AsyncSession, conversation_ids: Sequence[str]) -> Sequence[MailMessage]:
    query = select(MailMessage).where(MailMessage.conversation_id.in_(conversation_ids))
    return (await session.execute(query)).scalars().all()


async def mail_threads_of(
    session: AsyncSession, conversation_ids: Sequence[str]
) -> Sequence[MailThread]:
    query = select(MailThread).where(MailThread.conversation_id.in_(conversation_ids))
    return (await session.execute(query)).scalars().all()


async def outbox_events_of(
    session: AsyncSession, conversation_ids: Sequence[str]
) -> Sequence[OutboxEvent]:
    query = select(OutboxEvent).where(OutboxEvent.conversation_id.in_(conversation_ids))
    return (await session.execute(query)).scalars().all()
