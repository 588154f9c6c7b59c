"""Decide what a customer turn means for actions: start one, fill a slot, switch topic. Pure.

The pending action lives in ``conversation.bot_state`` as plain JSON (``PendingAction``), so
a conversation picks up where it left off in any process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tandem.bot.actions.confirm import confirmation
from tandem.bot.actions.slots import extract_all, never_mind
from tandem.bot.actions.spec import Action, FollowUp

MAX_REASKS = 2


class Move(StrEnum):
    ASK = "ask"  # a slot is missing: ask for it
    CONFIRM = "confirm"  # a write's slots are filled: ask the customer to say yes first
    RUN = "run"  # every slot is filled (a write confirmed): verify and call the backend
    CLARIFY = "clarify"  # two actions fit: ask which one
    ABANDON = "abandon"  # the customer called it off
    SWITCH = "switch"  # the customer moved on: drop the action, answer the new question
    GIVE_UP = "give_up"  # asked too often without an answer
    FOLLOW_UP = "follow_up"  # a question about the last result: answer it from that result


@dataclass(frozen=True, slots=True)
class PendingAction:
    name: str
    slots: dict[str, str] = field(default_factory=dict)
    asking: str | None = None
    reasks: int = 0
    confirming: bool = False  # the bot asked "shall I go ahead?" and waits for the answer
    confirmed: bool = False  # the customer said yes to these slots

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "slots": dict(self.slots),
            "asking": self.asking,
            "reasks": self.reasks,
            "confirming": self.confirming,
            "confirmed": self.confirmed,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PendingAction:
        return cls(
            name=str(data["name"]),
            slots={str(k): str(v) for k, v in dict(data.get("slots", {})).items()},
            asking=data.get("asking"),
            reasks=int(data.get("reasks", 0)),
            confirming=bool(data.get("confirming", False)),
            confirmed=bool(data.get("confirmed", False)),
        )


@dataclass(frozen=True, slots=True)
class Plan:
    move: Move
    action: Action | None = None
    pending: PendingAction | None = None  # the state after this turn (ASK, CONFIRM, RUN)
    choices: tuple[Action, ...] = ()  # CLARIFY
    follow_up: FollowUp | None = None  # FOLLOW_UP
    reason: str = ""


def triggered(actions: Sequence[Action], text: str, intents: Sequence[str]) -> list[Action]:
    """Return the actions the message asks for: by phrase first, then by intent.

    ``intents`` are the model's intent and any runner-up too close to call; two that lead to
    different actions make a clarifying question.
    """
    by_phrase = [a for a in actions if a.matches(text)]
    if by_phrase:
        return by_phrase
    return [a for a in actions if any(i in a.intents for i in intents)]


def _next(
    action: Action,
    slots: dict[str, str],
    known: Mapping[str, str],
    reasks: int,
    *,
    confirmed: bool = False,
) -> Plan:
    filled = {**{k: v for k, v in known.items() if k in action.slots}, **slots}
    missing = [n for n in action.slots if n not in filled and n not in action.later_slots]
    if missing:
        pending = PendingAction(
            action.name, filled, asking=missing[0], reasks=reasks, confirmed=confirmed
        )
        return Plan(Move.ASK, action, pending, reason=f"needs {missing[0]}")
    if action.needs_confirmation and not confirmed:
        pending = PendingAction(action.name, filled, confirming=True)
        return Plan(Move.CONFIRM, action, pending, reason="a write: the customer says yes first")
    ready = PendingAction(action.name, filled, confirmed=confirmed)
    return Plan(Move.RUN, action, ready, reason="all slots filled")


def _answer_to_confirmation(
    action: Action, pending: PendingAction, text: str, known: Mapping[str, str]
) -> Plan | None:
    """Go ahead on a yes, stop on a no, ask again with changed details; None: not an answer."""
    said = confirmation(text)
    if said is True:
        return _next(action, dict(pending.slots), known, reasks=0, confirmed=True)
    if said is False:
        return Plan(Move.ABANDON, action, reason="the customer said no")
    changed = extract_all(action.slots, text, asked=None)
    if changed and any(pending.slots.get(k) != v for k, v in changed.items()):
        return _next(action, {**pending.slots, **changed}, known, reasks=0)  # asked again
    return None


def plan(
    actions: Sequence[Action],
    *,
    text: str,
    intents: Sequence[str],
    pending: PendingAction | None,
    known: Mapping[str, str],
    new_question: bool,
    last: str | None = None,
) -> Plan | None:
    """Return what to do with an action this turn, or None when no action is involved.

    ``known`` holds values the customer already proved (a verified order and e-mail), reused
    by the next action. ``new_question`` says the message is answerable or asks something on
    its own, which ends a pending action that the message does not feed. ``last`` names the
    action whose result the customer saw last, for follow-up questions about it.
    """
    by_name = {a.name: a for a in actions}
    current = by_name.get(pending.name) if pending else None
    wanted = triggered(actions, text, intents)
    if current is not None and pending is not None:
        if never_mind(text):
            return Plan(Move.ABANDON, current, reason="the customer called it off")
        if pending.confirming:
            return _confirming(current, pending, text, known, wanted, new_question)
        found = extract_all(current.slots, text, asked=pending.asking)
        others = [a for a in wanted if a.name != current.name]
        if pending.asking in found or (found and not others):
            slots = {**pending.slots, **found}
            return _next(current, slots, known, reasks=0, confirmed=pending.confirmed)
        if others or new_question:
            switch = Plan(Move.SWITCH, current, reason="the customer changed topic")
            return switch if not others else _start(others, text, known) or switch
        if pending.reasks >= MAX_REASKS:
            return Plan(Move.GIVE_UP, current, reason=f"no {pending.asking} after re-asking")
        return Plan(
            Move.ASK,
            current,
            PendingAction(current.name, dict(pending.slots), pending.asking, pending.reasks + 1),
            reason=f"still needs {pending.asking}",
        )
    previous = by_name.get(last) if last else None
    if not wanted and previous is not None:
        follow_up = next((f for f in previous.follow_ups if f.matches(text)), None)
        if follow_up is not None:
            return Plan(Move.FOLLOW_UP, previous, follow_up=follow_up, reason="about the result")
    return _start(wanted, text, known)


def _start(wanted: Sequence[Action], text: str, known: Mapping[str, str]) -> Plan | None:
    if not wanted:
        return None
    if len(wanted) > 1:
        return Plan(Move.CLARIFY, choices=tuple(wanted), reason="several actions fit")
    action = wanted[0]
    return _next(action, extract_all(action.slots, text, asked=None), known, reasks=0)


def _confirming(
    action: Action,
    pending: PendingAction,
    text: str,
    known: Mapping[str, str],
    wanted: Sequence[Action],
    new_question: bool,
) -> Plan:
    """The customer's turn after "shall I go ahead?": only a yes runs the write."""
    answered = _answer_to_confirmation(action, pending, text, known)
    if answered is not None:
        return answered
    others = [a for a in wanted if a.name != action.name]
    if others:
        return _start(others, text, known) or Plan(Move.SWITCH, action, reason="another action")
    if new_question:
        return Plan(Move.SWITCH, action, reason="the customer changed topic")
    if pending.reasks >= MAX_REASKS:
        return Plan(Move.ABANDON, action, reason="no yes to the confirmation: nothing done")
    again = PendingAction(
        action.name, dict(pending.slots), confirming=True, reasks=pending.reasks + 1
    )
    return Plan(Move.CONFIRM, action, again, reason="not a yes or a no")
