"""The human queue: hand off, claim, reply, resolve."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.auth.models import Role, User
from tandem.conversations import service as conversation_service
from tandem.conversations.models import (
    Author,
    Conversation,
    ConversationStatus,
    EventKind,
    Message,
)
from tandem.conversations.schemas import QueueInfo
from tandem.core.errors import ConflictError, PermissionDeniedError
from tandem.core.events import QUEUE_CHANNEL, notify_after_commit
from tandem.core.time import utc_now
from tandem.escalation.policy import Decision
from tandem.routing import messages, repository
from tandem.routing.estimate import describe_wait, estimate_wait_seconds
from tandem.routing.models import Handoff, HandoffStatus

QUEUE_PAGE = 200


@dataclass(frozen=True, slots=True)
class QueueEntry:
    handoff: Handoff
    conversation: Conversation


async def queue_info(
    session: AsyncSession, handoff: Handoff, *, average_handle_seconds: int
) -> QueueInfo:
    """Return a waiting customer's place in the queue and the expected wait."""
    position = await repository.position_in_queue(session, handoff)
    online = await auth_service.count_online_agents(session)
    wait = estimate_wait_seconds(
        position=position, agents_online=online, average_handle_seconds=average_handle_seconds
    )
    return QueueInfo(
        position=position, estimated_wait_seconds=wait, estimated_wait_text=describe_wait(wait)
    )


async def hand_off(
    session: AsyncSession,
    conversation: Conversation,
    *,
    decision: Decision,
    brief: dict[str, Any],
    opening: str,
    average_handle_seconds: int,
) -> tuple[Handoff, QueueInfo | None]:
    """Put the conversation in the human queue with its reasons; tell the customer the wait.

    Precondition: ``decision.handoff``. A conversation already with a person is left as is.
    """
    assert decision.handoff
    assert decision.primary is not None
    existing = await repository.open_handoff(session, conversation.id)
    if existing is not None:
        return existing, None
    reasons = [{"code": r.code.value, "evidence": r.evidence} for r in decision.reasons]
    handoff = Handoff(
        conversation_id=conversation.id,
        queue=decision.queue,
        priority=int(decision.priority),
        reason=decision.primary.code,
        reasons=reasons,
        brief=brief,
        created_at=utc_now(),
    )
    session.add(handoff)
    await session.flush()
    await conversation_service.set_status(session, conversation, ConversationStatus.WAITING)
    await conversation_service.append_event(
        session,
        conversation,
        kind=EventKind.HANDOFF,
        data={
            "handoff_id": handoff.id,
            "reason": decision.primary.code.value,
            "reasons": reasons,
            "priority": int(decision.priority),
            "queue": decision.queue,
        },
    )
    info = await queue_info(session, handoff, average_handle_seconds=average_handle_seconds)
    text = messages.waiting(
        position=info.position, wait_seconds=info.estimated_wait_seconds, opening=opening
    )
    await conversation_service.append_message(
        session,
        conversation,
        author=Author.SYSTEM,
        text=text,
        data={"kind": "handoff", "reasons": [r["code"] for r in reasons]},
    )
    return handoff, info


async def list_queue(session: AsyncSession) -> list[QueueEntry]:
    """Return the waiting handoffs, highest priority first, then longest waiting."""
    rows = await repository.list_waiting(session, limit=QUEUE_PAGE)
    return [QueueEntry(h, c) for h, c in rows]


async def list_mine(session: AsyncSession, agent: User) -> list[QueueEntry]:
    rows = await repository.list_claimed_by(session, agent.id, limit=QUEUE_PAGE)
    return [QueueEntry(h, c) for h, c in rows]


async def open_handoff(session: AsyncSession, conversation: Conversation) -> Handoff | None:
    return await repository.open_handoff(session, conversation.id)


async def latest_handoff(session: AsyncSession, conversation: Conversation) -> Handoff | None:
    return await repository.latest_handoff(session, conversation.id)


def _may_override(agent: User) -> bool:
    return agent.role in (Role.SUPERVISOR, Role.ADMIN)


async def claim(session: AsyncSession, *, agent: User, conversation: Conversation) -> Handoff:
    """Make ``agent`` the owner of a waiting conversation; the bot goes silent."""
    handoff = await repository.open_handoff(session, conversation.id)
    if handoff is None:
        raise ConflictError("This conversation is not waiting for a person.")
    if handoff.status is HandoffStatus.CLAIMED:
        if handoff.claimed_by == agent.id:
            return handoff
        raise ConflictError("Another agent has already claimed this conversation.")
    handoff.status = HandoffStatus.CLAIMED
    handoff.claimed_by = agent.id
    handoff.claimed_at = utc_now()
    await conversation_service.set_status(
        session, conversation, ConversationStatus.ASSIGNED, agent_id=agent.id
    )
    await conversation_service.append_event(
        session,
        conversation,
        kind=EventKind.ASSIGNED,
        data={"agent_id": agent.id, "agent_name": agent.name, "handoff_id": handoff.id},
    )
    await conversation_service.append_message(
        session, conversation, author=Author.SYSTEM, text=messages.agent_joined(agent.name)
    )
    return handoff


async def _owned_handoff(session: AsyncSession, agent: User, conversation: Conversation) -> Handoff:
    handoff = await repository.open_handoff(session, conversation.id)
    if handoff is None:
        raise ConflictError(
            "This conversation is not with a person; claim it from the queue first."
        )
    if handoff.status is HandoffStatus.WAITING:
        return await claim(session, agent=agent, conversation=conversation)
    if handoff.claimed_by != agent.id and not _may_override(agent):
        raise PermissionDeniedError("Another agent owns this conversation.")
    return handoff


async def reply(
    session: AsyncSession,
    *,
    agent: User,
    conversation: Conversation,
    text: str,
    client_msg_id: str | None,
) -> Message:
    """Send an agent's reply; replying to a waiting conversation claims it first."""
    handoff = await _owned_handoff(session, agent, conversation)
    appended = await conversation_service.append_message(
        session,
        conversation,
        author=Author.AGENT,
        text=text,
        client_msg_id=client_msg_id,
        agent_id=agent.id,
    )
    if appended.created and handoff.first_human_reply_at is None:
        handoff.first_human_reply_at = appended.message.created_at
    return appended.message


async def resolve(session: AsyncSession, *, agent: User, conversation: Conversation) -> Handoff:
    """Close the human part of the conversation and invite the customer to rate it."""
    handoff = await _owned_handoff(session, agent, conversation)
    handoff.status = HandoffStatus.RESOLVED
    handoff.resolved_at = utc_now()
    await conversation_service.set_status(session, conversation, ConversationStatus.RESOLVED)
    await conversation_service.append_event(
        session, conversation, kind=EventKind.RESOLVED, data={"agent_id": agent.id}
    )
    await conversation_service.append_message(
        session,
        conversation,
        author=Author.SYSTEM,
        text=messages.resolved(),
        data={"kind": "resolved"},
    )
    notify_after_commit(session, QUEUE_CHANNEL)
    return handoff


async def agent_names(session: AsyncSession, entries: Sequence[Handoff]) -> dict[int, str]:
    ids = [h.claimed_by for h in entries if h.claimed_by is not None]
    return {uid: user.name for uid, user in (await auth_service.users_by_id(session, ids)).items()}
