"""Serve a small ASGI app (a stand-in backend or LLM) on a free local port, in a thread."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request

from tests.live import free_port


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Yield the base URL of ``app`` served by uvicorn until the block ends."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@dataclass
class FakeModel:
    """What the test server answers next, and every request it received."""

    reply: str = "NOT IN PASSAGES"
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    # When set, each request is received, then held until the gate opens (a slow model).
    gate: threading.Event | None = None


def fake_server(model: FakeModel) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> dict[str, Any]:
        body = await request.json()
        model.requests.append({"body": body, "auth": request.headers.get("authorization")})
        if model.gate is not None:
            await asyncio.to_thread(model.gate.wait, 60)
        message = {"role": "assistant", "content": model.reply}
        return {"id": "test", "object": "chat.completion", "choices": [{"message": message}]}

    return app
