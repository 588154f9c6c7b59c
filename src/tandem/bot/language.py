"""The language a conversation is held in, kept in its bot state for every later reply.

The page's language at the start, then the latest one the customer writes in clearly; what
the bot says next (small talk, an action's questions and results, from a job too) is said in
it.
"""

from __future__ import annotations

from tandem.conversations.models import Conversation
from tandem.nlu.language import SUPPORTED


def remember_language(conversation: Conversation, language: str | None) -> None:
    """Keep ``language`` when the bot reads it; an unclear or unknown one changes nothing."""
    if language in SUPPORTED and language != conversation.bot_state.get("language"):
        # A new dict, so the JSON column is saved.
        conversation.bot_state = {**conversation.bot_state, "language": language}


def language_of(conversation: Conversation) -> str | None:
    language = conversation.bot_state.get("language")
    return str(language) if language else None
