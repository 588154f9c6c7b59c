"""The escalation policy: who goes to a person, why, how urgently, and to which queue."""

from __future__ import annotations

import pytest

from tandem.escalation.config import Policy, default_policy, parse_policy
from tandem.escalation.policy import Signals, decide
from tandem.escalation.reasons import Priority, ReasonCode

POLICY = default_policy()
MISS = {"answered": False, "answer_confidence": 0.1}
R = ReasonCode


@pytest.mark.parametrize(
    ("signals", "expected_reasons", "expected_priority"),
    [
        pytest.param(Signals(), [], Priority.NORMAL, id="answered-routine-question"),
        pytest.param(
            Signals(human_request="speak to a human"),
            [R.CUSTOMER_REQUEST],
            Priority.NORMAL,
            id="explicit-request",
        ),
        pytest.param(
            Signals(negative_emotion="anger: 'ridiculous'"),
            [R.NEGATIVE_EMOTION],
            Priority.ELEVATED,
            id="angry",
        ),
        pytest.param(
            Signals(sensitive_topics=(("bereavement", "passed away"),)),
            [R.SENSITIVE_TOPIC],
            Priority.HIGH,
            id="bereavement",
        ),
        pytest.param(
            Signals(sensitive_topics=(("self_harm", "end my life"),)),
            [R.SENSITIVE_TOPIC],
            Priority.URGENT,
            id="self-harm-is-urgent",
        ),
        pytest.param(Signals(failed_answers=1, **MISS), [], Priority.NORMAL, id="first-miss"),
        pytest.param(
            Signals(failed_answers=2, **MISS),
            [R.REPEATED_FAILURE],
            Priority.ELEVATED,
            id="second-miss",
        ),
        pytest.param(
            Signals(failed_answers=1, tier="vip", **MISS),
            [R.LOW_CONFIDENCE, R.VIP],
            Priority.HIGH,
            id="vip-first-miss",
        ),
        pytest.param(Signals(tier="vip"), [], Priority.NORMAL, id="vip-answered-stays-with-bot"),
        pytest.param(
            Signals(human_request="agent", tier="vip"),
            [R.CUSTOMER_REQUEST, R.VIP],
            Priority.HIGH,
            id="vip-request-jumps-priority",
        ),
        pytest.param(
            Signals(emotion_load=0.3, previous_loads=(0.0, 0.1)),
            [R.NEGATIVE_EMOTION],
            Priority.ELEVATED,
            id="rising-frustration",
        ),
        pytest.param(
            Signals(emotion_load=0.3, previous_loads=(0.2, 0.25)),
            [],
            Priority.NORMAL,
            id="steady-mild-tone-is-not-a-trend",
        ),
        pytest.param(
            Signals(emotion_load=0.1, previous_loads=(0.5, 0.3)),
            [],
            Priority.NORMAL,
            id="calming-down",
        ),
        pytest.param(
            Signals(topic="refund-status", topic_count=3),
            [R.LOOP],
            Priority.ELEVATED,
            id="same-topic-three-times",
        ),
        pytest.param(
            Signals(rephrase_of="where is my refund"),
            [R.LOOP],
            Priority.ELEVATED,
            id="customer-rephrases",
        ),
        pytest.param(
            Signals(bot_would_repeat=True, failed_answers=2, **MISS),
            [R.LOOP, R.REPEATED_FAILURE],
            Priority.ELEVATED,
            id="bot-would-repeat-itself-after-a-miss",
        ),
        pytest.param(
            Signals(recent_contacts=2),
            [R.REPEAT_CONTACT],
            Priority.ELEVATED,
            id="third-contact-this-week",
        ),
        pytest.param(Signals(recent_contacts=1), [], Priority.NORMAL, id="second-contact"),
        pytest.param(
            Signals(order_value=900, problem="damaged"),
            [R.HIGH_VALUE],
            Priority.HIGH,
            id="high-value-order-with-a-problem",
        ),
        pytest.param(
            Signals(order_value=900), [], Priority.NORMAL, id="high-value-order-faq-stays-with-bot"
        ),
        pytest.param(
            Signals(order_value=40, problem="damaged"),
            [],
            Priority.NORMAL,
            id="small-order-problem-stays-with-bot",
        ),
        pytest.param(
            Signals(adverse_request="outside the return window"),
            [R.ADVERSE_DECISION],
            Priority.ELEVATED,
            id="adverse-decision",
        ),
        pytest.param(
            Signals(
                human_request="lawyer, get me a person",
                negative_emotion="anger",
                sensitive_topics=(("legal", "lawyer"),),
            ),
            [R.SENSITIVE_TOPIC, R.CUSTOMER_REQUEST, R.NEGATIVE_EMOTION],
            Priority.HIGH,
            id="every-reason-listed-most-specific-first",
        ),
        pytest.param(
            Signals(human_request="human please", answer_confidence=0.9),
            [R.CUSTOMER_REQUEST],
            Priority.NORMAL,
            id="request-beats-a-confident-answer",
        ),
    ],
)
def test_decide(
    signals: Signals, expected_reasons: list[ReasonCode], expected_priority: Priority
) -> None:
    decision = decide(signals, POLICY)
    assert [reason.code for reason in decision.reasons] == expected_reasons
    assert decision.handoff is bool(expected_reasons)
    assert decision.priority is expected_priority


def test_every_reason_carries_its_evidence() -> None:
    decision = decide(
        Signals(human_request="operator pls", sensitive_topics=(("fraud", "scam"),)), POLICY
    )
    assert {r.code: r.evidence for r in decision.reasons} == {
        R.SENSITIVE_TOPIC: "fraud: scam",
        R.CUSTOMER_REQUEST: "operator pls",
    }
    assert decision.primary is not None
    assert decision.primary.code is R.SENSITIVE_TOPIC


@pytest.mark.parametrize(
    ("signals", "queue"),
    [
        pytest.param(Signals(human_request="human"), "general", id="default-queue"),
        pytest.param(Signals(sensitive_topics=(("bereavement", "died"),)), "care", id="care"),
        pytest.param(Signals(human_request="agent", tier="vip"), "vip", id="vip"),
        pytest.param(
            Signals(sensitive_topics=(("health", "burn"),), tier="vip"),
            "care",
            id="topic-queue-beats-vip-queue",
        ),
    ],
)
def test_the_queue_comes_from_the_most_specific_reason(signals: Signals, queue: str) -> None:
    assert decide(signals, POLICY).queue == queue


def _policy(**changes: object) -> Policy:
    return POLICY.model_copy(update=changes)


def test_an_explicit_request_cannot_be_configured_away() -> None:
    lax = parse_policy("emotion: {enabled: false}\nadverse_decisions: false\nsensitive_topics: {}")
    assert decide(Signals(human_request="human"), lax).handoff
    assert not decide(Signals(negative_emotion="anger"), lax).handoff
    self_harm = decide(Signals(sensitive_topics=(("self_harm", "suicidal"),)), lax)
    assert self_harm.priority is Priority.URGENT  # self-harm is never switched off


def test_the_miss_limit_is_configuration() -> None:
    patient = parse_policy("confidence: {max_failed_answers: 3}")
    assert not decide(Signals(failed_answers=2, **MISS), patient).handoff
    assert decide(Signals(failed_answers=3, **MISS), patient).handoff


def test_priorities_can_be_overridden_per_reason() -> None:
    strict = parse_policy("priorities: {negative_emotion: high}")
    assert decide(Signals(negative_emotion="anger"), strict).priority is Priority.HIGH


@pytest.mark.parametrize(
    ("rule", "signals", "fires"),
    [
        pytest.param(
            "{attributes: {plan: business}}",
            Signals(attributes={"plan": "business"}),
            True,
            id="attribute-equals",
        ),
        pytest.param(
            "{attributes: {plan: business}}",
            Signals(attributes={"plan": "free"}),
            False,
            id="attribute-differs",
        ),
        pytest.param(
            "{attributes_at_least: {lifetime_value: 1000}}",
            Signals(attributes={"lifetime_value": 2500}),
            True,
            id="attribute-at-least",
        ),
        pytest.param(
            "{keywords_any: [chargeback]}",
            Signals(text="I'll file a Chargeback"),
            True,
            id="keyword",
        ),
        pytest.param(
            "{topic_in: [warranty-claim], tier_in: [vip]}",
            Signals(topic="warranty-claim", tier="standard"),
            False,
            id="all-conditions-must-hold",
        ),
    ],
)
def test_configurable_rules(rule: str, signals: Signals, fires: bool) -> None:
    policy = parse_policy(
        f"rules:\n  - name: r1\n    when: {rule}\n    then: {{queue: vip, priority: high}}\n"
        "queues: {general: {}, vip: {}, care: {}}"
    )
    decision = decide(signals, policy)
    assert decision.handoff is fires
    if fires:
        assert decision.reasons[0].code is R.RULE
        assert decision.reasons[0].evidence.startswith("rule r1:")
        assert (decision.queue, decision.priority) == ("vip", Priority.HIGH)
