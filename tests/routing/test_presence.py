"""Presence follows a live console: a closed browser or a logout hands the agent's chats on."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import tokens
from tandem.auth.models import Presence, TokenScope
from tandem.core.time import utc_now
from tandem.escalation import service as escalation_service
from tandem.routing.assignment import PRESENCE_TIMEOUT, SweepReport, sweep
from tests.channels.helpers import AgentClient, Chat, log_in_agent, start_chat
from tests.factories import import_demo_knowledge, install_policy, policy_document


@pytest.fixture(autouse=True)
async def auto_policy(session: AsyncSession) -> None:
    await import_demo_knowledge(session)
    await install_policy(session, policy_document(assignment="auto"))


async def _sweep(session: AsyncSession) -> SweepReport:
    policy = (await escalation_service.active_policy(session)).policy
    return await sweep(session, policy=policy)


async def _owner(chat: Chat) -> str | None:
    return (await chat.status())["agent_name"]


async def _chat_with(client: httpx.AsyncClient, agent: AgentClient) -> Chat:
    chat = await start_chat(client)
    await chat.say("I want to talk to a person")
    assert await _owner(chat) == agent.user.name
    return chat


async def test_an_agent_whose_console_went_quiet_goes_offline_and_their_chats_move_on(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    gone = await log_in_agent(client, session)
    chat = await _chat_with(client, gone)
    here = await log_in_agent(other_client, session)
    gone.user.last_seen_at = utc_now() - PRESENCE_TIMEOUT - timedelta(seconds=1)
    await session.flush()

    report = await _sweep(session)

    assert report.went_offline == [gone.user.id]
    assert gone.user.presence is Presence.OFFLINE
    assert here.user.presence is Presence.ONLINE
    assert await _owner(chat) == here.user.name
    texts = [m["text"] for m in await chat.messages()]
    assert any("finding someone else" in t for t in texts), texts


async def test_a_console_that_checks_in_keeps_its_agent_online(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat = await _chat_with(client, agent)
    agent.user.last_seen_at = utc_now() - PRESENCE_TIMEOUT - timedelta(seconds=1)
    await session.flush()
    # The console's check-in (any request as the agent) renews the last-seen time.
    assert (await client.get("/api/v1/auth/me")).status_code == 200
    await _sweep(session)
    assert agent.user.presence is Presence.ONLINE
    assert await _owner(chat) == agent.user.name


async def test_an_agent_working_through_an_api_token_keeps_their_chats_by_checking_in(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat = await _chat_with(client, agent)
    created = await tokens.create(session, user=agent.user, name="own desk", scope=TokenScope.WRITE)
    agent.user.last_seen_at = utc_now() - PRESENCE_TIMEOUT - timedelta(seconds=1)
    await session.flush()
    bearer = {"Authorization": f"Bearer {created.token}"}
    checked_in = await client.post(
        "/api/v1/agent/me/presence", json={"presence": "online"}, headers=bearer
    )
    assert checked_in.status_code == 200
    await _sweep(session)
    assert agent.user.presence is Presence.ONLINE
    assert await _owner(chat) == agent.user.name


async def test_logging_out_hands_the_agents_chats_to_someone_else(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    leaving = await log_in_agent(client, session)
    chat = await _chat_with(client, leaving)
    staying = await log_in_agent(other_client, session)
    response = await client.post("/api/v1/auth/logout", headers=leaving.headers)
    assert response.status_code == 204
    report = await _sweep(session)
    assert len(report.released) == 1
    assert await _owner(chat) == staying.user.name


async def test_an_agent_on_a_break_who_closed_the_console_goes_offline_too(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    await client.post("/api/v1/agent/me/presence", json={"presence": "away"}, headers=agent.headers)
    agent.user.last_seen_at = utc_now() - PRESENCE_TIMEOUT - timedelta(seconds=1)
    await session.flush()
    await _sweep(session)
    assert agent.user.presence is Presence.OFFLINE


async def test_a_transfer_to_an_agent_who_is_not_online_is_refused(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    owner = await log_in_agent(client, session)
    chat = await _chat_with(client, owner)
    away = await log_in_agent(other_client, session)
    away.user.presence = Presence.AWAY
    await session.flush()
    response = await owner.post(
        f"/conversations/{chat.id}/transfer", {"to_agent_id": away.user.id, "note": "yours"}
    )
    assert response.status_code == 422
    assert "is away; transfer to an online agent, or to a queue" in response.text
    assert await _owner(chat) == owner.user.name
