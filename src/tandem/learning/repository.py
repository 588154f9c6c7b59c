"""Queries for proposals, the training set and the turns that measure a change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations.models import Author, Message
from tandem.learning.models import Proposal, ProposalStatus, TrainingExample
from tandem.routing.models import Handoff

TURN_SAMPLE = 5000  # the most recent customer turns a before/after comparison reads


async def get_proposal(session: AsyncSession, proposal_id: int) -> Proposal | None:
    return await session.get(Proposal, proposal_id)


async def list_proposals(
    session: AsyncSession, *, status: ProposalStatus, limit: int
) -> Sequence[Proposal]:
    query = (
        select(Proposal)
        .where(Proposal.status == status)
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def pending_for_slug(session: AsyncSession, slug: str) -> Proposal | None:
    query = select(Proposal).where(Proposal.status == ProposalStatus.PENDING, Proposal.slug == slug)
    return (await session.execute(query.limit(1))).scalar_one_or_none()


async def list_training_examples(session: AsyncSession) -> Sequence[TrainingExample]:
    query = select(TrainingExample).order_by(TrainingExample.id)
    return (await session.execute(query)).scalars().all()


async def customer_turn_data(
    session: AsyncSession, *, since: datetime, until: datetime | None
) -> list[dict[str, Any]]:
    """Return the stored data of customer turns in [since, until), newest first, bounded."""
    query = select(Message.data).where(
        Message.author == Author.CUSTOMER, Message.created_at >= since
    )
    if until is not None:
        query = query.where(Message.created_at < until)
    query = query.order_by(Message.created_at.desc()).limit(TURN_SAMPLE)
    return [dict(row) for row in (await session.execute(query)).scalars()]


async def customer_turns_since(
    session: AsyncSession, *, since: datetime
) -> Sequence[tuple[str, str, dict[str, Any], bool]]:
    """Return (conversation id, text, data, reached a person) of recent customer turns."""
    query = (
        select(
            Message.conversation_id,
            Message.text,
            Message.data,
            Message.conversation_id.in_(select(Handoff.conversation_id)),
        )
        .where(Message.author == Author.CUSTOMER, Message.created_at >= since)
        .order_by(Message.created_at.desc())
        .limit(TURN_SAMPLE)
    )
    rows = (await session.execute(query)).all()
    return [(row[0], row[1], dict(row[2]), bool(row[3])) for row in rows]
