"""Several server processes: they share events through Redis, and refuse to run without it."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as redis_asyncio
from pydantic import ValidationError
from typer.testing import CliRunner

from tandem.cli import app
from tandem.config import Settings, get_settings
from tandem.core.logs import JsonFormatter
from tests.channels.test_streams import _items
from tests.conftest import drop_pg_database, in_fresh_thread, make_database
from tests.live import _seed, free_port, tandem_serve

REDIS_URL = os.environ.get("TANDEM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WORKERS = 2


def test_more_than_one_worker_needs_redis() -> None:
    with pytest.raises(ValidationError, match="TANDEM_WORKERS=2 needs TANDEM_REDIS_URL"):
        Settings(workers=2)
    assert Settings(workers=2, redis_url=REDIS_URL).workers == 2


def test_serve_says_what_to_set_before_starting_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TANDEM_REDIS_URL", raising=False)
    monkeypatch.setenv("TANDEM_WORKERS", "1")  # restored after the test; serve sets it to 3
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--workers", "3"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "TANDEM_WORKERS=3 needs TANDEM_REDIS_URL" in result.output


def test_json_logs_are_one_object_per_record() -> None:
    try:
        raise RuntimeError("backend down")
    except RuntimeError:
        record = logging.LogRecord(
            "tandem.bot",
            logging.ERROR,
            __file__,
            1,
            "action %s failed",
            ("cancel",),
            sys.exc_info(),
        )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "tandem.bot"
    assert entry["message"] == "action cancel failed"
    assert "RuntimeError: backend down" in entry["exception"]
    assert entry["time"].endswith("+00:00")


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[str]:
    """``tandem serve --workers 2`` on PostgreSQL and Redis, in its own process group."""
    database, pg_name = in_fresh_thread(lambda: make_database("postgresql", tmp_path))
    port = free_port()
    env = {
        **os.environ,
        "TANDEM_ENVIRONMENT": "test",
        "TANDEM_DATABASE_URL": database.url,
        "TANDEM_REDIS_URL": REDIS_URL,
        "TANDEM_COMPANY_NAME": "Pebble & Pine",
        "TANDEM_LOG_FORMAT": "json",
    }
    in_fresh_thread(lambda: asyncio.run(_seed(Settings(database_url=database.url), None)))
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    try:
        with tandem_serve(["--workers", str(WORKERS), "--port", str(port)], env, log) as server:
            _wait_ready(url, server, log)
            yield url
    finally:
        if pg_name:
            drop_pg_database(pg_name)


def _wait_ready(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180  # each worker loads the encoder before it is ready
    ready = 0
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text()}")
        try:
            ready = ready + 1 if httpx.get(f"{url}/readyz", timeout=5).status_code == 200 else 0
        except httpx.HTTPError:
            ready = 0
        if ready >= 2 * WORKERS:  # several answers in a row: more than one worker is up
            return
        time.sleep(0.5)
    raise RuntimeError(f"the workers did not become ready:\n{log.read_text()}")


async def test_a_message_posted_to_any_worker_reaches_the_stream(workers: str) -> None:
    questions = [
        "how long do refunds take?",
        "do you ship to norway?",
        "how much is postage?",
        "can i pay with paypal?",
        "how do i track my parcel?",
        "do you have a student discount?",
    ]
    async with httpx.AsyncClient(base_url=workers, timeout=30) as http:
        started = (await http.post("/api/v1/conversations", json={})).json()
    auth = {"Authorization": f"Bearer {started['token']}"}
    path = f"/api/v1/conversations/{started['id']}"
    received: list[dict[str, Any]] = []
    arrived = asyncio.Event()

    async def listen() -> None:
        async with (
            httpx.AsyncClient(base_url=workers, timeout=60) as http,
            http.stream("GET", f"{path}/stream", headers=auth) as response,
        ):
            async for item in _items(response):
                received.append(item)
                arrived.set()

    async def until_seen(seq: int) -> None:
        while not (received and received[-1]["seq"] >= seq):
            arrived.clear()
            await arrived.wait()

    wake_ups = redis_asyncio.Redis.from_url(REDIS_URL).pubsub()
    await wake_ups.psubscribe(f"tandem:wake:*{started['id']}*")
    listener = asyncio.create_task(listen())
    for number, question in enumerate(questions):
        # A new connection each time: the kernel hands it to whichever worker accepts first.
        async with httpx.AsyncClient(base_url=workers, timeout=30) as http:
            response = await http.post(
                f"{path}/messages",
                json={"text": question, "client_msg_id": f"w{number}"},
                headers=auth,
            )
            assert response.status_code == 201, response.text
    async with httpx.AsyncClient(base_url=workers, timeout=30) as http:
        timeline = (await http.get(f"{path}/events", headers=auth)).json()["items"]
    try:
        await asyncio.wait_for(until_seen(timeline[-1]["seq"]), 60)
    except TimeoutError:
        raise AssertionError(f"the stream got only {received}") from None
    finally:
        listener.cancel()
    # Each post woke the other workers' listeners through Redis, not a later database poll.
    published = []
    while (message := await wake_ups.get_message(timeout=1)) is not None:
        if message["type"] == "pmessage":
            published.append(message["channel"])
    await wake_ups.aclose()  # type: ignore[no-untyped-call]
    assert len(published) >= len(questions)
    texts = [item["text"] for item in received if item.get("author") == "customer"]
    assert texts == questions
    assert [item["seq"] for item in received] == [item["seq"] for item in timeline]
