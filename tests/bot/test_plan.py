"""The turn plan: decide, then choose the reply, from plain data (no database)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tandem.bot.actions.engine import Move
from tandem.bot.plan import Reply, Turn, plan
from tandem.escalation.config import default_policy
from tandem.escalation.reasons import ReasonCode
from tandem.nlu.heads import Signal
from tandem.nlu.language import Language
from tandem.nlu.reading import Finding, Reading, SmallTalk

POLICY = default_policy()


def _reading(
    text: str = "how long do refunds take?",
    *signals: Signal,
    small_talk: SmallTalk | None = None,
) -> Reading:
    return Reading(
        text=text,
        language=Language("en", 0.9),
        scores=dict.fromkeys(signals, 0.9),
        findings=tuple(Finding(s, 0.9, f"“{text}”") for s in signals),
        small_talk=small_talk,
    )


def _turn(reading: Reading | None = None, **changes: object) -> Turn:
    turn = Turn(
        reading=reading or _reading(),
        policy=POLICY,
        owned_by_person=False,
        answered=True,
        repeat=False,
        confidence=0.6,
        topic="refund-processing-times",
        close_alternative=False,
        step=None,
        pending=False,
        failed_answers=0,
        last_bot_answered=False,
    )
    return replace(turn, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("turn", "reply", "reason"),
    [
        pytest.param(_turn(), Reply.ANSWER, None, id="answer"),
        pytest.param(_turn(close_alternative=True), Reply.CLARIFY, None, id="two-articles"),
        pytest.param(
            _turn(_reading("i want a human", Signal.HUMAN_REQUEST), answered=False),
            Reply.HAND_OFF,
            ReasonCode.CUSTOMER_REQUEST,
            id="asks-for-a-person",
        ),
        pytest.param(
            _turn(_reading("I just want it all to stop", Signal.SELF_HARM)),
            Reply.HAND_OFF,
            ReasonCode.SENSITIVE_TOPIC,
            id="crisis-beats-an-answer",
        ),
        pytest.param(_turn(answered=False, confidence=0.1), Reply.NOT_SURE, None, id="first-miss"),
        pytest.param(
            _turn(answered=False, tentative=True, confidence=0.5),
            Reply.TENTATIVE,
            None,
            id="probably-this-passage",
        ),
        pytest.param(
            _turn(answered=False, tentative=True, close_alternative=True, confidence=0.5),
            Reply.CLARIFY,
            None,
            id="probably-one-of-two",
        ),
        pytest.param(
            _turn(answered=False, tentative=True, confidence=0.5, failed_answers=1),
            Reply.TENTATIVE,
            None,
            id="a-tentative-answer-after-a-miss-is-help-not-a-second-miss",
        ),
        pytest.param(
            _turn(
                _reading("thanks", small_talk=SmallTalk.THANKS),
                answered=False,
                tentative=True,
                confidence=0.5,
            ),
            Reply.SMALL_TALK,
            None,
            id="politeness-gets-no-tentative-article",
        ),
        pytest.param(
            _turn(answered=False, confidence=0.1, failed_answers=1),
            Reply.HAND_OFF,
            ReasonCode.REPEATED_FAILURE,
            id="second-miss",
        ),
        pytest.param(
            _turn(_reading("thanks", small_talk=SmallTalk.THANKS), answered=False),
            Reply.SMALL_TALK,
            None,
            id="politeness-is-no-miss",
        ),
        pytest.param(
            _turn(answered=False, step=Move.ASK, pending=True), Reply.ACTION, None, id="action"
        ),
        pytest.param(
            _turn(_reading("i want a human", Signal.HUMAN_REQUEST), step=Move.ASK),
            Reply.HAND_OFF,
            ReasonCode.CUSTOMER_REQUEST,
            id="a-person-before-an-action",
        ),
        pytest.param(
            _turn(_reading("i want a human", Signal.HUMAN_REQUEST), owned_by_person=True),
            Reply.SILENT,
            None,
            id="a-person-owns-it",
        ),
    ],
)
def test_plan(turn: Turn, reply: Reply, reason: ReasonCode | None) -> None:
    planned = plan(turn)
    assert planned.reply is reply
    primary = planned.decision.primary
    assert (primary.code if primary else None) is reason


def test_a_follow_up_the_bot_answers_resets_the_misses() -> None:
    assert plan(_turn(failed_answers=1)).failed_answers == 0


def test_a_tentative_answer_neither_adds_nor_clears_misses() -> None:
    tentative = _turn(answered=False, tentative=True, confidence=0.5, failed_answers=1)
    assert plan(tentative).failed_answers == 1
    assert plan(tentative).signals.answered


def test_a_vip_gets_a_person_rather_than_a_guess() -> None:
    unsure = _turn(answered=False, tentative=True, confidence=0.5, tier="vip")
    planned = plan(unsure)
    assert planned.reply is Reply.HAND_OFF
    assert "low_confidence" in [r.code.value for r in planned.decision.reasons]
    assert plan(replace(unsure, tier="standard")).reply is Reply.TENTATIVE


def test_that_didnt_help_after_an_answer_counts_as_a_miss() -> None:
    reading = _reading("that's not what I asked", Signal.NOT_HELPED)
    planned = plan(_turn(reading, answered=False, confidence=0.1, last_bot_answered=True))
    assert planned.failed_answers == 2  # the missed answer and this unanswered message
    assert planned.reply is Reply.HAND_OFF


def test_a_switch_drops_the_pending_action_and_answers() -> None:
    planned = plan(_turn(step=Move.SWITCH, pending=True))
    assert planned.reply is Reply.ANSWER
    assert planned.drop_pending


def test_picking_an_option_in_the_customers_own_words_is_not_a_loop() -> None:
    picked = replace(_reading("Cancel my order"), repeats="cancel my order or change my address")
    assert plan(_turn(picked)).decision.handoff
    assert not plan(_turn(picked, after_clarify=True)).decision.handoff


def test_a_message_sent_again_while_the_bot_is_typing_waits_for_the_reply() -> None:
    again = replace(_reading("where is my order 1042?"), repeats="where is my order 1042?")
    assert plan(_turn(again, answered=False)).decision.handoff  # repeated after a reply: a loop
    waiting = plan(_turn(again, answered=False, bot_typing=True))
    assert not waiting.decision.handoff
    assert waiting.reply is Reply.SILENT  # the reply on its way answers it
    assert waiting.failed_answers == 0


def test_a_request_for_a_person_while_the_bot_is_typing_is_still_honoured() -> None:
    asked = replace(_reading("a person please", Signal.HUMAN_REQUEST), repeats="a person please")
    assert plan(_turn(asked, bot_typing=True)).reply is Reply.HAND_OFF
