"""The dashboard's figures as JSON for integrations: the same hand-computed week."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import tokens
from tandem.auth.models import Role, TokenScope
from tests.analytics.scenario import Scenario, build
from tests.channels.helpers import log_in_agent

WEEK = {"from": "2026-03-02", "to": "2026-03-08"}


@pytest.fixture
async def scenario(session: AsyncSession) -> Scenario:
    return await build(session)


async def test_a_read_token_gets_the_weeks_figures(
    client: httpx.AsyncClient, session: AsyncSession, scenario: Scenario
) -> None:
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)
    token = await tokens.create(session, user=supervisor.user, name="BI", scope=TokenScope.READ)
    client.cookies.clear()
    response = await client.get(
        "/api/v1/analytics", params=WEEK, headers={"Authorization": f"Bearer {token.token}"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["from"], body["to"]) == ("2026-03-02", "2026-03-08")
    metrics = body["metrics"]
    assert metrics["conversations"] == 8
    assert metrics["automation"] == {"numerator": 2, "denominator": 8, "value": 0.25}
    assert metrics["handoff_rate"]["value"] == 0.375  # 3 of 8
    assert metrics["csat_ai"]["mean"] == 4.5
    assert metrics["csat_human"]["mean"] == 2.5
    assert "roi" in body


async def test_filters_apply_and_agents_may_not_read_reports(
    client: httpx.AsyncClient, session: AsyncSession, scenario: Scenario
) -> None:
    await log_in_agent(client, session, role=Role.SUPERVISOR)
    email = (await client.get("/api/v1/analytics", params={**WEEK, "channel": "email"})).json()
    assert email["metrics"]["conversations"] == 1
    await log_in_agent(client, session, role=Role.AGENT)
    assert (await client.get("/api/v1/analytics", params=WEEK)).status_code == 403
