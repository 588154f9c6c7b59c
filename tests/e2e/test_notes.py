"""Two agents side by side: an internal note with @ben reaches Ben, and never the customer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import ask, log_in, new_page
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ANA, BEN = DEMO_USERS[0], DEMO_USERS[1]
NOTE = "@ben she was promised a callback about the walnut shelf"


def test_a_note_reaches_the_colleague_it_mentions_and_never_the_customer(
    browser: Browser, live: LiveServer
) -> None:
    customer = new_page(browser, "customer")
    customer.goto(f"{live.url}/chat")
    ask(customer, "I need a person about the walnut shelf delivery")
    expect(customer.locator("#chat-status")).to_contain_text("Waiting for a person")

    ana = new_page(browser, "ana")
    log_in(ana, live, ANA)
    ana.locator("table.queue tbody tr", has_text="walnut shelf").get_by_role("link").click()
    notes = ana.get_by_test_id("notes")
    expect(notes).to_contain_text("No notes yet")
    notes.get_by_label("Note for the team").fill(NOTE)
    notes.get_by_role("button", name="Add note").click()
    expect(notes.locator(".note")).to_contain_text("promised a callback")
    expect(notes.locator(".note-meta")).to_contain_text(f"for {BEN.name}")

    # A mention that names no one says so, and the note is not stored.
    notes.get_by_label("Note for the team").fill("@nobody look at this")
    notes.get_by_role("button", name="Add note").click()
    expect(ana.locator("#flash")).to_contain_text("@nobody")
    expect(notes.locator(".note")).to_have_count(1)

    ben = new_page(browser, "ben")
    log_in(ben, live, BEN)
    mentions = ben.get_by_test_id("mentions")
    expect(mentions).to_contain_text(f"{ANA.name}: {NOTE}")
    with ben.expect_response(lambda r: r.url.endswith("/notes/seen") and r.status == 204):
        mentions.get_by_role("link").first.click()
    expect(ben.get_by_test_id("notes")).to_contain_text("promised a callback")
    ben.goto(f"{live.url}/console")
    expect(ben.get_by_test_id("mentions")).to_have_count(0)

    expect(customer.locator("#transcript")).not_to_contain_text("callback")
