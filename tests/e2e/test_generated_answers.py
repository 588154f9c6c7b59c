"""In the chat, an answer a model words arrives after the message, with the bot typing meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.bot.servers import FakeModel, fake_server, serve
from tests.e2e.conftest import ask, new_page
from tests.live import LiveServer

pytestmark = pytest.mark.browser

GROUNDED = (
    "Pebble & Pine issues your refund within 2 business days of your return arriving at our "
    "warehouse [1]."
)


@pytest.fixture(scope="module")
def model() -> Iterator[FakeModel]:
    fake = FakeModel()
    with serve(fake_server(fake)) as url:
        fake.url = url
        yield fake


@pytest.fixture(scope="module")
def worded(tmp_path_factory: pytest.TempPathFactory, model: FakeModel) -> Iterator[LiveServer]:
    tmp: Path = tmp_path_factory.mktemp("worded")
    server = LiveServer("sqlite", tmp, settings={"llm_url": f"{model.url}/v1"}).start()
    yield server
    server.stop()


def test_the_customer_sees_the_bot_typing_until_the_models_answer_arrives(
    browser: Browser, worded: LiveServer, model: FakeModel
) -> None:
    model.reply = GROUNDED
    model.gate = threading.Event()  # the model answers when the test says
    try:
        customer = new_page(browser, "customer")
        customer.goto(f"{worded.url}/chat")
        ask(customer, "how long do refunds take?")
        typing = customer.locator("#transcript li.typing")
        expect(typing).to_have_text("The assistant is writing…")
        expect(customer.locator(".message.from-bot[data-kind='answer']")).to_have_count(0)
        model.gate.set()
        answer = customer.locator(".message.from-bot[data-kind='answer']")
        expect(answer).to_contain_text("within 2 business days")
        expect(typing).to_have_count(0)
        customer.close()
    finally:
        model.gate.set()
        model.gate = None
