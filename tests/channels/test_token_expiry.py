"""A customer's token stops working after a long pause, so old transcripts are not readable."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.config import Settings
from tandem.conversations import service as conversation_service
from tandem.core.time import utc_now
from tests.channels.helpers import start_chat


async def test_a_token_expires_after_the_idle_days_and_activity_renews_it(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    conversation = await conversation_service.get_conversation(session, chat.id)
    idle = timedelta(days=settings.customer_token_idle_days)

    conversation.updated_at = utc_now() - idle + timedelta(hours=1)
    await session.flush()
    assert (await client.get(f"/api/v1/conversations/{chat.id}", headers=chat.headers)).is_success
    await chat.say("thanks")  # activity renews the token
    await session.refresh(conversation)
    assert conversation.updated_at > utc_now() - timedelta(minutes=5)

    conversation.updated_at = utc_now() - idle - timedelta(hours=1)
    await session.flush()
    expired = await client.get(f"/api/v1/conversations/{chat.id}/messages", headers=chat.headers)
    assert expired.status_code == 404
    assert "expired" in expired.json()["error"]["message"]
