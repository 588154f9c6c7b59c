"""/admin/webhooks over HTTP: admins subscribe, see deliveries and send one again."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tandem.channels.webhooks import service
from tests.channels.helpers import log_in_agent, start_chat

HTML = {"Accept": "text/html"}


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
async def test_only_admins_see_the_page(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await log_in_agent(client, session, role=role)
    response = await client.get("/admin/webhooks", headers=HTML)
    assert response.status_code == 403


async def test_an_admin_subscribes_sees_the_secret_once_and_replays_a_delivery(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    await service.fan_out(session)
    created = await client.post(
        "/admin/webhooks",
        data={
            "csrf_token": admin.csrf,
            "url": "http://127.0.0.1:9/hooks",
            "events": ["conversation.created", "message.created"],
            "description": "CRM",
        },
        headers=HTML,
    )
    assert created.status_code == 201, created.text
    secret = re.search(r'data-testid="secret">(whsec_[^<]+)<', created.text)
    assert secret is not None
    page = await client.get("/admin/webhooks", headers=HTML)
    assert "http://127.0.0.1:9/hooks" in page.text
    assert secret.group(1) not in page.text  # shown once

    await start_chat(client)
    await service.fan_out(session)
    page = await client.get("/admin/webhooks", headers=HTML)
    assert "conversation.created" in page.text
    delivery = re.search(r'action="/admin/webhooks/deliveries/(\d+)/replay"', page.text)
    assert delivery is not None
    replayed = await client.post(
        f"/admin/webhooks/deliveries/{delivery.group(1)}/replay",
        data={"csrf_token": admin.csrf},
        headers=HTML,
    )
    assert replayed.status_code == 303
    rows = (await client.get("/admin/webhooks", headers=HTML)).text.count('data-status="pending"')
    assert rows == 3  # two deliveries of the chat's start (created, greeting) and the replay


async def test_a_bad_subscription_is_explained_on_the_page(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.post(
        "/admin/webhooks",
        data={"csrf_token": admin.csrf, "url": "http://127.0.0.1:9/hooks"},
        headers=HTML,
    )
    assert response.status_code == 422
    assert "Name the events to send" in response.text


async def test_a_post_without_the_csrf_token_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.post(
        "/admin/webhooks", data={"url": "http://127.0.0.1:9/h", "events": ["*"]}, headers=HTML
    )
    assert response.status_code == 403
    assert (await service.subscriptions(session)) == []
