"""Every response carries the browser protections; nothing private is cached; HSTS in production."""

from __future__ import annotations

import httpx
import pytest

from tandem.app import create_app
from tests.conftest import settings_for


@pytest.mark.parametrize("path", ["/chat", "/docs", "/api/v1/conversations/x", "/console/login"])
async def test_pages_and_the_api_get_a_csp_and_are_never_cached(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in response.headers  # not in development


async def test_static_files_may_be_cached(client: httpx.AsyncClient) -> None:
    response = await client.get("/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js")
    assert response.status_code == 200
    assert response.headers.get("cache-control") != "no-store"


async def test_production_sends_hsts() -> None:
    production = create_app(
        settings_for(
            "sqlite+aiosqlite://",
            environment="production",
            secret_key="x" * 48,
            secure_cookies=True,
            identity_secret="s" * 40,
        )
    )
    transport = httpx.ASGITransport(app=production)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        response = await client.get("/healthz")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")
