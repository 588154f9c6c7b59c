"""/admin/privacy: an admin downloads a customer's data, or erases it after typing it twice."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit
from tandem.auth import service as auth_service
from tandem.auth.models import Role
from tandem.conversations.models import Author, Conversation
from tests.channels.helpers import log_in_agent
from tests.factories import create_conversation, create_customer

HTML = {"Accept": "text/html"}
EMAIL = "rosa.m@example.com"
FLOODED = "my flat at 12 Rosewood Lane flooded"


async def _rosas_conversation(session: AsyncSession) -> Conversation:
    rosa = await create_customer(session, name="Rosa M", email=EMAIL)
    return await create_conversation(session, rosa, (Author.CUSTOMER, FLOODED))


async def _stored_texts(session: AsyncSession, conversation: Conversation) -> list[str]:
    """The messages' text as the database holds it (plain SQL: not what the session remembers)."""
    query = text("SELECT text FROM messages WHERE conversation_id = :id ORDER BY id")
    return list((await session.execute(query, {"id": conversation.id})).scalars())


async def test_the_page_offers_export_and_a_twice_typed_erasure(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session, role=Role.ADMIN)
    page = await client.get("/admin/privacy", headers=HTML)
    assert page.status_code == 200
    assert 'action="/admin/privacy/export"' in page.text
    assert 'action="/admin/privacy/erase"' in page.text
    assert 'name="confirm_email"' in page.text


async def test_an_admin_who_reads_german_gets_the_page_and_its_answers_in_german(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _rosas_conversation(session)
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    await auth_service.do_set_language(session, admin.user, language="de")
    page = await client.get("/admin/privacy", headers=HTML)
    assert "<h1>Kundendaten</h1>" in page.text
    erased = await client.post(
        "/admin/privacy/erase",
        data={"csrf_token": admin.csrf, "email": EMAIL, "confirm_email": EMAIL},
        headers=HTML,
    )
    assert f"{EMAIL} gelöscht: 1 Gespräch(e) anonymisiert." in erased.text


async def test_an_admin_downloads_a_customers_data_as_a_json_file(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    conversation = await _rosas_conversation(session)
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.post(
        "/admin/privacy/export", data={"csrf_token": admin.csrf, "email": EMAIL}, headers=HTML
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"] == (
        'attachment; filename="customer-rosa.m_example.com.json"'
    )
    data = json.loads(response.content)
    assert data["customer"]["email"] == EMAIL
    [exported] = data["conversations"]
    assert exported["id"] == conversation.id
    assert [m["text"] for m in exported["messages"]] == [FLOODED]
    [entry] = await audit.entries(session, action="customer.exported")
    assert entry.actor_user_id == admin.user.id


async def test_exporting_an_unknown_customer_shows_the_page_with_the_reason(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.post(
        "/admin/privacy/export",
        data={"csrf_token": admin.csrf, "email": "no@example.com"},
        headers=HTML,
    )
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "No customer with e-mail no@example.com." in response.text


async def test_an_admin_erases_a_customer_after_typing_the_address_twice(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    conversation = await _rosas_conversation(session)
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.post(
        "/admin/privacy/erase",
        data={"csrf_token": admin.csrf, "email": EMAIL, "confirm_email": " Rosa.M@example.com"},
        headers=HTML,
    )
    assert response.status_code == 200, response.text
    assert f"Erased {EMAIL}: 1 conversation(s) anonymised." in response.text
    [stored] = await _stored_texts(session, conversation)
    assert "Rosewood" not in stored
    [entry] = await audit.entries(session, action="customer.erased")
    assert entry.actor_user_id == admin.user.id


@pytest.mark.parametrize(
    "confirmation",
    [
        pytest.param("rosa.n@example.com", id="typo"),
        pytest.param("", id="left-empty"),
    ],
)
async def test_a_confirmation_that_differs_erases_nothing(
    client: httpx.AsyncClient, session: AsyncSession, confirmation: str
) -> None:
    conversation = await _rosas_conversation(session)
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.post(
        "/admin/privacy/erase",
        data={"csrf_token": admin.csrf, "email": EMAIL, "confirm_email": confirmation},
        headers=HTML,
    )
    assert response.status_code == 422
    assert "The two addresses differ, so nothing was erased." in response.text
    assert await _stored_texts(session, conversation) == [FLOODED]
    assert await audit.entries(session, action="customer.erased") == []


async def test_erasing_without_the_csrf_token_erases_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    conversation = await _rosas_conversation(session)
    await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.post(
        "/admin/privacy/erase", data={"email": EMAIL, "confirm_email": EMAIL}, headers=HTML
    )
    assert response.status_code == 403
    assert await _stored_texts(session, conversation) == [FLOODED]


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
async def test_only_admins_reach_the_page_or_its_actions(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    conversation = await _rosas_conversation(session)
    staff = await log_in_agent(client, session, role=role)
    assert (await client.get("/admin/privacy", headers=HTML)).status_code == 403
    exported = await client.post(
        "/admin/privacy/export", data={"csrf_token": staff.csrf, "email": EMAIL}, headers=HTML
    )
    erased = await client.post(
        "/admin/privacy/erase",
        data={"csrf_token": staff.csrf, "email": EMAIL, "confirm_email": EMAIL},
        headers=HTML,
    )
    assert (exported.status_code, erased.status_code) == (403, 403)
    assert EMAIL not in exported.text  # no data leaked in the refusal
    assert await _stored_texts(session, conversation) == [FLOODED]


async def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/admin/privacy", headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=/admin/privacy"
