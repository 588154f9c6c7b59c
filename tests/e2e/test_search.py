"""An agent searches the inbox from anywhere in the console, with the keyboard or the mouse."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tandem.conversations.models import Author
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.time import utc_now
from tandem.demo.seed import DEMO_USERS
from tandem.routing import inbox
from tests.conftest import in_fresh_thread
from tests.e2e.conftest import hand_off, log_in, new_page, screenshot
from tests.factories import create_conversation, create_customer
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ANA = DEMO_USERS[0]
QUEUE_BOX = "Search conversations and customers"
SEARCH_BOX = "Words, a customer's name or e-mail, or a conversation id"


def shortcuts_ready(page: Page) -> None:
    """Wait until the page's script listens to keys (a key pressed before then is lost)."""
    expect(page.locator("html")).to_have_attribute("data-shortcuts", "ready")


def test_slash_searches_from_the_queue_and_from_a_conversation(
    browser: Browser, live: LiveServer
) -> None:
    hand_off(browser, live, "I need a person about the walnut shelf delivery").context.close()
    hand_off(browser, live, "I need a person: is the 50% discount still on?").context.close()
    ana = new_page(browser, "ana")
    log_in(ana, live, ANA)
    shortcuts_ready(ana)

    ana.keyboard.press("/")
    box = ana.get_by_label(QUEUE_BOX)
    expect(box).to_be_focused()
    expect(box).to_have_value("")  # the key typed nothing
    screenshot(ana, "queue-search-box")
    ana.keyboard.type("WALNUT")
    ana.keyboard.press("Enter")
    expect(ana).to_have_url(re.compile(r"/console/search\?q=WALNUT$"))
    expect(ana.get_by_role("heading", level=1)).to_have_text("Search")
    results = ana.locator("#search-results > li")
    expect(results).to_have_count(1)
    expect(results.locator("mark").first).to_have_text("walnut")
    expect(results).to_contain_text("Waiting for a person")
    screenshot(ana, "console-search")

    # j reaches the result as on the queue; Enter opens it.
    shortcuts_ready(ana)
    ana.keyboard.press("j")
    expect(results.get_by_role("link")).to_be_focused()
    ana.keyboard.press("Enter")
    expect(ana.get_by_role("heading", level=1)).to_contain_text("Conversation with")
    expect(ana.locator("#transcript")).to_contain_text("walnut shelf")

    # A conversation has no search box: / opens the search page, ready to type.
    shortcuts_ready(ana)
    ana.keyboard.press("/")
    expect(ana).to_have_url(f"{live.url}/console/search")
    box = ana.get_by_label(SEARCH_BOX)
    expect(box).to_be_focused()
    ana.keyboard.type("50%")
    ana.keyboard.press("Enter")
    expect(results).to_have_count(1)
    expect(results.get_by_test_id("snippet")).to_contain_text("50% discount")
    box.fill("zebra crossing")
    box.press("Enter")
    expect(ana.get_by_test_id("search-nothing")).to_contain_text("zebra")


async def _seed_teapots(database_url: str, count: int) -> None:
    engine = create_engine(database_url)
    start = utc_now() - timedelta(days=2)
    try:
        async with transaction(create_sessionmaker(engine)) as session:
            tess = await create_customer(session, name="Tess Teapot", email="tess@example.com")
            for n in range(count):
                said = (Author.CUSTOMER, f"teapot number {n} has a chipped spout")
                last_active = start + timedelta(minutes=n)
                await create_conversation(session, tess, said, last_active=last_active)
    finally:
        await engine.dispose()


def test_a_customer_found_leads_to_their_conversations_and_older_ones_come_in_place(
    browser: Browser, live: LiveServer
) -> None:
    total = inbox.PAGE + 2
    in_fresh_thread(lambda: asyncio.run(_seed_teapots(live.settings.database_url, total)))
    ana = new_page(browser, "ana")
    log_in(ana, live, ANA)
    ana.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    box = ana.get_by_label(SEARCH_BOX)
    expect(box).to_be_focused()
    box.fill("tess")
    box.press("Enter")

    customers = ana.get_by_test_id("search-customers")
    expect(customers).to_contain_text("tess@example.com")
    customers.get_by_role("link", name=f"{total} conversations").click()
    expect(ana.get_by_test_id("search-customer")).to_contain_text("Tess Teapot")
    hits = ana.locator("#search-results > li")
    expect(hits).to_have_count(inbox.PAGE)
    expect(hits.first).to_contain_text(f"teapot number {total - 1} ")

    more = ana.get_by_role("link", name="Show older results")
    more.focus()
    ana.keyboard.press("Enter")
    expect(hits).to_have_count(total)
    expect(hits.nth(inbox.PAGE).get_by_role("link")).to_be_focused()
    expect(hits.last).to_contain_text("teapot number 0 ")
    expect(ana.get_by_text("No older results.")).to_be_visible()
    expect(ana).to_have_url(re.compile(r"/console/search\?customer=\d+$"))  # added in place
