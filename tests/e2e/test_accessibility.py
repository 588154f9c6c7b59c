"""Every customer and console page, checked by axe-core in a real browser (issue 14).

A page passes with no violation of impact "serious" or "critical". axe-core comes from the npm
registry, pinned by tests/a11y/package-lock.json; scripts/test runs `npm ci` there. The pages
are seen as people see them: with real data (weeks of demo history), a customer waiting for a
person, a conversation an agent has claimed, and the widget opened on a shop's page.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Frame, Page, ViewportSize, expect

from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.time import utc_now
from tandem.demo.history import generate_history
from tandem.demo.seed import DEMO_USERS, DemoUser
from tests.conftest import IN_CI, in_fresh_thread
from tests.e2e.conftest import ask, log_in
from tests.factories import policy_document
from tests.live import LiveServer, held_socket

pytestmark = pytest.mark.browser
ANA, CHLOE, ADMIN = DEMO_USERS[0], DEMO_USERS[2], DEMO_USERS[3]
AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = frozenset({"serious", "critical"})
TARGETS_SHOWN = 3
DESKTOP = ViewportSize(width=1100, height=900)
LAPTOP = ViewportSize(width=1280, height=800)  # three panes beside a conversation
PHONE = ViewportSize(width=390, height=700)
QUESTIONS = (
    "how long do refunds take?",
    "do you ship to Canada?",
    "how do I care for an oiled oak table?",
    "can I change my delivery address?",
)
# Whatever htmx is still fetching or swapping after the page's load event.
SETTLED = "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"

Violation = dict[str, Any]  # one entry of axe's JSON result: id, impact, help, nodes, ...


@pytest.fixture(scope="module")
def axe() -> Path:
    if not AXE.is_file():
        message = "axe-core is missing; run `npm ci` in tests/a11y (scripts/test does)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return AXE


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    sock = held_socket()  # held until the server serves on it
    port = int(sock.getsockname()[1])
    live = LiveServer(
        "sqlite",
        tmp_path_factory.mktemp("a11y"),
        policy=policy_document(assignment="pull", always_open=True),
        settings={"widget_origins": f"http://localhost:{port}"},  # the shop's origin
        sock=sock,
    )
    in_fresh_thread(lambda: asyncio.run(_history(live)))
    yield live.start()
    live.stop()


async def _history(server: LiveServer) -> None:
    engine = create_engine(server.settings.database_url)
    try:
        async with transaction(create_sessionmaker(engine)) as session:
            await generate_history(session, until=utc_now().date(), weeks=2, daily=25)
    finally:
        await engine.dispose()


def open_page(browser: Browser, name: str, *, phone: bool = False) -> Page:
    """A page in a fresh context that lets axe's script in past the pages' CSP."""
    viewport = PHONE if phone else DESKTOP
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("pageerror", lambda error: pytest.fail(f"{name} page error: {error}"))
    return page


@pytest.fixture(scope="module")
def staff(browser: Browser, server: LiveServer) -> Iterator[Callable[[DemoUser], Page]]:
    """A page logged in as a demo user, one per user for the whole module."""
    pages: dict[str, Page] = {}

    def page_for(user: DemoUser) -> Page:
        if user.email not in pages:
            pages[user.email] = open_page(browser, user.name)
            log_in(pages[user.email], server, user)
        return pages[user.email]

    yield page_for
    for page in pages.values():
        page.context.close()


def serious_violations(target: Page | Frame, axe: Path) -> list[Violation]:
    target.add_script_tag(path=str(axe))
    result = target.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violation: Violation) -> str:
    nodes = violation["nodes"]
    targets = "; ".join(" >>> ".join(map(str, n["target"])) for n in nodes[:TARGETS_SHOWN])
    more = f" and {len(nodes) - TARGETS_SHOWN} more" if len(nodes) > TARGETS_SHOWN else ""
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}{more}"


def assert_accessible(target: Page | Frame, axe: Path) -> None:
    target.wait_for_function(SETTLED)
    found = serious_violations(target, axe)
    report = "\n".join(f"  {describe(v)}" for v in found)
    assert not found, f"{target.url} has serious accessibility violations:\n{report}"


def visit(page: Page, url: str) -> None:
    """Open ``url`` and check it is the page itself: not an error, not the login page."""
    response = page.goto(url)
    assert response is not None, f"{url} answered nothing"
    assert response.ok, f"{url} answered {response.status}"
    assert page.url == url, f"{url} led to {page.url}"


def wait_for_a_person(page: Page, server: LiveServer, text: str) -> None:
    page.goto(f"{server.url}/chat")
    ask(page, text)
    expect(page.locator("#chat-status")).to_contain_text("Waiting for a person")


def test_the_check_finds_a_serious_violation(browser: Browser, axe: Path) -> None:
    page = open_page(browser, "blank")
    page.set_content("<!doctype html><html lang=en><title>t</title><main><button></button></main>")
    assert [v["id"] for v in serious_violations(page, axe)] == ["button-name"]
    page.context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/chat",
        "/kb",
        "/kb/refund-processing-times",
        "/console/login",
        "/console/password/forgot",
    ],
)
def test_a_page_before_logging_in(
    browser: Browser, server: LiveServer, axe: Path, path: str
) -> None:
    page = open_page(browser, path)
    visit(page, f"{server.url}{path}")
    assert_accessible(page, axe)
    page.context.close()


def test_the_chat_and_the_queue_while_a_customer_waits_for_a_person(
    browser: Browser, server: LiveServer, axe: Path, staff: Callable[[DemoUser], Page]
) -> None:
    customer = open_page(browser, "customer")
    wait_for_a_person(customer, server, "I need a person about the walnut shelf delivery")
    expect(customer.locator("#follow-up")).to_be_visible()
    assert_accessible(customer, axe)

    ana = staff(ANA)
    ana.goto(f"{server.url}/console")
    expect(ana.locator("table.queue tbody tr", has_text="walnut shelf")).to_be_visible()
    assert_accessible(ana, axe)
    customer.context.close()


def test_a_failed_log_in(browser: Browser, server: LiveServer, axe: Path) -> None:
    page = open_page(browser, "login")
    page.goto(f"{server.url}/console/login")
    page.get_by_label("E-mail").fill(ANA.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, axe)
    page.context.close()


def test_a_conversation_from_the_bot_to_a_person_and_the_rating(
    browser: Browser, server: LiveServer, axe: Path, staff: Callable[[DemoUser], Page]
) -> None:
    customer = open_page(browser, "customer")
    customer.goto(f"{server.url}/chat")
    ask(customer, "how long do refunds take?")
    expect(customer.locator(".message.from-bot .sources")).to_be_visible()
    assert_accessible(customer, axe)  # an answer with its sources and quick replies
    ask(customer, "I want to speak to a human about order 1042")
    expect(customer.locator("#chat-status")).to_contain_text("Waiting for a person")

    ana = staff(ANA)
    ana.goto(f"{server.url}/console")
    row = ana.locator("table.queue tbody tr", has_text="refunds take")  # the brief's summary
    row.get_by_role("link").click()
    ana.get_by_role("button", name="Claim").click()
    ana.get_by_label("Reply to the customer").fill("Hi, I'm Ana. Let me look at order 1042.")
    ana.get_by_role("button", name="Send reply").click()
    expect(ana.locator("#transcript .message.from-agent")).to_contain_text("order 1042")
    answer = ana.locator("#transcript .message.from-bot", has=ana.locator(".sources"))
    answer.get_by_text("Why did the bot say this?").click()
    expect(answer.get_by_test_id("why")).to_be_visible()
    answer.get_by_text("Flag this answer as wrong").click()
    expect(answer.get_by_label("Right article")).to_be_visible()
    assert_accessible(ana, axe)  # claimed, with the bot's reasons and the flag form open

    ana.get_by_role("button", name="Keyboard shortcuts").click()
    expect(ana.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    assert_accessible(ana, axe)
    ana.keyboard.press("Escape")

    expect(customer.locator(".message.from-agent")).to_contain_text("order 1042")
    assert_accessible(customer, axe)  # chatting with a person
    ana.once("dialog", lambda dialog: dialog.accept())
    ana.get_by_role("button", name="Resolve").click()
    expect(ana.locator("#actions")).to_contain_text("Resolved")
    expect(customer.locator("#rating")).to_be_visible()
    assert_accessible(customer, axe)
    customer.context.close()


def test_a_long_chat_on_a_phone(browser: Browser, server: LiveServer, axe: Path) -> None:
    customer = open_page(browser, "customer", phone=True)
    customer.goto(f"{server.url}/chat")
    for question in QUESTIONS:
        ask(customer, question)
    expect(customer.locator(".message.from-bot")).to_have_count(len(QUESTIONS) + 1)
    transcript = customer.locator("#transcript")
    assert transcript.evaluate("list => list.scrollHeight > list.clientHeight")  # it scrolls
    assert_accessible(customer, axe)
    customer.context.close()


def test_a_long_chat_with_a_person_on_a_phone(
    browser: Browser, server: LiveServer, axe: Path, staff: Callable[[DemoUser], Page]
) -> None:
    customer = open_page(browser, "customer", phone=True)
    wait_for_a_person(customer, server, "I want to speak to a human about my teak bench")
    ana = staff(ANA)
    ana.goto(f"{server.url}/console")
    ana.locator("table.queue tbody tr", has_text="teak bench").get_by_role("link").click()
    ana.get_by_role("button", name="Claim").click()
    for n in range(1, 7):
        ana.get_by_label("Reply to the customer").fill(f"Reply {n}: still looking at the bench.")
        ana.get_by_role("button", name="Send reply").click()
        expect(customer.locator(".message.from-agent")).to_have_count(n)
    transcript = customer.locator("#transcript")
    assert transcript.evaluate("list => list.scrollHeight > list.clientHeight")  # it scrolls
    assert_accessible(customer, axe)
    customer.context.close()


@pytest.mark.parametrize(
    ("user", "path"),
    [
        pytest.param(ANA, "/console", id="queue"),
        pytest.param(ANA, "/console?view=all&status=resolved&channel=web", id="inbox-filtered"),
        pytest.param(ANA, "/console/search?q=refund", id="search"),
        pytest.param(CHLOE, "/admin/analytics", id="dashboard"),
        pytest.param(CHLOE, "/admin/analytics/conversations?segment=all", id="drill-down"),
        pytest.param(CHLOE, "/console/supervisor", id="supervisor"),
    ],
)
def test_a_console_page_on_a_phone(
    browser: Browser, server: LiveServer, axe: Path, user: DemoUser, path: str
) -> None:
    page = open_page(browser, "page", phone=True)
    log_in(page, server, user)
    visit(page, f"{server.url}{path}")
    assert_accessible(page, axe)
    page.context.close()


@pytest.mark.parametrize(
    ("thing", "viewport"),
    [("rattan chair", LAPTOP), ("wicker basket", PHONE)],
    ids=["laptop", "phone"],
)
def test_the_inbox_beside_a_conversation_with_an_unread_message(
    browser: Browser, server: LiveServer, axe: Path, thing: str, viewport: ViewportSize
) -> None:
    customer = open_page(browser, "customer")
    wait_for_a_person(customer, server, f"I need a person about my {thing}")
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    ana = context.new_page()
    ana.set_default_timeout(30_000)
    log_in(ana, server, ANA)
    ana.goto(f"{server.url}/console?view=unassigned")
    inbox = ana.get_by_test_id("inbox-list")
    inbox.get_by_role("link", name=re.compile(thing)).first.click()
    ana.get_by_role("button", name="Claim").click()
    expect(ana.get_by_label("Reply to the customer")).to_be_visible()
    ana.goto(f"{server.url}/console?view=all")
    expect(ana.locator("#inbox-list")).to_have_attribute("data-connection", "live")
    ask(customer, "Are you there?")
    chair = inbox.locator("[data-conversation]", has_text=thing).first
    expect(chair.get_by_test_id("unread-count")).to_be_visible()
    assert_accessible(ana, axe)  # the queue beside the inbox, one conversation unread
    inbox.get_by_role("link", name=re.compile(thing)).first.click()
    expect(inbox.locator("[aria-current=page]")).to_have_count(1)
    assert_accessible(ana, axe)  # a conversation between the inbox and the side panel
    context.close()
    customer.context.close()


def test_the_forecast_on_a_phone_scrolls_its_tables_by_keyboard(
    browser: Browser, server: LiveServer, axe: Path
) -> None:
    page = open_page(browser, "page", phone=True)
    log_in(page, server, CHLOE)
    visit(page, f"{server.url}/admin/forecast")
    page.get_by_text("Every interval").click()
    days = page.get_by_role("table", name="By day")
    expect(days).to_have_attribute("tabindex", "0")  # too wide for the phone: it scrolls
    days.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('[data-table=days]').scrollLeft > 0")
    expect(page.get_by_role("table", name="Every interval")).to_have_attribute("tabindex", "0")
    assert_accessible(page, axe)
    page.context.close()


def test_the_error_page(browser: Browser, server: LiveServer, axe: Path) -> None:
    page = open_page(browser, "error")
    response = page.goto(f"{server.url}/kb/no-such-article")
    assert response is not None
    assert response.status == 404
    assert_accessible(page, axe)
    page.context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/console/search?q=refund",
        "/console/account",
        "/console/two-factor",
    ],
)
def test_an_agent_page(
    server: LiveServer, axe: Path, staff: Callable[[DemoUser], Page], path: str
) -> None:
    page = staff(ANA)
    visit(page, f"{server.url}{path}")
    assert_accessible(page, axe)


@pytest.mark.parametrize(
    "path",
    [
        "/console/supervisor",
        "/console/policy",
        "/console/review",
        "/console/review/gaps",
        "/console/macros",
        "/admin/analytics",
        "/admin/analytics/conversations?segment=all",
        "/admin/roi",
        "/admin/forecast",
        "/admin/knowledge",
    ],
)
def test_a_supervisor_page(
    server: LiveServer, axe: Path, staff: Callable[[DemoUser], Page], path: str
) -> None:
    page = staff(CHLOE)
    visit(page, f"{server.url}{path}")
    assert_accessible(page, axe)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users",
        "/admin/tokens",
        "/admin/webhooks",
        "/admin/widget",
        "/admin/privacy",
        "/admin/audit",
        "/admin/jobs",
    ],
)
def test_an_admin_page(
    server: LiveServer, axe: Path, staff: Callable[[DemoUser], Page], path: str
) -> None:
    page = staff(ADMIN)
    visit(page, f"{server.url}{path}")
    assert_accessible(page, axe)


def test_the_widget_on_a_shop_page(browser: Browser, server: LiveServer, axe: Path) -> None:
    shop = open_page(browser, "shop")
    shop.goto(f"http://localhost:{server.port}/demo/shop")
    launcher = shop.get_by_role("button", name="Chat with us")
    assert_accessible(shop, axe)  # the launcher, closed

    launcher.click()
    chat = shop.frame_locator("iframe.tandem-frame")
    expect(chat.get_by_role("heading", name="Chat with Pebble & Pine")).to_be_visible()
    frame = shop.locator("iframe.tandem-frame").element_handle().content_frame()
    assert frame is not None
    assert_accessible(frame, axe)
    assert_accessible(shop, axe)  # the launcher and the frame around the chat, open
    shop.context.close()


def test_the_widget_on_a_phone(browser: Browser, server: LiveServer, axe: Path) -> None:
    shop = open_page(browser, "shop", phone=True)
    shop.goto(f"http://localhost:{server.port}/demo/shop")
    shop.get_by_role("button", name="Chat with us").click()
    chat = shop.frame_locator("iframe.tandem-frame")
    expect(chat.get_by_role("heading", name="Chat with Pebble & Pine")).to_be_visible()
    frame = shop.locator("iframe.tandem-frame").element_handle().content_frame()
    assert frame is not None
    assert_accessible(frame, axe)
    shop.context.close()
