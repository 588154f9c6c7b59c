"""Generated answers against a local OpenAI-compatible test server with scripted replies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import answers
from tandem.bot import service as bot_service
from tandem.bot.compose import writer_for
from tandem.config import Settings
from tandem.core.followups import set_deferrer
from tests.bot.llm.helpers import shared
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
    """Word answers as soon as the request is done, on the test's session: what the job
    runner does after a commit (tests/bot/llm/test_answer_jobs.py covers the runner itself)."""
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
    yield
    set_deferrer(None)


@pytest.fixture(autouse=True)
async def shop(session: AsyncSession) -> None:
    await install_policy(session, policy_document(assignment="pull"))
    await import_demo_knowledge(session)
