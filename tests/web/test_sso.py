"""Single sign-on: staff log in through a real OpenID Connect provider (oidc-provider on Node)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tandem.config import Settings
from tests.conftest import IN_CI, app_sharing, settings_for
from tests.factories import create_agent
from tests.oidc_provider import CLIENT_ID, OidcProvider, available

PUBLIC = "http://testserver"
SECRET = "sso-test-client-secret"  # the test provider's client


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcProvider]:
    missing = available()
    if missing is not None:
        if IN_CI:
            pytest.fail(missing)
        pytest.skip(missing)
    with OidcProvider(redirect_uri=f"{PUBLIC}/console/sso/callback", client_secret=SECRET) as p:
        yield p


def _sso_settings(settings: Settings, provider: OidcProvider, **more: object) -> Settings:
    return settings_for(
        settings.database_url,
        public_url=PUBLIC,
        oidc_issuer=provider.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=SECRET,
        oidc_label="Acme SSO",
        **more,
    )


@pytest.fixture
async def browser(
    session: AsyncSession, settings: Settings, provider: OidcProvider
) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        app_sharing(session, _sso_settings(settings, provider)) as app,
        _client(app) as client,
    ):
        yield client


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC)


async def _single_sign_on(
    browser: httpx.AsyncClient, provider: OidcProvider, login: str, *, next_: str = "/console"
) -> httpx.Response:
    away = await browser.get("/console/sso", params={"next": next_})
    assert away.status_code == 303, away.text
    assert away.headers["location"].startswith(f"{provider.issuer}/auth?")
    back = provider.log_in(away.headers["location"], login)
    parts = urlsplit(back)
    return await browser.get(f"{parts.path}?{parts.query}")


async def test_the_login_page_offers_the_provider(browser: httpx.AsyncClient) -> None:
    page = await browser.get("/console/login")
    assert "Log in with Acme SSO" in page.text


async def test_a_staff_member_logs_in_through_the_provider(
    browser: httpx.AsyncClient, session: AsyncSession, provider: OidcProvider
) -> None:
    agent = await create_agent(session)
    arrived = await _single_sign_on(browser, provider, agent.email.upper(), next_="/console/queue")
    assert arrived.status_code == 303, arrived.text
    assert arrived.headers["location"] == "/console/queue"
    me = await browser.get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json()["email"] == agent.email


async def test_an_unknown_or_unverified_address_is_refused(
    browser: httpx.AsyncClient, session: AsyncSession, provider: OidcProvider
) -> None:
    unknown = await _single_sign_on(browser, provider, "stranger@elsewhere.example")
    assert unknown.status_code == 401
    assert "No active Tandem account uses stranger@elsewhere.example" in unknown.text
    await create_agent(session, email="unverified.ana@example.com")
    unverified = await _single_sign_on(browser, provider, "unverified.ana@example.com")
    assert unverified.status_code == 401
    assert "has not verified" in unverified.text
    assert (await browser.get("/api/v1/auth/me")).status_code == 401


async def test_a_forged_or_replayed_callback_is_refused(
    browser: httpx.AsyncClient, session: AsyncSession, provider: OidcProvider
) -> None:
    agent = await create_agent(session)
    away = await browser.get("/console/sso")
    back = urlsplit(provider.log_in(away.headers["location"], agent.email))
    query = parse_qs(back.query)
    wrong_state = await browser.get(
        "/console/sso/callback", params={"code": query["code"][0], "state": "guessed"}
    )
    assert wrong_state.status_code == 401
    assert "start again" in wrong_state.text
    # The failed attempt ended the flow: the real answer cannot be used afterwards either.
    replay = await browser.get(f"{back.path}?{back.query}")
    assert replay.status_code == 401
    assert (await browser.get("/api/v1/auth/me")).status_code == 401


async def test_a_provider_error_is_shown(browser: httpx.AsyncClient) -> None:
    await browser.get("/console/sso")
    page = await browser.get(
        "/console/sso/callback", params={"error": "access_denied", "error_description": "nope"}
    )
    assert page.status_code == 401
    assert "did not log you in (nope)" in page.text


async def test_two_factor_still_applies_after_single_sign_on(
    session: AsyncSession, settings: Settings, provider: OidcProvider
) -> None:
    admin = await create_agent(session, role=Role.ADMIN)
    strict = _sso_settings(settings, provider, two_factor_roles="admin")
    async with app_sharing(session, strict) as app, _client(app) as browser:
        arrived = await _single_sign_on(browser, provider, admin.email)
        assert arrived.headers["location"] == "/console/two-factor"
        assert (await browser.get("/console/queue")).status_code == 401


async def test_without_settings_there_is_no_single_sign_on(client: httpx.AsyncClient) -> None:
    assert (await client.get("/console/sso")).status_code == 404
    assert "Log in with" not in (await client.get("/console/login")).text
