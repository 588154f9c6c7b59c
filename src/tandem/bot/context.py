"""What a turn needs from the conversation so far: passages given, earlier turns, language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tandem.conversations.models import Author, Message
from tandem.knowledge.service import Retrieval
from tandem.knowledge.service import passage_key as knowledge_passage_key
from tandem.nlu.language import UNDETERMINED

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


def earlier_signals(history: Sequence[Message], current: Message) -> list[dict[str, Any]]:
    """Return the signals stored with the customer's messages before ``current``."""
    return [dict(m.data.get("signals", {})) for m in _earlier(history, current, Author.CUSTOMER)]


def earlier_customer_texts(history: Sequence[Message], current: Message) -> list[str]:
    """Return what the customer said before ``current``, oldest first."""
    return [m.text for m in _earlier(history, current, Author.CUSTOMER)]
