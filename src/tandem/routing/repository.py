"""Queries for handoffs and the human queue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import UnaryExpression

from tandem.conversations.models import Conversation
from tandem.routing.models import Handoff, HandoffStatus


def _queue_order() -> tuple[
    UnaryExpression[int], InstrumentedAttribute[datetime], InstrumentedAttribute[int]
]:
    return (Handoff.priority.desc(), Handoff.created_at, Handoff.id)


async def list_waiting(
    session: AsyncSession, *, limit: int
) -> Sequence[tuple[Handoff, Conversation]]:
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
        .where(Handoff.status == HandoffStatus.CLAIMED, Handoff.claimed_by == agent_id)
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
