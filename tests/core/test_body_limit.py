"""Request bodies over the limit are refused with 413 before anything buffers them."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from tandem.core.body_limit import LimitRequestBody
from tests.channels.helpers import start_chat


async def test_an_oversized_message_is_refused_with_the_limit_named(
    client: httpx.AsyncClient,
) -> None:
    chat = await start_chat(client)
    response = await client.post(
        f"/api/v1/conversations/{chat.id}/messages",
        json={"text": "x" * (2 * 1024 * 1024), "client_msg_id": "big"},
        headers=chat.headers,
    )
    assert response.status_code == 413
    assert response.json()["error"] == {
        "code": "too_large",
        "message": "The request body is larger than 1024 KiB; send less at a time.",
    }
    assert len(await chat.messages()) == 1  # only the greeting: nothing was stored


class Recorder:
    """An application that records the body it was given."""

    def __init__(self) -> None:
        self.body = b""
        self.called = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.called = True
        more = True
        while more:
            message = await receive()
            self.body += message.get("body", b"")
            more = message.get("more_body", False)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def _post_chunks(chunks: list[bytes], *, limit: int) -> tuple[Recorder, list[Message]]:
    app = Recorder()
    incoming: list[Message] = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {"type": "http", "method": "POST", "path": "/", "headers": []}
    await LimitRequestBody(app, max_bytes=limit)(scope, receive, send)
    return app, sent


@pytest.mark.parametrize(
    ("chunks", "refused"),
    [
        ([b"a" * 600, b"b" * 600], True),  # a chunked body passes the limit on its 2nd chunk
        ([b"a" * 500, b"b" * 500], False),
    ],
)
async def test_a_chunked_body_is_counted_as_it_arrives(chunks: list[bytes], refused: bool) -> None:
    app, sent = await _post_chunks(chunks, limit=1024)
    assert sent[0]["status"] == (413 if refused else 204)
    assert app.called is not refused
    if refused:
        assert json.loads(sent[1]["body"])["error"]["code"] == "too_large"
    else:
        assert app.body == b"".join(chunks)
