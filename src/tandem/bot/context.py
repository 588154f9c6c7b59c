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
from tandem.nlu.emotion import EmotionReading, read_emotion
from tandem.nlu.human_request import detect_human_request
from tandem.nlu.requests import detect_adverse_request, detect_order_problem
from tandem.nlu.similarity import repeats
from tandem.nlu.smalltalk import detect_small_talk
from tandem.nlu.topics import detect_sensitive_topics

HISTORY_LIMIT = 60


def passage_key(retrieval: Retrieval) -> str | None:
    return knowledge_passage_key(retrieval.best) if retrieval.best else None


def passages_given(history: Sequence[Message]) -> set[str]:
    """Return the passages the bot already answered with in this conversation."""
    return {str(m.data["passage"]) for m in history if m.data.get("passage")}


def _earlier(history: Sequence[Message], current: Message, author: Author) -> list[Message]:
    return [m for m in history if m.author is author and m.seq < current.seq]


async def gather(
    session: AsyncSession,
    conversation: Conversation,
    customer: Customer,
    message: Message,
    *,
    history: Sequence[Message],
    retrieval: Retrieval,
    answered: bool,
    topic_threshold: float,
    policy: Policy,
    would_repeat: bool = False,
    answering_bot: bool = False,
) -> tuple[Signals, EmotionReading]:
    """Return the signals for the customer's latest message and how it reads emotionally.

    ``answering_bot``: the message answers the bot's own question (an order number it asked
    for), so giving the same detail again is not the customer going round in circles.
    """
    text = message.text
    said = _earlier(history, message, Author.CUSTOMER)
    stored = [m.data.get("signals", {}) for m in said]
    emotion = read_emotion(text)
    # Politeness ("great, thanks") is about nothing, so it never counts towards a loop.
    about_something = detect_small_talk(text) is None and not answering_bot
    topic = (
        retrieval.best.passage.slug
        if about_something and retrieval.best and retrieval.confidence >= topic_threshold
        else None
    )
    recent = await conversation_service.count_recent_contacts(
        session, conversation, days=policy.loops.repeat_contact_days
    )
    order_value = customer.attributes.get("order_value")
    signals = Signals(
        text=text,
        human_request=detect_human_request(text),
        negative_emotion="; ".join(emotion.cues) if emotion.needs_person else None,
        emotion_load=round(emotion.load, 3),
        previous_loads=tuple(float(s.get("emotion_load", 0.0)) for s in stored),
        sensitive_topics=tuple((m.topic.value, m.evidence) for m in detect_sensitive_topics(text)),
        answered=answered,
        answer_confidence=round(retrieval.confidence, 4),
        failed_answers=conversation.failed_answers,
        topic=topic,
        topic_count=(1 + sum(1 for s in stored if s.get("topic") == topic)) if topic else 0,
        rephrase_of=None
        if answering_bot
        else repeats(text, [m.text for m in said], threshold=policy.loops.rephrase_similarity),
        bot_would_repeat=would_repeat,
        recent_contacts=recent,
        problem=detect_order_problem(text),
        order_value=float(order_value) if isinstance(order_value, int | float) else None,
        adverse_request=detect_adverse_request(text),
        tier=customer.tier.value,
        attributes=dict(customer.attributes),
    )
    return signals, emotion
