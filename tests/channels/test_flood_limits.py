"""A script cannot flood Tandem with conversations or messages: 429 with Retry-After."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.config import Settings
from tandem.conversations.models import Conversation
from tests.channels.helpers import start_chat


async def test_a_flood_of_new_conversations_from_one_address_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    before = (await session.execute(select(func.count(Conversation.id)))).scalar_one()
    for _ in range(settings.conversations_per_ip):
        assert (await client.post("/api/v1/conversations", json={})).status_code == 201
    refused = await client.post("/api/v1/conversations", json={})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    after = (await session.execute(select(func.count(Conversation.id)))).scalar_one()
    assert after - before == settings.conversations_per_ip  # the refused one created nothing


async def test_a_flood_of_messages_into_one_conversation_is_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    chat = await start_chat(client)
    url = f"/api/v1/conversations/{chat.id}/messages"
    headers = {"Authorization": f"Bearer {chat.token}"}
    for number in range(settings.messages_per_conversation):
        sent = await client.post(
            url, json={"text": "thanks", "client_msg_id": f"m{number}"}, headers=headers
        )
        assert sent.status_code in (200, 201)
    refused = await client.post(
        url, json={"text": "thanks", "client_msg_id": "one-too-many"}, headers=headers
    )
    assert refused.status_code == 429
    assert "very fast" in refused.json()["error"]["message"]
    other = await start_chat(client)
    await other.say("hello")  # another conversation from the same address still talks
