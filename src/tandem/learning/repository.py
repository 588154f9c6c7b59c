"""Queries for proposals, the training set, flagged answers and the turns that measure a change."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations.models import Author, Message
from tandem.learning.models import (
    ARTICLE_KINDS,
    AnswerFlag,
    Proposal,
    ProposalKind,
    ProposalStatus,
    TrainingExample,
)
from tandem.routing.models import Handoff

TURN_SAMPLE = 5000  # the most recent customer turns a before/after comparison reads


async def get_proposal(session: AsyncSession, proposal_id: int) -> Proposal | None:
    return await session.get(Proposal, proposal_id)


async def list_proposals(
    session: AsyncSession,
    *,
    status: ProposalStatus,
    limit: int,
    kinds: Collection[ProposalKind] | None = None,
) -> Sequence[Proposal]:
    query = select(Proposal).where(Proposal.status == status)
    if kinds is not None:
        query = query.where(Proposal.kind.in_(kinds))
    query = query.order_by(Proposal.created_at.desc(), Proposal.id.desc()).limit(limit)
    return (await session.execute(query)).scalars().all()


async def pending_for_slug(session: AsyncSession, slug: str) -> Proposal | None:
    """The pending article proposal for ``slug`` (a golden question publishes no article)."""
    query = select(Proposal).where(
        Proposal.status == ProposalStatus.PENDING,
        Proposal.slug == slug,
        Proposal.kind.in_(ARTICLE_KINDS),
    )
    return (await session.execute(query.limit(1))).scalar_one_or_none()


async def accepted_golden(session: AsyncSession) -> Sequence[Proposal]:
    """Golden questions supervisors accepted, oldest review first."""
    query = (
        select(Proposal)
        .where(
            Proposal.status == ProposalStatus.APPROVED,
            Proposal.kind == ProposalKind.GOLDEN_QUESTION,
        )
        .order_by(Proposal.reviewed_at, Proposal.id)
    )
    return (await session.execute(query)).scalars().all()


async def find_flag(
    session: AsyncSession, *, message_id: int, flagged_by: int
) -> AnswerFlag | None:
    query = select(AnswerFlag).where(
        AnswerFlag.message_id == message_id, AnswerFlag.flagged_by == flagged_by
    )
    return (await session.execute(query)).scalar_one_or_none()


async def flags_with_seq(
    session: AsyncSession,
    *,
    conversation_id: str | None = None,
    proposal_ids: Collection[int] | None = None,
) -> Sequence[tuple[AnswerFlag, int]]:
    """Flags of a conversation, or behind some proposals, with their message's sequence number;
    in the order of the transcript, then of flagging."""
    query = select(AnswerFlag, Message.seq).join(Message, Message.id == AnswerFlag.message_id)
    if conversation_id is not None:
        query = query.where(AnswerFlag.conversation_id == conversation_id)
    if proposal_ids is not None:
        query = query.where(AnswerFlag.proposal_id.in_(proposal_ids))
    query = query.order_by(AnswerFlag.conversation_id, Message.seq, AnswerFlag.id)
    return [(flag, seq) for flag, seq in (await session.execute(query)).all()]


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
