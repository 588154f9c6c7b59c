"""Who may call what: every endpoint against every kind of caller."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.channels.helpers import Chat, log_in_agent, start_chat

CUSTOMER_ENDPOINTS = [
    ("GET", ""),
    ("GET", "/events"),
    ("GET", "/messages"),
    ("POST", "/messages"),
    ("POST", "/handoff"),
    ("POST", "/close"),
    ("POST", "/rating"),
]
AGENT_ENDPOINTS = [
    ("GET", "/api/v1/agent/queue"),
    ("GET", "/api/v1/agent/conversations/{id}"),
    ("GET", "/api/v1/agent/conversations/{id}/events"),
    ("POST", "/api/v1/agent/conversations/{id}/claim"),
    ("POST", "/api/v1/agent/conversations/{id}/messages"),
    ("POST", "/api/v1/agent/conversations/{id}/resolve"),
    ("GET", "/api/v1/agent/conversations/{id}/labels"),
    ("POST", "/api/v1/agent/conversations/{id}/labels"),
    ("DELETE", "/api/v1/agent/conversations/{id}/labels/vip"),
    ("GET", "/api/v1/agent/conversations/{id}/flags"),
    ("POST", "/api/v1/agent/conversations/{id}/flags"),
    ("GET", "/api/v1/auth/me"),
]
BODIES = {
    "/messages": {"text": "hi", "client_msg_id": "m"},
    "/rating": {"score": 4},
    "/labels": {"label": "vip"},
    "/flags": {"seq": 2, "right_article": "returns-policy"},
}


async def _call(
    client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str]
) -> httpx.Response:
    body = next((b for suffix, b in BODIES.items() if path.endswith(suffix)), None)
    return await client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "suffix"), CUSTOMER_ENDPOINTS)
@pytest.mark.parametrize("caller", ["nobody", "another-customer", "agent"])
async def test_only_the_conversations_customer_reaches_it(
    client: httpx.AsyncClient, session: AsyncSession, method: str, suffix: str, caller: str
) -> None:
    own = await start_chat(client)
    headers: dict[str, str] = {}
    if caller == "another-customer":
        headers = (await start_chat(client)).headers
    elif caller == "agent":
        headers = (await log_in_agent(client, session)).headers
    response = await _call(client, method, f"/api/v1/conversations/{own.id}{suffix}", headers)
    assert response.status_code == 404, response.text
    owner = await _call(client, method, f"/api/v1/conversations/{own.id}{suffix}", own.headers)
    assert owner.status_code in (200, 201, 409), owner.text


@pytest.mark.parametrize(("method", "path"), AGENT_ENDPOINTS)
@pytest.mark.parametrize("caller", ["nobody", "customer"])
async def test_agent_endpoints_need_an_agent_login(
    client: httpx.AsyncClient, method: str, path: str, caller: str
) -> None:
    chat: Chat = await start_chat(client)
    headers = chat.headers if caller == "customer" else {}
    response = await _call(client, method, path.format(id=chat.id), headers)
    assert response.status_code == 401, response.text


async def test_console_pages_send_a_browser_to_the_login_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/console", headers={"Accept": "text/html"})
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=/console"


async def test_login_never_redirects_off_site(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    response = await client.post(
        "/console/login",
        data={
            "email": agent.user.email,
            "password": "correct horse battery",
            "next": "//evil.example",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/console"
