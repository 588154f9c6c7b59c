"""Two-factor login: set up with an authenticator app, then every login needs a fresh code."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pyotp
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.auth import two_factor
from tandem.auth.models import Role, User
from tandem.config import Settings
from tandem.core.errors import InvalidInputError
from tandem.core.time import utc_now
from tests.conftest import app_sharing, settings_for
from tests.factories import PASSWORD, create_agent


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def _code(secret: str, *, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(utc_now() + timedelta(seconds=30 * steps_ahead))


async def _console_login(client: httpx.AsyncClient, user: User) -> httpx.Response:
    return await client.post(
        "/console/login", data={"email": user.email, "password": PASSWORD, "next": "/console"}
    )


async def _turn_on(client: httpx.AsyncClient, user: User) -> tuple[str, list[str]]:
    """Log in with the password alone and set two-factor up; return the secret and codes."""
    assert (await _console_login(client, user)).status_code == 303
    page = await client.get("/console/two-factor")
    assert "is <strong>off</strong>" in page.text
    started = await client.post("/console/two-factor/start", data={"csrf_token": _csrf(page)})
    assert started.status_code == 303
    page = await client.get("/console/two-factor")
    secret = re.search(r'id="two-factor-secret">([A-Z2-7]+)<', page.text)
    assert secret, page.text
    assert "<svg" in page.text  # the QR code the app scans
    done = await client.post(
        "/console/two-factor/confirm",
        data={"csrf_token": _csrf(page), "code": _code(secret.group(1))},
    )
    assert done.status_code == 200, done.text
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.text)
    return secret.group(1), codes


async def test_setting_up_needs_a_matching_code_and_gives_ten_recovery_codes(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_agent(session)
    await _console_login(client, user)
    page = await client.get("/console/two-factor")
    await client.post("/console/two-factor/start", data={"csrf_token": _csrf(page)})
    page = await client.get("/console/two-factor")
    wrong = await client.post(
        "/console/two-factor/confirm", data={"csrf_token": _csrf(page), "code": "000000"}
    )
    assert wrong.status_code == 422
    assert "does not match" in wrong.text
    assert user.totp_secret is None
    secret = re.search(r'id="two-factor-secret">([A-Z2-7]+)<', page.text)
    assert secret
    done = await client.post(
        "/console/two-factor/confirm",
        data={"csrf_token": _csrf(page), "code": _code(secret.group(1))},
    )
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.text)
    assert len(set(codes)) == 10
    assert user.totp_secret == secret.group(1)
    assert all(code not in str(user.recovery_code_hashes) for code in codes)  # hashes only


async def test_a_login_with_two_factor_reaches_the_console_only_after_the_code(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_agent(session)
    secret, _codes = await _turn_on(client, user)

    login = await _console_login(other_client, user)
    assert login.status_code == 303
    assert login.headers["location"].startswith("/console/two-factor/code")
    assert (await other_client.get("/console/queue")).status_code == 401  # half logged in
    page = await other_client.get(login.headers["location"])
    assert "authenticator app" in page.text
    wrong = await other_client.post(
        "/console/two-factor/code",
        data={"csrf_token": _csrf(page), "code": "123456", "next": "/console"},
    )
    assert wrong.status_code == 401
    assert "Wrong or already used code" in wrong.text
    code = _code(secret, steps_ahead=1)
    right = await other_client.post(
        "/console/two-factor/code",
        data={"csrf_token": _csrf(page), "code": code, "next": "/console"},
    )
    assert right.status_code == 303
    assert right.headers["location"] == "/console"
    assert (await other_client.get("/console/queue")).status_code == 200


async def test_a_code_works_once(client: httpx.AsyncClient, session: AsyncSession) -> None:
    user = await create_agent(session)
    secret, _codes = await _turn_on(client, user)
    code = _code(secret, steps_ahead=1)
    first = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD, "code": code}
    )
    assert first.status_code == 200, first.text
    again = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD, "code": code}
    )
    assert again.status_code == 401


async def test_a_recovery_code_logs_in_once(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_agent(session)
    _secret, codes = await _turn_on(client, user)
    body = {"email": user.email, "password": PASSWORD, "code": codes[3].upper()}
    assert (await client.post("/api/v1/auth/login", json=body)).status_code == 200
    assert len(user.recovery_code_hashes) == 9
    assert (await client.post("/api/v1/auth/login", json=body)).status_code == 401


async def test_the_api_asks_for_the_code_by_name(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_agent(session)
    await _turn_on(client, user)
    missing = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert missing.status_code == 401
    assert "`code`" in missing.json()["error"]["message"]


async def test_turning_it_off_needs_a_code(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_agent(session)
    secret, _codes = await _turn_on(client, user)
    page = await client.get("/console/two-factor")
    assert "is <strong>on</strong>" in page.text
    refused = await client.post(
        "/console/two-factor/disable", data={"csrf_token": _csrf(page), "code": "nope"}
    )
    assert refused.status_code == 422
    assert user.totp_secret is not None
    off = await client.post(
        "/console/two-factor/disable",
        data={"csrf_token": _csrf(page), "code": _code(secret, steps_ahead=1)},
    )
    assert off.status_code == 303
    assert user.totp_secret is None
    assert user.recovery_code_hashes == []


@pytest.fixture
async def strict_app(session: AsyncSession, settings: Settings) -> AsyncIterator[FastAPI]:
    """The application where admins and supervisors must use two-factor login."""
    strict = settings_for(settings.database_url, two_factor_roles="admin, supervisor")
    async with app_sharing(session, strict) as application:
        yield application


async def test_a_role_that_requires_it_sets_it_up_before_the_console(
    strict_app: FastAPI, session: AsyncSession
) -> None:
    admin = await create_agent(session, role=Role.ADMIN)
    transport = httpx.ASGITransport(app=strict_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser:
        api = await browser.post(
            "/api/v1/auth/login", json={"email": admin.email, "password": PASSWORD}
        )
        assert api.status_code == 403
        assert "/console/login" in api.json()["error"]["message"]
        login = await _console_login(browser, admin)
        assert login.headers["location"] == "/console/two-factor"
        assert (await browser.get("/console/queue")).status_code == 401
        page = await browser.get("/console/two-factor")
        assert "Your role requires two-factor login" in page.text
        await browser.post("/console/two-factor/start", data={"csrf_token": _csrf(page)})
        page = await browser.get("/console/two-factor")
        secret = re.search(r'id="two-factor-secret">([A-Z2-7]+)<', page.text)
        assert secret
        done = await browser.post(
            "/console/two-factor/confirm",
            data={"csrf_token": _csrf(page), "code": _code(secret.group(1))},
        )
        assert "Recovery codes" in done.text
        assert (await browser.get("/console/queue")).status_code == 200  # logged in now
        page = await browser.get("/console/two-factor")
        refused = await browser.post(
            "/console/two-factor/disable",
            data={"csrf_token": _csrf(page), "code": _code(secret.group(1), steps_ahead=1)},
        )
        assert "stays on" in refused.text
        assert admin.totp_secret is not None


async def test_an_admin_reset_turns_it_off_and_ends_sessions(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_agent(session)
    await _turn_on(client, user)
    assert (await client.get("/console/queue")).status_code == 200
    await auth_service.reset_two_factor(session, email=user.email)
    assert user.totp_secret is None
    assert (await client.get("/console/queue")).status_code == 401


def test_required_roles_are_read_from_the_setting() -> None:
    assert two_factor.required_roles(" Admin,supervisor ,") == {Role.ADMIN, Role.SUPERVISOR}
    assert two_factor.required_roles("") == frozenset()
    with pytest.raises(InvalidInputError, match="not a role"):
        two_factor.required_roles("admins")
