"""Admins manage users through the API: create, change skills and roles, deactivate."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tests.channels.helpers import log_in_agent, start_chat

STRONG = "Correct-horse-battery-9-staple"


async def test_an_admin_creates_changes_and_deactivates_a_user(
    client: httpx.AsyncClient, session: AsyncSession, other_client: httpx.AsyncClient
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    created = await client.post(
        "/api/v1/users",
        json={"email": "nia@example.com", "name": "Nia", "skills": ["Returns"], "password": STRONG},
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    changed = await client.patch(
        f"/api/v1/users/{user_id}",
        json={"role": "supervisor", "skills": ["returns", "fr"], "capacity": 5},
        headers=admin.headers,
    )
    assert changed.json()["role"] == "supervisor"
    assert changed.json()["skills"] == ["fr", "returns"]
    assert changed.json()["capacity"] == 5
    login = await other_client.post(
        "/api/v1/auth/login", json={"email": "nia@example.com", "password": STRONG}
    )
    assert login.status_code == 200
    off = await client.patch(
        f"/api/v1/users/{user_id}", json={"active": False}, headers=admin.headers
    )
    assert off.json()["active"] is False
    assert (await other_client.get("/api/v1/agent/queue")).status_code == 401  # logged out
    listed = (await client.get("/api/v1/users")).json()
    assert any(u["id"] == user_id and not u["active"] for u in listed)


async def test_a_weak_password_or_a_taken_email_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    weak = await client.post(
        "/api/v1/users",
        json={"email": "w@example.com", "name": "W", "password": "password"},
        headers=admin.headers,
    )
    assert weak.status_code == 422
    taken = await client.post(
        "/api/v1/users",
        json={"email": admin.user.email, "name": "Again", "password": STRONG},
        headers=admin.headers,
    )
    assert taken.status_code == 409


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
async def test_only_admins_manage_users(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    user = await log_in_agent(client, session, role=role)
    assert (await client.get("/api/v1/users")).status_code == 403
    response = await client.post(
        "/api/v1/users",
        json={"email": "x@example.com", "name": "X", "password": STRONG},
        headers=user.headers,
    )
    assert response.status_code == 403
    chat = await start_chat(client)
    assert (await client.get("/api/v1/users", headers=chat.headers)).status_code in (401, 403)
