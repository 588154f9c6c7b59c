"""Put waiting conversations with agents: automatic assignment, SLA take-backs, the sweep."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.auth.models import Presence, User
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, Conversation, ConversationStatus, EventKind
from tandem.core.events import QUEUE_CHANNEL, notify_after_commit
from tandem.core.time import utc_now
from tandem.escalation.config import Policy, QueueConfig
from tandem.routing import messages, repository
from tandem.routing.assign import AgentState, WorkItem, plan
from tandem.routing.hours import next_opening
from tandem.routing.models import Handoff, HandoffStatus
from tandem.routing.sla import SlaClock, first_reply_clock


@dataclass
class SweepReport:
    requeued: list[int] = field(default_factory=list)  # handoff ids taken back after the SLA
    assigned: list[int] = field(default_factory=list)
    rehomed: list[int] = field(default_factory=list)  # queue no longer configured
    deadlines_set: list[int] = field(default_factory=list)
    went_offline: list[int] = field(default_factory=list)  # user ids with no live console
    released: list[int] = field(default_factory=list)  # handoff ids an offline agent held
    waiting: int = 0
    violations: list[str] = field(default_factory=list)  # must stay empty


async def _enforce_presence(
    session: AsyncSession, *, policy: Policy, now: datetime, after: timedelta, report: SweepReport
) -> None:
    for user in await auth_service.list_staff(session):
        stale = user.last_seen_at is None or now - user.last_seen_at > after
        if user.presence is not Presence.OFFLINE and stale:
            user.presence = Presence.OFFLINE
            report.went_offline.append(user.id)
        if user.presence is Presence.OFFLINE:
            for handoff, _conversation in await repository.list_claimed_by(
                session, user.id, limit=MAX_RELEASED
            ):
                await requeue(session, handoff, policy=policy, why=f"{user.name} went offline")
                report.released.append(handoff.id)
    await session.flush()


def queue_config(policy: Policy, name: str) -> QueueConfig:
    return policy.queues.get(name) or policy.queues[policy.default_queue]


def reply_deadline(policy: Policy, queue: str, now: datetime) -> datetime:
    """Return when a first human reply is due: SLA seconds from now, or from the next opening."""
    config = queue_config(policy, queue)
    start = next_opening(config, now) or now
    return start + timedelta(seconds=config.sla_seconds)


def reply_clock(handoff: Handoff, *, policy: Policy, now: datetime) -> SlaClock | None:
    """Return the first-reply clock of a handoff with a person; None once resolved or without a
    deadline (the sweep gives every waiting handoff one)."""
    if handoff.status is HandoffStatus.RESOLVED or handoff.sla_deadline is None:
        return None
    return first_reply_clock(
        deadline=handoff.sla_deadline,
        allowed_seconds=queue_config(policy, handoff.queue).sla_seconds,
        replied=handoff.first_human_reply_at is not None,
        now=now,
    )


async def assign_to(
    session: AsyncSession,
    handoff: Handoff,
    conversation: Conversation,
    agent: User,
    *,
    policy: Policy,
    by_router: bool,
) -> bool:
    """Give a waiting conversation to ``agent``; False if it was no longer waiting."""
    now = utc_now()
    deadline = now + timedelta(seconds=queue_config(policy, handoff.queue).sla_seconds)
    if not await repository.claim_if_waiting(
        session, handoff.id, agent_id=agent.id, at=now, deadline=deadline
    ):
        return False
    await session.refresh(handoff)
    await conversation_service.set_status(
        session, conversation, ConversationStatus.ASSIGNED, agent_id=agent.id
    )
    await conversation_service.append_event(
        session,
        conversation,
        kind=EventKind.ASSIGNED,
        data={
            "agent_id": agent.id,
            "agent_name": agent.name,
            "handoff_id": handoff.id,
            "by": "router" if by_router else "agent",
        },
    )
    language = await conversation_service.customer_language(session, conversation.id)
    await conversation_service.append_message(
        session,
        conversation,
        author=Author.SYSTEM,
        text=messages.agent_joined(agent.name, language),
    )
    return True


async def _agent_states(session: AsyncSession, policy: Policy, now: datetime) -> list[AgentState]:
    staff = await auth_service.list_staff(session)
    active = await repository.active_counts(session)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = await repository.load_since(
        session, midnight, hard_threshold=policy.wellbeing.high_load
    )
    states = []
    for user in staff:
        load, hard, last = today.get(user.id, (0.0, 0, None))
        started = max(user.online_since or midnight, midnight)
        states.append(
            AgentState(
                id=user.id,
                online=user.presence is Presence.ONLINE,
                skills=frozenset(str(s) for s in user.skills),
                capacity=max(1, user.capacity),
                active=active.get(user.id, 0),
                cooldown_until=user.cooldown_until,
                load_today=load,
                hard_today=hard,
                last_assigned_at=last,
                hours_worked=(now - started).total_seconds() / 3600,
            )
        )
    return states


async def assign_waiting(session: AsyncSession, *, policy: Policy) -> list[int]:
    """Assign every waiting conversation of an auto-assigning, open queue that an agent can take.

    Returns the handoff ids assigned, in order (highest priority and longest waiting first).
    """
    now = utc_now()
    waiting = [
        h
        for h in await repository.list_waiting_handoffs(session)
        if queue_config(policy, h.queue).assignment == "auto"
    ]
    if not waiting:
        return []
    agents = await _agent_states(session, policy, now)
    items = [
        WorkItem(
            handoff_id=h.id,
            skills=frozenset(queue_config(policy, h.queue).skills),
            emotional_load=h.emotional_load,
            avoid_agent=_last_agent(h),
        )
        for h in waiting
    ]
    by_id = {h.id: h for h in waiting}
    staff = {user.id: user for user in await auth_service.list_staff(session)}
    assigned: list[int] = []
    for item, choice in plan(items, agents, now=now, rules=policy.wellbeing):
        if choice.agent_id is None:
            continue
        handoff = by_id[item.handoff_id]
        conversation = await conversation_service.get_conversation(session, handoff.conversation_id)
        if await assign_to(
            session, handoff, conversation, staff[choice.agent_id], policy=policy, by_router=True
        ):
            assigned.append(handoff.id)
    return assigned


def _last_agent(handoff: Handoff) -> int | None:
    takebacks = [n for n in handoff.notes if n.get("kind") == "requeued"]
    return int(takebacks[-1]["agent_id"]) if takebacks else None


async def requeue(
    session: AsyncSession, handoff: Handoff, *, policy: Policy, why: str, by: int | None = None
) -> None:
    """Take a conversation back from its agent and put it first in line again."""
    conversation = await conversation_service.get_conversation(session, handoff.conversation_id)
    previous = handoff.claimed_by
    handoff.status = HandoffStatus.WAITING
    handoff.claimed_by = None
    handoff.claimed_at = None
    handoff.requeued_count += 1
    handoff.sla_deadline = reply_deadline(policy, handoff.queue, utc_now())
    handoff.notes = [
        *handoff.notes,
        {
            "kind": "requeued",
            "agent_id": previous,
            "why": why,
            "by": by,
            "at": utc_now().isoformat(),
        },
    ]
    await conversation_service.set_status(session, conversation, ConversationStatus.WAITING)
    await conversation_service.append_event(
        session, conversation, kind=EventKind.REQUEUED, data={"handoff_id": handoff.id}
    )
    language = await conversation_service.customer_language(session, conversation.id)
    await conversation_service.append_message(
        session,
        conversation,
        author=Author.SYSTEM,
        text=messages.finding_someone_else(language),
    )
    notify_after_commit(session, QUEUE_CHANNEL)


PRESENCE_TIMEOUT = timedelta(seconds=120)
MAX_RELEASED = 500  # per agent per sweep; the next sweep takes the rest


async def sweep(
    session: AsyncSession, *, policy: Policy, presence_timeout: timedelta = PRESENCE_TIMEOUT
) -> SweepReport:
    """Enforce presence and SLAs, and prove that no waiting conversation is orphaned.

    Marks offline the agents whose console has not been heard from for ``presence_timeout``
    (a closed browser), puts the conversations offline agents hold back in line, takes back
    conversations whose agent missed the reply deadline, moves conversations whose queue was
    removed from the policy to the default queue, gives every waiting conversation a deadline,
    then assigns what can be assigned.
    """
    now = utc_now()
    report = SweepReport()
    await _enforce_presence(session, policy=policy, now=now, after=presence_timeout, report=report)
    for handoff in await repository.list_overdue(session, now):
        handoff.sla_breached = True
        await requeue(session, handoff, policy=policy, why="no reply within the SLA")
        report.requeued.append(handoff.id)
    for handoff in await repository.list_waiting_handoffs(session):
        if handoff.queue not in policy.queues:
            handoff.notes = [
                *handoff.notes,
                {"kind": "rehomed", "from": handoff.queue, "at": now.isoformat()},
            ]
            handoff.queue = policy.default_queue
            report.rehomed.append(handoff.id)
        if handoff.sla_deadline is None:
            handoff.sla_deadline = reply_deadline(policy, handoff.queue, now)
            report.deadlines_set.append(handoff.id)
    await session.flush()
    report.assigned = await assign_waiting(session, policy=policy)
    waiting = await repository.list_waiting_handoffs(session)
    report.waiting = len(waiting)
    for handoff in waiting:
        if handoff.queue not in policy.queues:
            report.violations.append(f"handoff {handoff.id} has no configured queue")
        if handoff.sla_deadline is None:
            report.violations.append(f"handoff {handoff.id} has no deadline")
    return report
