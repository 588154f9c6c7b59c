"""The escalation policy: who goes to a person, why, and how urgently."""

from __future__ import annotations

import pytest

from tandem.escalation.policy import DEFAULT_POLICY, Policy, Signals, decide
from tandem.escalation.reasons import Priority, ReasonCode

MISS = {"answered": False, "answer_confidence": 0.1}


@pytest.mark.parametrize(
    ("signals", "expected_reasons", "expected_priority"),
    [
        pytest.param(Signals(), [], Priority.NORMAL, id="answered-routine-question"),
        pytest.param(
            Signals(human_request="speak to a human"),
            [ReasonCode.CUSTOMER_REQUEST],
            Priority.NORMAL,
            id="explicit-request",
        ),
        pytest.param(
            Signals(negative_emotion="anger: 'ridiculous'"),
            [ReasonCode.NEGATIVE_EMOTION],
            Priority.ELEVATED,
            id="angry",
        ),
        pytest.param(
            Signals(sensitive_topics=(("bereavement", "passed away"),)),
            [ReasonCode.SENSITIVE_TOPIC],
            Priority.HIGH,
            id="bereavement",
        ),
        pytest.param(
            Signals(sensitive_topics=(("self_harm", "end my life"),)),
            [ReasonCode.SENSITIVE_TOPIC],
            Priority.URGENT,
            id="self-harm-is-urgent",
        ),
        pytest.param(Signals(failed_answers=1, **MISS), [], Priority.NORMAL, id="first-miss"),
        pytest.param(
            Signals(failed_answers=2, **MISS),
            [ReasonCode.REPEATED_FAILURE],
            Priority.ELEVATED,
            id="second-miss",
        ),
        pytest.param(
            Signals(failed_answers=1, tier="vip", **MISS),
            [ReasonCode.LOW_CONFIDENCE, ReasonCode.VIP],
            Priority.HIGH,
            id="vip-first-miss",
        ),
        pytest.param(Signals(tier="vip"), [], Priority.NORMAL, id="vip-answered-stays-with-bot"),
        pytest.param(
            Signals(human_request="agent", tier="vip"),
            [ReasonCode.CUSTOMER_REQUEST, ReasonCode.VIP],
            Priority.HIGH,
            id="vip-request-jumps-priority",
        ),
        pytest.param(
            Signals(
                human_request="lawyer, get me a person",
                negative_emotion="anger",
                sensitive_topics=(("legal", "lawyer"),),
            ),
            [ReasonCode.SENSITIVE_TOPIC, ReasonCode.CUSTOMER_REQUEST, ReasonCode.NEGATIVE_EMOTION],
            Priority.HIGH,
            id="every-reason-listed-most-specific-first",
        ),
        pytest.param(
            Signals(human_request="human please", answered=True, answer_confidence=0.9),
            [ReasonCode.CUSTOMER_REQUEST],
            Priority.NORMAL,
            id="request-beats-a-confident-answer",
        ),
    ],
)
def test_decide(
    signals: Signals, expected_reasons: list[ReasonCode], expected_priority: Priority
) -> None:
    decision = decide(signals, DEFAULT_POLICY)
    assert [reason.code for reason in decision.reasons] == expected_reasons
    assert decision.handoff is bool(expected_reasons)
    assert decision.priority is expected_priority


def test_every_reason_carries_its_evidence() -> None:
    decision = decide(Signals(human_request="operator pls", sensitive_topics=(("fraud", "scam"),)))
    assert {r.code: r.evidence for r in decision.reasons} == {
        ReasonCode.SENSITIVE_TOPIC: "fraud: scam",
        ReasonCode.CUSTOMER_REQUEST: "operator pls",
    }
    assert decision.primary is not None
    assert decision.primary.code is ReasonCode.SENSITIVE_TOPIC


def test_policy_knobs_change_the_miss_limit() -> None:
    patient = Policy(max_failed_answers=3)
    assert not decide(Signals(failed_answers=2, **MISS), patient).handoff
    assert decide(Signals(failed_answers=3, **MISS), patient).handoff


def test_queue_comes_from_the_policy() -> None:
    decision = decide(Signals(human_request="human"), Policy(queue="care"))
    assert decision.queue == "care"
