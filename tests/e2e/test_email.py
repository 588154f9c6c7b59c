"""The e-mail channel in a real browser: a mailed complaint with a photo reaches an agent, who
opens the photo and answers from the console; the answer lands in the customer's mailbox."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tandem.demo.seed import DEMO_USERS
from tests.channels.email.mails import customer_mail
from tests.dovecot import Dovecot
from tests.e2e.conftest import log_in, new_page, screenshot
from tests.factories import policy_document
from tests.live import LiveServer
from tests.mailservers import RelayedMail, SmtpRelay

pytestmark = pytest.mark.browser
ANA = DEMO_USERS[0]
SECRET = "e2e-inbound-secret-" + "y" * 32
PHOTO = b"\x89PNG\r\n\x1a\n-a-photo-of-a-cracked-vase"


@pytest.fixture
def server(tmp_path: Path, smtp_relay: SmtpRelay) -> Iterator[LiveServer]:
    live = LiveServer(
        "sqlite",
        tmp_path,
        policy=policy_document(assignment="pull"),
        settings={
            "email_address": "support@pebble.test",
            "email_inbound_secret": SECRET,
            "smtp_url": f"smtp://127.0.0.1:{smtp_relay.port}",
            "email_send_seconds": 0.5,
        },
    ).start()
    yield live
    live.stop()


def test_an_agent_answers_a_mailed_complaint_and_opens_its_photo(
    browser: Browser, server: LiveServer, dovecot: Dovecot, smtp_relay: SmtpRelay
) -> None:
    customer = f"ada-{uuid.uuid4().hex[:8]}@customer.test"
    mail = customer_mail(
        "My vase arrived cracked and I want to speak to a person about it. Photo attached.",
        sender=customer,
        to="support@pebble.test",
        subject="Cracked vase",
        files=[("vase.png", "image/png", PHOTO)],
    )
    posted = httpx.post(
        f"{server.url}/api/v1/email/inbound",
        content=bytes(mail),
        headers={"Authorization": f"Bearer {SECRET}", "Content-Type": "message/rfc822"},
    )
    assert posted.status_code == 202, posted.text

    agent = new_page(browser, "agent")
    log_in(agent, server, ANA)
    row = agent.locator("table.queue tbody tr")
    expect(row).to_have_count(1, timeout=10_000)
    row.get_by_role("link").click()
    expect(agent.locator(".channel")).to_contain_text(f"By e-mail from {customer}")
    link = agent.locator("#transcript .attachments a")
    expect(link).to_have_text(f"vase.png ({len(PHOTO)} bytes)")
    with agent.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes() == PHOTO
    screenshot(agent, "email-conversation")

    agent.get_by_role("button", name="Claim").click()
    agent.get_by_label("Reply to the customer").fill("So sorry, Ada. A new vase ships today.")
    agent.get_by_role("button", name="Send reply").click()
    expect(agent.locator("#transcript .message.from-agent")).to_contain_text("new vase ships")

    [reply] = _mails_saying(smtp_relay, "new vase ships")
    assert reply.rcpt_tos == (customer,)
    assert mail["Message-ID"] in str(reply.message["References"]).split()  # the same thread
    assert reply.message["Subject"] == "Re: Cracked vase"
    inbox = dovecot.messages(customer)
    assert any("new vase ships" in m.get_content() for m in inbox)


def _mails_saying(relay: SmtpRelay, text: str, *, timeout: float = 30.0) -> list[RelayedMail]:
    """Wait for the relay to take a mail with ``text``; return every such mail."""
    deadline = time.monotonic() + timeout
    count = 1
    while True:
        mails = relay.wait_for(count, timeout=max(deadline - time.monotonic(), 0.1))
        saying = [m for m in mails if text in m.message.get_content()]
        if saying:
            return saying
        count = len(mails) + 1
