"""An open console checks in, so its agent stays online; a closed one stops checking in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

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
    with page.expect_request(lambda r: r.url.endswith("/api/v1/auth/me")) as first:
        page.clock.run_for(31_000)
    assert first.value.method == "GET"
    with page.expect_request(lambda r: r.url.endswith("/api/v1/auth/me")):
        page.clock.run_for(31_000)
