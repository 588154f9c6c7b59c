"""Retrieval for a customer turn: a follow-up is also read with the previous question.

"and to France?" after "how long does delivery take" asks about delivery to France; the
follow-up model (``knowledge.followup``) says when a message depends on the one before it.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations import service as conversation_service
from tandem.conversations.models import Conversation, Message
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.followup import prefer_follow_up, reads_as_follow_up, with_previous
from tandem.knowledge.service import Retrieval


async def retrieve(
    session: AsyncSession,
    conversation: Conversation,
    message: Message,
    *,
    answer_threshold: float,
    tentative_threshold: float,
) -> Retrieval:
    """The better of the message read alone and, for a follow-up, read with the previous one."""
    retrieval = await knowledge_service.retrieve(session, message.text)
    depends = retrieval.depends_on_previous
    if not reads_as_follow_up(
        message.text, retrieval.hits, threshold=answer_threshold, depends=depends
    ):
        return retrieval
    previous = await conversation_service.previous_customer_message(session, conversation, message)
    if previous is None or not previous.data.get("signals", {}).get("topic"):
        return retrieval
    combined = await knowledge_service.retrieve(session, with_previous(previous.text, message.text))
    # A message the model reads as depending on the previous question may be shown as a
    # tentative answer read with it; by length alone (words-only index), only a sure one.
    bar = tentative_threshold if depends else answer_threshold
    surer = prefer_follow_up(retrieval.confidence, combined.confidence, bar=bar)
    return combined if surer else retrieval
