"""The webhook API: admins subscribe with a session or an API token; nobody else can."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import tokens
from tandem.auth.models import Role, TokenScope
from tandem.channels.webhooks import service
from tests.channels.helpers import log_in_agent, start_chat

BODY = {"url": "http://127.0.0.1:9/hooks", "events": ["conversation.handed_off"]}


async def test_an_admin_subscribes_and_gets_the_secret_once(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    created = await client.post("/api/v1/webhooks", json=BODY, headers=admin.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == ["conversation.handed_off"]
    listed = (await client.get("/api/v1/webhooks")).json()
    assert [s["id"] for s in listed] == [body["id"]]
    assert "secret" not in listed[0]
    gone = await client.delete(f"/api/v1/webhooks/{body['id']}", headers=admin.headers)
    assert gone.status_code == 204
    assert (await client.get("/api/v1/webhooks")).json() == []


async def test_an_admin_token_can_subscribe_without_csrf_and_a_write_token_cannot(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    token = await tokens.create(session, user=admin.user, name="CRM", scope=TokenScope.ADMIN)
    write = await tokens.create(session, user=admin.user, name="Bot", scope=TokenScope.WRITE)
    client.cookies.clear()
    response = await client.post(
        "/api/v1/webhooks", json=BODY, headers={"Authorization": f"Bearer {token.token}"}
    )
    assert response.status_code == 201, response.text
    refused = await client.post(
        "/api/v1/webhooks", json=BODY, headers={"Authorization": f"Bearer {write.token}"}
    )
    assert refused.status_code == 403
    assert "admin scope" in refused.json()["detail"]


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
async def test_agents_and_supervisors_cannot_manage_webhooks(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    user = await log_in_agent(client, session, role=role)
    response = await client.post("/api/v1/webhooks", json=BODY, headers=user.headers)
    assert response.status_code == 403
    assert (await client.get("/api/v1/webhooks")).status_code == 403


async def test_customers_cannot_manage_webhooks(client: httpx.AsyncClient) -> None:
    chat = await start_chat(client)
    response = await client.post("/api/v1/webhooks", json=BODY, headers=chat.headers)
    assert response.status_code == 401


async def test_a_bad_subscription_gets_a_clear_error(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.post(
        "/api/v1/webhooks",
        json={"url": "https://x.example.com", "events": ["nope"]},
        headers=admin.headers,
    )
    assert response.status_code == 422
    assert "Unknown event type(s) nope" in response.json()["error"]["message"]


async def test_deliveries_are_listed_and_can_be_replayed(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    await service.fan_out(session)
    created = await client.post(
        "/api/v1/webhooks", json={**BODY, "events": ["*"]}, headers=admin.headers
    )
    subscription_id = created.json()["id"]
    chat = await start_chat(client)
    await chat.say("hello")
    await service.fan_out(session)
    listed = (
        await client.get("/api/v1/webhooks/deliveries", params={"subscription_id": subscription_id})
    ).json()
    types = {d["event_type"] for d in listed}
    assert {"conversation.created", "message.created"} <= types
    assert all(d["status"] == "pending" for d in listed)
    replayed = await client.post(
        f"/api/v1/webhooks/deliveries/{listed[0]['id']}/replay", headers=admin.headers
    )
    assert replayed.status_code == 202
    again = (await client.get("/api/v1/webhooks/deliveries")).json()
    assert again[0]["id"] == replayed.json()["id"]
    assert again[0]["event_id"] == listed[0]["event_id"]
