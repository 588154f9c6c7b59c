"""An admin edits the escalation policy in the browser: preview on past chats, save, history."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tandem.demo.seed import DEMO_USERS
from tests.e2e.conftest import ask, new_page, screenshot
from tests.live import LiveServer

pytestmark = pytest.mark.browser
ADMIN = DEMO_USERS[3]


def test_an_admin_previews_and_saves_a_policy_change(browser: Browser, live: LiveServer) -> None:
    customer = new_page(browser, "customer")
    customer.goto(f"{live.url}/chat")
    ask(customer, "do you sell garden sheds?")
    ask(customer, "what is the name of your CEO?")
    expect(customer.locator("#chat-status")).to_contain_text("Waiting for a person")

    admin = new_page(browser, "admin")
    admin.goto(f"{live.url}/console/login")
    admin.get_by_label("E-mail").fill(ADMIN.email)
    admin.get_by_label("Password").fill(ADMIN.password)
    admin.get_by_role("button", name="Log in").click()
    admin.goto(f"{live.url}/console/policy")
    editor = admin.get_by_label("Policy (YAML)")
    document = editor.input_value()
    assert "max_failed_answers: 2" in document

    editor.fill(document.replace("max_failed_answers: 2", "max_failed_answers: 3"))
    admin.get_by_role("button", name="Preview on the last 500 conversations").click()
    preview = admin.get_by_test_id("preview")
    expect(preview).to_contain_text("would change")
    expect(admin.get_by_test_id("candidate-handoffs")).to_have_text("0")

    editor.fill("loops: {repeat_contacts: 0}")
    admin.once("dialog", lambda dialog: dialog.accept())
    admin.get_by_role("button", name="Save").click()
    expect(admin.locator("#flash")).to_contain_text("loops.repeat_contacts")

    editor.fill(document.replace("max_failed_answers: 2", "max_failed_answers: 3"))
    admin.get_by_label("What changed").fill("One more try before a person")
    admin.once("dialog", lambda dialog: dialog.accept())
    admin.get_by_role("button", name="Save").click()
    expect(admin.locator("#flash")).to_contain_text("it is in force now")
    admin.reload()
    expect(admin.get_by_test_id("history")).to_contain_text("One more try before a person")
    screenshot(admin, "policy")
