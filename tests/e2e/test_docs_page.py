"""The API documentation renders in a real browser under its Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import new_page
from tests.live import LiveServer

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_under_the_docs_policy(browser: Browser, live: LiveServer) -> None:
    page = new_page(browser, "docs")
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(f"{live.url}/docs")
    assert response is not None
    assert "script-src" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tandem")
    expect(page.locator(".opblock").first).to_be_visible()
    assert refused == []
