"""Gather what the brief needs from the conversation."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations import service as conversation_service
from tandem.conversations.models import Conversation, Customer
from tandem.copilot.brief import CustomerFacts, Turn, build_brief
from tandem.escalation.policy import Decision


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
    turns = [
        Turn(
            author=m.author.value,
            text=m.text,
            kind=m.data.get("kind"),
            source_titles=tuple(s["title"] for s in m.data.get("sources", [])),
        )
        for m in messages
    ]
    previous = await conversation_service.previous_conversations(session, conversation, limit=20)
    facts = CustomerFacts(
        name=customer.name or conversation.contact_name,
        email=customer.email or conversation.contact_email,
        tier=customer.tier.value,
        verified=conversation.identity_verified,
        previous_conversations=len(previous),
    )
    reasons = [(r.code.value, r.evidence) for r in decision.reasons]
    return build_brief(turns, reasons=reasons, customer=facts, sentiment=sentiment)
