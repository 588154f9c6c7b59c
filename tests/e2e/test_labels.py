"""An agent labels conversations and works the queue by label; the customer never sees one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import hand_off, log_in, new_page, screenshot
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ANA, BEN = DEMO_USERS[0], DEMO_USERS[1]


def add_label(page: Page, label: str) -> None:
    panel = page.get_by_test_id("labels")
    panel.get_by_label("Add a label").fill(label)
    panel.get_by_role("button", name="Add label").click()


def test_an_agent_labels_a_conversation_and_filters_the_queue_by_the_label(
    browser: Browser, live: LiveServer
) -> None:
    shelf = hand_off(browser, live, "I need a person about the walnut shelf delivery")
    hand_off(browser, live, "I need a person about my cracked lamp")

    ana = new_page(browser, "ana")
    log_in(ana, live, ANA)
    ana.locator("table.queue tbody tr", has_text="walnut shelf").get_by_role("link").click()
    labels = ana.get_by_test_id("labels")
    chips = labels.locator(".label-name")
    expect(labels).to_contain_text("No labels yet")
    add_label(ana, "Needs callback")
    expect(chips).to_have_text(["needs-callback"])
    add_label(ana, "Damaged")
    expect(chips).to_have_text(["damaged", "needs-callback"])
    labels.get_by_role("button", name="Remove label damaged").click()
    expect(chips).to_have_text(["needs-callback"])
    screenshot(ana, "conversation-labels")
    add_label(ana, "refund?")  # not a label: says why, and nothing changes
    expect(ana.locator("#flash")).to_contain_text("remove ?")
    expect(chips).to_have_text(["needs-callback"])

    ana.goto(f"{live.url}/console")
    rows = ana.locator("table.queue tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="walnut shelf")).to_contain_text("needs-callback")
    ana.get_by_label("Only conversations labelled").fill("needs-callback")
    ana.get_by_role("button", name="Filter").click()
    expect(ana).to_have_url(re.compile(r"/console\?label=needs-callback$"))
    expect(ana.get_by_test_id("queue-filter")).to_contain_text("needs-callback")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("walnut shelf")

    # The live queue keeps the filter: a newcomer without the label stays out of it, and the
    # lamp joins it as soon as a colleague labels it.
    expect(ana.locator("#queue")).to_have_attribute("data-connection", "live")
    hand_off(browser, live, "I need a person about the garden chairs")
    ben = new_page(browser, "ben")
    log_in(ben, live, BEN)
    ben.locator("table.queue tbody tr", has_text="cracked lamp").get_by_role("link").click()
    add_label(ben, "needs callback")
    expect(ben.get_by_test_id("labels").locator(".label-name")).to_have_text(["needs-callback"])
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="cracked lamp")).to_have_count(1)
    expect(rows.filter(has_text="garden chairs")).to_have_count(0)
    screenshot(ana, "queue-filtered-by-label")

    ana.get_by_role("link", name="Show all").click()
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="garden chairs")).to_have_count(1)
    expect(shelf.locator("#transcript")).not_to_contain_text("callback")
