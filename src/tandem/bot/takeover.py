"""An agent takes a conversation over from the bot."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.bot.service import BotConfig, hand_off
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Conversation, ConversationStatus
from tandem.core.errors import ConflictError
from tandem.escalation import service as escalation_service
from tandem.escalation.policy import Decision
from tandem.escalation.reasons import Reason, ReasonCode


async def take_over(
    session: AsyncSession, conversation: Conversation, agent: User, *, config: BotConfig
) -> None:
    """An agent takes a conversation over from the bot: the bot goes silent, the customer
    reads that a person is joining, and the agent owns it with a brief like any handoff's."""
    if conversation.status is not ConversationStatus.BOT:
        raise ConflictError(
            "This conversation is not with the bot: it is waiting for a person or has one "
            "(claim it from the queue), or it is closed."
        )
    policy = (await escalation_service.active_policy(session)).policy
    decision = Decision(
        handoff=True,
        reasons=(Reason(ReasonCode.AGENT_TAKEOVER, f"{agent.name} took over from the bot"),),
        queue=policy.default_queue,
    )
    customer = await conversation_service.get_customer(session, conversation.customer_id)
    await hand_off(
        session,
        conversation,
        customer,
        decision=decision,
        policy=policy,
        sentiment=None,
        config=config,
        taken_by=agent,
    )
