"""Plan a customer's turn: what the bot will do and why, from plain data. Pure.

``receive`` loads the turn's context, reads the message once, asks ``plan`` what to do, then
applies the plan. The plan carries the policy's decision with its reasons, so evaluations
replay plans and tests table-test them without a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tandem.bot.actions.engine import Move
from tandem.escalation.config import Policy
from tandem.escalation.policy import Decision, Signals, decide
from tandem.nlu.heads import Signal
from tandem.nlu.reading import Reading


class Reply(StrEnum):
    SILENT = "silent"  # a person owns the conversation: read the turn, say nothing
    HAND_OFF = "hand_off"
    ACTION = "action"  # carry out the pending or new action step
    CLARIFY = "clarify"  # two articles fit equally well: ask which
    ANSWER = "answer"
    TENTATIVE = "tentative"  # the passage that probably answers, said to be uncertain
    SMALL_TALK = "small_talk"
    NOT_SURE = "not_sure"


@dataclass(frozen=True)
class Turn:
    """What is known when the customer's message arrives, as plain data."""

    reading: Reading
    policy: Policy
    owned_by_person: bool  # waiting for or assigned to a person
    answered: bool  # the best passage clears the threshold and is new to the customer
    repeat: bool  # the best passage is one the customer already has
    confidence: float  # of the best passage
    topic: str | None  # the best passage's article, when it is about something
    close_alternative: bool  # another article scores within a hair of the best
    step: Move | None  # the action engine's move for this message, if any
    pending: bool  # an action was waiting for this message
    failed_answers: int  # misses in a row before this turn
    last_bot_answered: bool  # the bot's previous message was an answer
    earlier_signals: Sequence[Mapping[str, Any]] = ()  # stored with earlier customer turns
    recent_contacts: int = 0
    tier: str = "standard"
    attributes: Mapping[str, object] = field(default_factory=dict)
    tentative: bool = False  # no answer, but a new passage that probably answers
    after_clarify: bool = False  # the bot's previous message asked which of two was meant
    # A reply to an earlier message is still being written (a model's wording, an action's
    # backend calls): the customer sees the bot typing.
    bot_typing: bool = False


@dataclass(frozen=True)
class TurnPlan:
    reply: Reply
    signals: Signals
    decision: Decision
    failed_answers: int  # after this turn
    drop_pending: bool = False
    small_talk: str | None = None  # the kind, for a small-talk reply


def is_miss(reading: Reading, *, answered: bool) -> bool:
    """Tell whether the bot has no answer to a message that needs one.

    A request for a person, small talk, or a statement ("it's a Visa debit") is no miss.
    """
    return not answered and reading.human_request is None and reading.needs_answer


def plan(turn: Turn) -> TurnPlan:
    """Return what to do with the turn: the decision first, then the bot's reply."""
    reading = turn.reading
    step = None if turn.step is Move.SWITCH else turn.step
    # A tentative answer is help offered, not a miss; "that's not it" afterwards is one. A VIP
    # is owed more than a guess: for them an answer the bot is unsure of is a miss.
    vip = turn.tier in turn.policy.tiers.vip_tiers
    helped = turn.answered or (turn.tentative and not vip)
    miss = step is None and is_miss(reading, answered=helped)
    failed = _failed_answers(turn, miss=miss, acting=step is not None)
    signals = _signals(turn, failed_answers=failed, miss=miss, acting=step is not None)
    if turn.owned_by_person:
        return TurnPlan(Reply.SILENT, signals, Decision.bot(), turn.failed_answers)
    decision = decide(signals, turn.policy)
    switched = turn.step is Move.SWITCH
    if decision.handoff:
        return TurnPlan(Reply.HAND_OFF, signals, decision, failed, drop_pending=True)
    if turn.bot_typing and reading.repeats is not None:
        # Sent again before the bot could reply: the reply on its way answers it.
        return TurnPlan(Reply.SILENT, signals, decision, turn.failed_answers)
    if step is not None:
        return TurnPlan(Reply.ACTION, signals, decision, failed)
    reply = _reply(turn, miss=miss)
    kind = None
    if reply is Reply.SMALL_TALK:
        kind = reading.small_talk.value if reading.small_talk else "statement"
    return TurnPlan(reply, signals, decision, failed, drop_pending=switched, small_talk=kind)


def _reply(turn: Turn, *, miss: bool) -> Reply:
    if turn.reading.small_talk is not None:
        # Every part of it is small talk ("Danke schön!"): read with the previous question, a
        # thanks must not fetch another passage of the same article.
        return Reply.SMALL_TALK
    if turn.answered and turn.close_alternative:
        return Reply.CLARIFY
    if turn.answered:
        return Reply.ANSWER
    if turn.tentative and turn.reading.needs_answer:
        return Reply.CLARIFY if turn.close_alternative else Reply.TENTATIVE
    if not miss:
        return Reply.SMALL_TALK
    return Reply.NOT_SURE


def _failed_answers(turn: Turn, *, miss: bool, acting: bool) -> int:
    failed = turn.failed_answers
    if turn.reading.finding(Signal.NOT_HELPED) is not None and turn.last_bot_answered:
        failed += 1  # "No, I mean ..." says the previous answer missed
    if turn.answered or acting:
        return 0
    return failed + 1 if miss else failed


def _signals(turn: Turn, *, failed_answers: int, miss: bool, acting: bool) -> Signals:
    reading = turn.reading
    stored = turn.earlier_signals
    answering_bot = acting and turn.pending
    # Politeness ("great, thanks") is about nothing, so it never counts towards a loop.
    topic = turn.topic if reading.small_talk is None and not answering_bot else None
    order_value = turn.attributes.get("order_value")
    return Signals(
        text=reading.text,
        human_request=reading.human_request,
        negative_emotion=reading.negative_emotion,
        emotion_load=round(reading.load, 3),
        previous_loads=tuple(float(s.get("emotion_load", 0.0)) for s in stored),
        sensitive_topics=reading.sensitive_topics,
        # A person owns it: the turn is read for load, never counted as the bot's miss.
        answered=turn.answered if turn.owned_by_person else not miss,
        answer_confidence=round(turn.confidence, 4),
        failed_answers=turn.failed_answers if turn.owned_by_person else failed_answers,
        topic=topic,
        topic_count=(1 + sum(1 for s in stored if s.get("topic") == topic)) if topic else 0,
        # Picking "Cancel my order" after "cancel my order or change my address" answers the
        # bot's question with the customer's own words: a choice, not a repeat.
        # Nor is a message sent again while the bot is still typing its reply.
        rephrase_of=None
        if answering_bot or turn.after_clarify or turn.bot_typing
        else reading.repeats,
        bot_would_repeat=turn.repeat and not turn.owned_by_person,
        recent_contacts=turn.recent_contacts,
        problem=reading.evidence(Signal.ORDER_PROBLEM),
        order_value=float(order_value) if isinstance(order_value, int | float) else None,
        adverse_request=reading.evidence(Signal.ADVERSE_REQUEST),
        tier=turn.tier,
        attributes=dict(turn.attributes),
    )
