"""The audit log records security-relevant actions with who did them, and `tandem audit` shows
them; an action that fails leaves no entry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from tandem.auth import audit, tokens
from tandem.auth import service as auth_service
from tandem.auth.models import TokenScope
from tandem.cli import app
from tandem.config import get_settings
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Tier
from tandem.escalation import service as escalation_service
from tandem.privacy import service as privacy_service
from tests.factories import PASSWORD, create_agent


async def _actions(session: AsyncSession) -> list[tuple[str, int | None, str]]:
    return [(e.action, e.actor_user_id, e.target) for e in await audit.entries(session)]


async def test_logins_tokens_accounts_and_policies_are_recorded(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await create_agent(session, email="ana@example.com")
    response = await client.post(
        "/api/v1/auth/login", json={"email": agent.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    created = await tokens.create(session, user=agent, name="CRM", scope=TokenScope.READ)
    await tokens.revoke(session, created.record.id)
    await tokens.revoke(session, created.record.id)  # twice: one entry
    document = (await escalation_service.active_policy(session)).document
    await escalation_service.save_policy(session, document=document, comment="", user_id=agent.id)
    await auth_service.deactivate_user(session, email=agent.email)

    recorded = await _actions(session)
    assert ("login", agent.id, agent.email) in recorded
    assert ("token.created", None, agent.email) in recorded
    assert [a for a in recorded if a[0] == "token.revoked"] == [
        ("token.revoked", None, str(created.record.id))
    ]
    assert any(a[0] == "policy.saved" and a[1] == agent.id for a in recorded)
    assert ("user.deactivated", None, agent.email) in recorded
    assert recorded[0][0] == "user.deactivated"  # latest first


async def test_a_failed_login_leaves_no_entry_but_is_logged(
    client: httpx.AsyncClient, session: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    agent = await create_agent(session)
    response = await client.post(
        "/api/v1/auth/login", json={"email": agent.email, "password": "not-the-password"}
    )
    assert response.status_code == 401
    assert not [a for a in await _actions(session) if a[0] == "login"]
    assert f"failed login for {agent.email!r} (wrong password)" in caplog.text


async def test_exports_and_erasures_are_recorded(session: AsyncSession) -> None:
    await conversation_service.ensure_customer(
        session, email="rosa@example.com", name="Rosa", tier=Tier.STANDARD
    )
    await privacy_service.export_customer(session, "rosa@example.com")
    await privacy_service.erase_customer(session, "rosa@example.com")
    actions = [a[0] for a in await _actions(session)]
    assert actions[:2] == ["customer.erased", "customer.exported"]


NEW_ADMIN = ["user", "create", "--email", "ops@example.com", "--name", "Ops", "--role", "admin"]


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TANDEM_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("cli_database")
def test_the_audit_command_lists_entries_and_filters_them() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert "No audit entries." in runner.invoke(app, ["audit"]).output
    created = runner.invoke(
        app,
        [*NEW_ADMIN, "--password", "Correct-horse-battery-9-staple"],
    )
    assert created.exit_code == 0, created.output
    runner.invoke(app, ["token", "create", "ops@example.com", "--name", "CI"])
    listed = runner.invoke(app, ["audit"]).output
    assert "user.created" in listed
    assert "token.created" in listed
    assert "command line" in listed
    only_tokens = runner.invoke(app, ["audit", "--action", "token."]).output
    assert "token.created" in only_tokens
    assert "user.created" not in only_tokens
