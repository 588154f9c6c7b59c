"""Factory for the bot answers agents flag: a customer's question and the bot's answer to it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, Conversation


async def bot_answer(
    session: AsyncSession, conversation: Conversation, *, question: str, slug: str | None
) -> int:
    """Store ``question`` from the customer and the bot's answer to it from the article
    ``slug`` (None: an answer citing no article); return the answer's sequence number."""
    await conversation_service.append_message(
        session, conversation, author=Author.CUSTOMER, text=question
    )
    sources = [{"title": f"About {slug}", "slug": slug, "url": f"/kb/{slug}"}] if slug else []
    answer = await conversation_service.append_message(
        session,
        conversation,
        author=Author.BOT,
        text=f"Here is what our help centre says about {slug}.",
        data={"kind": "answer", "confidence": 0.71, "sources": sources},
    )
    return answer.message.seq
