"""The agent's reply box survives the live re-reads of the console's action panel: what is
typed stays, and text typed over a selected draft replaces it, as in any text box."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import ask, claim_from_queue, hand_off, log_in, new_page
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ANA = DEMO_USERS[0]
DRAFT = "Hello, Ana here: let me check that for you."
ANSWER = "Your walnut shelf leaves our warehouse on Friday."


def test_typing_over_a_selected_draft_replaces_it_when_the_panel_is_re_read(
    browser: Browser, live: LiveServer
) -> None:
    customer = hand_off(browser, live, "I need a person about the walnut shelf delivery")
    agent = new_page(browser, "agent")
    log_in(agent, live, ANA)
    claim_from_queue(agent, live, "walnut shelf")
    expect(customer.locator("#chat-status")).to_contain_text(f"You're chatting with {ANA.name}")
    box = agent.get_by_label("Reply to the customer")
    box.fill(DRAFT)

    # The agent selects the whole draft; the customer writes, so the panel (and the box with
    # it) is re-read and replaced while the draft is selected.
    agent.evaluate(
        """() => {
          const box = document.getElementById("reply-text");
          box.dataset.before = "re-read";
          box.focus();
          box.select();
        }"""
    )
    ask(customer, "It's order 1042, by the way")
    expect(agent.locator("#reply-text:not([data-before])")).to_have_count(1)
    expect(box).to_have_value(DRAFT)
    expect(box).to_be_focused()

    agent.keyboard.insert_text(ANSWER)
    expect(box).to_have_value(ANSWER)
