"""The brief's summary, worded by a configured model in a job after the handoff.

A handoff never waits for a model: it goes to the queue at once with the extractive summary,
marked pending, and a job asks the model without holding a database transaction open. The
model's summary replaces the extractive one only when it passes the checks against the
transcript. A model that cannot be reached is asked again with backoff; after the last try,
and on refusal, the extractive summary stays. A pending summary whose job was lost (a process
killed between commit and queueing, or the embedded queue gone with its process) is found
again by `recover`.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot.compose import LLMConfig
from tandem.copilot import service as copilot_service
from tandem.copilot.summary import SummaryWriter, summary_changes, written_summary
from tandem.core.db import Unit
from tandem.core.followups import defer_after_commit
from tandem.llm.provider import ModelUnavailableError
from tandem.llm.summary import OpenAICompatibleSummarizer
from tandem.routing import service as routing_service
from tandem.routing.models import Handoff, SummaryState

logger = logging.getLogger(__name__)

TASK = "write_summary"  # its name in the job queue: tandem.write_summary
# A summary still pending this long after its handoff lost its job; one older than a day is
# left extractive (the agent has long read the conversation).
LATE = timedelta(minutes=2)
TOO_OLD = timedelta(days=1)


def lock_for(handoff_id: int) -> str:
    """One job per handoff at a time, and at most one waiting."""
    return f"summary-{handoff_id}"


def write_later(session: AsyncSession, handoff: Handoff) -> None:
    """Queue the job for ``handoff``'s pending summary once the handoff is committed."""
    defer_after_commit(session, TASK, lock=lock_for(handoff.id), handoff_id=handoff.id)


async def write(
    read: Unit, write: Unit, handoff_id: int, writer: SummaryWriter | None, *, last_try: bool
) -> SummaryState | None:
    """Ask ``writer`` for ``handoff_id``'s pending summary and keep the outcome (with no
    ``writer``, the model having been unconfigured since, the extractive summary stays).

    ``read`` and ``write`` open the units of work before and after the model's call (none is
    open during it). Returns the state it recorded; None when the summary was not pending.
    Raises ModelUnavailableError, recording nothing, when the model cannot answer and this is
    not the ``last_try``.
    """
    async with read() as session:
        handoff = await routing_service.get_handoff(session, handoff_id)
        if handoff is None or handoff.summary_state is not SummaryState.PENDING:
            return None
        turns = await copilot_service.turns_until(
            session, handoff.conversation_id, until=handoff.created_at
        )
    state, summary = SummaryState.REFUSED, None
    try:
        summary = await written_summary(writer, turns) if writer else None
        if summary:
            state = SummaryState.WRITTEN
    except (ModelUnavailableError, TimeoutError) as error:
        if not last_try:
            raise
        logger.warning("no model summary for handoff %s after the last try: %r", handoff_id, error)
        state = SummaryState.FAILED
    except Exception:  # a broken model or reply: asking again would not help
        logger.exception("the model failed on handoff %s's summary", handoff_id)
        state = SummaryState.FAILED
    async with write() as session:
        handoff = await routing_service.get_handoff(session, handoff_id)
        if handoff is None:  # the conversation was erased meanwhile
            return None
        kept = await routing_service.keep_summary(
            session, handoff, changes=summary_changes(summary), state=state
        )
    return state if kept else None


async def recover(unit: Unit) -> list[int]:
    """Queue again the summaries that have been pending too long; returns their handoffs."""
    async with unit() as session:
        late = await routing_service.pending_summaries(session, quiet_for=LATE, within=TOO_OLD)
        for handoff_id in late:
            defer_after_commit(session, TASK, lock=lock_for(handoff_id), handoff_id=handoff_id)
    if late:
        logger.info("queued again %d pending summaries whose job was lost", len(late))
    return late


def summarizer(llm: LLMConfig | None) -> OpenAICompatibleSummarizer | None:
    """Return the LLM that writes the brief's summary, when one is configured."""
    if llm is None:
        return None
    return OpenAICompatibleSummarizer(
        url=llm.url, model=llm.model, api_key=llm.api_key, timeout=llm.timeout_seconds
    )
