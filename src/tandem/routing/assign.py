"""Choose the agent for a waiting conversation. Pure: plain data in, a choice with reasons out.

Routing balances emotional load, not only chat counts: after a hard conversation an agent gets
a cool-down with no new hard case, hard cases go to whoever has had the fewest today, and a
daily cap on hard cases is respected while a colleague under the cap is free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from tandem.escalation.config import WellbeingRules


@dataclass(frozen=True, slots=True)
class AgentState:
    id: int
    online: bool
    skills: frozenset[str]
    capacity: int
    active: int  # conversations the agent owns now
    cooldown_until: datetime | None = None
    load_today: float = 0.0  # emotional load of today's conversations
    hard_today: int = 0  # hard conversations today
    last_assigned_at: datetime | None = None
    hours_worked: float = 1.0  # today, so a later start is not mistaken for a lighter load

    @property
    def load_rate(self) -> float:
        """Emotional load per hour worked today."""
        return self.load_today / max(self.hours_worked, 0.5)


@dataclass(frozen=True, slots=True)
class WorkItem:
    handoff_id: int
    skills: frozenset[str]
    emotional_load: float
    avoid_agent: int | None = None  # e.g. the agent it was taken back from


@dataclass(frozen=True, slots=True)
class Choice:
    agent_id: int | None
    why: str
    skipped: dict[int, str] = field(default_factory=dict)


def choose_agent(
    item: WorkItem, agents: Sequence[AgentState], *, now: datetime, rules: WellbeingRules
) -> Choice:
    """Return the best agent for ``item`` (or none), saying why each other agent was skipped."""
    hard = item.emotional_load >= rules.high_load
    skipped: dict[int, str] = {}
    eligible: list[AgentState] = []
    for agent in agents:
        if not agent.online:
            skipped[agent.id] = "not online"
        elif not item.skills <= agent.skills:
            skipped[agent.id] = "lacks skills " + ", ".join(sorted(item.skills - agent.skills))
        elif agent.active >= agent.capacity:
            skipped[agent.id] = f"at capacity ({agent.active}/{agent.capacity})"
        elif hard and agent.cooldown_until is not None and agent.cooldown_until > now:
            skipped[agent.id] = "on cool-down after a hard conversation"
        elif agent.id == item.avoid_agent and len(agents) > 1:
            skipped[agent.id] = "did not reply in time to this conversation"
        else:
            eligible.append(agent)
    if hard:
        under_cap = [a for a in eligible if a.hard_today < rules.daily_hard_cases]
        if under_cap:
            for agent in eligible:
                if agent not in under_cap:
                    skipped[agent.id] = f"already had {agent.hard_today} hard conversations today"
            eligible = under_cap
    if not eligible:
        return Choice(None, "no qualified agent is free", skipped)

    def rank(agent: AgentState) -> tuple[float, float, datetime, int]:
        busy = agent.active / agent.capacity
        last = agent.last_assigned_at or datetime.min.replace(tzinfo=now.tzinfo)
        if hard:  # spread hard cases: least emotional load per hour worked first
            return (agent.load_rate, busy, last, agent.id)
        return (busy, agent.load_rate, last, agent.id)

    best = min(eligible, key=rank)
    for agent in eligible:
        if agent is not best:
            skipped[agent.id] = "another agent was less loaded"
    why = "least emotional load per hour today" if hard else "least busy"
    return Choice(best.id, why, skipped)


def plan(
    items: Sequence[WorkItem],
    agents: Sequence[AgentState],
    *,
    now: datetime,
    rules: WellbeingRules,
) -> list[tuple[WorkItem, Choice]]:
    """Assign items in order (highest priority, longest waiting first), updating agent states."""
    state = {agent.id: agent for agent in agents}
    planned: list[tuple[WorkItem, Choice]] = []
    for item in items:
        choice = choose_agent(item, list(state.values()), now=now, rules=rules)
        planned.append((item, choice))
        if choice.agent_id is not None:
            agent = state[choice.agent_id]
            hard = item.emotional_load >= rules.high_load
            state[agent.id] = replace(
                agent,
                active=agent.active + 1,
                load_today=agent.load_today + item.emotional_load,
                hard_today=agent.hard_today + int(hard),
                last_assigned_at=now,
            )
    return planned
