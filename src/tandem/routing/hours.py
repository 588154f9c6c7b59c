"""Business hours of a queue, in its own time zone. Pure: the caller passes the time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from tandem.core import i18n
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


def describe_opening(queue: QueueConfig, opening: datetime, language: str | None = None) -> str:
    """Say when the team is back, in the queue's local time and the customer's language.

    "Saturday at 09:00 (CET)", "am Samstag um 09:00 Uhr (CET)": the day's name comes from
    the Unicode CLDR data (Babel), the sentence around it from the language's catalogue.
    """
    local = opening.astimezone(ZoneInfo(queue.timezone))
    chosen = i18n.language_or_default(language)
    return i18n.text(
        "opening_time",
        chosen,
        day=format_date(local, "EEEE", locale=chosen),
        time=format_time(local, "HH:mm", locale=chosen),
        zone=f"{local:%Z}",
    )
