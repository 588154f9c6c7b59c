"""Which conversations a report covers. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tandem.conversations.models import Tier


@dataclass(frozen=True, slots=True)
class Filters:
    """Conversations started in ``[start, end)`` (aware UTC), narrowed by the optional fields.

    ``queue`` keeps conversations that reached that queue (and only their handoffs to it);
    ``intent`` keeps conversations whose topic is that intent or help-centre topic.
    """

    start: datetime
    end: datetime
    channel: str | None = None
    queue: str | None = None
    intent: str | None = None
    tier: Tier | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("report bounds must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("the report must end after it starts")


def local_day_bounds(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Return the UTC instants that start ``first`` and end ``last`` in ``zone``."""
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)
