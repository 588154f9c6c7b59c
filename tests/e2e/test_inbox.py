"""An agent works a shift from the inbox beside each conversation: their conversations, the
waiting ones and the team's, new customer messages counted live until read, a notification
while the console is hidden; a colleague's inbox is their own."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tandem.demo.seed import DEMO_USERS, DemoUser
from tests.e2e.conftest import ask, claim_from_queue, hand_off, log_in, screenshot
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ANA, BEN = DEMO_USERS[0], DEMO_USERS[1]
LAPTOP = {"width": 1280, "height": 900}
# Notifications as the page sees them, recorded; and a page the test can hide, as a browser
# does when the agent switches tabs.
FAKE_NOTIFICATIONS = """
window.notified = [];
window.Notification = class {
  static permission = "default";
  static requestPermission() {
    window.Notification.permission = "granted";
    return Promise.resolve("granted");
  }
  constructor(title, options) {
    window.notified.push({ title, body: options.body });
    document.documentElement.dataset.notified = String(window.notified.length);
  }
  close() {}
};
let hidden = false;
Object.defineProperty(document, "hidden", { get: () => hidden });
Object.defineProperty(document, "visibilityState", { get: () => (hidden ? "hidden" : "visible") });
window.hidePage = (value) => {
  hidden = value;
  document.dispatchEvent(new Event("visibilitychange"));
};
"""


def agent_page(browser: Browser, live: LiveServer, user: DemoUser) -> Page:
    context = browser.new_context(viewport=LAPTOP)
    context.add_init_script(FAKE_NOTIFICATIONS)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("pageerror", lambda error: pytest.fail(f"{user.name} page error: {error}"))
    log_in(page, live, user)
    return page


def inbox_item(page: Page, text: str) -> Locator:
    return page.get_by_test_id("inbox-list").locator("[data-conversation]", has_text=text)


def test_a_customer_writing_to_ana_marks_her_conversation_unread_live_until_she_opens_it(
    browser: Browser, live: LiveServer
) -> None:
    shelf = hand_off(browser, live, "I need a person about the walnut shelf delivery")
    hand_off(browser, live, "I need a person about my cracked lamp").context.close()
    ana = agent_page(browser, live, ANA)
    claim_from_queue(ana, live, "walnut shelf")
    claim_from_queue(ana, live, "cracked lamp")

    # Three panes on a laptop: the inbox, the transcript, the side panel.
    inbox = ana.get_by_test_id("inbox")
    transcript = ana.locator(".transcript-panel")
    side = ana.locator("aside.side")
    boxes = [pane.bounding_box() for pane in (inbox, transcript, side)]
    assert all(boxes)
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]  # type: ignore[index]
    lamp_item = inbox_item(ana, "cracked lamp")
    shelf_item = inbox_item(ana, "walnut shelf")
    expect(lamp_item.get_by_role("link")).to_have_attribute("aria-current", "page")
    expect(shelf_item.get_by_test_id("unread-count")).to_have_count(0)  # she had it open

    ben = agent_page(browser, live, BEN)
    expect(ben.get_by_test_id("inbox-empty")).to_contain_text("You hold no conversations")

    ask(shelf, "Is anyone there? It is the shelf with the drawer.")
    expect(shelf_item.get_by_test_id("unread-count")).to_have_text("1 unread")
    expect(ana.get_by_test_id("mine-unread")).to_have_text("1 unread")
    expect(ana).to_have_title(re.compile(r"^\(1\) "))
    expect(lamp_item.get_by_test_id("unread-count")).to_have_count(0)
    screenshot(ana, "inbox-unread")
    # Ben's inbox is his own: the conversation is not his, nor is its unread message.
    ben.get_by_role("link", name="All", exact=True).click()
    expect(inbox_item(ben, "walnut shelf")).to_be_visible()
    expect(ben.get_by_test_id("unread-count")).to_have_count(0)
    ben.get_by_role("link", name="Mine", exact=True).click()
    expect(inbox_item(ben, "walnut shelf")).to_have_count(0)

    shelf_item.get_by_role("link").click()
    expect(ana.locator("#transcript")).to_contain_text("the shelf with the drawer")
    expect(shelf_item.get_by_role("link")).to_have_attribute("aria-current", "page")
    expect(ana.get_by_test_id("mine-unread")).to_have_count(0)
    expect(ana).not_to_have_title(re.compile(r"^\("))
    # Read is stored: back on the lamp, the shelf stays read.
    lamp_item.get_by_role("link").click()
    expect(lamp_item.get_by_role("link")).to_have_attribute("aria-current", "page")
    expect(shelf_item).to_be_visible()
    expect(ana.get_by_test_id("unread-count")).to_have_count(0)

    # A message in the conversation she has open is read as it arrives.
    ask(shelf, "Also, the drawer is stuck.")
    expect(shelf_item.get_by_test_id("unread-count")).to_have_text("1 unread")
    shelf_item.get_by_role("link").click()
    expect(ana.locator("#transcript")).to_contain_text("the drawer is stuck")
    with ana.expect_response(lambda r: r.url.endswith("/read") and r.status == 204):
        ask(shelf, "Thank you!")
    expect(ana.locator("#transcript")).to_contain_text("Thank you!")
    lamp_item.get_by_role("link").click()
    expect(lamp_item.get_by_role("link")).to_have_attribute("aria-current", "page")
    expect(shelf_item).to_be_visible()
    expect(ana.get_by_test_id("unread-count")).to_have_count(0)
    for page in (ana, ben, shelf):
        page.context.close()


def test_j_and_k_move_through_the_inbox_from_the_open_conversation(
    browser: Browser, live: LiveServer
) -> None:
    for topic in ("oak bench", "linen curtains", "brass lamp"):
        hand_off(browser, live, f"I need a person about the {topic}").context.close()
    ana = agent_page(browser, live, ANA)
    ana.get_by_role("link", name="Unassigned", exact=True).click()
    expect(ana).to_have_url(re.compile(r"/console\?view=unassigned$"))
    links = ana.get_by_test_id("inbox-list").get_by_role("link")
    expect(links.filter(has_text="linen curtains")).to_have_count(1)
    links.filter(has_text="linen curtains").click()
    expect(ana).to_have_url(re.compile(r"/console/conversations/[^?]+\?view=unassigned$"))
    expect(ana.locator("html")).to_have_attribute("data-shortcuts", "ready")
    names = links.all_inner_texts()
    at = next(i for i, name in enumerate(names) if "linen curtains" in name)

    ana.keyboard.press("j")
    expect(links.nth(at + 1)).to_be_focused()
    ana.keyboard.press("k")
    ana.keyboard.press("k")
    expect(links.nth(at - 1)).to_be_focused()
    href = links.nth(at - 1).get_attribute("href")
    assert href
    ana.keyboard.press("Enter")
    expect(ana).to_have_url(re.compile(re.escape(href) + "$"))
    ana.context.close()


def test_the_filters_are_kept_by_the_live_list(browser: Browser, live: LiveServer) -> None:
    ana = agent_page(browser, live, ANA)
    filters = ana.get_by_role("search", name="Filter the inbox")
    ana.get_by_role("link", name="All", exact=True).click()
    filters.get_by_label("Status").select_option("waiting")
    filters.get_by_label("Priority").select_option("normal")
    filters.get_by_role("button", name="Filter").click()
    expect(ana).to_have_url(re.compile(r"/console\?view=all&status=waiting&priority=normal$"))
    expect(ana.get_by_test_id("queue-filter")).to_contain_text("that are waiting")
    expect(ana.locator("#inbox-list")).to_have_attribute("data-connection", "live")

    customer = hand_off(browser, live, "I need a person about the velvet armchair")
    expect(inbox_item(ana, "velvet armchair")).to_be_visible()
    filters.get_by_label("Status").select_option("resolved")
    filters.get_by_role("button", name="Filter").click()
    expect(inbox_item(ana, "velvet armchair")).to_have_count(0)
    ana.get_by_role("link", name="Show all").click()
    expect(ana).to_have_url(re.compile(r"/console\?view=all$"))
    customer.context.close()
    ana.context.close()


def test_a_hidden_console_notifies_ana_once_she_turned_notifications_on(
    browser: Browser, live: LiveServer
) -> None:
    bench = hand_off(browser, live, "I need a person about the pine bookcase")
    ana = agent_page(browser, live, ANA)
    claim_from_queue(ana, live, "pine bookcase")
    ana.goto(f"{live.url}/console")
    toggle = ana.get_by_role("button", name="Notify me of new customer messages")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(ana.locator("[data-notify-status]")).to_contain_text("On:")
    expect(ana.locator("#inbox-list")).to_have_attribute("data-connection", "live")

    ask(bench, "Visible: no notification for this one.")
    expect(inbox_item(ana, "pine bookcase").get_by_test_id("unread-count")).to_be_visible()
    assert ana.evaluate("window.notified") == []

    ana.evaluate("window.hidePage(true)")
    ask(bench, "Hidden: this one is notified.")
    expect(ana.locator("html")).to_have_attribute("data-notified", "1")
    [notified] = ana.evaluate("window.notified")
    assert notified["title"] == "New message from Visitor"

    # The choice is kept across pages; turned off, nothing more is notified.
    ana.evaluate("window.hidePage(false)")
    ana.reload()
    toggle = ana.get_by_role("button", name="Notify me of new customer messages")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    bench.context.close()
    ana.context.close()
