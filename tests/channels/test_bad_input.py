"""Malformed input gets a clear 4xx, never a 500, on both databases."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.channels.helpers import log_in_agent, start_chat


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        pytest.param('{"text": "hi\\u0000there", "client_msg_id": "a1"}', "NUL", id="nul"),
        pytest.param('{"text": "hi \\ud800", "client_msg_id": "a2"}', "surrogate", id="surrogate"),
        pytest.param('{"text": "hi", "client_msg_id": "a3", "x": NaN}', "finite", id="nan"),
    ],
)
async def test_unstorable_text_in_a_message_is_refused_clearly(
    client: httpx.AsyncClient, raw: str, words: str
) -> None:
    chat = await start_chat(client)
    response = await client.post(
        f"/api/v1/conversations/{chat.id}/messages",
        content=raw,
        headers={**chat.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert words in response.json()["error"]["message"]
    assert [m["author"] for m in await chat.messages()] == ["bot"]  # nothing was stored


async def test_a_nul_in_a_customer_name_or_login_email_is_refused(
    client: httpx.AsyncClient,
) -> None:
    created = await client.post(
        "/api/v1/conversations", json={"customer": {"name": "Sam\u0000", "email": "s@x.org"}}
    )
    assert created.status_code == 422
    login = await client.post(
        "/api/v1/auth/login", json={"email": "a\u0000@example.com", "password": "x"}
    )
    assert login.status_code == 422


@pytest.mark.parametrize("after", ["2147483648", "100000000000000000000"])
async def test_a_sequence_number_out_of_range_is_refused(
    client: httpx.AsyncClient, after: str
) -> None:
    chat = await start_chat(client)
    for path in ("events", "stream"):
        response = await client.get(
            f"/api/v1/conversations/{chat.id}/{path}", params={"after": after}, headers=chat.headers
        )
        assert response.status_code == 422, path


async def test_an_id_out_of_range_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    response = await client.delete(
        "/api/v1/agent/macros/99999999999999999999", headers=agent.headers
    )
    assert response.status_code == 422


async def test_a_nul_in_the_address_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/conversations/abc%00def")
    assert response.status_code == 404
