"""Done-when of the copilot and the learning loop, in a real browser.

An escalated conversation opens with a correct brief; the panel suggests no unrelated article
for a question the help centre does not answer, and the agent inserts a saved reply; after
resolving, a proposal waits in the review queue; approving it makes the bot answer the
same question in the next conversation.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import ask, log_in, new_page, screenshot
from tests.live import LiveServer

pytestmark = pytest.mark.browser
CHLOE = DEMO_USERS[2]  # a supervisor, who also answers customers
QUESTION = "do you sell garden sheds?"
ANSWER = (
    "We don't sell garden sheds ourselves, but our partner Larch & Co builds them to order; "
    "their garden sheds are linked from our Outdoor page."
)


def test_a_person_teaches_the_bot_through_a_reviewed_proposal(
    browser: Browser, live: LiveServer
) -> None:
    agent = new_page(browser, "agent")
    customer = new_page(browser, "customer")
    log_in(agent, live, CHLOE)
    agent.get_by_role("link", name="Saved replies").click()
    agent.get_by_label("Title").fill("Checking")
    agent.get_by_label("Reply").fill("Hello, {agent_name} here: let me check that for you.")
    agent.get_by_role("button", name="Save reply").click()
    expect(agent.get_by_role("button", name="Delete Checking")).to_be_visible()
    agent.get_by_role("link", name="Queue").click()

    customer.goto(f"{live.url}/chat")
    ask(customer, QUESTION)
    expect(customer.locator(".message.from-bot[data-kind='not_sure']")).to_be_visible()
    ask(customer, "I want to speak to a human, my email is sam.jones@example.com")
    expect(customer.locator("#chat-status")).to_contain_text("Waiting for a person")

    # The brief: what they asked, what the bot tried, why a person, the facts, masked.
    agent.locator("table.queue tbody tr").get_by_role("link").click()
    brief = agent.get_by_test_id("brief")
    expect(brief).to_contain_text(QUESTION)
    expect(brief).to_contain_text("not sure")
    expect(brief).to_contain_text("customer request")
    expect(brief.get_by_test_id("brief-facts")).to_contain_text("email: s***@example.com")
    expect(brief).not_to_contain_text("sam.jones@")
    agent.get_by_role("button", name="Claim").click()

    # Nothing in the help centre answers it, so no article is pushed at the agent; one click
    # puts a saved reply in the reply box, where the agent edits it.
    suggestions = agent.get_by_test_id("suggestions")
    expect(suggestions).to_contain_text("No article matches.")
    expect(suggestions.get_by_role("button", name="Insert suggested reply 1")).to_have_count(0)
    suggestions.get_by_role("button", name="Insert saved reply Checking").click()
    box = agent.get_by_label("Reply to the customer")
    expect(box).to_have_value("Hello, Chloé Martin here: let me check that for you.")
    expect(box).to_be_focused()
    box.fill(ANSWER)
    agent.get_by_role("button", name="Send reply").click()
    expect(customer.locator(".message.from-agent")).to_contain_text("Larch & Co", timeout=10_000)
    screenshot(agent, "console-suggestions")
    agent.once("dialog", lambda dialog: dialog.accept())
    agent.get_by_role("button", name="Resolve").click()
    expect(agent.locator("#actions")).to_contain_text("Resolved")

    # The proposal waits for review, with its provenance; approving publishes it.
    agent.get_by_role("link", name="Review").click()
    proposal = agent.get_by_test_id("proposal")
    expect(proposal).to_have_count(1)
    expect(proposal).to_contain_text("New article: Do you sell garden sheds?")
    expect(proposal.get_by_label("Article text")).to_have_value(f"{ANSWER}\n")
    screenshot(agent, "console-review")
    proposal.get_by_role("button", name="Approve and publish").click()
    expect(agent.get_by_text("No proposals are waiting")).to_be_visible()
    expect(agent.locator("table.effects")).to_contain_text("Do you sell garden sheds?")

    # The next customer who asks gets the person's answer from the bot, with its source.
    next_customer = new_page(browser, "next customer")
    next_customer.goto(f"{live.url}/chat")
    ask(next_customer, QUESTION)
    answer = next_customer.locator(".message.from-bot[data-kind='answer']")
    expect(answer).to_contain_text("Larch & Co")
    expect(answer.get_by_role("link", name="Do you sell garden sheds?")).to_be_visible()
