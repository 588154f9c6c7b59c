"""Editing the policy: validated, previewed on past conversations, versioned, admin-only."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tandem.escalation.config import default_document
from tests.channels.helpers import AgentClient, log_in_agent, start_chat
from tests.factories import import_demo_knowledge

PATIENT = default_document().replace("max_failed_answers: 2", "max_failed_answers: 3")


@pytest.fixture(autouse=True)
async def knowledge(session: AsyncSession) -> None:
    await import_demo_knowledge(session)


async def _admin(client: httpx.AsyncClient, session: AsyncSession) -> AgentClient:
    return await log_in_agent(client, session, role=Role.ADMIN)


async def test_the_built_in_default_is_in_force_until_a_version_is_saved(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _admin(client, session)
    policy = (await client.get("/api/v1/admin/policy")).json()
    assert policy == {"version": 0, "document": default_document()}


async def test_saving_creates_a_version_that_takes_effect_at_once(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await _admin(client, session)
    saved = await client.post(
        "/api/v1/admin/policy",
        json={"document": PATIENT, "comment": "one more try"},
        headers=admin.headers,
    )
    assert saved.status_code == 201
    assert saved.json()["version"] == 1
    chat = await start_chat(client)
    await chat.say("do you sell garden sheds?")
    second = await chat.say("what is the name of your CEO?")
    assert second["handed_off"] is False  # three misses now, not two
    third = await chat.say("do you sponsor football teams?")
    assert third["handed_off"] is True


async def test_an_invalid_policy_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await _admin(client, session)
    response = await client.post(
        "/api/v1/admin/policy",
        json={"document": "loops: {repeat_contacts: 0}"},
        headers=admin.headers,
    )
    assert response.status_code == 422
    assert "loops.repeat_contacts" in response.json()["error"]["message"]
    assert (await client.get("/api/v1/admin/policy")).json()["version"] == 0


async def test_rolling_back_keeps_the_history(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await _admin(client, session)
    for document in (PATIENT, default_document()):
        await client.post(
            "/api/v1/admin/policy", json={"document": document}, headers=admin.headers
        )
    back = await client.post("/api/v1/admin/policy/versions/1/activate", headers=admin.headers)
    assert back.status_code == 200
    history = (await client.get("/api/v1/admin/policy/versions")).json()
    assert [(v["version"], v["active"]) for v in history] == [(2, False), (1, True)]
    assert (await client.get("/api/v1/admin/policy")).json()["document"] == PATIENT


@pytest.mark.parametrize(
    ("role", "read", "preview", "save"),
    [
        pytest.param(Role.AGENT, 403, 403, 403, id="agent"),
        pytest.param(Role.SUPERVISOR, 200, 200, 403, id="supervisor"),
        pytest.param(Role.ADMIN, 200, 200, 201, id="admin"),
    ],
)
async def test_who_may_read_preview_and_change_the_policy(
    client: httpx.AsyncClient,
    session: AsyncSession,
    role: Role,
    read: int,
    preview: int,
    save: int,
) -> None:
    user = await log_in_agent(client, session, role=role)
    assert (await client.get("/api/v1/admin/policy")).status_code == read
    body = {"document": PATIENT}
    assert (
        await client.post("/api/v1/admin/policy/preview", json=body, headers=user.headers)
    ).status_code == preview
    assert (
        await client.post("/api/v1/admin/policy", json=body, headers=user.headers)
    ).status_code == save


async def test_the_preview_replays_past_conversations_without_saving(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await _admin(client, session)
    for _ in range(2):
        chat = await start_chat(client)
        await chat.say("do you sell garden sheds?")
        await chat.say("what is the name of your CEO?")  # handed off: repeated failure
    routine = await start_chat(client)
    await routine.say("how long do refunds take?")
    response = await client.post(
        "/api/v1/admin/policy/preview", json={"document": PATIENT}, headers=admin.headers
    )
    report = response.json()
    assert report["conversations"] == 3
    assert report["current_handoffs"] == 2
    assert report["candidate_handoffs"] == 0
    assert report["current_by_reason"] == {"repeated_failure": 2}
    assert len(report["changed"]) == 2
    assert (await client.get("/api/v1/admin/policy")).json()["version"] == 0
