"""An agent sees each conversation's first-reply countdown tick, turn amber, then red."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tandem.conversations import service as conversation_service
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.time import utc_now
from tandem.demo.seed import DEMO_USERS
from tandem.routing import service as routing_service
from tests.conftest import in_fresh_thread
from tests.e2e.conftest import ask, hand_off, log_in, new_page, screenshot
from tests.factories import policy_document
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ANA = DEMO_USERS[0]
HOUR = 3600  # every queue's allowed time here: amber in its last 12 minutes


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    policy = yaml.safe_load(policy_document(assignment="pull", always_open=True))
    for queue in policy["queues"].values():
        queue["sla_seconds"] = HOUR
    document = yaml.safe_dump(policy, sort_keys=False)
    server = LiveServer("sqlite", tmp_path_factory.mktemp("sla"), policy=document).start()
    yield server
    server.stop()


def set_deadline(live: LiveServer, conversation_id: str, due_in: timedelta) -> None:
    """Move the conversation's first-reply deadline, straight in the server's database."""

    async def unit() -> None:
        engine = create_engine(live.settings.database_url)
        try:
            async with transaction(create_sessionmaker(engine)) as session:
                conversation = await conversation_service.get_conversation(session, conversation_id)
                handoff = await routing_service.open_handoff(session, conversation)
                assert handoff is not None
                handoff.sla_deadline = utc_now() + due_in
        finally:
            await engine.dispose()

    in_fresh_thread(lambda: asyncio.run(unit()))


def row(page: Page, text: str) -> str:
    """The id of the conversation whose queue row mentions ``text``."""
    found = page.locator("table.queue tbody tr", has_text=text)
    conversation_id = found.get_attribute("data-conversation")
    assert conversation_id
    return conversation_id


def _soon(page: Page, seen: list[Any]) -> bool:
    """Let the page run until ``seen`` (filled by a page handler) holds something: up to a
    minute on a busy machine."""
    for _ in range(1200):
        if seen:
            return True
        page.wait_for_timeout(50)
    return bool(seen)


def clock(page: Page, text: str) -> Locator:
    return page.locator("table.queue tbody tr", has_text=text).locator(".sla")


def test_the_queue_shows_each_countdown_amber_past_80_percent_and_red_when_overdue(
    browser: Browser, live: LiveServer
) -> None:
    hand_off(browser, live, "I need a person about the walnut shelf delivery").context.close()
    hand_off(browser, live, "I need a person about my cracked lamp").context.close()
    hand_off(browser, live, "I need a person about the garden chairs").context.close()
    ana = new_page(browser, "ana")
    log_in(ana, live, ANA)
    set_deadline(live, row(ana, "cracked lamp"), timedelta(minutes=5))  # 55 of 60 minutes gone
    set_deadline(live, row(ana, "garden chairs"), -timedelta(minutes=2))
    ana.reload()

    shelf, lamp, chairs = (
        clock(ana, "walnut shelf"),
        clock(ana, "cracked lamp"),
        clock(ana, "garden"),
    )
    expect(shelf).to_have_class(re.compile(r"\bsla-on-time\b"))
    expect(shelf).to_have_text(re.compile(r"^59:\d\d left$"))
    expect(shelf).to_have_attribute("aria-label", "SLA: 59 minutes left")
    expect(lamp).to_have_class(re.compile(r"\bsla-at-risk\b"))
    expect(lamp).to_have_text(re.compile(r"^4:\d\d left$"))
    expect(lamp).to_have_attribute("aria-label", "SLA: 4 minutes left (at risk)")
    expect(chairs).to_have_class(re.compile(r"\bsla-overdue\b"))
    expect(chairs).to_have_text(re.compile(r"^overdue 2:\d\d$"))
    expect(chairs).to_have_attribute("aria-label", "SLA overdue by 2 minutes")
    # The deadline travels as a machine-readable time; the timer is not a live region.
    expect(lamp.locator("time")).to_have_attribute("datetime", re.compile(r"\+00:00$"))
    expect(lamp).to_have_attribute("role", "timer")
    expect(lamp).not_to_have_attribute("aria-live", re.compile("polite|assertive"))
    screenshot(ana, "queue-sla")


def test_the_countdown_ticks_in_the_browser_and_a_reply_stops_it(
    browser: Browser, live: LiveServer
) -> None:
    hand_off(browser, live, "I need a person about the oak table legs").context.close()
    ana = new_page(browser, "ana")
    # The page's clock is Playwright's: minutes pass in the browser without waiting for them.
    ana.clock.install()
    log_in(ana, live, ANA)
    ana.locator("table.queue tbody tr", has_text="oak table").get_by_role("link").click()
    sla = ana.get_by_test_id("sla").locator(".sla")
    expect(sla).to_have_class(re.compile(r"\bsla-on-time\b"))
    expect(sla).to_have_text(re.compile(r"^59:\d\d left$"))
    ana.clock.fast_forward("50:00")
    expect(sla).to_have_text(re.compile(r"^9:\d\d left$"))
    expect(sla).to_have_class(re.compile(r"\bsla-at-risk\b"))
    expect(sla).to_have_attribute("aria-label", "SLA: 9 minutes left (at risk)")
    ana.clock.fast_forward("11:00")
    expect(sla).to_have_text(re.compile(r"^overdue 1:\d\d$"))
    expect(sla).to_have_class(re.compile(r"\bsla-overdue\b"))
    expect(sla).to_have_attribute("aria-label", "SLA overdue by 1 minute")

    ana.get_by_role("button", name="Claim").click()
    ana.get_by_label("Reply to the customer").fill("Hello, I'm looking at your table now.")
    # A busy machine may take a while to store the reply: wait for it, not for a fixed time.
    with ana.expect_response(
        lambda r: r.url.endswith("/reply") and r.request.method == "POST", timeout=60_000
    ):
        ana.get_by_role("button", name="Send reply").click()
    expect(ana.get_by_test_id("sla")).to_have_text("First reply: replied")


def test_a_live_re_read_while_the_reply_is_on_its_way_does_not_bring_back_the_countdown(
    browser: Browser, live: LiveServer
) -> None:
    # The race CI met: the customer writes while the agent's reply is still on its way. The
    # customer's message makes the console re-read the action panel; that re-read was read
    # before the reply was stored, so it still has the countdown.
    customer = hand_off(browser, live, "I need a person about the walnut shelf brackets")
    ana = new_page(browser, "ana")
    log_in(ana, live, ANA)
    ana.locator("table.queue tbody tr", has_text="walnut shelf brackets").get_by_role(
        "link"
    ).click()
    ana.get_by_role("button", name="Claim").click()
    reply_box = ana.get_by_label("Reply to the customer")
    reply_box.fill("Hello, the brackets are on their way.")

    held: list[Route] = []
    ana.route("**/reply", lambda route: held.append(route))
    ana.get_by_role("button", name="Send reply").click()
    assert _soon(ana, held), "the reply never left the browser"
    with ana.expect_response(
        lambda r: r.url.endswith("/actions") and r.request.method == "GET", timeout=60_000
    ):
        ask(customer, "Also, do they come with screws?")
    re_reads: list[str] = []
    ana.on("request", lambda r: re_reads.append(r.url) if r.url.endswith("/actions") else None)
    with ana.expect_response(
        lambda r: r.url.endswith("/reply") and r.request.method == "POST", timeout=60_000
    ):
        held[0].continue_()
    expect(ana.get_by_test_id("sla")).to_have_text("First reply: replied")
    # The re-read it dropped is made again once the reply has answered: the panel still
    # follows the conversation.
    assert _soon(ana, re_reads), "the console never re-read the panel it owed"
    expect(ana.get_by_test_id("sla")).to_have_text("First reply: replied")
    expect(ana.get_by_label("Reply to the customer")).to_have_value("")
    customer.context.close()
