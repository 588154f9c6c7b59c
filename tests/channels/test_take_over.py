"""An agent takes a conversation over from the bot: the bot goes silent, the customer is told."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.channels.helpers import log_in_agent, start_chat
from tests.factories import import_demo_knowledge


@pytest.fixture(autouse=True)
async def knowledge(session: AsyncSession) -> None:
    await import_demo_knowledge(session)


async def test_an_agent_takes_over_and_the_bot_goes_silent(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    chat = await start_chat(client)
    await chat.say("how long does delivery take to Germany?")
    agent = await log_in_agent(other_client, session)
    taken = await agent.post(f"/conversations/{chat.id}/take-over")
    assert taken.status_code == 200, taken.text
    assert taken.json()["reason"] == "agent_takeover"
    assert (await chat.status())["status"] == "assigned"
    told = [m["text"] for m in await chat.messages() if m["author"] == "system"]
    assert "joining this chat" in told[-2]
    assert "has joined the conversation" in told[-1]
    before = len(await chat.messages())
    await chat.say("thanks, and can I pay with PayPal?")
    after = await chat.messages()
    assert len(after) == before + 1  # the customer's message only: the bot said nothing
    reply = await agent.post(
        f"/conversations/{chat.id}/messages", json={"text": "Yes, you can.", "client_msg_id": "a1"}
    )
    assert reply.status_code == 201
    again = await agent.post(f"/conversations/{chat.id}/take-over")
    assert again.status_code == 409
    assert "not with the bot" in again.json()["error"]["message"]


async def test_the_console_lists_the_bots_conversations_to_take_over(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    chat = await start_chat(client)
    await chat.say("do you ship to Norway?")
    agent = await log_in_agent(other_client, session)
    queue = await other_client.get("/console/queue")
    assert f'data-conversation="{chat.id}"' in queue.text
    assert "With the bot now" in queue.text
    taken = await other_client.post(
        f"/console/conversations/{chat.id}/take-over",
        headers={**agent.headers, "HX-Request": "true"},
    )
    assert taken.status_code == 204
    assert taken.headers["HX-Redirect"] == f"/console/conversations/{chat.id}"
    queue = await other_client.get("/console/queue")
    assert f"/console/conversations/{chat.id}/take-over" not in queue.text


async def test_an_agent_sees_why_the_bot_said_what_it_said(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    answer = await chat.last_bot_or_system()
    await log_in_agent(other_client, session)
    why = await other_client.get(f"/console/conversations/{chat.id}/why/{answer['seq']}")
    assert why.status_code == 200, why.text
    assert "how long do refunds take?" in why.text
    assert "read as en" in why.text
    assert "refund-processing-times" in why.text  # the article the policy saw
    assert "The bot replied</strong> with answer" in why.text
    customer_seq = next(m["seq"] for m in await chat.messages() if m["author"] == "customer")
    missing = await other_client.get(f"/console/conversations/{chat.id}/why/{customer_seq}")
    assert missing.status_code == 404
