"""Over HTTP: a provider posts inbound mail, agents download files and see deliveries."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.app import create_app
from tandem.channels.email import service as email_service
from tandem.config import Settings
from tandem.conversations import service as conversation_service
from tandem.core.deps import get_session
from tests.channels.email.mails import SUPPORT, customer_mail
from tests.channels.helpers import log_in_agent, start_chat
from tests.conftest import Database, settings_for

SECRET = "inbound-secret-" + "x" * 32


@pytest.fixture
def settings(database: Database) -> Settings:
    return settings_for(
        database.url,
        email_address=SUPPORT,
        email_inbound_secret=SECRET,
        smtp_url="smtp://127.0.0.1:1",  # never reached: the worker does not run in these tests
        sweep_interval_seconds=0,
    )


def _bearer(secret: str = SECRET) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def _post_mail(client: httpx.AsyncClient, raw: bytes) -> httpx.Response:
    return await client.post(
        "/api/v1/email/inbound",
        content=raw,
        headers={**_bearer(), "Content-Type": "message/rfc822"},
    )


async def test_a_posted_mail_becomes_a_conversation_and_again_is_a_duplicate(
    client: httpx.AsyncClient,
) -> None:
    raw = bytes(customer_mail("Do you deliver to Norway?"))
    first = await _post_mail(client, raw)
    assert first.status_code == 202, first.text
    assert first.json()["conversation_id"]
    assert first.json()["duplicate"] is False
    again = await _post_mail(client, raw)
    assert again.status_code == 202
    assert again.json() == {**first.json(), "duplicate": True}


async def test_a_form_post_with_the_raw_message_is_taken(client: httpx.AsyncClient) -> None:
    raw = bytes(customer_mail("Can I return a lamp?"))
    basic = base64.b64encode(f"api:{SECRET}".encode()).decode()
    response = await client.post(
        "/api/v1/email/inbound",
        files={"body-mime": ("message.eml", raw, "message/rfc822")},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 202, response.text
    assert response.json()["conversation_id"]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-credentials"),
        pytest.param(_bearer("wrong"), id="wrong-secret"),
        pytest.param({"Authorization": "Basic !!!"}, id="garbled-basic"),
    ],
)
async def test_a_post_without_the_secret_is_refused(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await client.post(
        "/api/v1/email/inbound", content=bytes(customer_mail("hi")), headers=headers
    )
    assert response.status_code == 403
    assert "TANDEM_EMAIL_INBOUND_SECRET" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"just some words, no headers", "sender", id="not-a-mail"),
    ],
)
async def test_a_post_that_is_not_a_mail_is_refused_clearly(
    client: httpx.AsyncClient, body: bytes, message: str
) -> None:
    response = await _post_mail(client, body)
    assert response.status_code == 422
    assert message in response.json()["error"]["message"]


async def test_an_agent_downloads_a_file_the_customer_sent(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    raw = bytes(
        customer_mail(
            "I want a person. The broken lamp:",
            files=[("<script>lamp\u00e9.html", "text/html", b"<script>alert(1)</script>")],
        )
    )
    conversation_id = (await _post_mail(client, raw)).json()["conversation_id"]
    agent = await log_in_agent(client, session)
    timeline = (await client.get(f"/api/v1/agent/conversations/{conversation_id}")).json()
    [message] = [i for i in timeline["timeline"]["items"] if i.get("attachments")]
    [listed] = message["attachments"]
    assert listed["filename"] == "<script>lamp\u00e9.html"
    url = f"/api/v1/agent/conversations/{conversation_id}/attachments/{listed['id']}"
    download = await client.get(url)
    assert download.status_code == 200
    assert download.content == b"<script>alert(1)</script>"
    assert download.headers["content-type"] == "application/octet-stream"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="_script_lamp_.html"')
    assert "filename*=UTF-8''%3Cscript%3Elamp%C3%A9.html" in disposition
    assert "sandbox" in download.headers["content-security-policy"]
    other = await start_chat(client)
    elsewhere = f"/api/v1/agent/conversations/{other.id}/attachments/{listed['id']}"
    assert (await client.get(elsewhere)).status_code == 404
    mails = (await client.get(f"/api/v1/agent/conversations/{conversation_id}/mail")).json()
    assert [(m["direction"], m["status"]) for m in mails] == [
        ("inbound", "received"),
        ("outbound", "pending"),
    ]
    assert agent.user.id


async def test_customers_cannot_download_files(client: httpx.AsyncClient) -> None:
    raw = bytes(customer_mail("file", files=[("a.txt", "text/plain", b"a")]))
    conversation_id = (await _post_mail(client, raw)).json()["conversation_id"]
    response = await client.get(f"/api/v1/agent/conversations/{conversation_id}/attachments/1")
    assert response.status_code in (401, 403)


async def test_a_chat_customer_who_leaves_an_address_gets_the_agents_reply_by_mail(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    chat = await start_chat(client)
    await chat.say("I need to talk to a person")
    response = await client.post(
        f"/api/v1/conversations/{chat.id}/follow-up",
        json={"email": "grace@example.com"},
        headers=chat.headers,
    )
    assert response.status_code == 200, response.text
    agent = await log_in_agent(client, session)
    reply = await agent.post(
        f"/conversations/{chat.id}/messages",
        json={"text": "Hello Grace, I can help.", "client_msg_id": "r1"},
    )
    assert reply.status_code == 201, reply.text
    mail = settings_mail(client)
    assert await email_service.queue_all(session, mail=mail) == 1
    conversation = await conversation_service.get_conversation(session, chat.id)
    [outgoing] = await email_service.conversation_mails(session, conversation)
    assert outgoing.recipient == "grace@example.com"
    assert outgoing.raw is not None
    assert b"Hello Grace, I can help." in outgoing.raw
    assert b"talk to a person" not in outgoing.raw  # what was said in the chat is not re-sent


def settings_mail(client: httpx.AsyncClient) -> email_service.MailConfig:
    return email_service.MailConfig(address=SUPPORT, company="Pebble & Pine", base_url="x")


async def test_the_webhook_is_off_without_a_secret(
    database: Database, session: AsyncSession
) -> None:
    application = create_app(settings_for(database.url, sweep_interval_seconds=0))

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session

    application.dependency_overrides[get_session] = test_session
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.post("/api/v1/email/inbound", content=b"x", headers=_bearer())
    await application.state.engine.dispose()
    assert response.status_code == 404
    assert "TANDEM_EMAIL_INBOUND_SECRET" in response.json()["error"]["message"]
