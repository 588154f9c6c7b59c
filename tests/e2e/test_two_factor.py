"""Two-factor login in a real browser: an admin must set it up, then logs in with a code."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import Browser, expect

from tandem.auth.models import Role
from tandem.core.time import utc_now
from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import new_page, screenshot
from tests.factories import policy_document
from tests.live import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    policy = policy_document(assignment="pull", always_open=True)
    server = LiveServer(
        "sqlite",
        tmp_path_factory.mktemp("two-factor"),
        policy=policy,
        settings={"two_factor_roles": "admin"},
    ).start()
    yield server
    server.stop()


def test_an_admin_sets_up_two_factor_then_logs_in_with_a_code(
    browser: Browser, strict: LiveServer
) -> None:
    admin = next(u for u in DEMO_USERS if u.role is Role.ADMIN)
    page = new_page(browser, "admin")
    page.goto(f"{strict.url}/console/login")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Password").fill(admin.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Your role requires two-factor login")).to_be_visible()
    page.get_by_role("button", name="Set up two-factor login").click()
    expect(page.get_by_label("QR code for the authenticator app")).to_be_visible()
    secret = page.locator("#two-factor-secret").inner_text()
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    screenshot(page, "two-factor-recovery-codes")
    page.get_by_role("link", name="Continue to the console").click()
    expect(page.get_by_role("heading", name="Waiting for a person")).to_be_visible()

    again = new_page(browser, "admin-again")
    again.goto(f"{strict.url}/console/login")
    again.get_by_label("E-mail").fill(admin.email)
    again.get_by_label("Password").fill(admin.password)
    again.get_by_role("button", name="Log in").click()
    expect(again.get_by_role("heading", name="Two-factor login")).to_be_visible()
    again.get_by_label("Code").fill("000000")
    again.get_by_role("button", name="Continue").click()
    expect(again.get_by_role("alert")).to_contain_text("Wrong or already used code")
    next_code = pyotp.TOTP(secret).at(utc_now() + timedelta(seconds=30))  # the first is used
    again.get_by_label("Code").fill(next_code)
    again.get_by_role("button", name="Continue").click()
    expect(again.get_by_role("heading", name="Waiting for a person")).to_be_visible()
