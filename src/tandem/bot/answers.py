"""Answers worded by a configured model, in a job, while the customer sees the bot typing.

The customer's request stores the message, decides (the policy never waits for a model) and,
for an answer, records a pending reply: the passages the model may use and the passage to show
instead. A job then asks the model with no database transaction open, checks its wording
against the passages, and posts it, or the passage itself when the wording fails the checks or
the model does not answer. A conversation's replies are posted in the order asked, one job at
a time. A reply is dropped when a person has the conversation by then (the bot does not talk
over them). Replies whose job was lost are found again by `recover`.

The same job makes an action's backend calls (``bot.action_runs``), so a conversation's
replies, worded or acted on, keep the order they were asked in.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from tandem.bot import action_runs
from tandem.bot.compose import Composed, Draft, word
from tandem.bot.dialogue import ACTION_RUN
from tandem.bot.replies import ANSWER_TASK, Presentation, answers_lock, post_answer
from tandem.conversations import pending as pending_replies
from tandem.conversations import service as conversation_service
from tandem.conversations.models import ConversationStatus
from tandem.core.db import Unit
from tandem.core.followups import defer_after_commit
from tandem.llm.provider import AnswerWriter

if TYPE_CHECKING:
    from tandem.bot.service import BotConfig

logger = logging.getLogger(__name__)

TASK = ANSWER_TASK
LATE = timedelta(minutes=1)  # a reply pending this long lost its job (the model's own
# timeout, 15 s by default, bounds a running one)


async def write_pending(
    read: Unit, write: Unit, conversation_id: str, writer: AnswerWriter | None, config: BotConfig
) -> int:
    """Word and post the conversation's pending replies, oldest first; return how many
    were posted (dropped ones are not counted).

    ``read`` and ``write`` open the units of work before and after each model call (none is
    open during it). Safe to run twice: a reply is taken (deleted) in the same transaction
    that posts it.
    """
    posted = 0
    while True:
        async with read() as session:
            pending = await pending_replies.oldest_pending_reply(session, conversation_id)
            if pending is None:
                return posted
            reply_id, data = pending.id, dict(pending.data)
        if data.get("kind") == ACTION_RUN:
            posted += await action_runs.run(read, write, conversation_id, reply_id, data, config)
            continue
        fallback = Composed(data["fallback"]["text"], data["fallback"]["sources"])
        composed = fallback
        if writer is not None:
            composed = await word(Draft.from_data(data["draft"]), writer, fallback)
        async with write() as session:
            if not await pending_replies.take_pending_reply(session, reply_id):
                continue  # another run posted it
            conversation = await conversation_service.get_conversation(session, conversation_id)
            if conversation.status is not ConversationStatus.BOT:
                logger.info(
                    "a person has conversation %s now; a bot reply was dropped", conversation_id
                )
                continue
            await post_answer(
                session,
                conversation,
                composed,
                Presentation.from_data(data["shown"]),
                config=config,
            )
            posted += 1


async def recover(unit: Unit) -> list[str]:
    """Queue again the conversations whose replies have been pending too long."""
    async with unit() as session:
        late = await pending_replies.conversations_with_late_replies(session, late=LATE)
        for conversation_id in late:
            defer_after_commit(
                session, TASK, lock=answers_lock(conversation_id), conversation_id=conversation_id
            )
    if late:
        logger.info("queued again the replies of %d conversations whose job was lost", len(late))
    return late
