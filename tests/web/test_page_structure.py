"""Every page a person opens has one top heading, and the site has an icon (no 404 per page)."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tests.channels.helpers import log_in_agent

HTML = {"Accept": "text/html"}
CONSOLE_PAGES = [
    "/console",
    "/console/search",
    "/console/search?q=refund",
    "/console/supervisor",
    "/console/policy",
    "/console/review",
    "/admin",
    "/admin/knowledge",
]
PUBLIC_PAGES = ["/", "/chat", "/console/login"]


def _headings(html: str) -> list[str]:
    return re.findall(r"<h1\b[^>]*>(.*?)</h1>", html, flags=re.S)


@pytest.mark.parametrize("path", CONSOLE_PAGES)
async def test_each_console_page_has_exactly_one_top_heading(
    client: httpx.AsyncClient, session: AsyncSession, path: str
) -> None:
    await log_in_agent(client, session, role=Role.ADMIN)
    response = await client.get(path, headers=HTML, follow_redirects=True)
    assert response.status_code == 200, response.text
    assert len(_headings(response.text)) == 1, _headings(response.text)
    assert 'rel="icon"' in response.text


@pytest.mark.parametrize("path", PUBLIC_PAGES)
async def test_each_public_page_links_the_icon(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path, headers=HTML)
    assert response.status_code == 200
    assert '<link rel="icon" href="/static/favicon.svg"' in response.text


async def test_the_old_icon_path_leads_to_the_svg_icon(client: httpx.AsyncClient) -> None:
    response = await client.get("/favicon.ico")
    assert response.status_code == 301
    icon = await client.get(response.headers["location"])
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in icon.text
