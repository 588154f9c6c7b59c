"""Carry out actions across turns: ask for slots, verify, call the backend, reply or hand off.

The plan for a turn is pure (``actions.engine``); this module applies it. It never decides
against the customer: outcomes marked ``handoff`` and every backend failure go to a person
with the details collected, which ``bot.service`` turns into a handoff.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import intent_models, messages
from tandem.bot.actions import backend
from tandem.bot.actions.backend import CallResult
from tandem.bot.actions.engine import Move, PendingAction, Plan, plan
from tandem.bot.actions.spec import (
    TEMPLATES,
    Action,
    ActionFileError,
    Localised,
    in_language,
    load_actions,
)
from tandem.bot.language import language_of
from tandem.bot.replies import ANSWER_TASK, answers_lock
from tandem.conversations import pending as pending_replies
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, Conversation, Message
from tandem.core.followups import defer_after_commit
from tandem.escalation.reasons import Reason, ReasonCode

logger = logging.getLogger(__name__)
MAX_VERIFY_FAILURES = 2
# A pending reply of this kind is an action's backend calls, made by the replies' job.
ACTION_RUN = "action"


@dataclass(frozen=True, slots=True)
class ActionConfig:
    actions: tuple[Action, ...] = ()
    base_url: str = ""
    model_folder: Path | None = None  # a trained intent model, if there is one


def action_config(
    actions_dir: Path | None, base_url: str | None, model_folder: Path | None
) -> ActionConfig:
    """Return the actions to offer; an invalid folder is logged and offers none (degrade)."""
    if actions_dir is None or not base_url:
        return ActionConfig()
    try:
        actions = load_actions(actions_dir)
    except ActionFileError as error:
        logger.error("actions are off: %s", error.message)
        return ActionConfig()
    folder = model_folder if model_folder is not None and model_folder.is_dir() else None
    return ActionConfig(actions, base_url, folder)


CLOSE_INTENTS = 0.1  # a runner-up this close to the model's intent is asked about, not dropped


def intents_of(config: ActionConfig, text: str) -> tuple[str, ...]:
    """Return the trained model's intent and a runner-up too close to call (needs a model)."""
    if config.model_folder is None or not any(a.intents for a in config.actions):
        return ()
    model = intent_models.intent_model(config.model_folder)
    prediction = model.predict(text) if model is not None else None
    if prediction is None or prediction.intent is None:
        return ()
    close = [
        intent
        for intent, score in prediction.alternatives[:1]
        if prediction.confidence - score < CLOSE_INTENTS
    ]
    return (prediction.intent, *close)


def pending_of(conversation: Conversation) -> PendingAction | None:
    data = conversation.bot_state.get("action")
    return PendingAction.from_json(data) if isinstance(data, dict) else None


def known_identities(conversation: Conversation) -> dict[str, str]:
    """What the customer has proved in this conversation (a verified order and e-mail)."""
    return {str(k): str(v) for k, v in dict(conversation.bot_state.get("verified", {})).items()}


def _last(conversation: Conversation) -> tuple[str | None, dict[str, Any]]:
    last = conversation.bot_state.get("last")
    if not isinstance(last, dict):
        return None, {}
    return str(last.get("action")), dict(last.get("data", {}))


def _set_state(conversation: Conversation, **changes: Any) -> None:
    state = {**conversation.bot_state, **changes}  # a new dict, so the JSON column is saved
    conversation.bot_state = {k: v for k, v in state.items() if v is not None}


def plan_turn(
    config: ActionConfig, conversation: Conversation, *, text: str, new_question: bool
) -> Plan | None:
    """Return what this message means for actions, or None."""
    if not config.actions:
        return None
    return plan(
        config.actions,
        text=text,
        intents=intents_of(config, text),
        pending=pending_of(conversation),
        known=known_identities(conversation),
        new_question=new_question,
        last=_last(conversation)[0],
    )


def asking_for_slot(conversation: Conversation) -> bool:
    """Whether the bot's last question asked the customer for a slot (a code, an order...)."""
    pending = pending_of(conversation)
    return pending is not None and pending.asking is not None


def _render(text: Localised, conversation: Conversation, values: Mapping[str, Any]) -> str:
    """Render an action file's text in the customer's language (raises TemplateError)."""
    return TEMPLATES.from_string(in_language(text, language_of(conversation))).render(**values)


def drop_pending(conversation: Conversation) -> None:
    """Forget the pending action (the customer moved on, or a person took over)."""
    if "action" in conversation.bot_state:
        _set_state(conversation, action=None, verify_failures=None)


@dataclass(frozen=True, slots=True)
class HandoffNeeded:
    """The action ends with a person: the reason, what the customer reads, the details."""

    reason: Reason
    opening: str
    details: dict[str, Any] = field(default_factory=dict)


async def _say(
    session: AsyncSession,
    conversation: Conversation,
    text: str,
    *,
    kind: str,
    action: str | None = None,
    quick_replies: list[str] | None = None,
) -> None:
    data: dict[str, Any] = {"kind": kind}
    if action is not None:
        data["action"] = action
    if quick_replies:
        data["quick_replies"] = quick_replies
    await conversation_service.append_message(
        session, conversation, author=Author.BOT, text=text, data=data
    )


async def carry_out(
    session: AsyncSession, conversation: Conversation, step: Plan, *, reply_to: Message
) -> HandoffNeeded | None:
    """Apply a plan other than SWITCH; return what a person must take over, if anything.

    Backend calls are not made here: an action ready to run is left to a job
    (``bot.action_runs``), as a pending reply to ``reply_to``.
    """
    action = step.action
    language = language_of(conversation)
    if step.move is Move.CLARIFY:
        labels = [a.label_in(language) for a in step.choices]
        text = messages.clarify(labels, language)
        await _say(session, conversation, text, kind="clarify", quick_replies=labels)
        return None
    assert action is not None
    if step.move is Move.FOLLOW_UP:
        assert step.follow_up is not None
        _name, data = _last(conversation)
        try:
            text = _render(step.follow_up.reply, conversation, data)
        except TemplateError:
            logger.exception("follow-up template of %s failed", action.name)
            text = messages.action_backend_error(action.label_in(language), language)
        await _say(session, conversation, text, kind="action_result", action=action.name)
        return None
    if step.move is Move.ABANDON:
        drop_pending(conversation)
        stopped = messages.action_stopped(action.label_in(language), language)
        await _say(session, conversation, stopped, kind="small_talk")
        return None
    if step.move is Move.GIVE_UP:
        pending = pending_of(conversation)
        drop_pending(conversation)
        return HandoffNeeded(
            Reason(ReasonCode.REPEATED_FAILURE, f"{action.label_in(None)}: no {step.reason}"),
            messages.action_give_up(action.label_in(language), language),
            _details(action, pending.slots if pending else {}, outcome="incomplete"),
        )
    assert step.pending is not None
    if step.move is Move.ASK:
        await _ask(session, conversation, action, step.pending)
        return None
    if step.move is Move.CONFIRM:
        await _confirm(session, conversation, action, step.pending)
        return None
    await _queue_run(session, conversation, step.pending, reply_to)
    return None


async def _ask(
    session: AsyncSession, conversation: Conversation, action: Action, pending: PendingAction
) -> None:
    assert pending.asking is not None
    _set_state(conversation, action=pending.as_json())
    language = language_of(conversation)
    prompt = in_language(action.slots[pending.asking].prompt, language)
    text = messages.action_reask(prompt, language) if pending.reasks else prompt
    await _say(session, conversation, text, kind="action_ask", action=action.name)


async def _confirm(
    session: AsyncSession, conversation: Conversation, action: Action, pending: PendingAction
) -> None:
    """Ask the customer to say yes before a write runs, with what it will do."""
    _set_state(conversation, action=pending.as_json())
    language = language_of(conversation)
    plain = messages.action_confirm(action.label_in(language), pending.slots, language)
    if isinstance(action.confirm, bool):
        question = plain
    else:
        try:
            question = _render(action.confirm, conversation, pending.slots)
        except TemplateError:
            logger.exception("confirmation template of %s failed", action.name)
            question = plain
    text = messages.action_reask(question, language) if pending.reasks else question
    await _say(
        session,
        conversation,
        text,
        kind="action_confirm",
        action=action.name,
        quick_replies=list(messages.confirm_choices(language)),
    )


def _details(
    action: Action,
    slots: dict[str, str],
    *,
    outcome: str,
    response: dict[str, Any] | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    kept = {
        k: v for k, v in slots.items() if k not in action.slots or action.slots[k].type != "code"
    }
    return {
        "name": action.name,
        "label": action.label_in(None),
        "writes": action.writes,
        "slots": kept,  # a one-time code is used, never kept
        "outcome": outcome,
        "backend": response or {},
        "error": error,
    }


def _backend_failed(
    action: Action, slots: dict[str, str], error: str, language: str | None
) -> HandoffNeeded:
    return HandoffNeeded(
        Reason(ReasonCode.LOW_CONFIDENCE, f"{action.label_in(None)}: the backend failed ({error})"),
        messages.action_backend_error(action.label_in(language), language),
        _details(action, slots, outcome="backend_error", error=error),
    )


@dataclass(frozen=True, slots=True)
class Calls:
    """What the backend answered for one run of an action (made with no transaction open)."""

    sent: CallResult | None = None  # the one-time code was sent, or not
    checked: CallResult | None = None  # the identity check
    ran: CallResult | None = None  # the action itself


def _ok(result: CallResult) -> bool:
    return result.status is not None and 200 <= result.status < 300 and not result.error


def _identity(action: Action, pending: PendingAction) -> dict[str, str]:
    assert action.verify is not None
    return {name: pending.slots[name] for name in action.verify.slots}


def _needs_check(action: Action, pending: PendingAction, known: Mapping[str, str]) -> bool:
    return action.verify is not None and any(
        known.get(name) != value for name, value in _identity(action, pending).items()
    )


async def make_calls(
    action: Action,
    pending: PendingAction,
    known: Mapping[str, str],
    base_url: str,
    *,
    before_write: Callable[[], Awaitable[None]] | None = None,
) -> Calls:
    """Make the backend calls of an action whose slots are filled, in order, each once.

    A customer not yet verified is checked first (or sent a code to prove it); the action
    runs only once they are. ``before_write`` is awaited just before a writing action's call,
    so a run that dies during that call is known to have maybe written (never retried).
    """
    verify = action.verify
    checked = None
    if verify is not None and _needs_check(action, pending, known):
        if verify.send is not None and verify.code_slot not in pending.slots:
            return Calls(sent=await backend.call(base_url, verify.send, _identity(action, pending)))
        proof = {name: pending.slots[name] for name in verify.proof_slots}
        checked = await backend.call(base_url, verify.call, proof)
        if not _ok(checked):
            return Calls(checked=checked)
    if action.writes and before_write is not None:
        await before_write()
    return Calls(checked=checked, ran=await backend.call(base_url, action.call, pending.slots))


async def apply_calls(
    session: AsyncSession,
    conversation: Conversation,
    action: Action,
    pending: PendingAction,
    calls: Calls,
) -> HandoffNeeded | None:
    """Say what the backend's answers mean; return what a person must take over, if anything."""
    needed = await _apply_calls(session, conversation, action, pending, calls)
    if needed is not None:
        drop_pending(conversation)
    return needed


async def _apply_calls(
    session: AsyncSession,
    conversation: Conversation,
    action: Action,
    pending: PendingAction,
    calls: Calls,
) -> HandoffNeeded | None:
    slots = pending.slots
    language = language_of(conversation)
    if calls.sent is not None:
        return await _code_sent(session, conversation, action, pending, calls.sent)
    if calls.checked is not None:
        result = calls.checked
        if result.status is None or result.status >= 500 or result.error:
            return _backend_failed(
                action, slots, result.error or f"status {result.status}", language
            )
        if not _ok(result):
            return await _not_verified(session, conversation, action, pending)
        known = known_identities(conversation)
        _set_state(conversation, verified={**known, **_identity(action, pending)})
    _set_state(conversation, verify_failures=None)
    assert calls.ran is not None
    result = calls.ran
    outcome_name = action.outcomes.get(result.status) if result.status is not None else None
    if result.error or outcome_name is None:
        error = result.error or f"unexpected status {result.status}"
        return _backend_failed(action, slots, error, language)
    outcome = action.replies[outcome_name]
    try:
        text = _render(outcome.reply, conversation, {**result.data, **slots})
    except TemplateError as error:
        return _backend_failed(action, slots, f"reply template failed: {error}", language)
    if outcome.handoff:
        evidence = f"{action.label_in(None)}: {outcome_name}"
        return HandoffNeeded(
            Reason(ReasonCode.ADVERSE_DECISION, evidence),
            f"{text} {messages.action_person_decides(language)}",
            _details(action, slots, outcome=outcome_name, response=result.data),
        )
    _set_state(conversation, last={"action": action.name, "data": {**result.data, **slots}})
    await _say(
        session,
        conversation,
        text,
        kind="action_result",
        action=action.name,
        quick_replies=[in_language(b, language) for b in outcome.quick_replies],
    )
    return None


def unavailable(pending: PendingAction, language: str | None) -> HandoffNeeded:
    """The action was removed from the configuration before its run: a person finishes it."""
    return HandoffNeeded(
        Reason(ReasonCode.LOW_CONFIDENCE, f"{pending.name}: no longer configured"),
        messages.action_backend_error(pending.name, language),
        {"name": pending.name, "slots": dict(pending.slots), "outcome": "unavailable"},
    )


def interrupted(action: Action, pending: PendingAction, language: str | None) -> HandoffNeeded:
    """A writing action whose run stopped during its call: it may have happened, so a person
    checks (a write is never made twice)."""
    return HandoffNeeded(
        Reason(
            ReasonCode.LOW_CONFIDENCE, f"{action.label_in(None)}: interrupted, may have happened"
        ),
        messages.action_backend_error(action.label_in(language), language),
        _details(action, pending.slots, outcome="interrupted", error="the run was interrupted"),
    )


async def _not_verified(
    session: AsyncSession, conversation: Conversation, action: Action, pending: PendingAction
) -> HandoffNeeded | None:
    """The details did not match: ask again, or hand off the second time."""
    assert action.verify is not None
    verify = action.verify
    failures = int(conversation.bot_state.get("verify_failures", 0)) + 1
    language = language_of(conversation)
    if failures >= MAX_VERIFY_FAILURES:
        evidence = f"{action.label_in(None)}: details did not match twice"
        return HandoffNeeded(
            Reason(ReasonCode.REPEATED_FAILURE, evidence),
            messages.verification_failed(language),
            _details(action, pending.slots, outcome="not_verified"),
        )
    proof = set(verify.proof_slots)
    kept = {k: v for k, v in pending.slots.items() if k not in proof}
    first = verify.slots[0]
    retry = PendingAction(action.name, kept, asking=first)
    _set_state(conversation, action=retry.as_json(), verify_failures=failures)
    prompt = in_language(action.slots[first].prompt, language)
    text = f"{in_language(verify.failed, language)} {prompt}"
    await _say(session, conversation, text, kind="action_ask", action=action.name)
    return None


async def _code_sent(
    session: AsyncSession,
    conversation: Conversation,
    action: Action,
    pending: PendingAction,
    result: CallResult,
) -> HandoffNeeded | None:
    """The backend sent a one-time code (ask the customer for it), or failed to."""
    assert action.verify is not None
    assert action.verify.code_slot is not None
    if not _ok(result):
        error = result.error or f"status {result.status}"
        return _backend_failed(action, pending.slots, error, language_of(conversation))
    code = action.verify.code_slot
    asking = PendingAction(
        action.name, dict(pending.slots), asking=code, confirmed=pending.confirmed
    )
    _set_state(conversation, action=asking.as_json())
    prompt = in_language(action.slots[code].prompt, language_of(conversation))
    await _say(session, conversation, prompt, kind="action_ask", action=action.name)
    return None


async def _queue_run(
    session: AsyncSession, conversation: Conversation, pending: PendingAction, reply_to: Message
) -> None:
    """Leave the backend calls to a job; the customer sees the bot typing until it replies.

    The action leaves the conversation's state for the job's row, so a message sent before
    the reply does not run it again.
    """
    _set_state(conversation, action=None)
    await pending_replies.add_pending_reply(
        session,
        conversation,
        reply_to=reply_to,
        data={"kind": ACTION_RUN, "pending": pending.as_json()},
    )
    defer_after_commit(
        session, ANSWER_TASK, lock=answers_lock(conversation.id), conversation_id=conversation.id
    )
