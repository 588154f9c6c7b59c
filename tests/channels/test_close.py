"""The customer ends a chat the AI handled: resolved with no person, then rated."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.analytics import service as analytics_service
from tandem.analytics.filters import Filters
from tandem.analytics.roi import Costs
from tandem.analytics.service import ReportConfig
from tandem.core.time import utc_now
from tests.channels.helpers import Chat, start_chat
from tests.factories import import_demo_knowledge


@pytest.fixture(autouse=True)
async def demo_knowledge(session: AsyncSession) -> None:
    await import_demo_knowledge(session)


async def _close(client: httpx.AsyncClient, chat: Chat) -> httpx.Response:
    return await client.post(f"/api/v1/conversations/{chat.id}/close", headers=chat.headers)


async def test_that_answered_my_question_resolves_without_a_person(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    response = await _close(client, chat)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "resolved"
    resolved = [i for i in await chat.timeline() if i.get("kind") == "conversation.resolved"]
    assert [event["data"] for event in resolved] == [{"by": "customer"}]
    rated = await client.post(
        f"/api/v1/conversations/{chat.id}/rating", json={"score": 5}, headers=chat.headers
    )
    assert rated.status_code == 200, rated.text

    now = utc_now()
    today = Filters(start=now - timedelta(days=1), end=now + timedelta(minutes=1))
    config = ReportConfig(ZoneInfo("UTC"), 120, Costs(0.05, 30.0, "EUR"), 240)
    metrics = (await analytics_service.report(session, today, config=config, now=now)).metrics
    assert (metrics.automation.numerator, metrics.csat_ai.mean) == (1, 5.0)


async def test_closing_twice_changes_nothing(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    assert (await _close(client, chat)).status_code == 200
    again = await _close(client, chat)
    assert again.status_code == 200
    resolved = [i for i in await chat.timeline() if i.get("kind") == "conversation.resolved"]
    assert len(resolved) == 1


async def test_a_conversation_with_a_person_cannot_be_closed_by_the_customer(
    client: httpx.AsyncClient,
) -> None:
    chat = await start_chat(client)
    await client.post(f"/api/v1/conversations/{chat.id}/handoff", headers=chat.headers)
    response = await _close(client, chat)
    assert response.status_code == 409
    assert "person from our team" in response.json()["error"]["message"]


async def test_writing_again_after_closing_reopens_the_chat(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    await _close(client, chat)
    await chat.say("one more thing: do you ship to Norway?")
    assert (await chat.status())["status"] == "bot"
