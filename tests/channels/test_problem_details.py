"""Every API error is an RFC 9457 problem: standard members, a stable code, what to do."""

from __future__ import annotations

import httpx


async def test_a_missing_conversation_is_a_problem_with_a_code(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/conversations/nope", headers={"Authorization": "Bearer x"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["title"] == "Not Found"
    assert body["status"] == 404
    assert body["code"] == "not_found"
    assert "start a new one" in body["detail"]
    assert body["error"] == {"code": "not_found", "message": body["detail"]}


async def test_malformed_input_names_each_field(client: httpx.AsyncClient) -> None:
    started = (await client.post("/api/v1/conversations", json={})).json()
    response = await client.post(
        f"/api/v1/conversations/{started['id']}/messages",
        json={"text": "", "client_msg_id": None},
        headers={"Authorization": f"Bearer {started['token']}"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid_input"
    fields = {e["field"] for e in body["errors"]}
    assert {"text", "client_msg_id"} <= fields
    assert body["detail"].endswith("(and 1 more). Fix the request and send it again.")


async def test_a_body_too_large_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/conversations", content=b"x" * (2 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["title"] == "Request Entity Too Large"
