"""Agent wellbeing: when to suggest a break, and the supervisor's live picture."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.auth.models import Presence, User
from tandem.core.time import utc_now
from tandem.escalation.config import Policy
from tandem.routing import repository
from tandem.routing.hours import is_open
from tandem.routing.sla import SlaState, first_reply_clock


@dataclass(frozen=True, slots=True)
class BreakAdvice:
    suggest: bool
    minutes_working: int
    load_since_break: float
    why: str
    cause: str = ""  # "load" (intense conversations) or "time" (a long stretch); "" without advice


@dataclass(frozen=True, slots=True)
class AgentLine:
    id: int
    name: str
    presence: str
    active: int
    capacity: int
    load_today: float
    hard_today: int
    minutes_since_break: int | None
    on_cooldown: bool


@dataclass(frozen=True, slots=True)
class QueueLine:
    name: str
    open: bool
    waiting: int
    oldest_wait_seconds: int
    at_risk: int  # waiting conversations close to or past their deadline
    assignment: str


@dataclass(frozen=True, slots=True)
class Overview:
    queues: list[QueueLine]
    agents: list[AgentLine]
    breached: int  # conversations taken back from an agent after a missed SLA (recent)


def _stretch_start(agent: User, now: datetime) -> datetime:
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    starts = [t for t in (agent.last_break_at, agent.online_since, midnight) if t is not None]
    return max(starts)


async def break_advice(session: AsyncSession, agent: User, *, policy: Policy) -> BreakAdvice:
    """Suggest a short break after a long or emotionally heavy stretch of work."""
    now = utc_now()
    start = _stretch_start(agent, now)
    minutes = int((now - start).total_seconds() // 60)
    load = await repository.load_of_agent_since(session, agent.id, start)
    rules = policy.wellbeing
    if agent.presence is not Presence.ONLINE:
        return BreakAdvice(False, minutes, load, "")
    if load >= rules.break_after_load:
        return BreakAdvice(
            True, minutes, load, "You've handled several intense conversations.", cause="load"
        )
    if minutes >= rules.break_after_minutes:
        return BreakAdvice(
            True, minutes, load, f"You've been working for {minutes} minutes.", cause="time"
        )
    return BreakAdvice(False, minutes, load, "")


async def overview(
    session: AsyncSession, *, policy: Policy, now: datetime | None = None
) -> Overview:
    """Return live queues, waits, SLA risk, and each agent's load and time since a break."""
    now = now or utc_now()
    waiting = await repository.list_waiting_handoffs(session)
    queues: list[QueueLine] = []
    for name, config in policy.queues.items():
        mine = [h for h in waiting if h.queue == name]
        oldest = max(((now - h.created_at).total_seconds() for h in mine), default=0)
        at_risk = 0
        for handoff in mine:
            if handoff.sla_deadline is None:
                at_risk += 1
                continue
            # The agents' clock: off hours, the allowed time starts when the queue opens.
            clock = first_reply_clock(
                deadline=handoff.sla_deadline,
                allowed_seconds=config.sla_seconds,
                replied=False,
                now=now,
            )
            if clock.state in (SlaState.AT_RISK, SlaState.OVERDUE):
                at_risk += 1
        queues.append(
            QueueLine(
                name, is_open(config, now), len(mine), int(oldest), at_risk, config.assignment
            )
        )
    active = await repository.active_counts(session)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = await repository.load_since(
        session, midnight, hard_threshold=policy.wellbeing.high_load
    )
    agents = []
    for user in await auth_service.list_staff(session):
        load, hard, _last = today.get(user.id, (0.0, 0, None))
        since = _stretch_start(user, now) if user.presence is Presence.ONLINE else None
        agents.append(
            AgentLine(
                id=user.id,
                name=user.name,
                presence=user.presence.value,
                active=active.get(user.id, 0),
                capacity=user.capacity,
                load_today=round(load, 2),
                hard_today=hard,
                minutes_since_break=int((now - since).total_seconds() // 60) if since else None,
                on_cooldown=bool(user.cooldown_until and user.cooldown_until > now),
            )
        )
    breached = len(await repository.list_recent_requeued(session, limit=200))
    return Overview(queues, agents, breached)
