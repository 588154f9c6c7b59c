"""What a new user tried in the demo chat: each case reaches a person in the same turn."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import ask, new_page
from tests.live import LiveServer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(
            ["honestly I don't see the point in anything anymore, I just want it all to stop"],
            id="self-harm-hint",
        ),
        pytest.param(["我要人工客服"], id="zh-human"),
        pytest.param(["thanks for nothing"], id="sarcasm"),
        pytest.param(["Is there someone actually working there I could chat with?"], id="anyone"),
        pytest.param(["Can a staff member help me?"], id="staff-member"),
    ],
)
def test_the_demo_chat_hands_off_in_the_same_turn(
    browser: Browser, live: LiveServer, turns: list[str]
) -> None:
    customer = new_page(browser, "customer")
    customer.goto(f"{live.url}/chat")
    for text in turns:
        ask(customer, text)
    expect(customer.locator("#chat-status")).to_contain_text("Waiting for a person")
    # Told in their own language: the handoff message is there, whatever its words.
    expect(customer.locator(".message.from-system[data-kind='handoff']")).to_have_count(1)
    customer.close()


def test_tell_me_a_joke_is_answered_by_the_bot(browser: Browser, live: LiveServer) -> None:
    customer = new_page(browser, "customer")
    customer.goto(f"{live.url}/chat")
    ask(customer, "tell me a joke")
    expect(customer.locator(".message.from-bot").last).to_contain_text("small talk")
    expect(customer.locator("#chat-status")).not_to_contain_text("Waiting for a person")
    customer.close()
