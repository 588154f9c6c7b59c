"""Admins answer a customer's data-subject requests over the API: export, and erase for good."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit, tokens
from tandem.auth.models import Role, TokenScope, User
from tandem.conversations.models import Author, Conversation
from tandem.privacy import service as privacy_service
from tests.channels.helpers import log_in_agent
from tests.factories import create_agent, create_conversation, create_customer

EMAIL = "rosa.m@example.com"
FLOODED = "my flat at 12 Rosewood Lane flooded"
PARCEL = "where is my parcel to Rosewood Lane?"


async def _customer_with_two_conversations(session: AsyncSession) -> list[Conversation]:
    rosa = await create_customer(session, name="Rosa M", email=EMAIL)
    first = await create_conversation(
        session, rosa, (Author.CUSTOMER, FLOODED), (Author.AGENT, "Sorry to hear that, Rosa.")
    )
    second = await create_conversation(session, rosa, (Author.CUSTOMER, PARCEL))
    return [first, second]


async def _bearer(session: AsyncSession, user: User, scope: TokenScope) -> dict[str, str]:
    made = await tokens.create(session, user=user, name="privacy desk", scope=scope)
    return {"Authorization": f"Bearer {made.token}"}


async def _stored_texts(session: AsyncSession, conversations: list[Conversation]) -> list[str]:
    """The messages' text as the database holds it (plain SQL: not what the session remembers)."""
    ids = ", ".join(f"'{c.id}'" for c in conversations)
    query = text(f"SELECT text FROM messages WHERE conversation_id IN ({ids}) ORDER BY id")
    return list((await session.execute(query)).scalars())


async def test_an_admin_token_exports_every_conversation_and_message(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    first, second = await _customer_with_two_conversations(session)
    admin = await create_agent(session, role=Role.ADMIN)
    response = await client.get(
        "/api/v1/customers/export",
        params={"email": EMAIL},
        headers=await _bearer(session, admin, TokenScope.ADMIN),
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["customer"]["email"] == EMAIL
    assert data["customer"]["name"] == "Rosa M"
    assert [c["id"] for c in data["conversations"]] == [first.id, second.id]
    said = [[m["text"] for m in c["messages"]] for c in data["conversations"]]
    assert FLOODED in said[0]
    assert "Sorry to hear that, Rosa." in said[0]
    assert PARCEL in said[1]
    [entry] = await audit.entries(session, action="customer.exported")
    assert entry.actor_user_id == admin.id


async def test_the_export_is_the_same_document_the_command_line_prints(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _customer_with_two_conversations(session)
    await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.get("/api/v1/customers/export", params={"email": EMAIL})
    printed = json.loads(json.dumps(await privacy_service.export_customer(session, EMAIL)))
    assert response.json() == printed  # the response model leaves nothing out


async def test_erasure_removes_the_words_from_the_database_and_is_audited(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    conversations = await _customer_with_two_conversations(session)
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.post(
        "/api/v1/customers/erase", json={"email": EMAIL, "confirm": True}, headers=admin.headers
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"email": EMAIL, "conversations_anonymised": 2}
    stored = await _stored_texts(session, conversations)
    assert len(stored) == 3  # the messages still count in reports
    assert not [t for t in stored if "Rosewood" in t or "Rosa" in t]
    left = text("SELECT count(*) FROM customers WHERE email = :email OR name = 'Rosa M'")
    assert (await session.execute(left, {"email": EMAIL})).scalar_one() == 0
    [entry] = await audit.entries(session, action="customer.erased")
    assert entry.actor_user_id == admin.user.id
    assert entry.detail == {"conversations": 2}


async def test_erasing_again_answers_404_not_a_server_error(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _customer_with_two_conversations(session)
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    body = {"email": EMAIL, "confirm": True}
    first = await client.post("/api/v1/customers/erase", json=body, headers=admin.headers)
    assert first.status_code == 200
    again = await client.post("/api/v1/customers/erase", json=body, headers=admin.headers)
    assert again.status_code == 404
    assert again.json()["detail"] == f"No customer with e-mail {EMAIL}."
    exported = await client.get("/api/v1/customers/export", params={"email": EMAIL})
    assert exported.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"email": EMAIL}, id="confirm-missing"),
        pytest.param({"email": EMAIL, "confirm": False}, id="confirm-false"),
    ],
)
async def test_erasure_without_confirm_true_is_refused_and_says_what_to_send(
    client: httpx.AsyncClient, session: AsyncSession, body: dict[str, Any]
) -> None:
    conversations = await _customer_with_two_conversations(session)
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.post("/api/v1/customers/erase", json=body, headers=admin.headers)
    assert response.status_code == 422
    assert '"confirm": true' in response.json()["detail"]
    assert FLOODED in await _stored_texts(session, conversations)
    assert await audit.entries(session, action="customer.erased") == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        pytest.param("GET", "/api/v1/customers/export?email=not-an-address", None, id="export"),
        pytest.param(
            "POST", "/api/v1/customers/erase", {"email": "not-an-address", "confirm": True},
            id="erase",
        ),
    ],
)  # fmt: skip
async def test_an_invalid_email_is_a_422_naming_the_field(
    client: httpx.AsyncClient,
    session: AsyncSession,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.request(method, path, json=body, headers=admin.headers)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("email:")


async def test_an_unknown_customer_is_a_404_saying_so(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    exported = await client.get("/api/v1/customers/export", params={"email": "no@example.com"})
    erased = await client.post(
        "/api/v1/customers/erase",
        json={"email": "no@example.com", "confirm": True},
        headers=admin.headers,
    )
    for response in (exported, erased):
        assert response.status_code == 404
        assert response.json()["detail"] == "No customer with e-mail no@example.com."


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
async def test_staff_who_are_not_admins_may_neither_export_nor_erase(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    conversations = await _customer_with_two_conversations(session)
    staff = await log_in_agent(client, session, role=role)
    exported = await client.get("/api/v1/customers/export", params={"email": EMAIL})
    erased = await client.post(
        "/api/v1/customers/erase", json={"email": EMAIL, "confirm": True}, headers=staff.headers
    )
    assert (exported.status_code, erased.status_code) == (403, 403)
    assert FLOODED in await _stored_texts(session, conversations)


async def test_an_admins_write_token_or_no_credential_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    conversations = await _customer_with_two_conversations(session)
    admin = await create_agent(session, role=Role.ADMIN)
    write = await _bearer(session, admin, TokenScope.WRITE)
    body = {"email": EMAIL, "confirm": True}
    by_write_token = await client.post("/api/v1/customers/erase", json=body, headers=write)
    assert by_write_token.status_code == 403
    assert "admin scope" in by_write_token.json()["detail"]
    anonymous = await client.post("/api/v1/customers/erase", json=body)
    assert anonymous.status_code == 401
    assert FLOODED in await _stored_texts(session, conversations)


def _answer_schema(operation: dict[str, Any]) -> object:
    return operation["responses"]["200"]["content"]["application/json"]["schema"]


async def test_the_openapi_document_describes_both_operations(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    export = paths["/api/v1/customers/export"]["get"]
    erase = paths["/api/v1/customers/erase"]["post"]
    assert _answer_schema(export) == {"$ref": "#/components/schemas/CustomerExport"}
    assert _answer_schema(erase) == {"$ref": "#/components/schemas/CustomerErased"}
    assert "404" in export["responses"]
    assert "404" in erase["responses"]
    assert erase["security"] == [{"apiToken": []}, {"session": [], "csrf": []}]
