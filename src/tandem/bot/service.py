"""A customer's turn: store the message, then answer from knowledge or hand off to a person."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.bot import context, dialogue, follow_ups, messages, replies, summaries, waiting
from tandem.bot.actions.engine import Plan as ActionPlan
from tandem.bot.compose import LLMConfig
from tandem.bot.dialogue import ActionConfig, HandoffNeeded
from tandem.bot.language import language_of, remember_language
from tandem.bot.plan import Reply, Turn, TurnPlan, is_miss, plan
from tandem.config import Settings
from tandem.conversations import pending as pending_replies
from tandem.conversations import service as conversation_service
from tandem.conversations.models import (
    Author,
    Conversation,
    ConversationStatus,
    Customer,
    EventKind,
    Message,
)
from tandem.conversations.schemas import CustomerIdentity, QueueInfo
from tandem.conversations.service import Idempotency
from tandem.copilot import service as copilot_service
from tandem.core.metrics import TURNS
from tandem.escalation import service as escalation_service
from tandem.escalation.config import Policy
from tandem.escalation.policy import DEFAULT_PRIORITY, Decision, Signals, decide
from tandem.escalation.reasons import Priority
from tandem.escalation.signals import signals_to_data
from tandem.knowledge.service import Retrieval
from tandem.nlu.encoder import DEFAULT_ENCODER
from tandem.nlu.heads import SHIPPED
from tandem.nlu.reading import Reader, Reading, load_reader
from tandem.privacy.redaction import SecretKind, redact
from tandem.routing import service as routing_service
from tandem.routing.models import SummaryState

BUTTON_EVIDENCE = "pressed “Talk to a person”"


@dataclass(frozen=True, slots=True)
class BotConfig:
    company: str
    answer_threshold: float
    suggest_threshold: float
    average_handle_seconds: int
    tentative_threshold: float = 1.01  # above every probability: no tentative answers
    actions: ActionConfig = field(default_factory=ActionConfig)
    llm: LLMConfig | None = None  # None: answers are the passages themselves (offline)
    encoder: str = DEFAULT_ENCODER
    signal_heads: Path = SHIPPED
    knowledge_language: str = "en"

    @property
    def reader(self) -> Reader:
        """The turn reader for this encoder and these heads (loaded once per process)."""
        return load_reader(self.encoder, self.signal_heads)


def config_from(settings: Settings) -> BotConfig:
    """Return the bot's knobs from the application settings."""
    return BotConfig(
        company=settings.company_name,
        answer_threshold=settings.answer_threshold,
        tentative_threshold=settings.tentative_threshold,
        suggest_threshold=settings.suggest_threshold,
        average_handle_seconds=settings.average_handle_seconds,
        actions=dialogue.action_config(
            settings.actions_dir, settings.actions_base_url, settings.model_dir / "intents"
        ),
        llm=LLMConfig(
            url=settings.llm_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key,
            timeout_seconds=settings.llm_timeout_seconds,
        )
        if settings.llm_url
        else None,
        encoder=settings.encoder,
        signal_heads=settings.signal_heads_dir or SHIPPED,
        knowledge_language=settings.knowledge_language,
    )


@dataclass(frozen=True, slots=True)
class TurnResult:
    message: Message
    duplicate: bool = False
    decision: Decision | None = None
    queue: QueueInfo | None = None


async def start(
    session: AsyncSession,
    *,
    identity: CustomerIdentity | None,
    identity_secret: str | None,
    config: BotConfig,
    customer: Customer | None = None,
    idempotency: Idempotency | None = None,
    language: str | None = None,
) -> tuple[Conversation, str]:
    """Open a conversation and greet the customer, saying the bot is an AI.

    With ``idempotency``, a retry of the same creation returns the conversation already made.
    ``language`` is the customer's, when known before they write (their page's): the greeting
    is in it, and so is what the bot says until they write in another.
    """
    if idempotency is not None:
        earlier = await conversation_service.resume_conversation(session, idempotency)
        if earlier is not None:
            return earlier
    conversation, _customer, token = await conversation_service.start_conversation(
        session,
        identity=identity,
        identity_secret=identity_secret,
        customer=customer,
        idempotency=idempotency,
    )
    await conversation_service.append_message(
        session,
        conversation,
        author=Author.BOT,
        text=messages.greeting(config.company, language),
        data={"kind": "greeting"},
    )
    remember_language(conversation, language)
    return conversation, token


def _sentiment_label(reading: Reading) -> str:
    if reading.feelings is not None:
        return "negative (" + reading.feelings + ")"
    if reading.sentiment <= -0.3:
        return "slightly negative"
    return "neutral"


async def receive(
    session: AsyncSession,
    conversation: Conversation,
    *,
    text: str,
    client_msg_id: str,
    config: BotConfig,
) -> TurnResult:
    """Store the customer's message and, while the bot owns the conversation, respond.

    Idempotent: a ``client_msg_id`` already stored returns the stored message and does nothing.
    Card numbers, IBANs, passwords and one-time codes are removed before anything is stored.
    """
    clean, removed = redact(text)
    appended = await conversation_service.append_message(
        session,
        conversation,
        author=Author.CUSTOMER,
        text=clean,
        client_msg_id=client_msg_id,
        data={"redacted": sorted({r.kind.value for r in removed})} if removed else None,
    )
    if not appended.created:
        return TurnResult(appended.message, duplicate=True)
    message = appended.message
    customer = await conversation_service.get_customer(session, conversation.customer_id)
    only_codes = all(r.kind is SecretKind.CODE for r in removed)
    turn, retrieval, step = await _load(
        session, conversation, customer, message, config, typed=text, only_codes=only_codes
    )
    planned = plan(turn)
    TURNS.labels(reply=planned.reply.value).inc()
    # Set before the turn's analysis is written, so it goes in the same UPDATE.
    remember_language(conversation, turn.reading.language.code)
    await _record(session, conversation, message, planned.signals, turn.reading)
    if removed:
        await conversation_service.append_message(
            session,
            conversation,
            author=Author.SYSTEM,
            text=messages.redacted_notice(turn.reading.language.code),
            data={"kind": "redacted"},
        )
    if planned.reply is Reply.SILENT:
        if conversation.status is ConversationStatus.WAITING:
            await waiting.acknowledge(session, conversation, message, turn.reading.language.code)
        return TurnResult(message)
    return await _apply(
        session, conversation, customer, message, planned, retrieval=retrieval, step=step,
        turn=turn, config=config,
    )  # fmt: skip


async def _load(
    session: AsyncSession,
    conversation: Conversation,
    customer: Customer,
    message: Message,
    config: BotConfig,
    *,
    typed: str,
    only_codes: bool,
) -> tuple[Turn, Retrieval, ActionPlan | None]:
    """Load what the turn's plan needs, and read the message once."""
    text = message.text
    policy = (await escalation_service.active_policy(session)).policy
    history = await conversation_service.recent_messages(
        session, conversation.id, limit=context.HISTORY_LIMIT
    )
    given = context.passages_given(history)
    retrieval = await follow_ups.retrieve(
        session,
        conversation,
        message,
        answer_threshold=config.answer_threshold,
        tentative_threshold=config.tentative_threshold,
    )
    retrieval = retrieval.avoiding(given, threshold=config.answer_threshold)
    recent = await conversation_service.count_recent_contacts(
        session, conversation, days=policy.loops.repeat_contact_days
    )
    # Read once: every signal of the plan and the policy comes from this reading.
    reading = await asyncio.to_thread(  # encoders and models: CPU work, off the event loop
        config.reader.read,
        text,
        earlier=context.earlier_customer_texts(history, message),
        rephrase_similarity=policy.loops.rephrase_similarity,
    )
    owned = conversation.status in (ConversationStatus.WAITING, ConversationStatus.ASSIGNED)
    repeat = retrieval.best is not None and context.passage_key(retrieval) in given
    # A language the understanding cannot read gets the honest reply, not a guessed passage:
    # its signals (a request for a person, a crisis) would go unseen behind an answer.
    readable = reading.language.understood
    answered = retrieval.confidence >= config.answer_threshold and not repeat and readable
    tentative = (
        readable
        and not answered
        and not repeat
        and retrieval.confidence >= config.tentative_threshold
    )
    pending = dialogue.pending_of(conversation) is not None
    last_bot = _last_bot_kind(history, message)
    step = None
    if not owned:
        new_question = answered or tentative or repeat or is_miss(reading, answered=answered)
        # An answer to the bot's question that redaction read as a one-time code (the code it
        # asked for, or an order number that looks like one) is removed before the message is
        # stored, but the action still needs it: it reads the message as typed, unless
        # something else was removed from it (a card number is never a slot).
        answer = typed if dialogue.asking_for_slot(conversation) and only_codes else text
        step = dialogue.plan_turn(
            config.actions, conversation, text=answer, new_question=new_question
        )
    turn = Turn(
        reading=reading,
        policy=policy,
        owned_by_person=owned,
        answered=answered,
        tentative=tentative,
        repeat=repeat,
        confidence=retrieval.confidence,
        topic=_topic(retrieval, config),
        close_alternative=(answered or tentative)
        and not given
        and replies.close_alternative(retrieval, config, text) is not None,
        step=step.move if step is not None else None,
        pending=pending,
        failed_answers=conversation.failed_answers,
        last_bot_answered=last_bot == "answer",
        after_clarify=last_bot == "clarify",
        bot_typing=await pending_replies.has_pending_reply(session, conversation.id),
        earlier_signals=context.earlier_signals(history, message),
        recent_contacts=recent,
        tier=customer.tier.value,
        attributes=dict(customer.attributes),
    )
    return turn, retrieval, step


def _topic(retrieval: Retrieval, config: BotConfig) -> str | None:
    """Return what the turn is about: the best article, when it is close enough to say."""
    best = retrieval.best
    return best.passage.slug if best and retrieval.confidence >= config.suggest_threshold else None


async def _apply(
    session: AsyncSession,
    conversation: Conversation,
    customer: Customer,
    message: Message,
    planned: TurnPlan,
    *,
    retrieval: Retrieval,
    step: ActionPlan | None,
    turn: Turn,
    config: BotConfig,
) -> TurnResult:
    """Carry out the plan: hand off, act, or reply."""
    if conversation.status is ConversationStatus.RESOLVED:
        await conversation_service.set_status(session, conversation, ConversationStatus.BOT)
        await conversation_service.append_event(session, conversation, kind=EventKind.REOPENED)
    conversation.failed_answers = planned.failed_answers
    if planned.drop_pending:
        dialogue.drop_pending(conversation)  # a person takes over, or the customer moved on
    decision = planned.decision
    if planned.reply is Reply.HAND_OFF:
        queue = await hand_off(
            session,
            conversation,
            customer,
            decision=decision,
            policy=turn.policy,
            sentiment=_sentiment_label(turn.reading),
            config=config,
        )
        return TurnResult(message, decision=decision, queue=queue)
    if planned.reply is Reply.ACTION:
        assert step is not None
        needed = await dialogue.carry_out(session, conversation, step, reply_to=message)
        if needed is None:
            return TurnResult(message, decision=decision)
        decision, queue = await hand_off_action(
            session, conversation, customer, needed, policy=turn.policy, config=config
        )
        return TurnResult(message, decision=decision, queue=queue)
    if planned.reply is Reply.CLARIFY:
        close = replies.close_alternative(retrieval, config, message.text)
        assert close is not None
        await replies.clarify(session, conversation, retrieval, close)
    elif planned.reply in (Reply.ANSWER, Reply.TENTATIVE):
        await replies.answer(
            session,
            conversation,
            retrieval,
            message=message,
            config=config,
            tentative=planned.reply is Reply.TENTATIVE,
            language=turn.reading.language.code,
        )
    elif planned.reply is Reply.SMALL_TALK:
        await conversation_service.append_message(
            session,
            conversation,
            author=Author.BOT,
            text=messages.small_talk(planned.small_talk or "statement", language_of(conversation)),
            data={"kind": "small_talk"},
        )
    else:
        await replies.not_sure(
            session, conversation, retrieval, config, understood=turn.reading.language
        )
    return TurnResult(message, decision=decision)


def _last_bot_kind(history: Sequence[Message], message: Message) -> str | None:
    """Return the kind of the bot's message before this one ("answer", "clarify"...), if any."""
    earlier = [m for m in history if m.author is Author.BOT and m.seq < message.seq]
    kind = earlier[-1].data.get("kind") if earlier else None
    return kind if isinstance(kind, str) else None


async def _record(
    session: AsyncSession,
    conversation: Conversation,
    message: Message,
    signals: Signals,
    reading: Reading,
) -> None:
    await conversation_service.record_turn_analysis(
        session,
        conversation,
        message,
        signals=signals_to_data(signals),
        reading={
            "language": reading.language.code,
            "scores": {signal.value: score for signal, score in reading.scores.items()},
            "small_talk": reading.small_talk,
        },
        emotional_load=reading.load,
        abusive=reading.abusive,
        topic=signals.topic,
    )


async def request_human(
    session: AsyncSession, conversation: Conversation, *, config: BotConfig
) -> QueueInfo | None:
    """Hand off because the customer pressed "Talk to a person"; honoured every time."""
    if conversation.status in (ConversationStatus.WAITING, ConversationStatus.ASSIGNED):
        return None
    customer = await conversation_service.get_customer(session, conversation.customer_id)
    policy = (await escalation_service.active_policy(session)).policy
    decision = decide(
        Signals(
            human_request=BUTTON_EVIDENCE,
            tier=customer.tier.value,
            attributes=dict(customer.attributes),
        ),
        policy,
    )
    return await hand_off(
        session,
        conversation,
        customer,
        decision=decision,
        policy=policy,
        sentiment=None,
        config=config,
    )


async def hand_off_action(
    session: AsyncSession,
    conversation: Conversation,
    customer: Customer,
    needed: HandoffNeeded,
    *,
    policy: Policy,
    config: BotConfig,
) -> tuple[Decision, QueueInfo | None]:
    """Hand off an action a person must finish, with its details in the brief."""
    code = needed.reason.code
    priority = DEFAULT_PRIORITY.get(code, Priority.NORMAL)
    decision = Decision(
        handoff=True, reasons=(needed.reason,), priority=priority, queue=policy.default_queue
    )
    queue = await hand_off(
        session,
        conversation,
        customer,
        decision=decision,
        policy=policy,
        sentiment=None,
        config=config,
        opening=needed.opening,
        details=needed.details,
    )
    return decision, queue


async def hand_off(
    session: AsyncSession,
    conversation: Conversation,
    customer: Customer,
    *,
    decision: Decision,
    policy: Policy,
    sentiment: str | None,
    config: BotConfig,
    opening: str | None = None,
    details: dict[str, object] | None = None,
    taken_by: User | None = None,
) -> QueueInfo | None:
    assert decision.primary is not None
    brief = await copilot_service.brief_for_handoff(
        session, conversation, customer, decision=decision, sentiment=sentiment
    )
    if details is not None:
        brief["action"] = details  # what the bot collected, so the person need not ask again
    history = await conversation_service.recent_messages(
        session, conversation.id, limit=context.HISTORY_LIMIT
    )
    language = context.customer_language(history)
    handoff, info = await routing_service.hand_off(
        session,
        conversation,
        decision=decision,
        brief=brief,
        opening=opening or messages.handoff_opening(decision.primary, language),
        policy=policy,
        average_handle_seconds=config.average_handle_seconds,
        language=language,
        taken_by=taken_by,
        summary_pending=config.llm is not None,
    )
    if handoff.summary_state is SummaryState.PENDING:
        summaries.write_later(session, handoff)
    return info
