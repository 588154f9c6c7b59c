"""Real-browser fixtures: a live server and Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tandem.demo.seed import DemoUser
from tests.conftest import IN_CI
from tests.factories import policy_document
from tests.live import LiveServer

CHROMIUM = os.environ.get("TANDEM_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# How long an assertion waits for the page to get there. CI runs on a busy 2-core machine where
# a POST, a redirect and a page that reads the brief and suggestions can take several seconds;
# the wait ends as soon as the page is right, so a generous bound costs nothing when it passes.
expect.set_options(timeout=15_000)


# Module scope: Playwright's sync API runs an event loop in this thread while it is open,
# which async tests elsewhere must not meet.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}; install Debian's `chromium` package"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # Agents pull from an always-open queue here; automatic assignment has its own tests.
    policy = policy_document(assignment="pull", always_open=True)
    server = LiveServer("sqlite", tmp_path_factory.mktemp("e2e"), policy=policy).start()
    yield server
    server.stop()


def new_page(browser: Browser, name: str) -> Page:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    # How long an action waits for its element or navigation: a wait, not a speed check, so
    # generous enough for a machine busy with other jobs (5 s failed a click under load).
    page.set_default_timeout(30_000)
    page.on("pageerror", lambda error: pytest.fail(f"{name} page error: {error}"))
    return page


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Page, live: LiveServer, user: DemoUser) -> None:
    """Log ``user`` in to the console and wait for the queue page."""
    page.goto(f"{live.url}/console/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Waiting for a person")).to_be_visible()


def claim_from_queue(page: Page, live: LiveServer, text: str) -> None:
    """From the queue, open the waiting conversation showing ``text`` and claim it."""
    page.goto(f"{live.url}/console")
    page.locator("table.queue tbody tr", has_text=text).get_by_role("link").click()
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_label("Reply to the customer")).to_be_visible()


def hand_off(browser: Browser, live: LiveServer, text: str) -> Page:
    """Open a customer chat, send ``text`` and wait until it waits for a person."""
    customer = new_page(browser, "customer")
    customer.goto(f"{live.url}/chat")
    ask(customer, text)
    expect(customer.locator("#chat-status")).to_contain_text("Waiting for a person")
    return customer


def ask(page: Page, text: str) -> None:
    """Send a customer message from the chat page and wait until the server has stored it."""
    with page.expect_response(lambda r: r.url.endswith("/messages") and r.request.method == "POST"):
        page.get_by_label("Your message").fill(text)
        page.get_by_label("Your message").press("Enter")
