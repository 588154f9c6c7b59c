"""The dashboard and the forecast in a real browser, on weeks of demo history.

Every number checked on a page is computed here through the tested services on the same
database, and formatted with the pages' own formatting functions.
"""

from __future__ import annotations

import asyncio
import csv
import re
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.analytics import service as analytics_service
from tandem.analytics.filters import Filters, local_day_bounds
from tandem.analytics.metrics import Metrics
from tandem.analytics.service import Report
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.time import utc_now
from tandem.demo.history import generate_history
from tandem.demo.seed import DEMO_USERS
from tandem.web import admin_view as view
from tandem.workforce import service as workforce_service
from tandem.workforce.erlang import Target
from tandem.workforce.forecast import Plan, WhatIf
from tests.conftest import in_fresh_thread
from tests.e2e.conftest import new_page, screenshot
from tests.live import LiveServer

pytestmark = pytest.mark.browser
CHLOE = DEMO_USERS[2]  # the demo supervisor
UTC = ZoneInfo("UTC")  # the live server's report time zone
T = TypeVar("T")


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer("sqlite", tmp_path_factory.mktemp("dashboard"))
    today = utc_now().date()
    run(server, lambda s: generate_history(s, until=today, weeks=4, daily=60))
    yield server.start()
    server.stop()


def run(server: LiveServer, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction on the live server's database."""

    async def unit() -> T:
        engine = create_engine(server.settings.database_url)
        try:
            async with transaction(create_sessionmaker(engine)) as session:
                return await work(session)
        finally:
            await engine.dispose()

    return in_fresh_thread(lambda: asyncio.run(unit()))


def expected_report(server: LiveServer, first: date, last: date, **filters: str) -> Report:
    start, end = local_day_bounds(first, last, UTC)
    config = analytics_service.config_from(server.settings)
    wanted = Filters(start=start, end=end, **filters)  # type: ignore[arg-type]
    return run(server, lambda s: analytics_service.report(s, wanted, config=config, now=utc_now()))


def expected_metrics(server: LiveServer, first: date, last: date, **filters: str) -> Metrics:
    return expected_report(server, first, last, **filters).metrics


def metric(page: Page, key: str) -> str:
    return page.locator(f"[data-metric='{key}'] .value").inner_text().strip()


def detail(page: Page, key: str) -> str:
    return page.locator(f"[data-metric='{key}'] .detail").inner_text().strip()


def check_dashboard(page: Page, m: Metrics) -> None:
    assert metric(page, "conversations") == view.count(m.conversations)
    assert metric(page, "automation") == view.percent(m.automation)
    assert view.count(m.automation.numerator) in detail(page, "automation")
    assert metric(page, "ai_involvement") == view.percent(m.ai_involvement)
    assert metric(page, "ai_resolution") == view.percent(m.ai_resolution)
    assert metric(page, "handoff_rate") == view.percent(m.handoff_rate)
    assert metric(page, "time_to_human") == (
        f"{view.duration(m.time_to_human.p50)} · {view.duration(m.time_to_human.p90)}"
    )
    assert metric(page, "csat_ai") == view.score(m.csat_ai.mean)
    assert metric(page, "csat_human") == view.score(m.csat_human.mean)


def test_a_supervisor_reads_the_dashboard_drills_down_exports_and_forecasts(
    browser: Browser, shop: LiveServer, tmp_path: Path
) -> None:
    page = new_page(browser, "supervisor")
    page.goto(f"{shop.url}/admin")
    expect(page).to_have_url(f"{shop.url}/console/login?next=/admin")
    page.get_by_label("E-mail").fill(CHLOE.email)
    page.get_by_label("Password").fill(CHLOE.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="What the AI delivers")).to_be_visible()

    # The default view: the last 28 days, today included.
    today = utc_now().date()
    first = today - timedelta(days=27)
    everything = expected_metrics(shop, first, today)
    assert everything.conversations > 500
    check_dashboard(page, everything)
    assert page.locator("canvas#chart-daily").bounding_box()["height"] > 100  # type: ignore[index]
    screenshot(page, "admin-dashboard")

    # A filter changes the numbers, to what the queries say for that filter.
    page.get_by_label("Channel").select_option("email")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"channel=email"))
    email = expected_metrics(shop, first, today, channel="email")
    assert 0 < email.conversations < everything.conversations
    check_dashboard(page, email)

    # Drill down from the automation rate to the conversations behind it ...
    page.locator("[data-metric='automation'] .value a").click()
    expect(page.get_by_role("heading", name="Resolved by the AI alone")).to_be_visible()
    total = email.automation.numerator
    expect(page.get_by_test_id("total")).to_have_text(view.count(total))
    rows = page.locator("table[data-table='conversations'] tbody tr")
    expect(rows).to_have_count(min(total, analytics_service.DRILL_DOWN_PAGE))
    expect(rows.first).to_contain_text("email")

    # ... and export them.
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    saved = tmp_path / "export.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert len(exported) == total
    assert {row["outcome"] for row in exported} == {"ai_resolved"}
    assert {row["channel"] for row in exported} == {"email"}

    # The ROI view of the default period.
    page.get_by_role("link", name="ROI").click()
    expect(page.get_by_role("heading", name="Is the AI worth it")).to_be_visible()
    roi = expected_report(shop, first, today).roi
    assert metric(page, "ai_contacts") == view.count(roi.ai_contacts)
    assert metric(page, "human_contacts") == view.count(roi.human_contacts)
    assert metric(page, "cost_per_human_contact") == view.money(
        roi.cost_per_human_contact, roi.currency
    )
    expect(page.get_by_test_id("verdict")).to_contain_text(view.money(roi.net_saving, roi.currency))
    screenshot(page, "admin-roi")

    # The forecast, as things stand and with the AI resolving 20 points more.
    page.get_by_role("link", name="Forecast").click()
    expect(page.get_by_role("heading", name="Staffing forecast, net of the AI")).to_be_visible()
    plan = Plan(float(shop.settings.average_handle_seconds), Target(0.8, 60), 0.3)

    def week_plan(points: float) -> workforce_service.WeekPlan:
        return run(
            shop,
            lambda s: workforce_service.plan_week(
                s, today=today, zone=UTC, weeks=4, plan=plan, what_if=WhatIf(points, 0)
            ),
        )

    now = week_plan(0)
    assert metric(page, "agent_hours") == view.count(now.scenario.agent_hours)
    assert metric(page, "peak_agents") == view.count(now.scenario.peak_agents)
    assert page.locator("canvas#chart-forecast").bounding_box()["width"] > 300  # type: ignore[index]
    page.get_by_label("AI resolution change (points)").fill("20")
    page.get_by_role("button", name="Update forecast").click()
    expect(page).to_have_url(re.compile(r"ai_points=20"))
    better = week_plan(20)
    assert better.scenario.agent_hours < now.scenario.agent_hours
    assert metric(page, "agent_hours") == view.count(better.scenario.agent_hours)
    assert f"as things stand: {view.count(now.scenario.agent_hours)}" in detail(page, "agent_hours")
    screenshot(page, "admin-forecast")


def test_that_answered_my_question_ends_the_chat_as_an_ai_resolution(
    browser: Browser, shop: LiveServer
) -> None:
    customer = new_page(browser, "customer")
    customer.goto(f"{shop.url}/chat")
    with customer.expect_response(lambda r: r.url.endswith("/messages")):
        customer.get_by_label("Your message").fill("how long do refunds take?")
        customer.get_by_label("Your message").press("Enter")
    expect(customer.locator(".message.from-bot[data-kind='answer']")).to_be_visible()
    customer.get_by_role("button", name="That answered my question").click()
    rating = customer.locator("#rating")
    expect(rating).to_be_visible()
    expect(customer.get_by_role("button", name="That answered my question")).to_be_hidden()
    rating.get_by_label("5").check()
    rating.get_by_role("button", name="Send rating").click()
    expect(customer.locator("#chat-status")).to_contain_text("Thanks for rating us 5/5")

    today = utc_now().date()
    m = expected_metrics(shop, today, today)
    assert m.automation.numerator == 1
    assert m.csat_ai.mean == 5.0
