"""Business hours per queue, in the queue's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tandem.escalation.config import QueueConfig
from tandem.routing.hours import describe_opening, is_open, next_opening

SHOP = QueueConfig(
    timezone="Europe/Amsterdam",
    hours={"mon": "08:00-20:00", "tue": "08:00-20:00", "sat": "09:00-17:00"},
)


@pytest.mark.parametrize(
    ("now", "open_"),
    [
        pytest.param(datetime(2026, 11, 23, 7, 30, tzinfo=UTC), True, id="monday-08:30-cet"),
        pytest.param(datetime(2026, 11, 23, 6, 30, tzinfo=UTC), False, id="monday-07:30-cet"),
        pytest.param(datetime(2026, 11, 23, 19, 0, tzinfo=UTC), False, id="monday-20:00-closed"),
        pytest.param(datetime(2026, 11, 25, 12, 0, tzinfo=UTC), False, id="wednesday-no-hours"),
        pytest.param(datetime(2026, 7, 4, 7, 30, tzinfo=UTC), True, id="saturday-summer-time"),
    ],
)
def test_is_open(now: datetime, open_: bool) -> None:
    assert is_open(SHOP, now) is open_


def test_next_opening_skips_closed_days() -> None:
    tuesday_evening = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    opening = next_opening(SHOP, tuesday_evening)
    assert opening == datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # Saturday 09:00 CET
    assert describe_opening(SHOP, opening) == "Saturday at 09:00 (CET)"


def test_a_queue_without_hours_is_always_open() -> None:
    assert is_open(QueueConfig(), datetime(2026, 12, 25, 3, 0, tzinfo=UTC))


def test_a_queue_that_never_opens_has_no_next_opening() -> None:
    never = QueueConfig(hours={})
    assert next_opening(never, datetime(2026, 11, 23, tzinfo=UTC)) is None
