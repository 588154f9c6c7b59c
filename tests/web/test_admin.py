"""Admin pages over HTTP: who may see them, and that they show the tested numbers."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tests.analytics.scenario import Scenario, build
from tests.channels.helpers import log_in_agent

PAGES = [
    "/admin",
    "/admin/analytics",
    "/admin/analytics/conversations?segment=ai_resolved",
    "/admin/analytics/export.csv",
    "/admin/roi",
    "/admin/forecast",
]
WEEK = "from=2026-03-02&to=2026-03-08"  # the scenario's week (report time zone: UTC)
HTML = {"Accept": "text/html"}


@pytest.mark.parametrize("path", PAGES)
async def test_nobody_is_sent_to_the_login_page(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path, headers=HTML)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/console/login?next=/admin")


@pytest.mark.parametrize("path", PAGES)
async def test_an_agent_may_not_see_reports(
    client: httpx.AsyncClient, session: AsyncSession, path: str
) -> None:
    await log_in_agent(client, session, role=Role.AGENT)
    response = await client.get(path, headers=HTML)
    assert response.status_code == 403
    assert "supervisors and admins" in response.text


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
@pytest.mark.parametrize("path", PAGES)
async def test_supervisors_and_admins_see_every_page(
    client: httpx.AsyncClient, session: AsyncSession, path: str, role: Role
) -> None:
    await log_in_agent(client, session, role=role)
    response = await client.get(path, headers=HTML, follow_redirects=True)
    assert response.status_code == 200, response.text


@pytest.fixture
async def scenario(session: AsyncSession) -> Scenario:
    return await build(session)


async def _supervisor(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await log_in_agent(client, session, role=Role.SUPERVISOR)


async def test_the_dashboard_shows_the_hand_computed_week(
    client: httpx.AsyncClient, session: AsyncSession, scenario: Scenario
) -> None:
    await _supervisor(client, session)
    page = (await client.get(f"/admin/analytics?{WEEK}")).text
    assert 'data-metric="automation"' in page
    assert "25.0%" in page  # automation: 2 of 8
    assert "2 of 8 conversations" in page
    assert "33.3%" in page  # AI resolution: 2 of 6
    assert "37.5%" in page  # handoff rate: 3 of 8
    assert "2 min 00 s · 5 min 00 s" in page  # time to a person, median · p90
    assert "4.50" in page  # CSAT, AI only
    assert "2.50" in page  # CSAT, with a person
    assert 'href="/admin/analytics/conversations?from=2026-03-02&amp;to=2026-03-08' in page


async def test_a_filter_changes_the_numbers(
    client: httpx.AsyncClient, session: AsyncSession, scenario: Scenario
) -> None:
    await _supervisor(client, session)
    page = (await client.get(f"/admin/analytics?{WEEK}&channel=email")).text
    assert "0 of 1 conversations" in page  # automation: c8 only
    assert "100.0%" in page  # handoff rate


async def test_drill_down_lists_the_conversations_behind_a_number(
    client: httpx.AsyncClient, session: AsyncSession, scenario: Scenario
) -> None:
    await _supervisor(client, session)
    page = (await client.get(f"/admin/analytics/conversations?{WEEK}&segment=ai_resolved")).text
    assert "Resolved by the AI alone" in page
    assert f'href="/console/conversations/{scenario.ids["c1"]}"' in page
    assert f'href="/console/conversations/{scenario.ids["c6"]}"' in page
    assert scenario.ids["c5"] not in page


async def test_an_unknown_drill_down_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _supervisor(client, session)
    response = await client.get("/admin/analytics/conversations?segment=nope")
    assert response.status_code == 422


async def test_csv_export(
    client: httpx.AsyncClient, session: AsyncSession, scenario: Scenario
) -> None:
    await _supervisor(client, session)
    response = await client.get(f"/admin/analytics/export.csv?{WEEK}&segment=handed_off")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["conversation_id"] for r in rows} == {scenario.ids[c] for c in ("c3", "c4", "c8")}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        pytest.param("from=2026-03-08&to=2026-03-01", "end date is before", id="backwards"),
        pytest.param("tier=platinum", "Unknown customer tier", id="unknown-tier"),
        pytest.param("from=2020-01-01&to=2026-03-01", "at most", id="too-long"),
    ],
)
async def test_bad_filters_say_what_to_fix(
    client: httpx.AsyncClient, session: AsyncSession, query: str, message: str
) -> None:
    await _supervisor(client, session)
    response = await client.get(f"/admin/analytics?{query}", headers=HTML)
    assert response.status_code == 422
    assert message in response.text


async def test_roi_page(
    client: httpx.AsyncClient, session: AsyncSession, scenario: Scenario
) -> None:
    await _supervisor(client, session)
    page = (await client.get(f"/admin/roi?{WEEK}")).text
    assert "resolved <strong>2</strong>" in page
    assert "handled <strong>3</strong>" in page
    assert "treat that difference as noise" in page


async def test_forecast_page_without_history_and_with_bad_what_ifs(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _supervisor(client, session)
    page = (await client.get("/admin/forecast?patience=120")).text
    assert "No conversations in the history yet." in page
    assert "Erlang A" in page
    assert (await client.get("/admin/forecast?ai_points=500")).status_code == 422
    assert (await client.get("/admin/forecast?weeks=0")).status_code == 422
