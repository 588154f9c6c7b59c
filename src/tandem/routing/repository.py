"""Queries for handoffs and the human queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql.elements import ColumnElement, UnaryExpression

from tandem.conversations import search
from tandem.conversations.models import (
    Author,
    Conversation,
    ConversationStatus,
    Customer,
    Message,
)
from tandem.routing.models import (
    ConversationLabel,
    ConversationRead,
    Handoff,
    HandoffStatus,
    SummaryState,
)


def _queue_order() -> tuple[
    UnaryExpression[int], InstrumentedAttribute[datetime], InstrumentedAttribute[int]
]:
    return (Handoff.priority.desc(), Handoff.created_at, Handoff.id)


def _carrying(label: str | None) -> tuple[ColumnElement[bool], ...]:
    """No condition, or: the conversation carries ``label`` (normalised)."""
    if label is None:
        return ()
    labelled = select(ConversationLabel.conversation_id).where(ConversationLabel.label == label)
    return (Conversation.id.in_(labelled),)


async def list_waiting(
    session: AsyncSession, *, limit: int
) -> Sequence[tuple[Handoff, Conversation]]:
    """The waiting handoffs in queue order."""
    query = (
        select(Handoff, Conversation)
        .join(Conversation, Conversation.id == Handoff.conversation_id)
        .where(Handoff.status == HandoffStatus.WAITING)
        .order_by(*_queue_order())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


async def list_claimed_by(
    session: AsyncSession, agent_id: int, *, limit: int
) -> Sequence[tuple[Handoff, Conversation]]:
    query = (
        select(Handoff, Conversation)
        .join(Conversation, Conversation.id == Handoff.conversation_id)
        .where(
            Handoff.status == HandoffStatus.CLAIMED,
            Handoff.claimed_by == agent_id,
        )
        .order_by(Handoff.claimed_at.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


async def open_handoff(session: AsyncSession, conversation_id: str) -> Handoff | None:
    """Return the conversation's handoff that is waiting or claimed, if any."""
    query = (
        select(Handoff)
        .where(
            Handoff.conversation_id == conversation_id,
            Handoff.status.in_([HandoffStatus.WAITING, HandoffStatus.CLAIMED]),
        )
        .order_by(Handoff.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def pending_summaries(
    session: AsyncSession, *, created_before: datetime, created_after: datetime
) -> list[int]:
    """Ids of handoffs whose model summary is still pending, created in the window given."""
    query = (
        select(Handoff.id)
        .where(
            Handoff.summary_state == SummaryState.PENDING,
            Handoff.created_at < created_before,
            Handoff.created_at > created_after,
        )
        .order_by(Handoff.id)
    )
    return list((await session.execute(query)).scalars())


async def latest_handoff(session: AsyncSession, conversation_id: str) -> Handoff | None:
    query = (
        select(Handoff)
        .where(Handoff.conversation_id == conversation_id)
        .order_by(Handoff.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def position_in_queue(session: AsyncSession, handoff: Handoff) -> int:
    """Return the 1-based place of a waiting handoff (ahead: higher priority, or same and older)."""
    ahead = and_(
        Handoff.status == HandoffStatus.WAITING,
        or_(
            Handoff.priority > handoff.priority,
            and_(
                Handoff.priority == handoff.priority,
                or_(
                    Handoff.created_at < handoff.created_at,
                    and_(Handoff.created_at == handoff.created_at, Handoff.id < handoff.id),
                ),
            ),
        ),
    )
    query = select(func.count()).select_from(Handoff).where(ahead)
    return int((await session.execute(query)).scalar_one()) + 1


async def claim_if_waiting(
    session: AsyncSession, handoff_id: int, *, agent_id: int, at: datetime, deadline: datetime
) -> bool:
    """Atomically move a waiting handoff to ``agent_id``; False if someone else was faster."""
    result = await session.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.status == HandoffStatus.WAITING)
        .values(
            status=HandoffStatus.CLAIMED, claimed_by=agent_id, claimed_at=at, sla_deadline=deadline
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def active_counts(session: AsyncSession) -> dict[int, int]:
    """Return how many conversations each agent owns now."""
    query = (
        select(Handoff.claimed_by, func.count())
        .where(Handoff.status == HandoffStatus.CLAIMED, Handoff.claimed_by.is_not(None))
        .group_by(Handoff.claimed_by)
    )
    rows = (await session.execute(query)).all()
    return {int(agent): int(count) for agent, count in rows if agent is not None}


async def load_since(
    session: AsyncSession, since: datetime, *, hard_threshold: float
) -> dict[int, tuple[float, int, datetime | None]]:
    """Return, per agent, the emotional load and hard cases taken since ``since``, and the last."""
    hard = func.sum(case((Handoff.emotional_load >= hard_threshold, 1), else_=0))
    query = (
        select(
            Handoff.claimed_by, func.sum(Handoff.emotional_load), hard, func.max(Handoff.claimed_at)
        )
        .where(Handoff.claimed_by.is_not(None), Handoff.claimed_at >= since)
        .group_by(Handoff.claimed_by)
    )
    rows = (await session.execute(query)).all()
    return {
        int(a): (float(load or 0), int(n or 0), last) for a, load, n, last in rows if a is not None
    }


async def list_overdue(session: AsyncSession, now: datetime) -> Sequence[Handoff]:
    """Return claimed handoffs whose agent has not replied by the SLA deadline."""
    query = select(Handoff).where(
        Handoff.status == HandoffStatus.CLAIMED,
        Handoff.first_human_reply_at.is_(None),
        Handoff.sla_deadline.is_not(None),
        Handoff.sla_deadline < now,
    )
    return (await session.execute(query)).scalars().all()


async def list_waiting_handoffs(session: AsyncSession) -> Sequence[Handoff]:
    query = select(Handoff).where(Handoff.status == HandoffStatus.WAITING).order_by(*_queue_order())
    return (await session.execute(query)).scalars().all()


async def load_of_agent_since(session: AsyncSession, agent_id: int, since: datetime) -> float:
    query = select(func.coalesce(func.sum(Handoff.emotional_load), 0.0)).where(
        Handoff.claimed_by == agent_id, Handoff.claimed_at >= since
    )
    return float((await session.execute(query)).scalar_one())


async def list_recent_requeued(session: AsyncSession, *, limit: int) -> Sequence[Handoff]:
    query = (
        select(Handoff)
        .where(Handoff.sla_breached.is_(True))
        .order_by(Handoff.created_at.desc())
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def count_waiting(session: AsyncSession) -> int:
    """Return how many handoffs wait for a person, across queues."""
    result = await session.execute(
        select(func.count()).select_from(Handoff).where(Handoff.status == HandoffStatus.WAITING)
    )
    return int(result.scalar_one())


async def latest_queues(session: AsyncSession, conversation_ids: Sequence[str]) -> dict[str, str]:
    """The queue of each conversation's latest handoff (one query; never handed off: left out)."""
    if not conversation_ids:
        return {}
    latest = (
        select(func.max(Handoff.id))
        .where(Handoff.conversation_id.in_(set(conversation_ids)))
        .group_by(Handoff.conversation_id)
    )
    rows = await session.execute(
        select(Handoff.conversation_id, Handoff.queue).where(Handoff.id.in_(latest))
    )
    return {str(conversation_id): str(queue) for conversation_id, queue in rows.all()}


@dataclass(frozen=True, slots=True)
class HandoffFilters:
    """What a conversation's latest handoff must be: whose, in which queue, how urgent. A
    conversation never handed off has no owner, queue or priority."""

    claimed_by: int | None = None
    claimed_by_other_than: int | None = None  # claimed, by someone else
    unclaimed: bool = False
    queue: str | None = None
    priority: int | None = None
    label: str | None = None  # normalised; the conversation carries it


def _is_latest_handoff() -> ColumnElement[bool]:
    newer = aliased(Handoff)
    latest = select(func.max(newer.id)).where(newer.conversation_id == Conversation.id)
    return and_(Handoff.conversation_id == Conversation.id, Handoff.id == latest.scalar_subquery())


def _handoff_conditions(filters: HandoffFilters) -> list[ColumnElement[bool]]:
    found = list(_carrying(filters.label))
    if filters.claimed_by is not None:
        found.append(Handoff.claimed_by == filters.claimed_by)
    if filters.claimed_by_other_than is not None:
        found.append(Handoff.claimed_by != filters.claimed_by_other_than)
    if filters.unclaimed:
        found.append(Handoff.claimed_by.is_(None))
    if filters.queue is not None:
        found.append(Handoff.queue == filters.queue)
    if filters.priority is not None:
        found.append(Handoff.priority == filters.priority)
    return found


async def list_inbox(
    session: AsyncSession,
    conversations: search.Filters,
    handoffs: HandoffFilters,
    *,
    queue_order: bool,
    limit: int,
) -> Sequence[tuple[Conversation, Customer, Handoff | None]]:
    """Conversations matching both filters, each with its customer and latest handoff; in queue
    order (priority, then longest waiting) or newest activity first. One query."""
    order = (
        (func.coalesce(Handoff.priority, 0).desc(), Handoff.created_at, Conversation.id)
        if queue_order
        else (Conversation.updated_at.desc(), Conversation.id.desc())
    )
    query = (
        select(Conversation, Customer, Handoff)
        .join(Customer, Customer.id == Conversation.customer_id)
        .outerjoin(Handoff, _is_latest_handoff())
        .where(*search.conditions(conversations), *_handoff_conditions(handoffs))
        .order_by(*order)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in (await session.execute(query)).all()]


async def unread_counts(session: AsyncSession, agent_id: int) -> dict[str, int]:
    """For each conversation the agent holds, the customer messages after what they last read
    (every one, if they never opened it); conversations with none unread are left out."""
    read = and_(
        ConversationRead.conversation_id == Conversation.id, ConversationRead.user_id == agent_id
    )
    query = (
        select(Conversation.id, func.count(Message.id))
        .join(Message, Message.conversation_id == Conversation.id)
        .outerjoin(ConversationRead, read)
        .where(
            Conversation.assigned_agent_id == agent_id,
            Conversation.status == ConversationStatus.ASSIGNED,
            Message.author == Author.CUSTOMER,
            Message.seq > func.coalesce(ConversationRead.read_seq, 0),
        )
        .group_by(Conversation.id)
    )
    return {str(id_): int(count) for id_, count in (await session.execute(query)).all()}


async def _move_read_mark(
    session: AsyncSession, *, user_id: int, conversation_id: str, seq: int, at: datetime
) -> bool:
    result = await session.execute(
        update(ConversationRead)
        .where(
            ConversationRead.user_id == user_id,
            ConversationRead.conversation_id == conversation_id,
            ConversationRead.read_seq < seq,
        )
        .values(read_seq=seq, read_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def mark_read(
    session: AsyncSession, *, user_id: int, conversation_id: str, seq: int, at: datetime
) -> None:
    """Move the user's read mark on the conversation forward to ``seq`` (never back); the
    first mark is added, also when another request adds it at the same moment."""
    if await _move_read_mark(
        session, user_id=user_id, conversation_id=conversation_id, seq=seq, at=at
    ):
        return
    marked = select(ConversationRead.id).where(
        ConversationRead.user_id == user_id, ConversationRead.conversation_id == conversation_id
    )
    if (await session.scalars(marked)).first() is not None:
        return  # already read that far
    try:
        async with session.begin_nested():
            session.add(
                ConversationRead(
                    user_id=user_id, conversation_id=conversation_id, read_seq=seq, read_at=at
                )
            )
    except IntegrityError:
        await _move_read_mark(
            session, user_id=user_id, conversation_id=conversation_id, seq=seq, at=at
        )
