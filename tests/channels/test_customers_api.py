"""Integrations keep customers in step with the company's systems: create, merge by e-mail."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import tokens
from tandem.auth.models import Role, TokenScope
from tandem.conversations import customers as customer_service
from tandem.conversations.models import Tier
from tests.channels.helpers import log_in_agent


async def _supervisor(client: httpx.AsyncClient, session: AsyncSession) -> dict[str, str]:
    user = await log_in_agent(client, session, role=Role.SUPERVISOR)
    return user.headers


async def test_a_crm_creates_then_updates_a_customer_by_email(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    headers = await _supervisor(client, session)
    body = {"email": "Ada@Example.com", "name": "Ada", "attributes": {"lifetime_value": 120.5}}
    created = await client.post("/api/v1/customers", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["email"] == "ada@example.com"
    again = await client.post(
        "/api/v1/customers",
        json={"email": "ada@example.com", "tier": "vip", "attributes": {"plan": "gold"}},
        headers=headers,
    )
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]
    assert again.json()["tier"] == "vip"
    assert again.json()["attributes"] == {"lifetime_value": 120.5, "plan": "gold"}
    patched = await client.patch(
        f"/api/v1/customers/{created.json()['id']}",
        json={"attributes": {"plan": None}, "name": "Ada Lovelace"},
        headers=headers,
    )
    assert patched.json()["attributes"] == {"lifetime_value": 120.5}
    assert patched.json()["name"] == "Ada Lovelace"


async def test_a_customer_who_mailed_is_the_one_the_crm_updates(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    mailed = await customer_service.customer_for_address(
        session, email="grace@example.com", name="Grace"
    )
    headers = await _supervisor(client, session)
    response = await client.post(
        "/api/v1/customers", json={"email": "grace@example.com", "tier": "vip"}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["id"] == mailed.id
    assert mailed.tier is Tier.VIP


async def test_an_external_id_finds_the_customer_before_the_email(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    headers = await _supervisor(client, session)
    first = await client.post(
        "/api/v1/customers", json={"external_id": "crm-7", "name": "Lin"}, headers=headers
    )
    moved = await client.post(
        "/api/v1/customers",
        json={"external_id": "crm-7", "email": "lin@example.com"},
        headers=headers,
    )
    assert moved.json()["id"] == first.json()["id"]
    assert moved.json()["email"] == "lin@example.com"


async def test_two_customers_cannot_share_an_email(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    headers = await _supervisor(client, session)
    await client.post("/api/v1/customers", json={"email": "one@example.com"}, headers=headers)
    two = await client.post("/api/v1/customers", json={"email": "two@example.com"}, headers=headers)
    clash = await client.patch(
        f"/api/v1/customers/{two.json()['id']}", json={"email": "one@example.com"}, headers=headers
    )
    assert clash.status_code == 409
    assert clash.json()["code"] == "conflict"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"name": "nobody"}, id="no-email-or-id"),
        pytest.param({"email": "x@example.com", "attributes": {"a": {"nested": 1}}}, id="nested"),
        pytest.param({"email": "x@example.com", "tier": "gold"}, id="unknown-tier"),
    ],
)
async def test_bad_customers_get_a_clear_422(
    client: httpx.AsyncClient, session: AsyncSession, body: dict[str, object]
) -> None:
    headers = await _supervisor(client, session)
    response = await client.post("/api/v1/customers", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"]


async def test_agents_and_read_tokens_may_look_but_not_change(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session, role=Role.AGENT)
    await customer_service.customer_for_address(session, email="look@example.com", name=None)
    found = await client.get("/api/v1/customers", params={"email": "look@example.com"})
    assert [c["email"] for c in found.json()["items"]] == ["look@example.com"]
    refused = await client.post(
        "/api/v1/customers", json={"email": "look@example.com"}, headers=agent.headers
    )
    assert refused.status_code == 403
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)
    read = await tokens.create(session, user=supervisor.user, name="r", scope=TokenScope.READ)
    client.cookies.clear()
    by_token = await client.post(
        "/api/v1/customers",
        json={"email": "look@example.com"},
        headers={"Authorization": f"Bearer {read.token}"},
    )
    assert by_token.status_code == 403


async def test_pages_of_customers_follow_each_other(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    headers = await _supervisor(client, session)
    for n in range(5):
        await client.post("/api/v1/customers", json={"email": f"p{n}@example.com"}, headers=headers)
    seen: list[int] = []
    cursor = None
    while True:
        page = (
            await client.get(
                "/api/v1/customers", params={"limit": 2, **({"cursor": cursor} if cursor else {})}
            )
        ).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) >= 5
