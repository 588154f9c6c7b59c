"""Generated answers against a local OpenAI-compatible test server with scripted replies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.config import Settings
from tests.bot.at_once import replies_at_once
from tests.bot.servers import FakeModel, fake_server, serve
from tests.conftest import Database, settings_for
from tests.factories import import_demo_knowledge, install_policy, policy_document


@pytest.fixture
def model() -> Iterator[FakeModel]:
    fake = FakeModel()
    with serve(fake_server(fake)) as url:
        fake.url = url
        yield fake


@pytest.fixture
def settings(database: Database, model: FakeModel) -> Settings:
    return settings_for(
        database.url, llm_url=f"{model.url}/v1", llm_model="test-model", llm_api_key="sk-test"
    )


@pytest.fixture(autouse=True)
def answers_at_once(session: AsyncSession, settings: Settings) -> Iterator[None]:
    """Word answers as soon as the request is done, on the test's session."""
    with replies_at_once(session, settings):
        yield


@pytest.fixture(autouse=True)
async def shop(session: AsyncSession) -> None:
    await install_policy(session, policy_document(assignment="pull"))
    await import_demo_knowledge(session)
