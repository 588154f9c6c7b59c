"""An action's backend calls, made by a job after the customer's request, never inside it.

The turn that fills an action's last slot records a pending reply (``dialogue.ACTION_RUN``)
and the customer sees the bot typing. The replies' job (``bot.answers.write_pending``) takes
the conversation's pending replies in order; for an action it makes the calls here with no
transaction open, then says the outcome or hands off in one transaction.

A person who has the conversation by then gets it as it is: nothing is called. A writing
action is marked started just before its call; a run found started (its job died during the
call) is not called again, since the write may have happened: a person checks.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import dialogue
from tandem.bot import service as bot_service
from tandem.bot.actions.engine import PendingAction
from tandem.bot.language import language_of
from tandem.conversations import pending as pending_replies
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Conversation, ConversationStatus
from tandem.core.db import Unit
from tandem.escalation import service as escalation_service

logger = logging.getLogger(__name__)


async def run(
    read: Unit,
    write: Unit,
    conversation_id: str,
    reply_id: int,
    data: dict[str, Any],
    config: bot_service.BotConfig,
) -> int:
    """Make the calls of one pending action and post what they mean; 1 when something was
    said, 0 when the reply was dropped or another run had it."""
    pending = PendingAction.from_json(data["pending"])
    action = next((a for a in config.actions.actions if a.name == pending.name), None)
    async with read() as session:
        conversation = await conversation_service.get_conversation(session, conversation_id)
        known = dialogue.known_identities(conversation)
        owned_by_bot = conversation.status is ConversationStatus.BOT
    calls: dialogue.Calls | None = None
    if action is not None and owned_by_bot and not data.get("started"):

        async def before_write() -> None:
            async with write() as session:
                await pending_replies.mark_pending_reply_started(session, reply_id)

        calls = await dialogue.make_calls(
            action, pending, known, config.actions.base_url, before_write=before_write
        )
    async with write() as session:
        if not await pending_replies.take_pending_reply(session, reply_id):
            return 0  # another run had it
        conversation = await conversation_service.get_conversation(session, conversation_id)
        if conversation.status is not ConversationStatus.BOT:
            logger.info("a person has conversation %s now; an action was not run", conversation_id)
            return 0
        needed: dialogue.HandoffNeeded | None
        if action is None:
            needed = dialogue.unavailable(pending, language_of(conversation))
        elif calls is None:  # found started: its call may have happened
            needed = dialogue.interrupted(action, pending, language_of(conversation))
        else:
            needed = await dialogue.apply_calls(session, conversation, action, pending, calls)
        if needed is not None:
            await _hand_off(session, conversation, needed, config)
    return 1


async def _hand_off(
    session: AsyncSession,
    conversation: Conversation,
    needed: dialogue.HandoffNeeded,
    config: bot_service.BotConfig,
) -> None:
    customer = await conversation_service.get_customer(session, conversation.customer_id)
    policy = (await escalation_service.active_policy(session)).policy
    await bot_service.hand_off_action(
        session, conversation, customer, needed, policy=policy, config=config
    )
