"""Gather a turn's signals from the message and the conversation so far."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, Conversation, Customer, Message
from tandem.escalation.config import Policy
from tandem.escalation.policy import Signals
from tandem.knowledge.service import Retrieval
from tandem.knowledge.service import passage_key as knowledge_passage_key
from tandem.nlu.heads import Signal
from tandem.nlu.language import UNDETERMINED
from tandem.nlu.reading import Reading

HISTORY_LIMIT = 60


def passage_key(retrieval: Retrieval) -> str | None:
    return knowledge_passage_key(retrieval.best) if retrieval.best else None


def passages_given(history: Sequence[Message]) -> set[str]:
    """Return the passages the bot already answered with in this conversation."""
    return {str(m.data["passage"]) for m in history if m.data.get("passage")}


def _earlier(history: Sequence[Message], current: Message, author: Author) -> list[Message]:
    return [m for m in history if m.author is author and m.seq < current.seq]


def customer_language(history: Sequence[Message]) -> str | None:
    """Return the language of the customer's latest message that had a clear one, if any."""
    for message in reversed(history):
        if message.author is Author.CUSTOMER:
            language = message.data.get("reading", {}).get("language")
            if language and language != UNDETERMINED:
                return str(language)
    return None


def earlier_customer_texts(history: Sequence[Message], current: Message) -> list[str]:
    """Return what the customer said before ``current``, oldest first."""
    return [m.text for m in _earlier(history, current, Author.CUSTOMER)]


async def gather(
    session: AsyncSession,
    conversation: Conversation,
    customer: Customer,
    message: Message,
    *,
    reading: Reading,
    history: Sequence[Message],
    retrieval: Retrieval,
    answered: bool,
    topic_threshold: float,
    policy: Policy,
    would_repeat: bool = False,
    answering_bot: bool = False,
) -> Signals:
    """Return the signals for the customer's latest message, from its reading and the context.

    ``answering_bot``: the message answers the bot's own question (an order number it asked
    for), so giving the same detail again is not the customer going round in circles.
    """
    said = _earlier(history, message, Author.CUSTOMER)
    stored = [m.data.get("signals", {}) for m in said]
    # Politeness ("great, thanks") is about nothing, so it never counts towards a loop.
    about_something = reading.small_talk is None and not answering_bot
    topic = (
        retrieval.best.passage.slug
        if about_something and retrieval.best and retrieval.confidence >= topic_threshold
        else None
    )
    recent = await conversation_service.count_recent_contacts(
        session, conversation, days=policy.loops.repeat_contact_days
    )
    order_value = customer.attributes.get("order_value")
    return Signals(
        text=message.text,
        human_request=reading.human_request,
        negative_emotion=reading.negative_emotion,
        emotion_load=round(reading.load, 3),
        previous_loads=tuple(float(s.get("emotion_load", 0.0)) for s in stored),
        sensitive_topics=reading.sensitive_topics,
        answered=answered,
        answer_confidence=round(retrieval.confidence, 4),
        failed_answers=conversation.failed_answers,
        topic=topic,
        topic_count=(1 + sum(1 for s in stored if s.get("topic") == topic)) if topic else 0,
        rephrase_of=None if answering_bot else reading.repeats,
        bot_would_repeat=would_repeat,
        recent_contacts=recent,
        problem=reading.evidence(Signal.ORDER_PROBLEM),
        order_value=float(order_value) if isinstance(order_value, int | float) else None,
        adverse_request=reading.evidence(Signal.ADVERSE_REQUEST),
        tier=customer.tier.value,
        attributes=dict(customer.attributes),
    )
