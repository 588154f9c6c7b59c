"""The brief, pure: facts masked, intent, mood trend and earlier conversations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tandem.copilot.brief import CustomerFacts, PastConversation, Turn, build_brief
from tandem.copilot.facts import extract_facts, mask_email, mask_phone

CUSTOMER = CustomerFacts(
    name="Sam", email=None, tier="vip", verified=True, previous_conversations=1
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("my order number is 1042", [("order_number", "1042")], id="order"),
        pytest.param("order #PP-5521 is late", [("order_number", "PP-5521")], id="prefixed"),
        pytest.param("it's #88123", [("order_number", "88123")], id="hash"),
        pytest.param("mail sam.jones@Example.com", [("email", "s***@example.com")], id="email"),
        pytest.param("ring +44 7700 900123", [("phone", "+44 ****** 123")], id="phone"),
        pytest.param("ring 07700 900 456", [("phone", "****** 456")], id="local-phone"),
        pytest.param("I paid 25.00 on 12/10/2026", [], id="no-facts"),
    ],
)
def test_extract_facts(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.kind, f.value) for f in extract_facts([text])] == expected


def test_masks_keep_only_what_identifies_enough() -> None:
    assert mask_email("Sam@Example.com") == "S***@example.com"
    assert mask_phone("+1 (415) 555-0123") == "+1 ****** 123"


def test_the_brief_reads_intent_mood_facts_and_history() -> None:
    turns = [
        Turn(
            "customer",
            "where is order 1042?",
            signals={"topic": "order-status", "answer_confidence": 0.2, "emotion_load": 0.1},
        ),
        Turn("bot", "I'm not sure.", kind="not_sure"),
        Turn(
            "customer",
            "I'm really annoyed, email me at sam@example.com",
            signals={"topic": "delivery-times", "answer_confidence": 0.41, "emotion_load": 0.7},
        ),
    ]
    past = PastConversation(
        datetime(2026, 10, 1, tzinfo=UTC),
        "resolved by a person",
        (Turn("customer", "hello"), Turn("customer", "my parcel arrived damaged")),
    )
    brief = build_brief(
        turns, reasons=[("low_confidence", "0.41")], customer=CUSTOMER, history=[past]
    )
    assert brief["intent"] == {"name": "delivery-times", "confidence": 0.41, "source": "retrieval"}
    assert brief["sentiment_trend"] == {"trend": "rising", "latest": "upset", "loads": [0.1, 0.7]}
    assert brief["facts"] == [
        {"kind": "order_number", "value": "1042"},
        {"kind": "email", "value": "s***@example.com"},
    ]
    assert brief["bot_attempts"][0]["outcome"] == "not sure"
    assert brief["history"] == [
        {
            "date": "2026-10-01",
            "outcome": "resolved by a person",
            "summary": "my parcel arrived damaged",
        }
    ]


def test_a_loaded_intent_model_wins_over_the_retrieval_topic() -> None:
    turns = [Turn("customer", "refund?", signals={"topic": "refunds", "answer_confidence": 0.9})]
    brief = build_brief(turns, reasons=[], customer=CUSTOMER, model_intent=("refund", 0.83))
    assert brief["intent"] == {"name": "refund", "confidence": 0.83, "source": "model"}


def test_no_signals_means_an_unknown_trend() -> None:
    brief = build_brief([Turn("customer", "hi")], reasons=[], customer=CUSTOMER)
    assert brief["sentiment_trend"]["trend"] == "unknown"
    assert brief["facts"] == []


def test_a_request_for_a_person_does_not_hide_the_intent() -> None:
    turns = [
        Turn("customer", "sheds?", signals={"topic": "garden", "answer_confidence": 0.2}),
        Turn("customer", "a human!", signals={"topic": "contact", "human_request": "human"}),
    ]
    brief = build_brief(turns, reasons=[], customer=CUSTOMER)
    assert brief["intent"]["name"] == "garden"


def test_the_brief_says_what_the_bot_did_with_each_question_including_actions() -> None:
    turns = [
        Turn("customer", "how long do refunds take?"),
        Turn(
            "bot",
            "Which of these did you mean?",
            kind="clarify",
            source_titles=("Refund processing times", "Refund not received"),
        ),
        Turn("customer", "where is my order?"),
        Turn("bot", "What is your order number?", kind="action_ask"),
        Turn("customer", "PP-10432"),
        Turn("bot", "Order PP-10432 is out for delivery today.", kind="action_result"),
        Turn("customer", "can I return a lamp after 40 days?"),
        Turn("bot", "I'm not sure this is what you asked: ...", kind="tentative"),
        Turn("customer", "I want a person"),
    ]
    brief = build_brief(turns, reasons=[("customer_request", "")], customer=CUSTOMER, history=[])
    attempts = brief["bot_attempts"]
    assert [a["outcome"] for a in attempts] == [
        "asked which of these was meant",
        "asked for details",
        "did it",
        "offered an answer it was not sure of",
    ]
    assert attempts[0]["articles"] == ["Refund processing times", "Refund not received"]
    # The question an action answered is the customer's, not the order number they gave.
    assert attempts[2]["question"] == "where is my order?"
    assert attempts[2]["result"] == "Order PP-10432 is out for delivery today."
