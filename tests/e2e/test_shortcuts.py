"""An agent works the queue and a conversation from the keyboard; typing is never a shortcut."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import hand_off, log_in, new_page, screenshot
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ANA = DEMO_USERS[0]
CONVERSATION_LINKS = "#queue [data-conversation] a"


def test_j_and_k_move_through_the_queue_and_enter_opens(browser: Browser, live: LiveServer) -> None:
    hand_off(browser, live, "I need a person about the walnut shelf delivery").context.close()
    hand_off(browser, live, "I need a person about my cracked lamp").context.close()
    ana = new_page(browser, "ana")
    log_in(ana, live, ANA)
    links = ana.locator(CONVERSATION_LINKS)
    expect(links).to_have_count(2)
    shortcuts_ready(ana)

    ana.keyboard.press("j")
    expect(links.nth(0)).to_be_focused()
    ana.keyboard.press("j")
    expect(links.nth(1)).to_be_focused()
    ana.keyboard.press("j")  # the last one stays
    expect(links.nth(1)).to_be_focused()
    ana.keyboard.press("k")
    expect(links.nth(0)).to_be_focused()
    ana.keyboard.press("Alt+j")  # with a modifier, the key is the browser's
    expect(links.nth(0)).to_be_focused()

    # A live refresh of the queue redraws the rows; the agent keeps their place.
    expect(ana.locator("#queue")).to_have_attribute("data-connection", "live")
    hand_off(browser, live, "I need a person about the garden chairs").context.close()
    expect(links).to_have_count(3)
    expect(links.nth(0)).to_be_focused()
    ana.keyboard.press("j")
    expect(links.nth(1)).to_be_focused()
    ana.keyboard.press("k")

    # In a field, j and k are letters.
    label_filter = ana.get_by_label("Only conversations labelled")
    label_filter.click()
    ana.keyboard.type("jk")
    expect(label_filter).to_have_value("jk")
    expect(label_filter).to_be_focused()
    label_filter.fill("")

    label_filter.blur()  # out of the field: from outside the list, k starts at the end
    ana.keyboard.press("k")
    expect(links.nth(2)).to_be_focused()
    ana.keyboard.press("k")
    ana.keyboard.press("k")
    expect(links.nth(0)).to_be_focused()
    href = links.nth(0).get_attribute("href")
    assert href
    ana.keyboard.press("Enter")
    expect(ana).to_have_url(re.compile(re.escape(href) + "$"))
    expect(ana.get_by_role("heading", level=1)).to_contain_text("Conversation with")
    shortcuts_ready(ana)


def shortcuts_ready(page: Page) -> None:
    """Wait until the page's script listens to keys (a key pressed before then is lost)."""
    expect(page.locator("html")).to_have_attribute("data-shortcuts", "ready")


def open_conversation(page: Page, live: LiveServer, text: str) -> None:
    page.goto(f"{live.url}/console")
    page.locator("table.queue tbody tr", has_text=text).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Conversation with")
    shortcuts_ready(page)


def test_a_conversation_from_the_keyboard_reply_note_help_resolve_and_back(
    browser: Browser, live: LiveServer
) -> None:
    hand_off(browser, live, "I need a person about the oak table legs").context.close()
    ana = new_page(browser, "ana")
    log_in(ana, live, ANA)
    open_conversation(ana, live, "oak table")

    # While it waits, r is the Claim button; claimed, r is the reply box.
    ana.keyboard.press("r")
    expect(ana.get_by_role("button", name="Claim")).to_be_focused()
    with ana.expect_response(lambda r: r.url.endswith("/claim") and r.request.method == "POST"):
        ana.keyboard.press("Enter")
    reply = ana.get_by_label("Reply to the customer")
    expect(reply).to_be_visible()
    ana.keyboard.press("r")
    expect(reply).to_be_focused()
    expect(reply).to_have_value("")  # the shortcut typed nothing
    ana.keyboard.type("ready when you are")  # r, e, n: letters in the box
    expect(reply).to_have_value("ready when you are")
    expect(reply).to_be_focused()

    reply.blur()
    ana.keyboard.press("n")
    note = ana.get_by_label(re.compile("^Note for the team"))
    expect(note).to_be_focused()
    ana.keyboard.type("gq? never mind")
    expect(note).to_have_value("gq? never mind")
    expect(ana).to_have_url(re.compile("/console/conversations/"))
    note.fill("")
    note.blur()

    # Every confirmation the page asks for is recorded, and declined unless accepting is set.
    asked: list[str] = []
    accepting = [False]

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept() if accepting[0] else dialog.dismiss()

    ana.on("dialog", answer)

    # ? shows the list in a dialog; closing it puts focus back where it was.
    add_note = ana.get_by_role("button", name="Add note")
    add_note.focus()
    ana.keyboard.press("?")
    help_dialog = ana.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Resolve")
    screenshot(ana, "console-shortcuts")
    ana.keyboard.press("e")  # the help is open: no other shortcut works
    help_dialog.get_by_role("button", name="Close").click()
    expect(help_dialog).to_be_hidden()
    expect(add_note).to_be_focused()
    ana.get_by_role("button", name="Keyboard shortcuts").click()
    expect(help_dialog).to_be_visible()
    ana.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    expect(ana.get_by_role("button", name="Keyboard shortcuts")).to_be_focused()
    assert asked == []

    # e asks first: declined, nothing changes; accepted, the conversation is resolved.
    ana.keyboard.press("e")
    expect(reply).to_be_visible()
    assert asked == ["Mark this conversation as resolved?"]
    accepting[0] = True
    ana.keyboard.press("e")
    expect(ana.locator("#actions")).to_contain_text("Resolved")
    assert len(asked) == 2

    ana.keyboard.press("g")
    ana.keyboard.press("q")
    expect(ana).to_have_url(f"{live.url}/console")
