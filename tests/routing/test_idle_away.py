"""An agent who walked away from an open console is shown as away after the idle time."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.auth.models import Presence
from tandem.escalation import service as escalation_service
from tandem.routing.assignment import sweep
from tests.channels.helpers import AgentClient, Chat, log_in_agent, start_chat
from tests.factories import import_demo_knowledge, install_policy, policy_document

AWAY_AFTER = 600  # TANDEM_AWAY_AFTER_IDLE_SECONDS' default


@pytest.fixture(autouse=True)
async def auto_policy(session: AsyncSession) -> None:
    await import_demo_knowledge(session)
    await install_policy(session, policy_document(assignment="auto"))


async def _check_in(agent: AgentClient, idle_seconds: object) -> httpx.Response:
    return await agent.client.post(
        "/console/activity", json={"idle_seconds": idle_seconds}, headers=agent.headers
    )


async def _owner(chat: Chat) -> str | None:
    return (await chat.status())["agent_name"]


async def _sweep(session: AsyncSession) -> None:
    await sweep(session, policy=(await escalation_service.active_policy(session)).policy)


async def test_an_idle_agent_is_away_keeps_their_chats_and_gets_no_new_one(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    held = await start_chat(other_client)
    await held.say("I want to talk to a person")
    assert await _owner(held) == agent.user.name

    response = await _check_in(agent, AWAY_AFTER)

    assert response.status_code == 200
    assert response.json() == {
        "presence": "away",
        "away_idle": True,
        "away_after_seconds": AWAY_AFTER,
    }
    new = await start_chat(other_client)
    await new.say("can I speak to someone please")
    await _sweep(session)
    assert await _owner(new) is None  # waits for someone who is at their console
    assert await _owner(held) == agent.user.name  # away is not gone: nothing is taken back


async def test_the_next_input_brings_the_agent_back_and_the_waiting_chat_comes_to_them(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    await _check_in(agent, AWAY_AFTER + 60)
    waiting = await start_chat(other_client)
    await waiting.say("I want to talk to a person")
    assert await _owner(waiting) is None

    response = await _check_in(agent, 3)

    assert response.json()["presence"] == "online"
    assert agent.user.away_idle is False
    await _sweep(session)
    assert await _owner(waiting) == agent.user.name


async def test_a_short_pause_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    assert (await _check_in(agent, AWAY_AFTER - 1)).json()["presence"] == "online"


async def test_input_does_not_end_a_break_the_agent_chose(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    await client.post("/api/v1/agent/me/presence", json={"presence": "away"}, headers=agent.headers)

    response = await _check_in(agent, 0)

    assert response.json()["presence"] == "away"
    assert response.json()["away_idle"] is False


async def test_idle_time_never_sets_anyone_away_when_turned_off(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    changed = await auth_service.report_activity(
        session, agent.user, idle=timedelta(hours=8), away_after=None
    )
    assert changed is False
    assert agent.user.presence is Presence.ONLINE


@pytest.mark.parametrize("idle_seconds", [-1, 86_401, "soon", None, 1.5])
async def test_a_check_in_with_a_bad_idle_time_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, idle_seconds: object
) -> None:
    agent = await log_in_agent(client, session)
    response = await _check_in(agent, idle_seconds)
    assert response.status_code == 422
    assert agent.user.presence is Presence.ONLINE


async def test_a_check_in_without_the_session_token_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    response = await client.post("/console/activity", json={"idle_seconds": AWAY_AFTER})
    assert response.status_code == 403
    assert agent.user.presence is Presence.ONLINE
