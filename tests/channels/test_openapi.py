"""The OpenAPI document says which credential each operation takes."""

from __future__ import annotations

from typing import Any

import httpx

STAFF = [{"apiToken": []}, {"session": [], "csrf": []}]


async def test_each_part_of_the_api_names_its_credential(client: httpx.AsyncClient) -> None:
    document: dict[str, Any] = (await client.get("/openapi.json")).json()
    assert set(document["components"]["securitySchemes"]) == {
        "apiToken", "session", "csrf", "conversationToken", "inboundMailSecret",
    }  # fmt: skip
    paths = document["paths"]
    assert "security" not in paths["/api/v1/conversations"]["post"]  # anyone may start a chat
    assert paths["/api/v1/conversations"]["get"]["security"] == STAFF
    messages = paths["/api/v1/conversations/{conversation_id}/messages"]["post"]
    assert messages["security"] == [{"conversationToken": []}]
    assert paths["/api/v1/webhooks"]["post"]["security"] == STAFF
    assert paths["/api/v1/agent/queue"]["get"]["security"] == STAFF
    assert paths["/api/v1/email/inbound"]["post"]["security"] == [{"inboundMailSecret": []}]
