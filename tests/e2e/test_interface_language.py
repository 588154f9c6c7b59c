"""Interface languages in a real browser: a German chat, and console pages in German."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import hand_off, log_in, screenshot
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ANA = DEMO_USERS[0]


def _page(browser: Browser, locale: str) -> Page:
    """A page in a browser whose language is ``locale`` (its Accept-Language)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("pageerror", lambda error: pytest.fail(f"page error: {error}"))
    return page


def test_a_german_customer_chats_in_german_pages_and_scripts_alike(
    browser: Browser, live: LiveServer
) -> None:
    customer = _page(browser, "en-GB")
    customer.goto(f"{live.url}/chat?lang=de")
    expect(customer.locator("html")).to_have_attribute("lang", "de")
    expect(customer.get_by_role("heading", name="Chat mit Pebble & Pine")).to_be_visible()
    expect(customer.get_by_label("Ihre Nachricht")).to_be_visible()
    # The bot greets in the page's language, though the browser asks for English.
    expect(customer.locator(".message.from-bot").first).to_contain_text("eine KI, kein Mensch")
    talk = customer.get_by_role("button", name="Mit einer Person sprechen")
    expect(talk).to_be_visible()
    talk.click()
    # Written by chat.js from the page's catalogue, not by the server's template.
    expect(customer.locator("#chat-status")).to_contain_text("Warten auf eine Person.")
    expect(customer.get_by_role("button", name="Warten auf eine Person")).to_be_visible()
    screenshot(customer, "chat-german")
    customer.get_by_role("link", name="Hilfe-Center").click()
    expect(customer.get_by_role("heading", name="Hilfe-Center")).to_be_visible()
    customer.context.close()


def test_a_german_browser_gets_the_german_chat_without_asking(
    browser: Browser, live: LiveServer
) -> None:
    customer = _page(browser, "de-DE")
    customer.goto(f"{live.url}/chat")
    expect(customer.locator("html")).to_have_attribute("lang", "de")
    expect(customer.get_by_role("button", name="Neues Gespräch")).to_be_visible()
    customer.context.close()


def test_an_agent_switches_the_console_to_german(browser: Browser, live: LiveServer) -> None:
    agent = _page(browser, "en-US")
    log_in(agent, live, ANA)
    agent.goto(f"{live.url}/console/account")
    expect(agent.get_by_role("heading", name="Your account")).to_be_visible()
    agent.get_by_label("Language of your pages").select_option(label="Deutsch")
    agent.get_by_role("button", name="Save language").click()
    expect(agent.get_by_text("Sprache gespeichert.")).to_be_visible()
    expect(agent.locator("html")).to_have_attribute("lang", "de")
    agent.goto(f"{live.url}/console/two-factor")
    expect(agent.get_by_role("heading", name="Zwei-Faktor-Anmeldung")).to_be_visible()
    expect(agent.get_by_role("link", name="Zum Inhalt springen")).to_be_attached()
    screenshot(agent, "console-german")
    # Back to the browser's language, for the other tests of this server.
    agent.goto(f"{live.url}/console/account")
    agent.get_by_label("Sprache Ihrer Seiten").select_option(value="browser")
    agent.get_by_role("button", name="Sprache speichern").click()
    expect(agent.get_by_role("heading", name="Your account")).to_be_visible()
    agent.context.close()


def test_a_german_agent_works_a_conversation_beside_a_german_inbox(
    browser: Browser, live: LiveServer
) -> None:
    customer = hand_off(browser, live, "I need a person about the beech stool in German")
    english = _page(browser, "en-US")
    log_in(english, live, ANA)
    agent = _page(browser, "de-DE")  # the same session in a German browser
    agent.context.add_cookies(english.context.cookies())
    english.context.close()
    agent.goto(f"{live.url}/console")
    expect(agent.get_by_role("heading", name="Warteschlange", exact=True)).to_be_visible()
    agent.locator("table.queue tbody tr", has_text="beech stool").get_by_role("link").click()
    expect(agent.get_by_role("heading", name="Gespräch mit")).to_be_visible()
    agent.get_by_role("button", name="Übernehmen").click()
    inbox = agent.get_by_test_id("inbox")
    expect(inbox.get_by_role("heading", name="Posteingang")).to_be_visible()
    expect(inbox.get_by_role("link", name="Nicht zugewiesen")).to_be_visible()
    expect(inbox.get_by_label("Status")).to_contain_text("Mit einer Person")
    # Written by inbox.js from the page's catalogue, not by the server's template.
    toggle = inbox.get_by_role("button", name="Bei neuen Kundennachrichten benachrichtigen")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(inbox.locator("[data-notify-status]")).to_have_text("Benachrichtigungen sind aus.")
    screenshot(agent, "console-conversation-german")
    customer.context.close()
    agent.context.close()
