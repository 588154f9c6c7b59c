"""The demo shop's actions in a real browser: an order's status over two turns, then a tap to
cancel it, which runs only after the customer taps "Yes"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, expect

from tandem.core.time import utc_now
from tandem.demo.backend import demo_orders
from tests.e2e.conftest import new_page, screenshot
from tests.factories import policy_document
from tests.live import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    policy = policy_document(assignment="pull", always_open=True)
    server = LiveServer(
        "sqlite", tmp_path_factory.mktemp("actions"), policy=policy, actions=True
    ).start()
    yield server
    server.stop()


def test_order_status_then_a_quick_reply(browser: Browser, shop: LiveServer) -> None:
    customer = new_page(browser, "customer")
    customer.goto(f"{shop.url}/chat")
    expect(customer.get_by_text("an AI, not a person")).to_be_visible()
    message = customer.get_by_label("Your message")

    message.fill("where is my order 1042?")
    message.press("Enter")
    asked = customer.locator(".message.from-bot[data-kind='action_ask']").last
    expect(asked).to_contain_text("e-mail address you ordered with")

    message.fill("sam.taylor@example.com")
    message.press("Enter")
    status = customer.locator(".message.from-bot[data-kind='action_result']").last
    expect(status).to_contain_text("Order 1042 (Oak side table) is processing")
    eta = re.compile(
        "Expected delivery: ("
        + "|".join(
            re.escape(demo_orders(utc_now().date() - timedelta(days=d))["1042"].eta) for d in (0, 1)
        )
        + ")"
    )
    expect(status).to_contain_text(eta)
    screenshot(customer, "action-order-status")

    status.get_by_role("button", name="Cancel my order").click()
    confirm = customer.locator(".message.from-bot[data-kind='action_confirm']").last
    expect(confirm).to_contain_text("Just to check: shall I cancel order 1042?")
    screenshot(customer, "action-confirm")
    confirm.get_by_role("button", name="Yes").click()
    done = customer.locator(".message.from-bot[data-kind='action_result']").last
    expect(done).to_contain_text("Done: order 1042 is cancelled")
    expect(customer.locator(".message.from-customer .text").last).to_have_text("Yes")
