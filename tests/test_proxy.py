"""Behind a TLS proxy: the client address comes from X-Forwarded-For, from the proxy only."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tandem.config import Settings
from tests.conftest import in_fresh_thread, make_database
from tests.live import _seed, free_port, tandem_serve

PER_ADDRESS = 2  # conversations per client address per minute


def _serve(tmp_path: Path, **env: str) -> Iterator[str]:
    database, _ = in_fresh_thread(lambda: make_database("sqlite", tmp_path))
    in_fresh_thread(lambda: asyncio.run(_seed(Settings(database_url=database.url), None)))
    port = free_port()
    environment = {
        **os.environ,
        "TANDEM_ENVIRONMENT": "test",
        "TANDEM_DATABASE_URL": database.url,
        "TANDEM_CONVERSATIONS_PER_IP": str(PER_ADDRESS),
        **env,
    }
    environment.pop("TANDEM_REDIS_URL", None)  # in-process events: one process
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    with tandem_serve(["--port", str(port)], environment, log) as server:
        deadline = time.monotonic() + 180  # the server loads its models first
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(log.read_text())
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        yield url


@pytest.fixture
def behind_proxy(tmp_path: Path) -> Iterator[str]:
    yield from _serve(tmp_path, TANDEM_FORWARDED_ALLOW_IPS="127.0.0.1")


@pytest.fixture
def not_behind_proxy(tmp_path: Path) -> Iterator[str]:
    yield from _serve(tmp_path)


def _start(url: str, client: str) -> int:
    response = httpx.post(
        f"{url}/api/v1/conversations", json={}, headers={"X-Forwarded-For": client}, timeout=30
    )
    return response.status_code


def test_limits_count_each_customer_behind_the_trusted_proxy(behind_proxy: str) -> None:
    assert [_start(behind_proxy, "203.0.113.7") for _ in range(PER_ADDRESS + 1)] == [
        *[201] * PER_ADDRESS,
        429,
    ]
    assert _start(behind_proxy, "198.51.100.4") == 201  # another customer is not limited


def test_without_a_trusted_proxy_the_header_is_ignored(not_behind_proxy: str) -> None:
    for client in ("203.0.113.7", "198.51.100.4"):  # forged: both are this test's address
        _start(not_behind_proxy, client)
    assert _start(not_behind_proxy, "192.0.2.55") == 429
