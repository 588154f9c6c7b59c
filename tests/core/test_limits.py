"""Rate limits: shared between workers through Redis, per process without it, never lifted."""

from __future__ import annotations

import os
import socket
import uuid

import pytest
import redis

from tandem.core.errors import TooManyRequestsError
from tandem.core.limits import Limiter, limits_prefix
from tests.conftest import IN_CI

REDIS_URL = os.environ.get("TANDEM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError as error:
        if IN_CI:
            pytest.fail(f"Redis at {REDIS_URL} is not reachable: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {error}")
    return REDIS_URL


def _hit(limiter: Limiter, key: str) -> None:
    limiter.hit(scope="login-address", key=key, per_minute=3, message="Too many attempts.")


def test_two_workers_sharing_redis_share_one_limit(redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4()}"
    first, second = Limiter(redis_url, key_prefix=prefix), Limiter(redis_url, key_prefix=prefix)
    assert first.shared
    _hit(first, "10.0.0.1")
    _hit(second, "10.0.0.1")
    _hit(first, "10.0.0.1")
    with pytest.raises(TooManyRequestsError) as refused:
        _hit(second, "10.0.0.1")
    assert 1 <= refused.value.retry_after_seconds <= 61
    _hit(second, "10.0.0.2")  # another key has its own count


def test_without_redis_each_process_counts_alone() -> None:
    first, second = Limiter(), Limiter()
    assert not first.shared
    for _ in range(3):
        _hit(first, "10.0.0.1")
    _hit(second, "10.0.0.1")
    with pytest.raises(TooManyRequestsError):
        _hit(first, "10.0.0.1")


def test_when_redis_is_unreachable_the_limit_still_holds_in_the_process(
    caplog: pytest.LogCaptureFixture,
) -> None:
    limiter = Limiter("redis://127.0.0.1:1/0", key_prefix=f"test-{uuid.uuid4()}")
    for _ in range(3):
        _hit(limiter, "10.0.0.1")
    with pytest.raises(TooManyRequestsError):
        _hit(limiter, "10.0.0.1")
    assert "Redis failed" in caplog.text


def test_workers_of_one_deployment_share_a_prefix_and_other_deployments_do_not() -> None:
    shop = limits_prefix("postgresql+asyncpg://tandem@db/shop")
    assert shop == limits_prefix("postgresql+asyncpg://tandem@db/shop")
    assert shop != limits_prefix("postgresql+asyncpg://tandem@db/other")


def test_a_redis_that_never_answers_does_not_hold_the_request() -> None:
    # A server that accepts connections and then says nothing (a hung Redis, a black hole):
    # without a socket timeout the hit would wait forever on the event loop.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        limiter = Limiter(f"redis://127.0.0.1:{port}/0", key_prefix=f"t-{uuid.uuid4().hex}")
        limiter.hit(scope="login", key="k", per_minute=1, message="slow down")
        with pytest.raises(TooManyRequestsError):  # counted in this process instead
            limiter.hit(scope="login", key="k", per_minute=1, message="slow down")
