"""Single sign-on in a real browser: the login page's button, the provider's pages, the console."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tandem.demo.seed import DEMO_USERS
from tests.conftest import IN_CI
from tests.e2e.conftest import new_page, screenshot
from tests.factories import policy_document
from tests.live import LiveServer, held_socket
from tests.oidc_provider import CLIENT_ID, OidcProvider, available

pytestmark = pytest.mark.browser
SECRET = "e2e-client-secret"  # the test provider's client


@pytest.fixture(scope="module")
def sso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    missing = available()
    if missing is not None:
        if IN_CI:
            pytest.fail(missing)
        pytest.skip(missing)
    sock = held_socket()  # held from now on: the provider must not take the port
    port = int(sock.getsockname()[1])
    callback = f"http://127.0.0.1:{port}/console/sso/callback"
    with OidcProvider(redirect_uri=callback, client_secret=SECRET) as provider:
        server = LiveServer(
            "sqlite",
            tmp_path_factory.mktemp("sso"),
            policy=policy_document(assignment="pull", always_open=True),
            sock=sock,
            settings={
                "public_url": f"http://127.0.0.1:{port}",
                "oidc_issuer": provider.issuer,
                "oidc_client_id": CLIENT_ID,
                "oidc_client_secret": SECRET,
                "oidc_label": "Acme SSO",
            },
        ).start()
        yield server
        server.stop()


def test_an_agent_logs_in_with_single_sign_on(browser: Browser, sso: LiveServer) -> None:
    agent = DEMO_USERS[0]
    page = new_page(browser, "agent")
    page.goto(f"{sso.url}/console/login")
    page.get_by_role("link", name="Log in with Acme SSO").click()
    page.locator("input[name=login]").fill(agent.email)
    page.locator("input[name=password]").fill("anything")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent page
    expect(page.get_by_role("heading", name="Waiting for a person")).to_be_visible()
    screenshot(page, "sso-console")
    assert page.url.startswith(sso.url)
