"""The widget over HTTP: who may frame the chat, CORS for allowed sites only, admins' list."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.app import create_app
from tandem.auth.models import Role
from tandem.channels.widget.origins import normalise_origin
from tandem.config import Settings
from tandem.core.errors import InvalidInputError
from tests.channels.helpers import log_in_agent
from tests.conftest import Database, settings_for

SHOP = "https://shop.example.com"
HTML = {"Accept": "text/html"}


@pytest.fixture
def settings(database: Database) -> Settings:
    return settings_for(database.url, widget_origins=f"{SHOP}, http://localhost:8000")


def _frame(settings: Settings, origin: str, key: str | None = None) -> str:
    return f"/widget/frame?key={key or settings.widget_key}&origin={origin}"


async def test_the_loader_is_served_as_a_script(client: httpx.AsyncClient) -> None:
    response = await client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "tandem:identity" in response.text


async def test_an_allowed_site_may_frame_the_chat(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    response = await client.get(_frame(settings, SHOP), headers=HTML)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert f"frame-ancestors http://localhost:8000 {SHOP}" in csp
    assert "x-frame-options" not in response.headers
    assert 'data-parent-origin="https://shop.example.com"' in response.text


async def test_other_sites_are_told_no_and_every_other_page_stays_unframeable(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    refused = await client.get(_frame(settings, "https://evil.example"), headers=HTML)
    assert refused.status_code == 403
    assert "may not embed the chat" in refused.text
    chat = await client.get("/chat", headers=HTML)
    assert "frame-ancestors 'none'" in chat.headers["content-security-policy"]
    assert chat.headers["x-frame-options"] == "DENY"


async def test_a_wrong_key_is_not_found(client: httpx.AsyncClient, settings: Settings) -> None:
    response = await client.get(_frame(settings, SHOP, key="pk_wrong"), headers=HTML)
    assert response.status_code == 404


async def test_cors_answers_allowed_sites_only(client: httpx.AsyncClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = await client.options("/api/v1/conversations", headers={"Origin": SHOP, **preflight})
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == SHOP
    assert "Authorization" in allowed.headers["access-control-allow-headers"]
    other = await client.options(
        "/api/v1/conversations", headers={"Origin": "https://evil.example", **preflight}
    )
    assert other.status_code == 403
    assert "access-control-allow-origin" not in other.headers
    started = await client.post("/api/v1/conversations", json={}, headers={"Origin": SHOP})
    assert started.headers["access-control-allow-origin"] == SHOP
    assert "Origin" in started.headers["vary"]
    elsewhere = await client.post(
        "/api/v1/conversations", json={}, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in elsewhere.headers
    agent_api = await client.options("/api/v1/agent/queue", headers={"Origin": SHOP, **preflight})
    assert "access-control-allow-origin" not in agent_api.headers  # the customer API only


async def test_an_admin_allows_and_removes_a_site(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    page = await client.get("/admin/widget", headers=HTML)
    assert settings.widget_key in page.text
    added = await client.post(
        "/admin/widget/origins",
        data={"csrf_token": admin.csrf, "origin": "https://Blog.Example.com/"},
        headers=HTML,
    )
    assert added.status_code == 303
    assert (await client.get(_frame(settings, "https://blog.example.com"))).status_code == 200
    again = await client.post(
        "/admin/widget/origins",
        data={"csrf_token": admin.csrf, "origin": "https://blog.example.com"},
        headers=HTML,
    )
    assert again.status_code == 409
    removed = await client.post(
        "/admin/widget/origins/remove",
        data={"csrf_token": admin.csrf, "origin": "https://blog.example.com"},
        headers=HTML,
    )
    assert removed.status_code == 303
    assert (await client.get(_frame(settings, "https://blog.example.com"))).status_code == 403


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
async def test_only_admins_manage_the_widget(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    user = await log_in_agent(client, session, role=role)
    assert (await client.get("/admin/widget", headers=HTML)).status_code == 403
    response = await client.post(
        "/admin/widget/origins",
        data={"csrf_token": user.csrf, "origin": "https://x.example.com"},
        headers=HTML,
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("typed", "origin"),
    [
        ("https://Shop.Example.com/", "https://shop.example.com"),
        ("http://localhost:8000", "http://localhost:8000"),
        (" https://shop.example.com:8443 ", "https://shop.example.com:8443"),
    ],
)
def test_origins_are_written_as_browsers_send_them(typed: str, origin: str) -> None:
    assert normalise_origin(typed) == origin


@pytest.mark.parametrize(
    "typed", ["shop.example.com", "https://shop.example.com/path", "javascript:alert(1)", ""]
)
def test_what_is_not_an_origin_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInputError):
        normalise_origin(typed)


def test_a_bad_origin_in_the_environment_stops_start_up(database: Database) -> None:
    with pytest.raises(InvalidInputError, match="not a site origin"):
        create_app(settings_for(database.url, widget_origins="shop.example.com"))
