"""Login attempts are limited per account (and per address): the 11th in a minute gets 429."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.deps import SESSION_COOKIE
from tandem.core.errors import TooManyRequestsError
from tandem.core.limits import Limiter
from tests.factories import PASSWORD, create_agent


async def test_the_eleventh_login_attempt_in_a_minute_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_agent(session)
    for _ in range(10):
        wrong = await client.post(
            "/api/v1/auth/login", json={"email": user.email, "password": "not it"}
        )
        assert wrong.status_code == 401
    refused = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "wait a minute" in refused.json()["error"]["message"]
    other = await create_agent(session)
    allowed = await client.post(
        "/api/v1/auth/login", json={"email": other.email, "password": PASSWORD}
    )
    assert allowed.status_code == 200  # another account from the same address still logs in


async def test_the_console_form_shares_the_limit(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_agent(session)
    for _ in range(10):
        await client.post("/api/v1/auth/login", json={"email": user.email, "password": "no"})
    page = await client.post("/console/login", data={"email": user.email, "password": PASSWORD})
    assert page.status_code == 429
    assert "Retry-After" in page.headers


def test_a_limiter_refuses_over_the_limit_per_key() -> None:
    limiter = Limiter()
    for _ in range(3):
        limiter.hit(scope="s", key="a", per_minute=3, message="slow down")
    with pytest.raises(TooManyRequestsError) as refused:
        limiter.hit(scope="s", key="a", per_minute=3, message="slow down")
    assert refused.value.headers["Retry-After"].isdigit()
    limiter.hit(scope="s", key="b", per_minute=3, message="slow down")  # another key is free


async def test_a_login_posted_from_another_site_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_agent(session)
    form = {"email": user.email, "password": PASSWORD}
    forged = await client.post(
        "/console/login", data=form, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403
    assert "own login page" in forged.text
    assert SESSION_COOKIE not in forged.cookies
    fetched = await client.post(
        "/api/v1/auth/login", json=form, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert fetched.status_code == 403
    own = await client.post("/console/login", data=form, headers={"Origin": "http://testserver"})
    assert own.status_code == 303
