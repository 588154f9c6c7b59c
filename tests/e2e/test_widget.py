"""The chat widget in a real browser, on a shop page served from another origin.

Tandem runs at http://127.0.0.1:PORT; the shop's page is opened as http://localhost:PORT, a
different origin to the browser. A page from an origin that is not allowed cannot frame it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import log_in, new_page, screenshot
from tests.factories import policy_document
from tests.live import LiveServer, held_socket

pytestmark = pytest.mark.browser
ANA = DEMO_USERS[0]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    sock = held_socket()  # held until the server serves on it
    port = int(sock.getsockname()[1])
    live = LiveServer(
        "sqlite",
        tmp_path_factory.mktemp("widget"),
        policy=policy_document(assignment="pull"),
        settings={"widget_origins": f"http://localhost:{port}"},
        sock=sock,
    )
    live.start()
    yield live
    live.stop()


def test_a_shop_customer_chats_in_the_widget_and_gets_a_person(
    browser: Browser, server: LiveServer
) -> None:
    shop = new_page(browser, "shop")
    shop.goto(f"http://localhost:{server.port}/demo/shop")
    launcher = shop.get_by_role("button", name="Chat with us")
    expect(launcher).to_be_visible()
    launcher.click()
    chat = shop.frame_locator("iframe.tandem-frame")
    expect(chat.get_by_role("heading", name="Chat with Pebble & Pine")).to_be_visible()
    chat.get_by_label("Your message").fill("I'd like to talk to a person about my order")
    chat.get_by_label("Your message").press("Enter")
    expect(chat.locator("#chat-status")).to_contain_text("Waiting for a person", timeout=15_000)
    screenshot(shop, "widget-open")

    agent = new_page(browser, "agent")
    log_in(agent, server, ANA)
    row = agent.locator("table.queue tbody tr")
    expect(row).to_have_count(1, timeout=10_000)
    expect(row).to_contain_text("VIP")  # the shop signed its customer's identity
    row.get_by_role("link").click()
    agent.get_by_role("button", name="Claim").click()

    chat.get_by_role("button", name="Close the chat").click()  # the customer browses on
    expect(shop.locator("iframe.tandem-frame")).to_be_hidden()
    agent.get_by_label("Reply to the customer").fill("Hi Vera, Ana here. Which order is it?")
    agent.get_by_role("button", name="Send reply").click()
    expect(launcher).to_contain_text("1", timeout=10_000)  # unread while closed

    shop.reload()  # another page of the shop: the conversation carries on
    launcher = shop.get_by_role("button", name="Chat with us")
    launcher.click()
    chat = shop.frame_locator("iframe.tandem-frame")
    expect(chat.locator(".message.from-agent")).to_contain_text("Which order is it?")
    expect(launcher).not_to_contain_text("1")


def test_the_widget_fits_a_phone_screen(browser: Browser, server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    shop = context.new_page()
    shop.goto(f"http://localhost:{server.port}/demo/shop")
    shop.get_by_role("button", name="Chat with us").click()
    frame = shop.locator("iframe.tandem-frame")
    box = frame.bounding_box()
    assert box is not None
    assert (box["width"], box["height"]) == (390, 800)  # the whole screen
    chat = shop.frame_locator("iframe.tandem-frame")
    expect(chat.get_by_label("Your message")).to_be_in_viewport()
    chat.get_by_role("button", name="Close the chat").click()
    expect(shop.get_by_role("button", name="Chat with us")).to_be_visible()
    context.close()


@pytest.fixture
def other_site(server: LiveServer) -> Iterator[str]:
    """A page on an origin that is not allowed, framing the chat with a made-up origin."""
    tandem = server.url
    page = (
        "<!doctype html><title>Elsewhere</title><h1>Elsewhere</h1>"
        f'<iframe id="stolen" src="{tandem}/widget/frame?key={server.settings.widget_key}'
        f'&origin=http://localhost:{server.port}"></iframe>'
        f'<script src="{tandem}/widget.js" data-key="{server.settings.widget_key}"></script>'
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{site.server_address[1]}/"
    site.shutdown()
    site.server_close()


def test_a_site_that_is_not_allowed_cannot_frame_the_chat(
    browser: Browser, other_site: str, tmp_path: Path
) -> None:
    page = browser.new_context().new_page()
    page.goto(other_site)
    page.get_by_role("button", name="Chat with us").click()
    # Its honest frame is refused by Tandem; the one claiming the shop's origin by the browser.
    refusal = page.frame_locator("iframe.tandem-frame").locator("main")
    expect(refusal).to_contain_text("may not embed the chat")
    stolen = page.frame_locator("#stolen")
    expect(stolen.get_by_label("Your message")).to_have_count(0)
    page.wait_for_timeout(1000)  # give a wrongly allowed frame time to appear
    expect(stolen.get_by_label("Your message")).to_have_count(0)
    page.context.close()
