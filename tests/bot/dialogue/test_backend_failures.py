"""A backend that times out or fails is told honestly and handed to a person, never retried."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.config import Settings
from tandem.demo import ACTIONS_DIR
from tandem.routing.models import Handoff
from tests.bot.servers import serve
from tests.channels.helpers import start_chat
from tests.conftest import Database, settings_for

calls: list[str] = []


def failing_backend() -> FastAPI:
    app = FastAPI()

    @app.post("/verify")
    async def verify() -> JSONResponse:
        return JSONResponse({"verified": True})

    @app.get("/orders/{number}")
    async def slow(number: str) -> JSONResponse:
        calls.append(number)
        await asyncio.sleep(1.0)
        return JSONResponse({})

    @app.get("/broken/orders/{number}")
    async def broken(number: str) -> JSONResponse:
        calls.append(number)
        return JSONResponse({"error": "database down"}, status_code=500)

    return app


@pytest.fixture(params=["timeout", "server-error"])
def failure(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def actions_dir(tmp_path: Path, failure: str) -> Path:
    """The demo's order-status action with a 0.2 s timeout, or calling a broken endpoint."""
    text = (ACTIONS_DIR / "order_status.yaml").read_text().replace("5}", "0.2}")
    if failure == "server-error":
        text = text.replace('path: "/orders/', 'path: "/broken/orders/')
    (tmp_path / "order_status.yaml").write_text(text)
    return tmp_path


@pytest.fixture
def backend_url() -> Iterator[str]:
    calls.clear()
    with serve(failing_backend()) as url:
        yield url


@pytest.fixture
def settings(database: Database, backend_url: str, actions_dir: Path) -> Settings:
    return settings_for(database.url, actions_dir=actions_dir, actions_base_url=backend_url)


async def test_a_failure_is_told_honestly_and_handed_off_after_one_attempt(
    client: httpx.AsyncClient, session: AsyncSession, failure: str
) -> None:
    chat = await start_chat(client)
    await chat.say("where is my order 1042?")
    await chat.say("sam.taylor@example.com")
    told = await chat.last_bot_or_system()
    assert "our system didn't answer properly" in told["text"]
    assert "I haven't tried again" in told["text"]
    assert (await chat.status())["status"] == "waiting"
    handoff = (
        await session.execute(select(Handoff).where(Handoff.conversation_id == chat.id))
    ).scalar_one()
    action = handoff.brief["action"]
    assert action["outcome"] == "backend_error"
    assert action["slots"] == {"order_number": "1042", "email": "sam.taylor@example.com"}
    expected = "no answer within 0.2 s" if failure == "timeout" else "unexpected status 500"
    assert expected in action["error"]
    assert calls == ["1042"]  # one attempt, no silent retry
