"""Action tests: the demo shop's actions against its backend, served for real on a local port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.config import Settings
from tandem.demo import ACTIONS_DIR
from tandem.demo.backend import create_backend
from tests.bot.at_once import replies_at_once
from tests.bot.servers import serve
from tests.conftest import Database, settings_for
from tests.factories import import_demo_knowledge, install_policy, policy_document


@pytest.fixture
def backend_url() -> Iterator[str]:
    """A fresh demo backend per test, so one test's cancellation is not another's."""
    with serve(create_backend()) as url:
        yield url


@pytest.fixture
def settings(database: Database, backend_url: str) -> Settings:
    return settings_for(database.url, actions_dir=ACTIONS_DIR, actions_base_url=backend_url)


@pytest.fixture(autouse=True)
def actions_at_once(session: AsyncSession, settings: Settings) -> Iterator[None]:
    """Run an action's calls as soon as the request is done, on the test's session."""
    with replies_at_once(session, settings):
        yield


@pytest.fixture(autouse=True)
async def shop(session: AsyncSession) -> None:
    await install_policy(session, policy_document(assignment="pull"))
    await import_demo_knowledge(session)
