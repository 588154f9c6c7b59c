"""The first-reply clock agents see: time left, amber at 80% of the allowed time, red overdue."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations.models import Conversation, ConversationStatus, Customer
from tandem.escalation.config import default_policy
from tandem.escalation.reasons import ReasonCode
from tandem.routing.assignment import reply_clock, reply_deadline
from tandem.routing.models import Handoff, HandoffStatus
from tandem.routing.sla import (
    SLA_RISK_SHARE,
    SlaState,
    clock_face,
    first_reply_clock,
    spoken,
)
from tandem.routing.wellbeing import overview

DEADLINE = datetime(2026, 11, 23, 10, 5, tzinfo=UTC)
FIVE_MINUTES = 300


def at(seconds_before_deadline: float) -> datetime:
    return DEADLINE - timedelta(seconds=seconds_before_deadline)


@pytest.mark.parametrize(
    ("now", "state", "text", "label"),
    [
        pytest.param(
            at(300), SlaState.ON_TIME, "5:00 left", "SLA: 5 minutes left", id="just-handed-off"
        ),
        pytest.param(
            at(272), SlaState.ON_TIME, "4:32 left", "SLA: 4 minutes left", id="to-the-minute"
        ),
        pytest.param(
            at(61), SlaState.ON_TIME, "1:01 left", "SLA: 1 minute left", id="just-before-80%"
        ),
        pytest.param(
            at(60),
            SlaState.AT_RISK,
            "1:00 left",
            "SLA: 1 minute left (at risk)",
            id="80%-is-at-risk",
        ),
        pytest.param(
            at(20),
            SlaState.AT_RISK,
            "0:20 left",
            "SLA: less than a minute left (at risk)",
            id="seconds-left",
        ),
        pytest.param(
            at(0), SlaState.AT_RISK, "0:00 left", "SLA: less than a minute left (at risk)", id="due"
        ),
        pytest.param(
            at(-0.5),
            SlaState.OVERDUE,
            "overdue 0:01",
            "SLA overdue by less than a minute",
            id="just-past",
        ),
        pytest.param(
            at(-65), SlaState.OVERDUE, "overdue 1:05", "SLA overdue by 1 minute", id="overdue"
        ),
    ],
)
def test_the_clock_turns_amber_at_80_percent_and_red_past_the_deadline(
    now: datetime, state: SlaState, text: str, label: str
) -> None:
    clock = first_reply_clock(
        deadline=DEADLINE, allowed_seconds=FIVE_MINUTES, replied=False, now=now
    )
    assert (clock.state, clock.text, clock.label) == (state, text, label)


def test_a_reply_stops_the_clock_even_past_the_deadline() -> None:
    clock = first_reply_clock(
        deadline=DEADLINE, allowed_seconds=FIVE_MINUTES, replied=True, now=at(-600)
    )
    assert (clock.state, clock.text, clock.label) == (SlaState.REPLIED, "replied", "SLA: replied")


def test_the_clock_carries_what_the_browser_needs_to_tick_it() -> None:
    now = at(100)
    clock = first_reply_clock(
        deadline=DEADLINE, allowed_seconds=FIVE_MINUTES, replied=False, now=now
    )
    assert clock.deadline == DEADLINE
    assert clock.window_start == DEADLINE - timedelta(minutes=5)
    assert clock.risk_share == SLA_RISK_SHARE == 0.8
    assert clock.read_at == now
    assert clock.seconds_left == 100


@pytest.mark.parametrize(
    ("seconds", "face", "words"),
    [
        pytest.param(0, "0:00", "less than a minute", id="zero"),
        pytest.param(59, "0:59", "less than a minute", id="under-a-minute"),
        pytest.param(272, "4:32", "4 minutes", id="minutes"),
        pytest.param(3600, "1:00:00", "1 hour", id="an-hour"),
        pytest.param(3872, "1:04:32", "1 hour 4 minutes", id="hours"),
        pytest.param(2 * 86400 + 3872, "2 d 1:04:32", "2 days 1 hour", id="days"),
    ],
)
def test_durations_read_as_a_countdown_and_as_words(seconds: int, face: str, words: str) -> None:
    assert (clock_face(seconds), spoken(seconds)) == (face, words)


# The default policy's general queue: 5 minutes, Amsterdam, 08:00-20:00 on weekdays.
POLICY = default_policy()
FRIDAY_NIGHT = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)  # 22:00 in Amsterdam
SATURDAY_OPENING = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam


def handoff(**fields: object) -> Handoff:
    values: dict[str, object] = {
        "queue": "general",
        "reason": ReasonCode.CUSTOMER_REQUEST,
        "status": HandoffStatus.WAITING,
        "created_at": FRIDAY_NIGHT,
        "sla_deadline": reply_deadline(POLICY, "general", FRIDAY_NIGHT),
        "first_human_reply_at": None,
        **fields,
    }
    return Handoff(**values)


@pytest.mark.parametrize(
    ("now", "state", "text"),
    [
        pytest.param(FRIDAY_NIGHT, SlaState.ON_TIME, "11:05:00 left", id="handed-off-at-night"),
        pytest.param(
            SATURDAY_OPENING - timedelta(minutes=1),
            SlaState.ON_TIME,
            "6:00 left",
            id="not-at-risk-before-the-team-is-back",
        ),
        pytest.param(
            SATURDAY_OPENING + timedelta(minutes=4),
            SlaState.AT_RISK,
            "1:00 left",
            id="at-risk-4-of-5-minutes-after-opening",
        ),
        pytest.param(
            SATURDAY_OPENING + timedelta(minutes=6),
            SlaState.OVERDUE,
            "overdue 1:00",
            id="overdue-5-minutes-after-opening",
        ),
    ],
)
def test_off_hours_the_allowed_time_starts_when_the_queue_opens(
    now: datetime, state: SlaState, text: str
) -> None:
    clock = reply_clock(handoff(), policy=POLICY, now=now)
    assert clock is not None
    assert clock.deadline == SATURDAY_OPENING + timedelta(minutes=5)
    assert (clock.state, clock.text) == (state, text)


def test_a_handoff_uses_its_own_queue_s_allowed_time() -> None:
    vip = handoff(queue="vip", sla_deadline=DEADLINE)  # the VIP queue allows 2 minutes
    clock = reply_clock(vip, policy=POLICY, now=at(50))
    assert clock is not None
    assert clock.window_start == DEADLINE - timedelta(minutes=2)
    assert clock.state is SlaState.ON_TIME  # 70 of 120 seconds; 250 of the general queue's 300
    later = reply_clock(vip, policy=POLICY, now=at(20))
    assert later is not None
    assert later.state is SlaState.AT_RISK  # 100 of 120 seconds


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"status": HandoffStatus.CLAIMED}, SlaState.ON_TIME, id="assigned"),
        pytest.param(
            {"status": HandoffStatus.CLAIMED, "first_human_reply_at": FRIDAY_NIGHT},
            SlaState.REPLIED,
            id="assigned-and-answered",
        ),
        pytest.param({"status": HandoffStatus.RESOLVED}, None, id="resolved"),
        pytest.param({"sla_deadline": None}, None, id="no-deadline-yet"),
    ],
)
def test_only_a_handoff_with_a_person_and_a_deadline_has_a_clock(
    fields: dict[str, object], expected: SlaState | None
) -> None:
    clock = reply_clock(handoff(**fields), policy=POLICY, now=FRIDAY_NIGHT)
    assert (clock.state if clock else None) is expected


@pytest.mark.parametrize(
    ("now", "at_risk"),
    [
        pytest.param(FRIDAY_NIGHT + timedelta(hours=2), 0, id="at-night"),
        pytest.param(SATURDAY_OPENING + timedelta(minutes=2), 0, id="just-after-opening"),
        pytest.param(SATURDAY_OPENING + timedelta(minutes=4, seconds=30), 1, id="past-80%"),
        pytest.param(SATURDAY_OPENING + timedelta(minutes=6), 1, id="overdue"),
    ],
)
async def test_the_supervisor_counts_at_risk_by_the_clock_agents_see(
    session: AsyncSession, now: datetime, at_risk: int
) -> None:
    customer = Customer(name="Night owl")
    session.add(customer)
    await session.flush()
    conversation = Conversation(
        id=str(uuid.uuid4()),
        channel="web",
        token_hash="0" * 64,
        customer_id=customer.id,
        status=ConversationStatus.WAITING,
        created_at=FRIDAY_NIGHT,
        updated_at=FRIDAY_NIGHT,
    )
    session.add(conversation)
    await session.flush()
    session.add(handoff(conversation_id=conversation.id, reasons=[]))
    await session.flush()

    queues = {q.name: q for q in (await overview(session, policy=POLICY, now=now)).queues}

    assert (queues["general"].waiting, queues["general"].at_risk) == (1, at_risk)
