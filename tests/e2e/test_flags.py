"""An agent flags a wrong bot answer beside it in the console; a supervisor accepts it as a golden
question in the review queue. The customer never sees a flag."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import ask, log_in, new_page, screenshot
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ANA, CHLOE = DEMO_USERS[0], DEMO_USERS[2]  # an agent, and a supervisor
QUESTION = "how long do refunds take?"  # answered from "How long do refunds take?"
# The agent says it is this one (any article but the one the bot answered from will do).
RIGHT = "I haven't received my refund"


def test_an_agent_flags_a_wrong_answer_and_a_supervisor_accepts_it(
    browser: Browser, live: LiveServer
) -> None:
    customer = new_page(browser, "customer")
    customer.goto(f"{live.url}/chat")
    ask(customer, QUESTION)
    expect(customer.locator(".message.from-bot[data-kind='answer']")).to_be_visible()
    ask(customer, "I want to talk to a person about my refund")
    expect(customer.locator("#chat-status")).to_contain_text("Waiting for a person")

    ana = new_page(browser, "ana")
    log_in(ana, live, ANA)
    ana.locator("table.queue tbody tr", has_text="refund").get_by_role("link").click()
    answer = ana.locator("#transcript .message.from-bot[data-kind='answer']")
    flags = answer.get_by_test_id("answer-flags")
    expect(flags).to_be_visible()
    expect(flags.locator(".answer-flag")).to_have_count(0)

    flags.get_by_text("Flag this answer as wrong").click()
    flags.get_by_label("Right article").select_option(label=RIGHT)
    flags.get_by_label("Note for the reviewer").fill("It was sent a month ago")
    flags.get_by_role("button", name="Flag as wrong").click()
    flagged = f"Flagged by {ANA.name}: right article “{RIGHT}”"
    expect(answer.locator(".answer-flag")).to_have_text(
        [f"{flagged} (note: “It was sent a month ago”)"]
    )
    expect(answer.get_by_role("status")).to_contain_text("Flag saved")
    screenshot(ana, "conversation-flagged-answer")

    # Flagging again changes the one flag; a reload shows it beside the answer.
    answer.get_by_text("Flag this answer as wrong").click()
    expect(answer.get_by_label("Right article")).to_have_value("refund-not-received")
    answer.get_by_label("Note for the reviewer").fill("")
    answer.get_by_role("button", name="Update my flag").click()
    expect(answer.locator(".answer-flag")).to_have_text([flagged])
    ana.reload()
    expect(answer.locator(".answer-flag")).to_have_text([flagged])
    expect(customer.locator("#transcript")).not_to_contain_text("Flagged")

    chloe = new_page(browser, "chloe")
    log_in(chloe, live, CHLOE)
    chloe.get_by_role("link", name="Review").click()
    proposal = chloe.get_by_test_id("proposal")
    expect(proposal).to_have_count(1)
    expect(proposal).to_contain_text(f"Golden question: answer from “{RIGHT}”")
    expect(proposal).to_contain_text(f"Customer asked: “{QUESTION}”")
    expect(proposal.get_by_test_id("proposal-flags")).to_contain_text(flagged)
    screenshot(chloe, "review-golden-question")
    proposal.get_by_role("button", name="Accept golden question").click()
    expect(chloe.locator(".notice")).to_contain_text("joins the golden questions")
    expect(chloe.get_by_text("No proposals are waiting")).to_be_visible()
    expect(chloe.get_by_test_id("learned-golden")).to_contain_text(QUESTION)
