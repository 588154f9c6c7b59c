"""Small API helpers for tests that drive Tandem over HTTP."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role, User
from tests.factories import PASSWORD, create_agent

_ids = itertools.count(1)


@dataclass
class Chat:
    client: httpx.AsyncClient
    id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def say(self, text: str, client_msg_id: str | None = None) -> dict[str, Any]:
        response = await self.client.post(
            f"/api/v1/conversations/{self.id}/messages",
            json={"text": text, "client_msg_id": client_msg_id or f"msg-{next(_ids)}"},
            headers=self.headers,
        )
        assert response.status_code in (200, 201), response.text
        body: dict[str, Any] = response.json()
        return body

    async def timeline(self, after: int = 0) -> list[dict[str, Any]]:
        response = await self.client.get(
            f"/api/v1/conversations/{self.id}/events", params={"after": after}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    async def messages(self) -> list[dict[str, Any]]:
        return [item for item in await self.timeline() if item["type"] == "message"]

    async def last_bot_or_system(self) -> dict[str, Any]:
        return [m for m in await self.messages() if m["author"] in ("bot", "system")][-1]

    async def status(self) -> dict[str, Any]:
        response = await self.client.get(f"/api/v1/conversations/{self.id}", headers=self.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


async def start_chat(client: httpx.AsyncClient, customer: dict[str, Any] | None = None) -> Chat:
    body = {"customer": customer} if customer else {}
    response = await client.post("/api/v1/conversations", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    return Chat(client, data["id"], data["token"])


@dataclass
class AgentClient:
    client: httpx.AsyncClient
    user: User
    csrf: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf}

    async def post(self, path: str, json: dict[str, Any] | None = None) -> httpx.Response:
        return await self.client.post(f"/api/v1/agent{path}", json=json, headers=self.headers)


async def log_in_agent(
    client: httpx.AsyncClient, session: AsyncSession, *, role: Role = Role.AGENT
) -> AgentClient:
    user = await create_agent(session, role=role)
    response = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return AgentClient(client, user, response.json()["csrf_token"])


@contextmanager
def count_queries(session: AsyncSession) -> Iterator[list[str]]:
    """Collect the SQL statements the session's engine runs inside the block."""
    statements: list[str] = []
    engine = session.get_bind().engine

    def record(*args: Any) -> None:  # Any: SQLAlchemy's event signature
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
