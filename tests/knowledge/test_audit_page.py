"""The knowledge audit page over HTTP: who may see it, and that it lists the findings."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tandem.knowledge import service as knowledge_service
from tests.channels.helpers import log_in_agent
from tests.factories import write_article

HTML = {"Accept": "text/html"}


async def test_nobody_is_sent_to_the_login_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/admin/knowledge", headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=/admin/knowledge"


async def test_an_agent_may_not_see_the_audit(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session, role=Role.AGENT)
    response = await client.get("/admin/knowledge", headers=HTML)
    assert response.status_code == 403
    assert "see the knowledge audit" in response.text


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
async def test_supervisors_and_admins_see_findings_by_kind(
    client: httpx.AsyncClient, session: AsyncSession, tmp_path: Path, role: Role
) -> None:
    write_article(tmp_path, "refunds", title="Refunds", body="See [old](/kb/old-refunds).")
    await knowledge_service.import_folder(session, tmp_path)
    await log_in_agent(client, session, role=role)
    everything = await client.get("/admin/knowledge", headers=HTML)
    assert everything.status_code == 200
    assert "/kb/old-refunds, which does not exist" in everything.text
    assert "Broken links (1)" in everything.text
    only_stale = await client.get("/admin/knowledge?kind=stale", headers=HTML)
    assert "No problems found of this kind" in only_stale.text
    wrong = await client.get("/admin/knowledge?kind=typo", headers=HTML)
    assert wrong.status_code == 422
