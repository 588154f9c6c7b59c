"""/admin/tokens: an admin creates a token in the browser, it works, and revoking stops it."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tests.channels.helpers import log_in_agent

HTML = {"Accept": "text/html"}


async def test_an_admin_creates_a_token_that_works_until_revoked(
    client: httpx.AsyncClient, session: AsyncSession, other_client: httpx.AsyncClient
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    created = await client.post(
        "/admin/tokens",
        data={"csrf_token": admin.csrf, "name": "CRM sync", "user_id": admin.user.id,
              "scope": "read"},
        headers=HTML,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    found = re.search(r'data-testid="new-token">(tdm_[^<]+)<', created.text)
    assert found is not None
    bearer = {"Authorization": f"Bearer {found.group(1)}"}
    assert (await other_client.get("/api/v1/conversations", headers=bearer)).status_code == 200
    page = await client.get("/admin/tokens", headers=HTML)
    assert "CRM sync" in page.text
    assert found.group(1) not in page.text  # shown once
    token_id = re.search(r'action="/admin/tokens/(\d+)/revoke"', page.text)
    assert token_id is not None
    revoked = await client.post(
        f"/admin/tokens/{token_id.group(1)}/revoke", data={"csrf_token": admin.csrf}, headers=HTML
    )
    assert revoked.status_code == 303
    assert (await other_client.get("/api/v1/conversations", headers=bearer)).status_code == 401


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
async def test_only_admins_see_tokens(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await log_in_agent(client, session, role=role)
    assert (await client.get("/admin/tokens", headers=HTML)).status_code == 403
