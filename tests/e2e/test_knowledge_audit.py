"""The knowledge audit page in a real browser, on the demo shop and its planted problems."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tandem.auth.models import Role
from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import new_page, screenshot
from tests.live import LiveServer

pytestmark = pytest.mark.browser
SUPERVISOR = next(u for u in DEMO_USERS if u.role is Role.SUPERVISOR)
AGENT = next(u for u in DEMO_USERS if u.role is Role.AGENT)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer("sqlite", tmp_path_factory.mktemp("knowledge-audit")).start()
    yield server
    server.stop()


def log_in(page: Page, shop: LiveServer, email: str, password: str) -> None:
    page.goto(f"{shop.url}/admin/knowledge")
    expect(page).to_have_url(f"{shop.url}/console/login?next=/admin/knowledge")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_supervisor_sees_every_planted_problem_and_what_to_do(
    browser: Browser, shop: LiveServer
) -> None:
    page = new_page(browser, "knowledge audit")
    log_in(page, shop, SUPERVISOR.email, SUPERVISOR.password)
    expect(page.get_by_role("heading", name="Knowledge audit")).to_be_visible()
    findings = page.locator("li.finding")
    for kind, article in [
        ("duplicate", "Our cookie policy"),
        ("contradiction", "Business and bulk orders"),
        ("stale", "Holiday season delivery 2025"),
        ("broken_link", "Holiday season delivery 2025"),
    ]:
        expect(findings.and_(page.locator(f'[data-kind="{kind}"]'))).to_contain_text(article)
    expect(findings.first).to_contain_text("What to do:")
    screenshot(page, "knowledge-audit")

    page.get_by_role("link", name="Contradictions (1)").click()
    expect(page.get_by_role("link", name="Contradictions (1)")).to_have_attribute(
        "aria-current", "page"
    )
    expect(findings).to_have_count(1)
    expect(findings).to_contain_text("4.50 EUR")
    expect(findings).to_contain_text("3.50 EUR")
    page.context.close()


def test_an_agent_may_not_see_the_audit(browser: Browser, shop: LiveServer) -> None:
    page = new_page(browser, "knowledge audit agent")
    log_in(page, shop, AGENT.email, AGENT.password)
    expect(
        page.get_by_text("Only a admin or supervisor can see the knowledge audit.")
    ).to_be_visible()
    page.context.close()
