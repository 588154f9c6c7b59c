"""Gather what the brief needs from the conversation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations import service as conversation_service
from tandem.conversations.models import Conversation, ConversationStatus, Customer, Message
from tandem.copilot.brief import CustomerFacts, PastConversation, Turn, build_brief
from tandem.escalation.policy import Decision

HISTORY = 3  # earlier conversations summarised in the brief
HISTORY_MESSAGES = 20


def to_turns(messages: Sequence[Message]) -> list[Turn]:
    """Read stored messages as the brief's turns, with the signals kept for customer turns."""
    return [
        Turn(
            author=m.author.value,
            text=m.text,
            kind=m.data.get("kind"),
            source_titles=tuple(s["title"] for s in m.data.get("sources", [])),
            signals=m.data.get("signals", {}),
        )
        for m in messages
    ]


def _outcome(conversation: Conversation, turns: Sequence[Turn]) -> str:
    if conversation.closed_reason:
        return "ended by an agent"
    if conversation.status is not ConversationStatus.RESOLVED:
        return "still open"
    if any(t.author == "agent" for t in turns):
        return "resolved by a person"
    return "resolved by the bot"


async def _history(session: AsyncSession, conversation: Conversation) -> list[PastConversation]:
    earlier = await conversation_service.previous_conversations(
        session, conversation, limit=HISTORY
    )
    history = []
    for past in earlier:  # at most HISTORY queries, whatever the conversation's length
        messages = await conversation_service.recent_messages(
            session, past.id, limit=HISTORY_MESSAGES
        )
        turns = tuple(to_turns(messages))
        history.append(PastConversation(past.created_at, _outcome(past, turns), turns))
    return history


async def brief_for_handoff(
    session: AsyncSession,
    conversation: Conversation,
    customer: Customer,
    *,
    decision: Decision,
    sentiment: str | None,
) -> dict[str, Any]:
    """Return the brief for a conversation being handed off."""
    messages = await conversation_service.recent_messages(session, conversation.id, limit=60)
    previous = await conversation_service.previous_conversations(session, conversation, limit=20)
    facts = CustomerFacts(
        name=customer.name or conversation.contact_name,
        email=customer.email or conversation.contact_email,
        tier=customer.tier.value,
        verified=conversation.identity_verified,
        previous_conversations=len(previous),
    )
    reasons = [(r.code.value, r.evidence) for r in decision.reasons]
    return build_brief(
        to_turns(messages),
        reasons=reasons,
        customer=facts,
        sentiment=sentiment,
        history=await _history(session, conversation),
    )
