"""Routing in a real browser: VIPs jump the queue, cool-downs are respected, off-hours work."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tandem.demo.seed import DEMO_CUSTOMERS, DEMO_USERS
from tests.e2e.conftest import ask, log_in, new_page, screenshot
from tests.factories import policy_document
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ANA, BEN, CHLOE = DEMO_USERS[0], DEMO_USERS[1], DEMO_USERS[2]
VIP_EMAIL = DEMO_CUSTOMERS[0][0]


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer("sqlite", tmp_path, policy=request.param).start()
    yield live
    live.stop()


def hand_off(browser: Browser, live: LiveServer, text: str, *, as_email: str | None = None) -> Page:
    customer = new_page(browser, "customer")
    customer.goto(f"{live.url}/chat" + (f"?as={as_email}" if as_email else ""))
    ask(customer, text)
    # The suite's timeout, not a shorter one: a bot turn on a busy 2-core machine may take a
    # few seconds, and speed is the benchmarks' business (3 s once failed in CI).
    expect(customer.locator("#chat-status")).to_contain_text(
        re.compile("Waiting for a person|You're chatting with")
    )
    return customer


@pytest.mark.parametrize("server", [policy_document(assignment="pull")], indirect=True)
def test_a_vip_jumps_the_queue(browser: Browser, server: LiveServer) -> None:
    agent = new_page(browser, "agent")
    log_in(agent, server, ANA)
    hand_off(browser, server, "can I talk to a human please")
    hand_off(browser, server, "I'd like to speak to a person")
    expect(agent.locator("table.queue tbody tr")).to_have_count(2)
    vip = hand_off(browser, server, "Could I speak to someone please?", as_email=VIP_EMAIL)
    expect(vip.locator("#chat-status")).to_contain_text("You're next in line")
    rows = agent.locator("table.queue tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("VIP")
    expect(rows.first).to_contain_text("high")
    screenshot(agent, "vip-first")


@pytest.mark.parametrize("server", [policy_document(assignment="auto")], indirect=True)
def test_an_agent_on_cool_down_is_skipped_for_a_hostile_case(
    browser: Browser, server: LiveServer
) -> None:
    ana, ben = new_page(browser, "ana"), new_page(browser, "ben")
    log_in(ana, server, ANA)
    hostile = hand_off(browser, server, "you useless idiots, this is the worst shop ever")
    expect(hostile.locator("#chat-status")).to_contain_text(f"You're chatting with {ANA.name}")
    mine = ana.locator(".mine li a")
    expect(mine).to_have_count(1)
    mine.click()
    ana.once("dialog", lambda dialog: dialog.accept())
    ana.get_by_role("button", name="Resolve").click()
    expect(ana.locator("#actions")).to_contain_text("Resolved")

    log_in(ben, server, BEN)
    supervisor = new_page(browser, "supervisor")
    log_in(supervisor, server, CHLOE)
    supervisor.get_by_role("button", name="Update").wait_for()
    supervisor.get_by_label("My status").select_option("away")
    supervisor.get_by_role("button", name="Update").click()
    supervisor.goto(f"{server.url}/console/supervisor")
    ana_row = supervisor.locator(f"[data-testid=agents] tr:has-text('{ANA.name}')")
    expect(ana_row).to_contain_text("yes")  # on cool-down

    second = hand_off(browser, server, "This is a joke. I'm furious, you are all useless!")
    expect(second.locator("#chat-status")).to_contain_text(f"You're chatting with {BEN.name}")
    screenshot(supervisor, "supervisor")


@pytest.mark.parametrize(
    "server",
    [
        policy_document(assignment="auto", always_open=True).replace(
            "    skills: []\n", "    skills: []\n    hours: {}\n", 1
        )
    ],
    indirect=True,
)
def test_off_hours_customer_sees_position_and_leaves_an_email(
    browser: Browser, server: LiveServer
) -> None:
    customer = hand_off(browser, server, "I want to speak to a person")
    status = customer.locator("#chat-status")
    expect(status).to_contain_text("You're next in line")
    expect(status).to_contain_text("offline right now")
    form = customer.locator("#follow-up")
    expect(form).to_be_visible()
    form.get_by_label("E-mail").fill("sam.taylor@example.com")
    form.get_by_role("button", name="Contact me instead").click()
    expect(status).to_contain_text("We'll reply by e-mail")
    expect(form).to_be_hidden()
    expect(customer.locator(".message.from-system").last).to_contain_text("sam.taylor@example.com")
    screenshot(customer, "off-hours")
