"""Aggregate fact rows into the metrics of ``docs/metrics.md``. Pure: no session, no clock."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tandem.analytics.facts import ConversationFact, HandoffFact


@dataclass(frozen=True, slots=True)
class Rate:
    """``numerator`` of ``denominator``; ``value`` is None when there is nothing to divide."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True, slots=True)
class Spread:
    """Durations in seconds: how many, the nearest-rank median and 90th percentile, the mean."""

    count: int
    p50: float | None
    p90: float | None
    mean: float | None


@dataclass(frozen=True, slots=True)
class Csat:
    """Post-conversation ratings (1-5) of one group of conversations."""

    responses: int
    mean: float | None
    satisfied: Rate  # ratings of 4 or 5, of all ratings
    response_rate: Rate  # rated, of resolved


@dataclass(frozen=True, slots=True)
class AgentRow:
    agent_id: int
    handled: int
    handle_time: Spread
    occupancy: float | None
    emotional_load: float  # the sum of the handled handoffs' loads (0..1 each)
    hard: Rate  # hard cases (load at least HARD_LOAD), of those handled

    @property
    def mean_load(self) -> float | None:
        return self.emotional_load / self.handled if self.handled else None


@dataclass(frozen=True, slots=True)
class QueueRow:
    queue: str
    handoffs: int
    sla: Rate  # replied within the target, of handoffs whose outcome is known
    pending: int  # unanswered, still within the target


@dataclass(frozen=True, slots=True)
class DayRow:
    day: date
    conversations: int
    ai_resolved: int
    human_handled: int


@dataclass(frozen=True, slots=True)
class Metrics:
    conversations: int
    ai_involvement: Rate
    ai_resolution: Rate
    automation: Rate
    handoff_rate: Rate
    handoffs: int
    handoffs_by_reason: list[tuple[str, int]]
    time_to_human: Spread
    first_response: Spread
    resolution_time: Spread
    reopen: Rate
    first_contact_resolution: Rate
    csat_ai: Csat
    csat_human: Csat
    handle_time: Spread
    agents: list[AgentRow]
    queues: list[QueueRow]
    days: list[DayRow]


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest rank: the smallest value with at least ``share`` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def spread(values: Iterable[float | None]) -> Spread:
    present = [v for v in values if v is not None]
    if not present:
        return Spread(0, None, None, None)
    mean = sum(present) / len(present)
    return Spread(len(present), percentile(present, 0.5), percentile(present, 0.9), mean)


def _rate(items: Sequence[ConversationFact], keep: Callable[[ConversationFact], bool]) -> Rate:
    return Rate(sum(1 for item in items if keep(item)), len(items))


def csat(conversations: Sequence[ConversationFact]) -> Csat:
    ratings = [c.rating for c in conversations if c.rating is not None]
    resolved = [c for c in conversations if c.resolved]
    return Csat(
        responses=len(ratings),
        mean=sum(ratings) / len(ratings) if ratings else None,
        satisfied=Rate(sum(1 for r in ratings if r >= 4), len(ratings)),
        response_rate=_rate(resolved, lambda c: c.rating is not None),
    )


def occupancy(handoffs: Sequence[HandoffFact], zone: ZoneInfo) -> float | None:
    """Busy time over working time, one agent's handoffs.

    Busy: the union of the spans from claiming to resolving (overlapping chats count once).
    Working: on each local day, from the first claim to the last resolution.
    """
    by_day: dict[date, list[tuple[datetime, datetime]]] = defaultdict(list)
    for h in handoffs:
        if h.claimed_at is not None and h.resolved_at is not None:
            by_day[h.claimed_at.astimezone(zone).date()].append((h.claimed_at, h.resolved_at))
    busy = working = 0.0
    for spans in by_day.values():
        spans.sort()
        working += (max(end for _, end in spans) - spans[0][0]).total_seconds()
        current_start, current_end = spans[0]
        for start, end in spans[1:]:
            if start > current_end:
                busy += (current_end - current_start).total_seconds()
                current_start, current_end = start, end
            else:
                current_end = max(current_end, end)
        busy += (current_end - current_start).total_seconds()
    return busy / working if working > 0 else None


def agent_rows(handoffs: Sequence[HandoffFact], zone: ZoneInfo) -> list[AgentRow]:
    by_agent: dict[int, list[HandoffFact]] = defaultdict(list)
    for h in handoffs:
        if h.claimed_by is not None:
            by_agent[h.claimed_by].append(h)
    return [
        AgentRow(
            agent_id=agent_id,
            handled=len(mine),
            handle_time=spread(h.handle_seconds for h in mine),
            occupancy=occupancy(mine, zone),
            emotional_load=sum(h.emotional_load for h in mine),
            hard=Rate(sum(1 for h in mine if h.hard), len(mine)),
        )
        for agent_id, mine in sorted(by_agent.items())
    ]


def queue_rows(
    handoffs: Sequence[HandoffFact], *, sla_seconds: float, now: datetime
) -> list[QueueRow]:
    by_queue: dict[str, list[HandoffFact]] = defaultdict(list)
    for h in handoffs:
        by_queue[h.queue].append(h)
    rows = []
    for queue, items in sorted(by_queue.items()):
        outcomes = [h.sla_met(target_seconds=sla_seconds, now=now) for h in items]
        known = [o for o in outcomes if o is not None]
        pending = len(items) - len(known)
        rows.append(QueueRow(queue, len(items), Rate(sum(known), len(known)), pending))
    return rows


def day_rows(conversations: Sequence[ConversationFact], zone: ZoneInfo) -> list[DayRow]:
    by_day: dict[date, list[ConversationFact]] = defaultdict(list)
    for c in conversations:
        by_day[c.created_at.astimezone(zone).date()].append(c)
    return [
        DayRow(
            day,
            len(items),
            sum(1 for c in items if c.ai_resolved),
            sum(1 for c in items if c.human_handled),
        )
        for day, items in sorted(by_day.items())
    ]


def compute(
    conversations: Sequence[ConversationFact],
    handoffs: Sequence[HandoffFact],
    *,
    now: datetime,
    sla_seconds: float,
    zone: ZoneInfo,
) -> Metrics:
    """Return every metric of ``docs/metrics.md`` for these conversations and their handoffs."""
    involved = [c for c in conversations if c.ai_involved]
    resolved = [c for c in conversations if c.resolved]
    reasons = Counter(h.reason for h in handoffs)
    return Metrics(
        conversations=len(conversations),
        ai_involvement=_rate(conversations, lambda c: c.ai_involved),
        ai_resolution=_rate(involved, lambda c: c.ai_resolved),
        automation=_rate(conversations, lambda c: c.ai_resolved),
        handoff_rate=_rate(conversations, lambda c: c.human_handled),
        handoffs=len(handoffs),
        handoffs_by_reason=sorted(reasons.items(), key=lambda item: (-item[1], item[0])),
        time_to_human=spread(h.time_to_human_seconds for h in handoffs),
        first_response=spread(c.first_response_seconds for c in conversations),
        resolution_time=spread(c.resolution_seconds for c in resolved),
        reopen=_rate(resolved, lambda c: c.reopened),
        first_contact_resolution=_rate(resolved, lambda c: c.first_contact_resolved),
        csat_ai=csat([c for c in conversations if not c.human_handled]),
        csat_human=csat([c for c in conversations if c.human_handled]),
        handle_time=spread(h.handle_seconds for h in handoffs),
        agents=agent_rows(handoffs, zone),
        queues=queue_rows(handoffs, sla_seconds=sla_seconds, now=now),
        days=day_rows(conversations, zone),
    )
