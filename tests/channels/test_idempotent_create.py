"""Creating a conversation with an Idempotency-Key: a retry returns the same conversation."""

from __future__ import annotations

import httpx

KEY = "retry-key-0123456789abcdef"


async def test_the_same_key_returns_the_same_conversation_and_token(
    client: httpx.AsyncClient,
) -> None:
    headers = {"Idempotency-Key": KEY}
    first = await client.post("/api/v1/conversations", json={}, headers=headers)
    again = await client.post("/api/v1/conversations", json={}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["token"] == first.json()["token"]
    auth = {"Authorization": f"Bearer {again.json()['token']}"}
    messages = await client.get(
        f"/api/v1/conversations/{first.json()['id']}/messages", headers=auth
    )
    assert [m["author"] for m in messages.json()] == ["bot"]  # greeted once


async def test_another_key_or_none_makes_a_new_conversation(client: httpx.AsyncClient) -> None:
    one = await client.post("/api/v1/conversations", json={}, headers={"Idempotency-Key": KEY})
    other = await client.post(
        "/api/v1/conversations", json={}, headers={"Idempotency-Key": KEY + "-other"}
    )
    plain = await client.post("/api/v1/conversations", json={})
    assert len({one.json()["id"], other.json()["id"], plain.json()["id"]}) == 3


async def test_a_short_key_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/conversations", json={}, headers={"Idempotency-Key": "short"}
    )
    assert response.status_code == 422
