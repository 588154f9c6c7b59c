"""Steps 1-4 of the hybrid loop in a real browser: customer and agent pages side by side."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import ask, new_page, screenshot
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ANA = DEMO_USERS[0]


def log_in(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.url}/console")
    expect(page).to_have_url(f"{live.url}/console/login?next=/console")
    page.get_by_label("E-mail").fill(ANA.email)
    page.get_by_label("Password").fill(ANA.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Waiting for a person")).to_be_visible()


def test_customer_gets_an_answer_then_a_person_who_resolves_it(
    browser: Browser, live: LiveServer
) -> None:
    agent = new_page(browser, "agent")
    customer = new_page(browser, "customer")
    log_in(agent, live)
    expect(agent.get_by_text("Nobody is waiting")).to_be_visible()

    # 1. A grounded answer with its source, from a bot that says it is an AI.
    customer.goto(f"{live.url}/chat")
    expect(customer.get_by_text("an AI, not a person")).to_be_visible()
    expect(customer.get_by_role("button", name="Talk to a person")).to_be_visible()
    ask(customer, "how long do refunds take?")
    answer = customer.locator(".message.from-bot[data-kind='answer']")
    expect(answer).to_contain_text("business days")
    expect(answer.get_by_role("link", name="How long do refunds take?")).to_have_attribute(
        "href", "/kb/refund-processing-times"
    )
    expect(answer.locator(".author")).to_have_text("AI assistant")

    # 3. Asking for a person hands off in that turn and says how long it will take.
    ask(customer, "I want to speak to a human")
    expect(customer.locator(".message.from-system").last).to_contain_text("person from our team")
    expect(customer.locator("#chat-status")).to_contain_text("Waiting for a person")
    expect(customer.locator("#chat-status")).to_contain_text("minute")
    # Waiting is not yet talking to a person, and the page says so.
    expect(customer.locator("#talk-to-person")).to_have_text("Waiting for a person")
    expect(customer.locator(".ai-note")).to_contain_text("AI assistant")

    # 4. The handoff shows up in the agent's live queue within a second.
    row = agent.locator("table.queue tbody tr")
    expect(row).to_have_count(1, timeout=10_000)
    expect(row).to_contain_text("customer request")
    expect(row).to_contain_text("how long do refunds take?")
    screenshot(agent, "console-queue")

    row.get_by_role("link").click()
    brief = agent.get_by_test_id("brief")
    expect(brief).to_contain_text("how long do refunds take?")
    expect(brief).to_contain_text("customer request")
    expect(brief).to_contain_text("answered (How long do refunds take?)")
    expect(agent.locator("#transcript .message.from-customer").first).to_contain_text(
        "how long do refunds take?"
    )
    agent.get_by_role("button", name="Claim").click()
    expect(customer.locator("#chat-status")).to_contain_text(f"You're chatting with {ANA.name}")
    expect(customer.locator("#talk-to-person")).to_have_text("A person is on this chat")
    expect(customer.locator(".ai-note")).to_contain_text(f"You're chatting with {ANA.name}")
    expect(customer.locator(".ai-note")).not_to_contain_text("AI assistant")

    agent.get_by_label("Reply to the customer").fill("Hi, I'm Ana. Let me look at your refund.")
    agent.get_by_role("button", name="Send reply").click()
    reply = customer.locator(".message.from-agent")
    expect(reply).to_contain_text("Let me look at your refund", timeout=10_000)
    expect(reply.locator(".author")).to_have_text(ANA.name)

    # While a person owns the conversation the bot stays silent.
    ask(customer, "Thanks! Order 1042.")
    expect(agent.locator("#transcript .message.from-customer").last).to_contain_text("Order 1042")
    customer.wait_for_timeout(300)
    expect(customer.locator(".message").last).to_contain_text("Order 1042")

    agent.once("dialog", lambda dialog: dialog.accept())
    agent.get_by_role("button", name="Resolve").click()
    expect(agent.locator("#actions")).to_contain_text("Resolved")
    screenshot(agent, "console-conversation")

    rating = customer.locator("#rating")
    expect(rating).to_be_visible()
    rating.get_by_label("5").check()
    rating.get_by_label("Comment (optional)").fill("Quick and kind")
    rating.get_by_role("button", name="Send rating").click()
    expect(customer.locator("#chat-status")).to_contain_text("Thanks for rating us 5/5")
    screenshot(customer, "chat")


def test_an_uncovered_question_gets_suggestions_then_a_person(
    browser: Browser, live: LiveServer
) -> None:
    customer = new_page(browser, "customer")
    customer.goto(f"{live.url}/chat")
    ask(customer, "do you sell garden sheds?")
    not_sure = customer.locator(".message.from-bot[data-kind='not_sure']")
    expect(not_sure).to_contain_text("I'm not sure")
    assert not_sure.locator(".suggestions li").count() <= 3
    ask(customer, "what is the name of your CEO?")
    expect(customer.locator(".message.from-system").last).to_contain_text("person from our team")
    expect(customer.locator("#chat-status")).to_contain_text("Waiting for a person")


def test_the_talk_to_a_person_button_hands_off(browser: Browser, live: LiveServer) -> None:
    customer = new_page(browser, "customer")
    customer.goto(f"{live.url}/chat")
    customer.get_by_role("button", name="Talk to a person").click()
    expect(customer.locator("#chat-status")).to_contain_text("Waiting for a person")
    expect(customer.locator(".message.from-system").last).to_contain_text("connecting you")


def test_a_reloaded_chat_resumes_the_same_conversation(browser: Browser, live: LiveServer) -> None:
    customer = new_page(browser, "customer")
    customer.goto(f"{live.url}/chat")
    ask(customer, "how long do refunds take?")
    expect(customer.locator(".message.from-bot[data-kind='answer']")).to_be_visible()
    customer.reload()
    expect(customer.locator(".message.from-customer")).to_contain_text("how long do refunds take?")
    expect(customer.locator(".message.from-bot[data-kind='answer']")).to_have_count(1)


def test_a_message_sent_while_waiting_is_acknowledged_on_the_page(
    browser: Browser, live: LiveServer
) -> None:
    customer = new_page(browser, "customer")
    customer.goto(f"{live.url}/chat")
    ask(customer, "I want to speak to a human")
    expect(customer.locator("#chat-status")).to_contain_text("Waiting for a person")
    ask(customer, "it's about the lamp that arrived broken")
    acknowledgement = customer.locator(".message.from-system").last
    expect(acknowledgement).to_contain_text("still in the queue")
    expect(acknowledgement).to_contain_text("will see everything you've written")
    ask(customer, "and the cable is frayed too")  # a burst is acknowledged once
    expect(customer.locator(".message.from-customer")).to_have_count(3)
    expect(customer.get_by_text("still in the queue")).to_have_count(1)
