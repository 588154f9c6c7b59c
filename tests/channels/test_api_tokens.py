"""API tokens: an integration calls the agent API as a user, within its scope, until revoked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from tandem.auth import service as auth_service
from tandem.auth import tokens
from tandem.auth.models import ApiToken, Role, TokenScope
from tandem.cli import app
from tandem.config import get_settings
from tests.channels.helpers import start_chat
from tests.factories import create_agent, import_demo_knowledge, install_policy, policy_document


@pytest.fixture(autouse=True)
async def shop(session: AsyncSession) -> None:
    await import_demo_knowledge(session)
    await install_policy(session, policy_document(assignment="pull"))


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def test_a_read_token_reads_the_queue_without_a_browser_session(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await create_agent(session)
    created = await tokens.create(session, user=agent, name="Dashboard", scope=TokenScope.READ)
    chat = await start_chat(client)
    await chat.say("I want to speak to a human")
    response = await client.get("/api/v1/agent/queue", headers=bearer(created.token))
    assert response.status_code == 200, response.text
    assert chat.id in response.text
    assert created.record.last_used_at is not None


async def test_a_read_token_cannot_change_anything(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await create_agent(session)
    created = await tokens.create(session, user=agent, name="Dashboard", scope=TokenScope.READ)
    chat = await start_chat(client)
    await chat.say("I want to speak to a human")
    response = await client.post(
        f"/api/v1/agent/conversations/{chat.id}/claim", headers=bearer(created.token)
    )
    assert response.status_code == 403
    assert "may only read" in response.text


async def test_a_write_token_acts_as_its_user_without_a_csrf_token(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await create_agent(session)
    created = await tokens.create(session, user=agent, name="CRM", scope=TokenScope.WRITE)
    chat = await start_chat(client)
    await chat.say("I want to speak to a human")
    response = await client.post(
        f"/api/v1/agent/conversations/{chat.id}/claim", headers=bearer(created.token)
    )
    assert response.status_code == 200, response.text
    assert response.json()["claimed_by"] == agent.id


async def test_revoked_unknown_and_deactivated_tokens_are_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await create_agent(session)
    revoked = await tokens.create(session, user=agent, name="old", scope=TokenScope.READ)
    await tokens.revoke(session, revoked.record.id)
    leaver = await create_agent(session)
    orphan = await tokens.create(session, user=leaver, name="theirs", scope=TokenScope.READ)
    await auth_service.deactivate_user(session, email=leaver.email)
    for secret in (revoked.token, orphan.token, "tdm_" + "x" * 43):
        response = await client.get("/api/v1/agent/queue", headers=bearer(secret))
        assert response.status_code == 401, secret


async def test_a_token_is_stored_only_as_a_hash(session: AsyncSession) -> None:
    agent = await create_agent(session, role=Role.ADMIN)
    created = await tokens.create(session, user=agent, name="CI", scope=TokenScope.WRITE)
    stored = (await session.execute(select(ApiToken))).scalars().all()
    assert created.token.startswith("tdm_")
    assert all(created.token not in (t.token_hash, t.prefix, t.name) for t in stored)
    assert created.record.prefix == created.token[:10]


ADMIN_ARGS = ["user", "create", "--email", "ops@example.com", "--name", "Ops", "--role", "admin"]


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TANDEM_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'tokens.db'}")
    get_settings.cache_clear()
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    created = runner.invoke(
        app,
        [*ADMIN_ARGS, "--password", "Correct-horse-battery-9-staple"],
    )
    assert created.exit_code == 0, created.output
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("cli_database")
def test_without_an_email_the_token_acts_as_the_one_admin_with_the_widest_scope() -> None:
    runner = CliRunner()
    created = runner.invoke(
        app, ["token", "create", "--name", "Hooks", "--scope", "read", "--scope", "admin"]
    )
    assert created.exit_code == 0, created.output
    assert created.output.splitlines()[-1].startswith("tdm_")
    listed = runner.invoke(app, ["token", "list"]).output
    assert "admin" in listed
    assert "Hooks" in listed


@pytest.mark.usefixtures("cli_database")
def test_without_an_email_and_two_admins_it_asks_which() -> None:
    runner = CliRunner()
    second = ["user", "create", "--email", "two@example.com", "--name", "Two", "--role", "admin"]
    assert (
        runner.invoke(app, [*second, "--password", "Correct-horse-battery-9-staple"]).exit_code == 0
    )
    created = runner.invoke(app, ["token", "create", "--name", "Hooks", "--scope", "admin"])
    assert created.exit_code == 1
    assert "There are 2 active admins" in created.output


@pytest.mark.usefixtures("cli_database")
def test_tokens_are_created_listed_and_revoked_from_the_command_line() -> None:
    runner = CliRunner()
    created = runner.invoke(
        app, ["token", "create", "ops@example.com", "--name", "CRM sync", "--scope", "write"]
    )
    assert created.exit_code == 0, created.output
    secret = created.output.splitlines()[-1]  # alone on the last line, for scripts
    assert secret.startswith("tdm_")
    listed = runner.invoke(app, ["token", "list"])
    assert "CRM sync" in listed.output
    assert "write" in listed.output
    assert secret[:10] in listed.output
    assert secret not in listed.output
    revoked = runner.invoke(app, ["token", "revoke", "1"])
    assert revoked.exit_code == 0, revoked.output
    assert "revoked" in runner.invoke(app, ["token", "list"]).output
    missing = runner.invoke(app, ["token", "revoke", "99"])
    assert missing.exit_code == 1
    assert "No API token 99" in missing.output
