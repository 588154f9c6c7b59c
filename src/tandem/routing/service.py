"""The human queue: hand off, claim, reply, resolve, transfer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.auth.models import Presence, Role, User
from tandem.conversations import service as conversation_service
from tandem.conversations.models import (
    Author,
    Conversation,
    ConversationStatus,
    EventKind,
    Message,
)
from tandem.conversations.schemas import QueueInfo
from tandem.core.errors import ConflictError, InvalidInputError, PermissionDeniedError
from tandem.core.events import QUEUE_CHANNEL, conversation_channel, notify_after_commit
from tandem.core.metrics import HANDOFFS
from tandem.core.time import utc_now
from tandem.escalation import service as escalation_service
from tandem.escalation.config import Policy
from tandem.escalation.policy import Decision
from tandem.routing import assignment, messages, repository, waiting
from tandem.routing.models import Handoff, HandoffStatus, SummaryState

QUEUE_PAGE = 200


@dataclass(frozen=True, slots=True)
class QueueEntry:
    handoff: Handoff
    conversation: Conversation


async def hand_off(
    session: AsyncSession,
    conversation: Conversation,
    *,
    decision: Decision,
    brief: dict[str, Any],
    opening: str,
    policy: Policy,
    average_handle_seconds: int,
    language: str | None = None,
    taken_by: User | None = None,
    summary_pending: bool = False,
) -> tuple[Handoff, QueueInfo | None]:
    """Queue the conversation for a person with its reasons; tell the customer the wait.

    ``language``: the customer's, for what they read (English when it has no catalogue).
    ``taken_by``: an agent taking the conversation over from the bot; it goes to them at once,
    and the customer reads no wait.
    ``summary_pending``: a model will word the brief's summary afterwards (`keep_summary`).

    Precondition: ``decision.handoff``. A conversation already with a person is left as is.
    """
    assert decision.handoff
    assert decision.primary is not None
    existing = await repository.open_handoff(session, conversation.id)
    if existing is not None:
        return existing, None
    now = utc_now()
    queue = decision.queue if decision.queue in policy.queues else policy.default_queue
    reasons = [{"code": r.code.value, "evidence": r.evidence} for r in decision.reasons]
    handoff = Handoff(
        conversation_id=conversation.id,
        queue=queue,
        priority=int(decision.priority),
        reason=decision.primary.code,
        reasons=reasons,
        brief=brief,
        created_at=now,
        sla_deadline=assignment.reply_deadline(policy, queue, now),
        emotional_load=conversation.emotional_load,
        summary_state=SummaryState.PENDING if summary_pending else None,
    )
    session.add(handoff)
    await session.flush()
    HANDOFFS.labels(reason=decision.primary.code.value).inc()
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
            "queue": queue,
        },
    )
    info = None
    if taken_by is not None:
        text = opening  # the agent joins at once: no wait to announce
    else:
        info = await waiting.queue_info(
            session,
            handoff,
            policy=policy,
            average_handle_seconds=average_handle_seconds,
            language=language,
        )
        text = waiting.wait_text(info, opening=opening, language=language)
    await conversation_service.append_message(
        session,
        conversation,
        author=Author.SYSTEM,
        text=text,
        data={"kind": "handoff", "reasons": [r["code"] for r in reasons]},
    )
    if taken_by is not None:
        await claim(session, agent=taken_by, conversation=conversation, policy=policy)
    else:
        await assignment.assign_waiting(session, policy=policy)
    return handoff, info


async def list_queue(session: AsyncSession) -> list[QueueEntry]:
    """Return the waiting handoffs, highest priority first, then longest waiting."""
    rows = await repository.list_waiting(session, limit=QUEUE_PAGE)
    return [QueueEntry(h, c) for h, c in rows]


async def open_handoff(session: AsyncSession, conversation: Conversation) -> Handoff | None:
    return await repository.open_handoff(session, conversation.id)


async def latest_handoff(session: AsyncSession, conversation: Conversation) -> Handoff | None:
    return await repository.latest_handoff(session, conversation.id)


async def get_handoff(session: AsyncSession, handoff_id: int) -> Handoff | None:
    return await session.get(Handoff, handoff_id)


async def pending_summaries(
    session: AsyncSession, *, quiet_for: timedelta, within: timedelta
) -> list[int]:
    """Handoffs whose summary has been pending for ``quiet_for`` (its job is late or lost),
    among those of the last ``within`` (older ones keep their extractive summary)."""
    now = utc_now()
    return await repository.pending_summaries(
        session, created_before=now - quiet_for, created_after=now - within
    )


async def keep_summary(
    session: AsyncSession, handoff: Handoff, *, changes: dict[str, Any], state: SummaryState
) -> bool:
    """Record how a pending summary ended; ``changes`` go into the brief.

    Returns False, changing nothing, when it is no longer pending (another run finished it).
    """
    await session.refresh(handoff, with_for_update=True)
    if handoff.summary_state is not SummaryState.PENDING:
        return False
    handoff.summary_state = state
    if changes:
        handoff.brief = {**handoff.brief, **changes}
    notify_after_commit(session, QUEUE_CHANNEL)  # the queue and the console show the brief
    notify_after_commit(session, conversation_channel(handoff.conversation_id))
    return True


def may_supervise(user: User) -> bool:
    return user.role in (Role.SUPERVISOR, Role.ADMIN)


async def claim(
    session: AsyncSession, *, agent: User, conversation: Conversation, policy: Policy
) -> Handoff:
    """Make ``agent`` the owner of a waiting conversation (pulled from the queue)."""
    handoff = await repository.open_handoff(session, conversation.id)
    if handoff is None:
        raise ConflictError("This conversation is not waiting for a person.")
    if handoff.status is HandoffStatus.CLAIMED:
        if handoff.claimed_by == agent.id:
            return handoff
        raise ConflictError("Another agent has already claimed this conversation.")
    if not await assignment.assign_to(
        session, handoff, conversation, agent, policy=policy, by_router=False
    ):
        raise ConflictError("Another agent has already claimed this conversation.")
    return handoff


async def _owned_handoff(
    session: AsyncSession, agent: User, conversation: Conversation, policy: Policy
) -> Handoff:
    handoff = await repository.open_handoff(session, conversation.id)
    if handoff is None:
        raise ConflictError(
            "This conversation is not with a person; claim it from the queue first."
        )
    if handoff.status is HandoffStatus.WAITING:
        return await claim(session, agent=agent, conversation=conversation, policy=policy)
    if handoff.claimed_by != agent.id and not may_supervise(agent):
        raise PermissionDeniedError("Another agent owns this conversation.")
    return handoff


async def reply(
    session: AsyncSession,
    *,
    agent: User,
    conversation: Conversation,
    text: str,
    client_msg_id: str | None,
    policy: Policy,
) -> Message:
    """Send an agent's reply; replying to a waiting conversation claims it first."""
    handoff = await _owned_handoff(session, agent, conversation, policy)
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


async def _close(
    session: AsyncSession,
    agent: User,
    conversation: Conversation,
    handoff: Handoff,
    *,
    policy: Policy,
    closing_text: str,
    reason: str | None,
) -> Handoff:
    now = utc_now()
    handoff.status = HandoffStatus.RESOLVED
    handoff.resolved_at = now
    load = max(handoff.emotional_load, conversation.emotional_load)
    handoff.emotional_load = load
    owner = handoff.claimed_by
    if owner is not None and load >= policy.wellbeing.high_load:
        owner_user = (await auth_service.users_by_id(session, [owner])).get(owner)
        if owner_user is not None:
            owner_user.cooldown_until = now + timedelta(minutes=policy.wellbeing.cooldown_minutes)
    conversation.closed_reason = reason
    await conversation_service.set_status(session, conversation, ConversationStatus.RESOLVED)
    await conversation_service.append_event(
        session,
        conversation,
        kind=EventKind.RESOLVED if reason is None else EventKind.ENDED,
        data={"agent_id": agent.id, **({"reason": reason} if reason else {})},
    )
    await conversation_service.append_message(
        session,
        conversation,
        author=Author.SYSTEM,
        text=closing_text,
        data={"kind": "resolved" if reason is None else "ended"},
    )
    notify_after_commit(session, QUEUE_CHANNEL)
    await session.flush()
    await assignment.assign_waiting(session, policy=policy)
    return handoff


async def resolve(
    session: AsyncSession, *, agent: User, conversation: Conversation, policy: Policy
) -> Handoff:
    """Close the human part of the conversation and invite the customer to rate it.

    A hard conversation starts the agent's cool-down; the freed capacity is assigned at once.
    """
    handoff = await _owned_handoff(session, agent, conversation, policy)
    return await _close(
        session,
        agent,
        conversation,
        handoff,
        policy=policy,
        closing_text=messages.resolved(
            await conversation_service.customer_language(session, conversation.id)
        ),
        reason=None,
    )


async def warn_abusive(
    session: AsyncSession, *, agent: User, conversation: Conversation, policy: Policy
) -> Message:
    """Post the standard warning about abusive language (it counts towards ending the chat)."""
    handoff = await _owned_handoff(session, agent, conversation, policy)
    handoff.notes = [
        *handoff.notes,
        {"kind": "abuse_warning", "agent_id": agent.id, "at": utc_now().isoformat()},
    ]
    appended = await conversation_service.append_message(
        session,
        conversation,
        author=Author.SYSTEM,
        text=messages.abuse_warning(
            await conversation_service.customer_language(session, conversation.id)
        ),
        data={"kind": "abuse_warning"},
    )
    return appended.message


def warnings_given(handoff: Handoff) -> int:
    return sum(1 for note in handoff.notes if note.get("kind") == "abuse_warning")


async def end_abusive(
    session: AsyncSession,
    *,
    agent: User,
    conversation: Conversation,
    policy: Policy,
    reason: str,
) -> Handoff:
    """End an abusive chat; allowed once the customer was warned enough and was abusive."""
    handoff = await _owned_handoff(session, agent, conversation, policy)
    needed = policy.wellbeing.abuse_warnings_before_end
    if conversation.abuse_count == 0:
        raise ConflictError("Tandem saw no abusive message here; resolve the chat instead.")
    if warnings_given(handoff) < needed:
        raise ConflictError(f"Warn the customer first ({needed} warning(s) before ending).")
    reason = reason.strip()
    if not reason:
        raise InvalidInputError("Say why you are ending the chat; it is kept for review.")
    return await _close(
        session,
        agent,
        conversation,
        handoff,
        policy=policy,
        closing_text=messages.ended_for_abuse(
            await conversation_service.customer_language(session, conversation.id)
        ),
        reason=f"abuse: {reason[:180]}",
    )


MAX_HELD = 10_000  # more than anyone holds; the query needs a bound


async def deactivate_agent(session: AsyncSession, email: str) -> tuple[User, list[int]]:
    """Deactivate a user and put what they held back in line, first; return the handoff ids."""
    user = await auth_service.deactivate_user(session, email=email)
    policy = (await escalation_service.active_policy(session)).policy
    released = await release_all(session, user, policy=policy, why=f"{user.name} was deactivated")
    return user, released


async def release_all(session: AsyncSession, agent: User, *, policy: Policy, why: str) -> list[int]:
    """Put every conversation the agent holds back in line, first; return the handoff ids."""
    released = []
    for handoff, _conversation in await repository.list_claimed_by(
        session, agent.id, limit=MAX_HELD
    ):
        await assignment.requeue(session, handoff, policy=policy, why=why)
        released.append(handoff.id)
    return released


async def transfer(
    session: AsyncSession,
    *,
    by: User,
    conversation: Conversation,
    policy: Policy,
    note: str,
    to_agent: User | None = None,
    to_queue: str | None = None,
) -> Handoff:
    """Move a conversation to another agent or queue, with an internal note.

    Supervisors may transfer any conversation; an agent may transfer the ones they own.
    """
    handoff = await repository.open_handoff(session, conversation.id)
    if handoff is None:
        raise ConflictError("Only a conversation with a person can be transferred.")
    if not may_supervise(by) and handoff.claimed_by != by.id:
        raise PermissionDeniedError("Only a supervisor or the owning agent can transfer this.")
    if (to_agent is None) == (to_queue is None):
        raise InvalidInputError("Transfer to exactly one of: an agent, or a queue.")
    if to_agent is not None and not to_agent.is_active:
        raise InvalidInputError(
            f"{to_agent.name} is deactivated; transfer to another agent or to a queue."
        )
    # Taking it yourself is always possible: whoever asks is at their console.
    if to_agent is not None and to_agent.id != by.id and to_agent.presence is not Presence.ONLINE:
        raise InvalidInputError(
            f"{to_agent.name} is {to_agent.presence.value}; transfer to an online agent, or to "
            "a queue so whoever is free takes it."
        )
    if to_queue is not None and to_queue not in policy.queues:
        raise InvalidInputError(
            f"There is no queue {to_queue!r}; queues: " + ", ".join(sorted(policy.queues))
        )
    handoff.notes = [
        *handoff.notes,
        {
            "kind": "transfer",
            "by": by.id,
            "by_name": by.name,
            "note": note.strip()[:1000],
            "to_agent": to_agent.id if to_agent else None,
            "to_queue": to_queue,
            "at": utc_now().isoformat(),
        },
    ]
    if handoff.status is HandoffStatus.CLAIMED:
        handoff.status = HandoffStatus.WAITING
        handoff.claimed_by = None
        handoff.claimed_at = None
        await conversation_service.set_status(session, conversation, ConversationStatus.WAITING)
    if to_queue is not None:
        handoff.queue = to_queue
        handoff.sla_deadline = assignment.reply_deadline(policy, to_queue, utc_now())
    await conversation_service.append_event(
        session,
        conversation,
        kind=EventKind.TRANSFERRED,
        data={
            "handoff_id": handoff.id,
            "to_queue": to_queue,
            "to_agent": to_agent.name if to_agent else None,
        },
    )
    await session.flush()
    if to_agent is not None:
        await assignment.assign_to(
            session, handoff, conversation, to_agent, policy=policy, by_router=False
        )
    else:
        await assignment.assign_waiting(session, policy=policy)
    return handoff


async def agent_names(session: AsyncSession, entries: Sequence[Handoff]) -> dict[int, str]:
    ids = [h.claimed_by for h in entries if h.claimed_by is not None]
    return {uid: user.name for uid, user in (await auth_service.users_by_id(session, ids)).items()}


async def queue_depth(session: AsyncSession) -> int:
    """Return how many conversations wait for a person, across queues."""
    return await repository.count_waiting(session)
