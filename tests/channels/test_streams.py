"""Live delivery over server-sent events against a real server: resume misses nothing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from tests.live import LiveServer


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    live = LiveServer(request.param, tmp_path_factory.mktemp("live")).start()
    yield live
    live.stop()


async def _items(response: httpx.Response) -> AsyncIterator[dict[str, Any]]:
    event: dict[str, str] = {}
    async for line in response.aiter_lines():
        if not line:
            if "data" in event:
                item = json.loads(event["data"])
                assert event["id"] == str(item["seq"])
                yield item
            event = {}
        elif not line.startswith(":"):
            field, _, value = line.partition(":")
            event[field] = value.lstrip(" ")


async def _collect(
    http: httpx.AsyncClient, url: str, headers: dict[str, str], count: int
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    async with http.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        async for item in _items(response):
            items.append(item)
            if len(items) == count:
                break
    return items


async def test_a_reconnecting_client_gets_exactly_what_it_missed(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        started = (await http.post("/api/v1/conversations", json={})).json()
        auth = {"Authorization": f"Bearer {started['token']}"}
        stream_url = f"/api/v1/conversations/{started['id']}/stream"

        first = await asyncio.wait_for(_collect(http, stream_url, auth, 2), 10)
        assert [i["seq"] for i in first] == [1, 2]

        # Disconnected: two questions, each answered, happen meanwhile.
        for n, text in enumerate(["how long do refunds take?", "do you ship to norway?"]):
            response = await http.post(
                f"/api/v1/conversations/{started['id']}/messages",
                json={"text": text, "client_msg_id": f"m{n}"},
                headers=auth,
            )
            assert response.status_code == 201

        resumed = await asyncio.wait_for(
            _collect(http, stream_url, {**auth, "Last-Event-ID": "2"}, 4), 10
        )
        assert [i["seq"] for i in resumed] == [3, 4, 5, 6]
        assert [i["author"] for i in resumed] == ["customer", "bot", "customer", "bot"]


async def test_new_messages_arrive_live_without_reconnecting(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        started = (await http.post("/api/v1/conversations", json={})).json()
        auth = {"Authorization": f"Bearer {started['token']}"}
        url = f"/api/v1/conversations/{started['id']}/stream?after=2"

        async def send_later() -> None:
            await asyncio.sleep(0.3)
            await http.post(
                f"/api/v1/conversations/{started['id']}/messages",
                json={"text": "how long do refunds take?", "client_msg_id": "live"},
                headers=auth,
            )

        sender = asyncio.create_task(send_later())
        # One open stream carries both messages: delivery is pushed, not polled on reconnect.
        items = await asyncio.wait_for(_collect(http, url, auth, 2), 30)
        await sender
        assert [i["author"] for i in items] == ["customer", "bot"]


async def test_the_stream_refuses_a_wrong_token(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        started = (await http.post("/api/v1/conversations", json={})).json()
        response = await http.get(
            f"/api/v1/conversations/{started['id']}/stream",
            headers={"Authorization": "Bearer not-the-token"},
        )
        assert response.status_code == 404


def test_pages_are_served_with_a_strict_content_security_policy(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/chat")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
