"""Integrations write articles through the same checks as an import: sources, golden answers."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tandem.config import Settings
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.formats import ParsedArticle, content_hash
from tests.channels.helpers import log_in_agent
from tests.conftest import Database, settings_for

REFUNDS = {
    "title": "How long do refunds take?",
    "body": "Refunds reach your card within 5 working days of us receiving the return.",
    "tags": ["refunds"],
}
BIKES = {
    "title": "Do you sell bikes?",
    "body": "We sell checked second-hand bikes, serviced in our workshop.",
    "tags": [],
}


@pytest.fixture
def settings(database: Database, tmp_path: Path) -> Settings:
    golden = tmp_path / "golden.yaml"
    golden.write_text(
        "answerable:\n  - question: how long do refunds take?\n    article: refunds\n"
    )
    return settings_for(database.url, knowledge_golden_path=golden)


async def _supervisor(client: httpx.AsyncClient, session: AsyncSession) -> dict[str, str]:
    return (await log_in_agent(client, session, role=Role.SUPERVISOR)).headers


async def test_an_article_is_created_read_and_replaced(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    headers = await _supervisor(client, session)
    created = await client.put("/api/v1/articles/refunds", json=REFUNDS, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["url"] == "/kb/refunds"
    read = await client.get("/api/v1/articles/refunds")
    assert read.json()["body"].startswith("Refunds reach your card")
    changed = {**REFUNDS, "body": REFUNDS["body"] + " Store credit is instant."}
    replaced = await client.put("/api/v1/articles/refunds", json=changed, headers=headers)
    assert replaced.status_code == 200
    assert "refunds" in [a["slug"] for a in (await client.get("/api/v1/articles")).json()]


async def test_a_change_that_breaks_a_golden_answer_is_refused_unless_allowed(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    headers = await _supervisor(client, session)
    assert (
        await client.put("/api/v1/articles/refunds", json=REFUNDS, headers=headers)
    ).status_code == 201
    assert (
        await client.put("/api/v1/articles/bikes", json=BIKES, headers=headers)
    ).status_code == 201
    wrong = {"title": "Opening hours", "body": "We are open 9 to 5 on weekdays.", "tags": []}
    refused = await client.put("/api/v1/articles/refunds", json=wrong, headers=headers)
    assert refused.status_code == 409, refused.text
    assert "golden questions" in refused.json()["detail"]
    assert (await client.get("/api/v1/articles/refunds")).json()["body"].startswith("Refunds")
    allowed = await client.put(
        "/api/v1/articles/refunds",
        json=wrong,
        params={"allow_regressions": "true"},
        headers=headers,
    )
    assert allowed.status_code == 200


async def test_an_imported_article_is_not_overwritten_or_deleted_through_the_api(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await knowledge_service.publish(
        session,
        [
            ParsedArticle(
                slug="returns", title="Returns", body="Return within 30 days.\n", tags=[],
                last_reviewed=None, source_path="/kb/returns.md",
                content_hash=content_hash("Returns", "Return within 30 days.\n"),
            )
        ],
        source_prefix=None,
    )  # fmt: skip
    headers = await _supervisor(client, session)
    put = await client.put(
        "/api/v1/articles/returns", json={"title": "Returns", "body": "x"}, headers=headers
    )
    assert put.status_code == 422
    assert "already belongs to /kb/returns.md" in put.json()["detail"]
    deleted = await client.delete("/api/v1/articles/returns", headers=headers)
    assert deleted.status_code == 409


async def test_an_api_article_is_deleted(client: httpx.AsyncClient, session: AsyncSession) -> None:
    headers = await _supervisor(client, session)
    await client.put("/api/v1/articles/bikes", json=BIKES, headers=headers)
    assert (await client.delete("/api/v1/articles/bikes", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/articles/bikes")).status_code == 404


async def test_agents_read_but_do_not_write_and_slugs_are_checked(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session, role=Role.AGENT)
    refused = await client.put("/api/v1/articles/bikes", json=BIKES, headers=agent.headers)
    assert refused.status_code == 403
    assert (await client.get("/api/v1/articles")).status_code == 200
    bad = await client.put("/api/v1/articles/Bad_Slug", json=BIKES, headers=agent.headers)
    assert bad.status_code == 422
