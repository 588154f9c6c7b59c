"""The bot's reply job run as soon as a request is done, on the test's own session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import answers
from tandem.bot import service as bot_service
from tandem.bot.compose import writer_for
from tandem.config import Settings
from tandem.core.db import Unit, within
from tandem.core.followups import set_deferrer


def shared(session: AsyncSession) -> Unit:
    """Units of work on the test's own session (rolled back after the test)."""
    return within(session)


@contextmanager
def replies_at_once(session: AsyncSession, settings: Settings) -> Iterator[None]:
    """Post the replies a request left to the job (a model's wording, an action's calls) as
    soon as the request is done: what the job runner does after a commit
    (tests/bot/llm/test_answer_jobs.py and tests/bot/dialogue/test_action_runs.py cover the
    job itself)."""
    config = bot_service.config_from(settings)

    class AtOnce:
        async def defer(self, task: str, *, lock: str | None = None, **arguments: object) -> None:
            if task == answers.TASK:
                unit = shared(session)
                conversation_id = str(arguments["conversation_id"])
                await answers.write_pending(
                    unit, unit, conversation_id, writer_for(config.llm), config
                )

    set_deferrer(AtOnce())
    try:
        yield
    finally:
        set_deferrer(None)
