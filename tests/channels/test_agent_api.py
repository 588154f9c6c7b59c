"""The agent's side: queue, claim, reply, resolve, and who may do what."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tests.channels.helpers import log_in_agent, start_chat
from tests.factories import import_demo_knowledge


@pytest.fixture(autouse=True)
async def demo_knowledge(session: AsyncSession) -> None:
    await import_demo_knowledge(session)


async def test_the_queue_needs_a_login(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/agent/queue")
    assert response.status_code == 401
    assert "log in" in response.json()["error"]["message"]


async def test_a_wrong_password_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    response = await client.post(
        "/api/v1/auth/login", json={"email": agent.user.email, "password": "wrong password"}
    )
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Wrong e-mail or password."


async def test_the_queue_is_ordered_by_priority_then_wait(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    first = await start_chat(client)
    await first.say("agent")
    angry = await start_chat(client)
    await angry.say(
        "This is ridiculous, three weeks and my order still hasn't shipped, absolutely useless!"
    )
    second = await start_chat(client)
    await second.say("human please")
    queue = (await client.get("/api/v1/agent/queue")).json()
    assert [h["conversation_id"] for h in queue] == [angry.id, first.id, second.id]
    assert queue[0]["reason"] == "negative_emotion"
    assert agent.user.id not in [h["claimed_by"] for h in queue]


async def test_the_handoff_carries_a_brief_of_what_the_customer_wants_and_what_the_bot_did(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session)
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    await chat.say("it's been 3 weeks and I still have no refund, get me a person")
    [handoff] = (await client.get("/api/v1/agent/queue")).json()
    brief = handoff["brief"]
    assert "how long do refunds take?" in brief["summary"]
    assert "3 weeks" in brief["summary"]
    assert brief["bot_attempts"] == [
        {
            "question": "how long do refunds take?",
            "outcome": "answered",
            "articles": ["How long do refunds take?"],
        }
    ]
    assert brief["reasons"][0]["code"] == "customer_request"


async def test_claim_reply_resolve_and_rate(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat = await start_chat(client)
    await chat.say("I want to speak to a human")
    waiting = await chat.status()
    assert waiting["status"] == "waiting"
    assert "minute" in waiting["queue"]["estimated_wait_text"]  # an agent is online

    claimed = await agent.post(f"/conversations/{chat.id}/claim")
    assert claimed.status_code == 200
    assert claimed.json()["claimed_by"] == agent.user.id
    assert (await chat.status())["agent_name"] == agent.user.name

    reply = await agent.post(
        f"/conversations/{chat.id}/messages",
        {"text": "Hi, I'm here to help.", "client_msg_id": "r1"},
    )
    assert reply.status_code == 201
    last = (await chat.messages())[-1]
    assert (last["author"], last["author_name"], last["text"]) == (
        "agent",
        agent.user.name,
        "Hi, I'm here to help.",
    )

    # The bot stays silent while a person owns the conversation.
    await chat.say("how long do refunds take?")
    assert (await chat.messages())[-1]["author"] == "customer"

    resolved = await agent.post(f"/conversations/{chat.id}/resolve")
    assert resolved.status_code == 200
    assert (await chat.status())["status"] == "resolved"
    rating = await client.post(
        f"/api/v1/conversations/{chat.id}/rating",
        json={"score": 5, "comment": "Quick and kind"},
        headers=chat.headers,
    )
    assert rating.status_code == 200
    assert rating.json()["rating"] == 5


async def test_an_agent_reply_is_idempotent(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat = await start_chat(client)
    await chat.say("agent")
    body = {"text": "On it!", "client_msg_id": "same"}
    first = await agent.post(f"/conversations/{chat.id}/messages", body)
    again = await agent.post(f"/conversations/{chat.id}/messages", body)
    assert first.json()["seq"] == again.json()["seq"]
    assert [m["text"] for m in await chat.messages()].count("On it!") == 1


async def test_two_agents_cannot_both_claim(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ana = await log_in_agent(client, session)
    ben = await log_in_agent(other_client, session)
    chat = await start_chat(client)
    await chat.say("human")
    assert (await ana.post(f"/conversations/{chat.id}/claim")).status_code == 200
    taken = await ben.post(f"/conversations/{chat.id}/claim")
    assert taken.status_code == 409
    assert "already claimed" in taken.json()["error"]["message"]
    refused = await ben.post(
        f"/conversations/{chat.id}/messages", {"text": "hi", "client_msg_id": "b"}
    )
    assert refused.status_code == 403


async def test_a_supervisor_may_step_into_a_claimed_conversation(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ana = await log_in_agent(client, session)
    boss = await log_in_agent(other_client, session, role=Role.SUPERVISOR)
    chat = await start_chat(client)
    await chat.say("human")
    await ana.post(f"/conversations/{chat.id}/claim")
    reply = await boss.post(
        f"/conversations/{chat.id}/messages", {"text": "Supervisor here", "client_msg_id": "s"}
    )
    assert reply.status_code == 201


async def test_state_changes_need_the_csrf_token(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session)
    chat = await start_chat(client)
    await chat.say("human")
    response = await client.post(f"/api/v1/agent/conversations/{chat.id}/claim")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    response = await client.post(
        f"/api/v1/agent/conversations/{chat.id}/claim", headers={"X-CSRF-Token": "forged"}
    )
    assert response.status_code == 403
    assert (await chat.status())["status"] == "waiting"


async def test_replying_to_a_waiting_conversation_claims_it(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat = await start_chat(client)
    await chat.say("operator")
    reply = await agent.post(
        f"/conversations/{chat.id}/messages", {"text": "Hello!", "client_msg_id": "h"}
    )
    assert reply.status_code == 201
    assert (await chat.status())["status"] == "assigned"


async def test_claiming_a_conversation_the_bot_still_handles_is_a_conflict(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat = await start_chat(client)
    response = await agent.post(f"/conversations/{chat.id}/claim")
    assert response.status_code == 409


async def test_logout_ends_the_session(client: httpx.AsyncClient, session: AsyncSession) -> None:
    agent = await log_in_agent(client, session)
    response = await client.post("/api/v1/auth/logout", headers=agent.headers)
    assert response.status_code == 204
    assert (await client.get("/api/v1/agent/queue")).status_code == 401


async def test_agent_view_of_a_conversation_has_the_timeline_and_handoff(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session)
    chat = await start_chat(client)
    await chat.say("My husband passed away and I need to close his account")
    view = (await client.get(f"/api/v1/agent/conversations/{chat.id}")).json()
    assert view["status"] == "waiting"
    assert view["handoff"]["reason"] == "sensitive_topic"
    assert view["handoff"]["priority"] == 2
    assert [i["seq"] for i in view["timeline"]["items"]] == list(range(1, view["last_seq"] + 1))
