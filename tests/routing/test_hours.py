"""Business hours per queue, in the queue's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tandem.escalation.config import QueueConfig
from tandem.routing import messages
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


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "we're back Saturday at 09:00 (CET)"),
        ("de", "wir sind am Samstag um 09:00 Uhr (CET) wieder da"),
        ("es", "volvemos el sábado a las 09:00 (CET)"),
        ("fr", "nous serons de retour samedi à 09:00 (CET)"),
        ("it", "torniamo sabato alle 09:00 (CET)"),
        ("pt", "voltamos sábado às 09:00 (CET)"),
        ("nl", "we zijn zaterdag om 09:00 (CET) terug"),
        ("pl", "wrócimy: sobota, godz. 09:00 (CET)"),
        ("zh", "我们将于星期六 09:00（CET）回来"),
        ("ja", "we're back Saturday at 09:00 (CET)"),  # no catalogue: English
    ],
)
def test_the_team_is_back_in_the_customers_language(language: str, said: str) -> None:
    opening = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
    assert messages.back(describe_opening(SHOP, opening, language), language) == said


def test_a_team_that_never_opens_says_it_will_reply() -> None:
    assert messages.back(None, "it") == "le risponderemo appena qualcuno sarà di nuovo disponibile"


def test_a_queue_without_hours_is_always_open() -> None:
    assert is_open(QueueConfig(), datetime(2026, 12, 25, 3, 0, tzinfo=UTC))


def test_a_queue_that_never_opens_has_no_next_opening() -> None:
    never = QueueConfig(hours={})
    assert next_opening(never, datetime(2026, 11, 23, tzinfo=UTC)) is None
