"""/admin/users: an admin creates staff, edits role, skills and capacity, and deactivates them."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.auth.models import Role
from tests.channels.helpers import log_in_agent
from tests.factories import PASSWORD, create_agent

HTML = {"Accept": "text/html"}


async def test_an_admin_creates_a_user_who_can_log_in(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    weak = await client.post(
        "/admin/users",
        data={"csrf_token": admin.csrf, "email": "new@example.com", "name": "New",
              "password": "password", "role": "agent"},
        headers=HTML,
    )  # fmt: skip
    assert weak.status_code == 422
    assert "easy to guess" in weak.text
    assert await auth_service.find_user(session, "new@example.com") is None
    created = await client.post(
        "/admin/users",
        data={"csrf_token": admin.csrf, "email": "new@example.com", "name": "New Person",
              "password": PASSWORD, "role": "supervisor", "skills": "Returns, fr"},
        headers=HTML,
    )  # fmt: skip
    assert created.status_code == 200, created.text
    assert "Created new@example.com (supervisor)" in created.text
    user = await auth_service.find_user(session, "new@example.com")
    assert user is not None
    assert user.role is Role.SUPERVISOR
    assert user.skills == ["fr", "returns"]
    login = await other_client.post(
        "/api/v1/auth/login", json={"email": "new@example.com", "password": PASSWORD}
    )
    assert login.status_code == 200


async def test_an_admin_edits_role_skills_and_capacity(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    agent = await create_agent(session)
    saved = await client.post(
        f"/admin/users/{agent.id}",
        data={"csrf_token": admin.csrf, "role": "supervisor", "skills": "billing, de",
              "capacity": "5"},
        headers=HTML,
    )  # fmt: skip
    assert saved.status_code == 200
    assert (agent.role, agent.skills, agent.capacity) == (Role.SUPERVISOR, ["billing", "de"], 5)
    own = await client.post(
        f"/admin/users/{admin.user.id}",
        data={"csrf_token": admin.csrf, "role": "agent", "capacity": "3"},
        headers=HTML,
    )
    assert own.status_code == 422
    assert admin.user.role is Role.ADMIN


async def test_deactivating_logs_the_user_out_and_reactivating_lets_them_back(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    agent = await log_in_agent(other_client, session)
    assert (await other_client.get("/api/v1/auth/me")).status_code == 200
    done = await client.post(
        f"/admin/users/{agent.user.id}/deactivate", data={"csrf_token": admin.csrf}, headers=HTML
    )
    assert "Deactivated" in done.text
    assert (await other_client.get("/api/v1/auth/me")).status_code == 401
    again = await other_client.post(
        "/api/v1/auth/login", json={"email": agent.user.email, "password": PASSWORD}
    )
    assert again.status_code == 401
    await client.post(
        f"/admin/users/{agent.user.id}/reactivate", data={"csrf_token": admin.csrf}, headers=HTML
    )
    back = await other_client.post(
        "/api/v1/auth/login", json={"email": agent.user.email, "password": PASSWORD}
    )
    assert back.status_code == 200
    self_off = await client.post(
        f"/admin/users/{admin.user.id}/deactivate", data={"csrf_token": admin.csrf}, headers=HTML
    )
    assert self_off.status_code == 422
    assert admin.user.is_active


async def test_only_admins_see_the_staff_page(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session, role=Role.SUPERVISOR)
    assert (await client.get("/admin/users", headers=HTML)).status_code == 403
