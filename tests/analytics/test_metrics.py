"""The pure building blocks of the metrics: percentiles, occupancy, SLA outcome, topics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tandem.analytics.facts import HandoffFact, topic_of
from tandem.analytics.metrics import Rate, occupancy, percentile, spread

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        pytest.param([], 0.5, None, id="nothing"),
        pytest.param([7.0], 0.9, 7.0, id="one-value"),
        pytest.param([3.0, 1.0, 2.0, 4.0], 0.5, 2.0, id="median-of-four-is-the-lower-middle"),
        pytest.param([float(v) for v in range(1, 11)], 0.9, 9.0, id="p90-of-ten"),
        pytest.param([float(v) for v in range(1, 12)], 0.9, 10.0, id="p90-of-eleven-rounds-up"),
    ],
)
def test_percentile_is_nearest_rank(values: list[float], share: float, expected: float) -> None:
    assert percentile(values, share) == expected


def test_spread_ignores_missing_durations() -> None:
    assert spread([None, 10.0, 30.0]).mean == 20.0
    assert spread([None]).count == 0


def test_a_rate_of_nothing_has_no_value() -> None:
    assert Rate(0, 0).value is None
    assert Rate(1, 4).value == 0.25


def _handled(start_minutes: float, end_minutes: float, agent: int = 1) -> HandoffFact:
    return HandoffFact(
        id=0,
        conversation_id="c",
        created_at=T,
        queue="general",
        reason="customer_request",
        claimed_at=T + timedelta(minutes=start_minutes),
        claimed_by=agent,
        first_human_reply_at=None,
        resolved_at=T + timedelta(minutes=end_minutes),
        emotional_load=0.0,
    )


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        pytest.param([(0, 10)], 1.0, id="one-chat-fills-its-span"),
        pytest.param([(0, 10), (50, 60)], 20 / 60, id="a-gap-is-idle"),
        pytest.param([(0, 30), (10, 20), (50, 60)], 40 / 60, id="overlapping-chats-count-once"),
        pytest.param([(0, 10), (24 * 60, 24 * 60 + 30)], 1.0, id="days-are-separate"),
    ],
)
def test_occupancy_is_busy_time_over_the_working_span(
    spans: list[tuple[float, float]], expected: float
) -> None:
    handoffs = [_handled(start, end) for start, end in spans]
    assert occupancy(handoffs, ZoneInfo("UTC")) == pytest.approx(expected)


def test_sla_outcome_is_unknown_until_the_target_passes() -> None:
    waiting = HandoffFact(0, "c", T, "general", "vip", None, None, None, None, 0.0)
    assert waiting.sla_met(target_seconds=120, now=T + timedelta(seconds=100)) is None
    assert waiting.sla_met(target_seconds=120, now=T + timedelta(seconds=121)) is False
    answered = HandoffFact(0, "c", T, "general", "vip", T, 1, T + timedelta(seconds=90), None, 0.0)
    assert answered.sla_met(target_seconds=120, now=T) is True
    assert answered.sla_met(target_seconds=60, now=T) is False


def test_a_recorded_deadline_replaces_the_configured_target() -> None:
    reply = T + timedelta(hours=10)
    due = T + timedelta(hours=11)  # the queue opens in ten hours
    overnight = HandoffFact(0, "c", T, "general", "vip", None, None, reply, None, 0.0, due)
    assert overnight.sla_met(target_seconds=120, now=T + timedelta(days=1)) is True


TOPICS = {"refund-processing-times": "refunds", "delivery-times": "shipping"}


@pytest.mark.parametrize(
    ("recorded", "answer", "suggested", "expected"),
    [
        pytest.param("delivery-times", "refund-processing-times", None, "shipping", id="recorded"),
        pytest.param("order_status", None, None, "order_status", id="recorded-intent"),
        pytest.param(None, "refund-processing-times", "delivery-times", "refunds", id="answer"),
        pytest.param(None, None, "delivery-times", "shipping", id="suggestion"),
        pytest.param(None, "deleted-article", None, "other", id="unknown-article"),
        pytest.param(None, None, None, "other", id="nothing"),
    ],
)
def test_topic_of(
    recorded: str | None, answer: str | None, suggested: str | None, expected: str
) -> None:
    assert (
        topic_of(
            recorded=recorded, answer_slug=answer, suggested_slug=suggested, topics_by_slug=TOPICS
        )
        == expected
    )
