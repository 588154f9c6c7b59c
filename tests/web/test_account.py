"""Staff passwords: changed with the current one, or reset by a link mailed to the user."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import unquote

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import passwords
from tandem.config import Settings
from tandem.core.time import utc_now
from tests.channels.helpers import log_in_agent
from tests.conftest import app_sharing, settings_for
from tests.factories import PASSWORD, create_agent
from tests.mailservers import SmtpRelay

HTML = {"Accept": "text/html"}
NEW_PASSWORD = "violet-harbour-lantern-92"


async def test_changing_the_password_keeps_this_browser_and_ends_the_others(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    await other_client.post(
        "/api/v1/auth/login", json={"email": agent.user.email, "password": PASSWORD}
    )
    wrong = await client.post(
        "/console/account/password",
        data={"csrf_token": agent.csrf, "current": "not it", "new": NEW_PASSWORD},
        headers=HTML,
    )
    assert wrong.status_code == 422
    assert "current password is not right" in wrong.text
    weak = await client.post(
        "/console/account/password",
        data={"csrf_token": agent.csrf, "current": PASSWORD, "new": "password1"},
        headers=HTML,
    )
    assert weak.status_code == 422
    changed = await client.post(
        "/console/account/password",
        data={"csrf_token": agent.csrf, "current": PASSWORD, "new": NEW_PASSWORD},
        headers=HTML,
    )
    assert changed.status_code == 200
    assert "Password changed" in changed.text
    assert (await client.get("/api/v1/auth/me")).status_code == 200
    assert (await other_client.get("/api/v1/auth/me")).status_code == 401
    old = await other_client.post(
        "/api/v1/auth/login", json={"email": agent.user.email, "password": PASSWORD}
    )
    assert old.status_code == 401


@pytest.fixture
async def mailing_app(
    session: AsyncSession, settings: Settings, smtp_relay: SmtpRelay
) -> AsyncIterator[FastAPI]:
    mailing = settings_for(
        settings.database_url,
        smtp_url=f"smtp://127.0.0.1:{smtp_relay.port}",
        email_address="support@shop.example",
        public_url="https://support.shop.example",
    )
    async with app_sharing(session, mailing) as application:
        yield application


async def test_a_forgotten_password_is_reset_through_a_link_that_works_once(
    mailing_app: FastAPI, session: AsyncSession, smtp_relay: SmtpRelay
) -> None:
    user = await create_agent(session)
    transport = httpx.ASGITransport(app=mailing_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as browser:
        unknown = await browser.post(
            "/console/password/forgot", data={"email": "x@nowhere.example"}
        )
        sent = await browser.post("/console/password/forgot", data={"email": user.email})
        assert unknown.text == sent.text  # the answer says nothing about who has an account
        [mail] = smtp_relay.received
        assert mail.rcpt_tos == (user.email,)
        body = mail.message.get_content()
        link = re.search(
            r"https://support\.shop\.example(/console/password/reset\?token=\S+)", body
        )
        assert link, body
        page = await browser.get(link.group(1))
        assert "Choose a new password" in page.text
        token = unquote(link.group(1).split("token=")[1])
        weak = await browser.post(
            "/console/password/reset", data={"token": token, "password": "qwerty123"}
        )
        assert weak.status_code == 422
        assert 'name="password"' in weak.text  # the link still works
        done = await browser.post(
            "/console/password/reset", data={"token": token, "password": NEW_PASSWORD}
        )
        assert done.status_code == 303
        login = await browser.post(
            "/api/v1/auth/login", json={"email": user.email, "password": NEW_PASSWORD}
        )
        assert login.status_code == 200
        again = await browser.post(
            "/console/password/reset", data={"token": token, "password": "another-long-phrase-7"}
        )
        assert again.status_code == 422
        assert "not valid" in again.text


async def test_a_tampered_or_expired_link_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    user = await create_agent(session)
    token = passwords.reset_token(user, secret_key=settings.secret_key)
    forged = passwords.reset_token(user, secret_key="another-secret-key-of-some-length")
    for bad in (forged, token[:-3], "", "not-base64-!!"):
        page = await client.get("/console/password/reset", params={"token": bad})
        assert page.status_code == 422
        assert "not valid" in page.text
    old = passwords.reset_token(
        user, secret_key=settings.secret_key, now=utc_now() - timedelta(hours=1)
    )
    assert (await client.get("/console/password/reset", params={"token": old})).status_code == 422
    ok = await client.get("/console/password/reset", params={"token": token})
    assert ok.status_code == 200


async def test_without_mail_the_page_says_who_can_reset_it(client: httpx.AsyncClient) -> None:
    page = await client.post("/console/password/forgot", data={"email": "a@b.example"})
    assert page.status_code == 503
    assert "tandem user set-password" in page.text
