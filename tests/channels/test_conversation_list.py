"""Integrators list and search conversations: filters, words in messages, stable pages."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import tokens
from tandem.auth.models import TokenScope
from tandem.bot import service as bot_service
from tandem.config import Settings
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Customer, Tier
from tests.channels.helpers import Chat, start_chat
from tests.factories import create_agent, import_demo_knowledge, install_policy, policy_document

QUESTIONS = [
    "how long do refunds take?",
    "do you ship to norway?",
    "how much is postage?",
    "can i pay with paypal?",
    "what is 100% cotton made of_ really",
]


@pytest.fixture(autouse=True)
async def shop(session: AsyncSession) -> None:
    await import_demo_knowledge(session)
    await install_policy(session, policy_document(assignment="pull"))


@pytest.fixture
async def api(session: AsyncSession) -> dict[str, str]:
    agent = await create_agent(session)
    created = await tokens.create(session, user=agent, name="BI", scope=TokenScope.READ)
    return {"Authorization": f"Bearer {created.token}"}


async def _chats(client: httpx.AsyncClient) -> list[Chat]:
    chats = []
    for question in QUESTIONS:
        chat = await start_chat(client)
        await chat.say(question)
        chats.append(chat)
    return chats


async def _list(client: httpx.AsyncClient, api: dict[str, str], **params: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/agent/conversations", params=params, headers=api)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_pages_follow_each_other_newest_first_without_gaps_or_repeats(
    client: httpx.AsyncClient, api: dict[str, str]
) -> None:
    chats = await _chats(client)
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await _list(client, api, limit=2, **({"cursor": cursor} if cursor else {}))
        assert len(page["items"]) <= 2
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    ids = [item["id"] for item in seen]
    assert sorted(ids) == sorted(chat.id for chat in chats)  # every one, once
    activity = [item["updated_at"] for item in seen]
    assert activity == sorted(activity, reverse=True)
    assert ids[0] == chats[-1].id  # the latest conversation comes first


async def test_words_in_messages_find_their_conversation_literally(
    client: httpx.AsyncClient, api: dict[str, str]
) -> None:
    chats = await _chats(client)
    found = await _list(client, api, q="NORWAY")
    assert [item["id"] for item in found["items"]] == [chats[1].id]
    literal = await _list(client, api, q="100% cotton made of_")
    assert [item["id"] for item in literal["items"]] == [chats[4].id]
    percent = await _list(client, api, q="%")  # a literal per cent sign, not "anything"
    assert [item["id"] for item in percent["items"]] == [chats[4].id]


async def test_filters_narrow_by_status_and_customer(
    client: httpx.AsyncClient, api: dict[str, str], session: AsyncSession
) -> None:
    chats = await _chats(client)
    await chats[2].say("I want to speak to a human")
    waiting = await _list(client, api, status="waiting")
    assert [item["id"] for item in waiting["items"]] == [chats[2].id]
    assert waiting["items"][0]["customer"]["tier"] == "standard"
    await conversation_service.ensure_customer(
        session, email="vera@example.com", name="Vera", tier=Tier.VIP
    )
    vera = (
        await session.execute(select(Customer).where(Customer.email == "vera@example.com"))
    ).scalar_one()
    config = bot_service.config_from(Settings(environment="test"))
    conversation, _token = await bot_service.start(
        session, identity=None, identity_secret=None, config=config, customer=vera
    )
    mine = await _list(client, api, customer_email="Vera@Example.com")
    assert [item["id"] for item in mine["items"]] == [conversation.id]
    assert mine["items"][0]["customer"] == {
        "id": vera.id,
        "name": "Vera",
        "email": "vera@example.com",
        "tier": "vip",
    }


async def test_a_cursor_that_was_not_given_out_is_refused(
    client: httpx.AsyncClient, api: dict[str, str]
) -> None:
    response = await client.get(
        "/api/v1/agent/conversations", params={"cursor": "not-a-cursor"}, headers=api
    )
    assert response.status_code == 422
    assert "start again without it" in response.text


async def test_integrations_list_at_the_collection_with_items_and_next(
    client: httpx.AsyncClient, api: dict[str, str]
) -> None:
    await _chats(client)
    first = await client.get("/api/v1/conversations", params={"limit": 2}, headers=api)
    assert first.status_code == 200, first.text
    body = first.json()
    assert len(body["items"]) == 2
    assert body["next"] == body["next_cursor"] is not None
    second = await client.get(
        "/api/v1/conversations", params={"limit": 2, "cursor": body["next"]}, headers=api
    )
    assert {c["id"] for c in second.json()["items"]}.isdisjoint(c["id"] for c in body["items"])
    client.cookies.clear()
    assert (await client.get("/api/v1/conversations")).status_code == 401
