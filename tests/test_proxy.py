"""Behind a TLS proxy: the client address comes from X-Forwarded-For, from the proxy only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live import served_on_sqlite

PER_ADDRESS = 2  # conversations per client address per minute


def _serve(tmp_path: Path, **env: str) -> Iterator[str]:
    limits = {"TANDEM_CONVERSATIONS_PER_IP": str(PER_ADDRESS), **env}
    with served_on_sqlite(tmp_path, limits) as (url, _):
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
