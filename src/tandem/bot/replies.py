"""The bot's replies from knowledge: an answer (sure or tentative), a clarifying question, or
"not sure" with the articles that might help."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import context, messages
from tandem.bot.compose import Composed, draft_for, extractive
from tandem.conversations import pending as pending_replies
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, Conversation, Message
from tandem.core.followups import defer_after_commit
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.index import Hit
from tandem.knowledge.service import Retrieval
from tandem.nlu.language import Language

if TYPE_CHECKING:
    from tandem.bot.service import BotConfig

# Two articles whose probabilities are this close are a coin toss: ask. The answer model rarely
# scores two articles this close (two articles on one topic, as a grown help centre has). Read
# through E5, two sibling articles land a few hundredths apart ("Outdoor cushions" 0.81,
# "Outdoor rugs" 0.75 for "when do you sell outdoor things" with the model trained on four
# help centres; 0.83 and 0.79 with the one trained on two): 0.08, not USE's 0.02.
CLARIFY_MARGIN = 0.08
ANSWER_TASK = "write_answers"  # its name in the job queue: tandem.write_answers


def _same_words(a: str, b: str) -> bool:
    return re.sub(r"\W+", " ", a).strip().lower() == re.sub(r"\W+", " ", b).strip().lower()


def close_alternative(retrieval: Retrieval, config: BotConfig, text: str) -> Hit | None:
    """Return a passage from another article that scores within a hair of the best, if any.

    A question in an article's own title words (or a tapped choice) is never asked back.
    """
    best = retrieval.best
    if best is None or any(_same_words(text, h.passage.title) for h in retrieval.hits):
        return None
    for hit in retrieval.hits:
        if hit.passage.slug != best.passage.slug:
            close = (
                hit.score >= min(config.answer_threshold, config.tentative_threshold)
                and best.score - hit.score < CLARIFY_MARGIN
            )
            return hit if close else None
    return None


async def clarify(
    session: AsyncSession, conversation: Conversation, retrieval: Retrieval, other: Hit
) -> None:
    assert retrieval.best is not None
    titles = [retrieval.best.passage.title, other.passage.title]
    await conversation_service.append_message(
        session,
        conversation,
        author=Author.BOT,
        text=messages.clarify(titles),
        data={
            "kind": "clarify",
            "confidence": round(retrieval.confidence, 4),
            "quick_replies": titles,
            "suggestions": [
                {
                    "title": h.passage.title,
                    "slug": h.passage.slug,
                    "url": knowledge_service.article_url(h.passage.slug),
                }
                for h in (retrieval.best, other)
            ],
        },
    )


@dataclass(frozen=True, slots=True)
class Presentation:
    """How an answer is shown, whoever words it."""

    tentative: bool
    confidence: float
    passage: str | None  # the passage's key, so a follow-up gets the next one
    language: str | None  # the customer's

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Presentation:
        return cls(**data)


async def answer(
    session: AsyncSession,
    conversation: Conversation,
    retrieval: Retrieval,
    *,
    message: Message,
    config: BotConfig,
    tentative: bool = False,
    language: str | None = None,
) -> None:
    """Answer ``message`` from the best passage; a tentative answer says the bot is not sure
    and asks.

    Without a model the passage is posted at once. With one, a job asks it to word the answer
    from the best passages (``bot.answers``), and the customer sees the bot typing until then.
    """
    shown = Presentation(
        tentative, round(retrieval.confidence, 4), context.passage_key(retrieval), language
    )
    fallback = extractive(retrieval)
    if config.llm is None:
        await post_answer(session, conversation, fallback, shown, config=config)
        return
    draft = draft_for(retrieval, question=message.text, threshold=config.answer_threshold)
    await pending_replies.add_pending_reply(
        session,
        conversation,
        reply_to=message,
        data={
            "draft": draft.to_data(),
            "fallback": {"text": fallback.text, "sources": fallback.sources},
            "shown": shown.to_data(),
        },
    )
    defer_after_commit(
        session, ANSWER_TASK, lock=answers_lock(conversation.id), conversation_id=conversation.id
    )


def answers_lock(conversation_id: str) -> str:
    """A conversation's replies are worded one at a time, in order, by one job."""
    return f"answers-{conversation_id}"


async def post_answer(
    session: AsyncSession,
    conversation: Conversation,
    composed: Composed,
    shown: Presentation,
    *,
    config: BotConfig,
) -> None:
    """Post an answer in the customer's language; a passage quoted as written in another
    language says so first."""
    text = composed.text
    if (
        not composed.generated
        and messages.speaks(shown.language)
        and shown.language != config.knowledge_language
    ):
        text = messages.as_written(text, shown.language)
    await conversation_service.append_message(
        session,
        conversation,
        author=Author.BOT,
        text=messages.tentative(text, shown.language) if shown.tentative else text,
        data={
            "kind": "answer",
            "tentative": shown.tentative,
            "confidence": shown.confidence,
            "sources": composed.sources,
            "passage": shown.passage,
            **composed.data(),
        },
    )


async def not_sure(
    session: AsyncSession,
    conversation: Conversation,
    retrieval: Retrieval,
    config: BotConfig,
    *,
    understood: Language,
) -> None:
    if not understood.understood:
        # A language the bot cannot read: say so, and offer a person, instead of guessing.
        await conversation_service.append_message(
            session,
            conversation,
            author=Author.BOT,
            text=messages.language_not_understood(),
            data={"kind": "not_sure", "language": understood.code, "suggestions": []},
        )
        return
    suggestions = [
        {"title": ref.title, "slug": ref.slug, "url": ref.url}
        for ref in retrieval.articles
        if ref.score >= config.suggest_threshold
    ][: knowledge_service.MAX_SUGGESTIONS]
    await conversation_service.append_message(
        session,
        conversation,
        author=Author.BOT,
        text=messages.not_sure(has_suggestions=bool(suggestions), language=understood.code),
        data={
            "kind": "not_sure",
            "confidence": round(retrieval.confidence, 4),
            "suggestions": suggestions,
        },
    )
