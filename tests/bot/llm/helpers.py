"""Running the brief's summary job by hand, on the test's own session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from tandem.app import create_app
from tandem.llm.summary import OpenAICompatibleSummarizer
from tests.bot.servers import FakeModel
from tests.conftest import settings_for


def writer(url: str) -> OpenAICompatibleSummarizer:
    return OpenAICompatibleSummarizer(url=f"{url}/v1", model="test-model", api_key=None, timeout=5)


def summary_requests(model: FakeModel) -> list[dict[str, Any]]:
    """The requests for a summary (the model also words the bot's answers)."""
    return [r for r in model.requests if "summar" in r["body"]["messages"][0]["content"]]


@asynccontextmanager
async def served(database_url: str, model: FakeModel) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the server with ``model`` configured, its own job runner running."""
    app = create_app(settings_for(database_url, llm_url=f"{model.url}/v1"))
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as http,
        app.router.lifespan_context(app),
    ):
        yield http
