"""Running the brief's summary job by hand, on the test's own session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import summaries
from tandem.llm.summary import OpenAICompatibleSummarizer
from tests.bot.servers import FakeModel


def writer(url: str) -> OpenAICompatibleSummarizer:
    return OpenAICompatibleSummarizer(url=f"{url}/v1", model="test-model", api_key=None, timeout=5)


def summary_requests(model: FakeModel) -> list[dict[str, Any]]:
    """The requests for a summary (the model also words the bot's answers)."""
    return [r for r in model.requests if "summar" in r["body"]["messages"][0]["content"]]


def shared(session: AsyncSession) -> summaries.Unit:
    """Units of work on the test's own session (rolled back after the test)."""

    @asynccontextmanager
    async def unit() -> AsyncIterator[AsyncSession]:
        yield session
        await session.flush()

    return unit
