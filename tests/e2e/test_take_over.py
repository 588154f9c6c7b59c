"""An agent takes a chat over from the bot in a real browser; the customer sees a person join."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import ask, log_in, new_page
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ANA = DEMO_USERS[0]


def test_an_agent_takes_over_a_chat_from_the_bot(browser: Browser, live: LiveServer) -> None:
    customer = new_page(browser, "customer")
    customer.goto(f"{live.url}/chat")
    ask(customer, "how long do refunds take?")
    expect(customer.locator(".message.from-bot[data-kind='answer']")).to_contain_text("days")

    agent = new_page(browser, "agent")
    log_in(agent, live, ANA)
    bot_list = agent.get_by_test_id("with-bot")
    expect(bot_list).to_contain_text("refund")
    bot_list.get_by_role("button", name="Take over").first.click()
    expect(agent.locator("#transcript .message.from-customer").first).to_contain_text(
        "how long do refunds take?"
    )
    expect(customer.locator(".message.from-system").last).to_contain_text(
        "joined the conversation", timeout=10_000
    )
    expect(customer.locator("#chat-status")).to_contain_text(f"You're chatting with {ANA.name}")

    # Why did the bot answer as it did? The reading, the article and the reply, on demand.
    agent.locator("#transcript .message.from-bot[data-kind='answer']").get_by_text(
        "Why did the bot say this?"
    ).click()
    why = agent.get_by_test_id("why")
    expect(why).to_contain_text("how long do refunds take?")
    expect(why).to_contain_text("refund-processing-times")
