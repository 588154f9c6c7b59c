"""Business hours of a queue, in its own time zone. Pure: the caller passes the time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tandem.escalation.config import QueueConfig

LOOKAHEAD_DAYS = 8


def is_open(queue: QueueConfig, now: datetime) -> bool:
    """Tell whether the queue's team works at ``now`` (aware)."""
    local = now.astimezone(ZoneInfo(queue.timezone))
    span = queue.opening(local.weekday())
    return span is not None and span[0] <= local.time() < span[1]


def next_opening(queue: QueueConfig, now: datetime) -> datetime | None:
    """Return when the queue next opens (``now`` if open), or None if it never opens."""
    if is_open(queue, now):
        return now
    zone = ZoneInfo(queue.timezone)
    local = now.astimezone(zone)
    for offset in range(LOOKAHEAD_DAYS):
        day = (local + timedelta(days=offset)).date()
        span = queue.opening(day.weekday())
        if span is None:
            continue
        opening = datetime.combine(day, span[0], tzinfo=zone)
        if opening > local:
            return opening.astimezone(now.tzinfo)
    return None


def describe_opening(queue: QueueConfig, opening: datetime) -> str:
    """Say when the team is back, in the queue's local time, e.g. "Monday at 08:00 (CET)"."""
    local = opening.astimezone(ZoneInfo(queue.timezone))
    return f"{local:%A} at {local:%H:%M} ({local:%Z})"
