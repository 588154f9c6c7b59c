"""An open console checks in, so its agent stays online; a closed one stops checking in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Response, expect

from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import log_in, new_page
from tests.live import LiveServer

pytestmark = pytest.mark.browser


def test_an_open_console_checks_in_every_30_seconds(browser: Browser, live: LiveServer) -> None:
    page = new_page(browser, "agent")
    page.clock.install()  # the page's timers run on a clock the test moves
    log_in(page, live, DEMO_USERS[1])
    # The heading can show before console.js (a module) has run and set its timer; module
    # scripts have run once the document is loaded, so only then is moving the clock useful.
    page.wait_for_load_state("load")
    with page.expect_request(lambda r: r.url.endswith("/console/activity")) as first:
        page.clock.run_for(31_000)
    assert first.value.method == "POST"
    idle = first.value.post_data_json["idle_seconds"]
    assert 29 <= idle <= 40, idle  # seconds since the page loaded, nobody having touched it
    with page.expect_request(lambda r: r.url.endswith("/console/activity")):
        page.clock.run_for(31_000)


def test_an_agent_who_leaves_the_console_alone_is_away_until_the_next_input(
    browser: Browser, live: LiveServer
) -> None:
    page = new_page(browser, "agent")
    page.clock.install()
    log_in(page, live, DEMO_USERS[1])
    page.wait_for_load_state("load")
    notice = page.get_by_test_id("away-notice")

    page.clock.run_for(10 * 60_000 + 31_000)  # TANDEM_AWAY_AFTER_IDLE_SECONDS: 600
    expect(notice).to_be_visible(timeout=30_000)  # 21 check-ins answered on a busy machine
    expect(notice).to_contain_text("shown as away after 10 minutes without activity")

    def comes_back(response: Response) -> bool:
        return response.url.endswith("/console/activity") and (
            response.request.post_data_json["idle_seconds"] < 5
        )

    # A busy machine may take a while to answer: wait for the check-in, not for a fixed time.
    with page.expect_response(comes_back, timeout=30_000) as back:
        page.mouse.move(200, 300)
        page.mouse.move(240, 320)
    assert back.value.json()["presence"] == "online"
    expect(notice).to_be_hidden()
