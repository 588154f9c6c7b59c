"""/admin/audit: admins read the audit log newest first, filter it, page through it and export
it as CSV safe for spreadsheets; looking at it is recorded too, and only admins may."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit
from tandem.auth.models import AuditEntry, Role, User
from tests.channels.helpers import log_in_agent
from tests.factories import create_agent

HTML = {"Accept": "text/html"}
MARCH = datetime(2020, 3, 1, 10, 0, tzinfo=UTC)


def _entry(
    session: AsyncSession,
    action: str,
    *,
    at: datetime,
    actor: User | None = None,
    target: str = "",
    **detail: Any,  # Any: the facts an entry holds
) -> None:
    """An entry as if recorded at ``at`` (record() stamps the present)."""
    session.add(
        AuditEntry(
            at=at,
            actor_user_id=actor.id if actor else None,
            action=action,
            target=target,
            detail=detail,
        )
    )


async def _march(session: AsyncSession) -> tuple[User, User]:
    """Three entries in March 2020: Ana logs in, Bob creates a token, the CLI revokes one."""
    ana = await create_agent(session, email="ana@example.com")
    bob = await create_agent(session, email="bob@example.com")
    _entry(session, "login", at=MARCH, actor=ana, target=ana.email)
    _entry(session, "token.created", at=MARCH + timedelta(days=4), actor=bob, target="CRM")
    _entry(session, "token.revoked", at=MARCH + timedelta(days=9), target="7", reason="leaked")
    await session.flush()
    return ana, bob


def _actions(page: httpx.Response) -> list[str]:
    return re.findall(r'<tr data-action="([^"]+)"', page.text)


async def test_an_admin_reads_the_log_newest_first(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _march(session)
    await log_in_agent(client, session, role=Role.ADMIN)

    page = await client.get("/admin/audit", params={"to": "2020-03-31"}, headers=HTML)

    assert page.status_code == 200, page.text
    assert _actions(page) == ["token.revoked", "token.created", "login"]
    assert "2020-03-10 10:00:00" in page.text
    assert "bob@example.com" in page.text
    assert "reason=leaked" in page.text
    assert "command line or system" in page.text  # the revocation had no user


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param({"action": "token."}, ["token.revoked", "token.created"], id="action-prefix"),
        pytest.param({"action": "login"}, ["login"], id="action"),
        pytest.param({"actor": "Bob@Example.com"}, ["token.created"], id="actor-e-mail"),
        pytest.param({"from": "2020-03-02", "to": "2020-03-05"}, ["token.created"], id="dates"),
        pytest.param({"to": "2020-03-01"}, ["login"], id="the-end-day-included"),
        pytest.param({"from": "2020-03-06", "to": "2020-03-31"}, ["token.revoked"], id="from"),
        pytest.param({"actor": "nobody@example.com"}, [], id="unknown-actor"),
    ],
)
async def test_filters_narrow_the_entries(
    client: httpx.AsyncClient,
    session: AsyncSession,
    filters: dict[str, str],
    expected: list[str],
) -> None:
    await _march(session)
    await log_in_agent(client, session, role=Role.ADMIN)
    march = {"from": "2020-03-01", "to": "2020-03-31"}

    page = await client.get("/admin/audit", params=march | filters, headers=HTML)

    assert page.status_code == 200, page.text
    assert _actions(page) == expected
    if not expected:
        assert "No entries." in page.text


async def test_the_log_is_paged_a_hundred_entries_at_a_time(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    for n in range(105):
        _entry(session, "test.bulk", at=MARCH + timedelta(minutes=n), target=f"n{n}")
    await session.flush()
    await log_in_agent(client, session, role=Role.ADMIN)

    first = await client.get("/admin/audit", params={"action": "test.bulk"}, headers=HTML)
    assert len(_actions(first)) == 100
    assert ">n104<" in first.text  # newest first
    assert 'href="/admin/audit?action=test.bulk&amp;page=2" rel="next"' in first.text
    assert 'rel="prev"' not in first.text

    second = await client.get(
        "/admin/audit", params={"action": "test.bulk", "page": "2"}, headers=HTML
    )
    assert len(_actions(second)) == 5
    assert ">n0<" in second.text
    assert 'href="/admin/audit?action=test.bulk&amp;page=1" rel="prev"' in second.text
    assert 'rel="next"' not in second.text


async def test_viewing_the_log_is_recorded(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)

    await client.get("/admin/audit", params={"action": "token."}, headers=HTML)

    viewed = await audit.entries(session, action="audit.viewed")
    assert [(e.actor_user_id, e.detail) for e in viewed] == [
        (admin.user.id, {"page": 1, "action_prefix": "token."})
    ]


async def test_the_csv_holds_the_filtered_entries_and_its_export_is_recorded(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await _march(session)
    admin = await log_in_agent(client, session, role=Role.ADMIN)

    export = await client.get(
        "/admin/audit.csv", params={"action": "token.", "from": "2020-03-01", "to": "2020-03-31"}
    )

    assert export.status_code == 200, export.text
    assert export.headers["content-type"].startswith("text/csv")
    assert export.headers["content-disposition"] == (
        'attachment; filename="tandem-audit-2020-03-01-to-2020-03-31.csv"'
    )
    rows = list(csv.reader(io.StringIO(export.text)))
    assert rows[0] == ["at", "actor", "action", "target", "details"]
    assert [(r[1], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("", "token.revoked", "7", '{"reason": "leaked"}'),
        ("bob@example.com", "token.created", "CRM", "{}"),
    ]
    assert rows[1][0] == "2020-03-10T10:00:00+00:00"
    exported = await audit.entries(session, action="audit.exported")
    assert [(e.actor_user_id, e.detail) for e in exported] == [
        (admin.user.id, {"rows": 2, "action_prefix": "token.", "from": "2020-03-01",
                         "to": "2020-03-31"}),
    ]  # fmt: skip


async def test_the_csv_neutralises_cells_a_spreadsheet_would_run(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    formulas = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)"]
    for n, formula in enumerate(formulas):
        _entry(session, "test.formula", at=MARCH + timedelta(minutes=n), target=formula)
    _entry(session, "test.formula", at=MARCH - timedelta(minutes=1), target="plain")
    await session.flush()
    await log_in_agent(client, session, role=Role.ADMIN)

    export = await client.get("/admin/audit.csv", params={"action": "test.formula"})

    targets = [row[3] for row in csv.reader(io.StringIO(export.text))][1:]
    assert targets == ["'" + f for f in reversed(formulas)] + ["plain"]


@pytest.mark.parametrize("path", ["/admin/audit", "/admin/audit.csv"])
@pytest.mark.parametrize(
    ("dates", "message"),
    [
        pytest.param({"from": "2020-13-01"}, "2020-13-01 is not a date", id="no-such-month"),
        pytest.param({"to": "yesterday"}, "yesterday is not a date", id="words"),
        pytest.param(
            {"from": "2020-03-05", "to": "2020-03-01"},
            "The end date is before the start date",
            id="end-before-start",
        ),
    ],
)
async def test_bad_dates_get_the_page_saying_what_to_correct(
    client: httpx.AsyncClient,
    session: AsyncSession,
    path: str,
    dates: dict[str, str],
    message: str,
) -> None:
    await log_in_agent(client, session, role=Role.ADMIN)

    answer = await client.get(path, params=dates, headers=HTML)

    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert re.search(rf'<p role="alert" class="error">{message}', answer.text)
    assert await audit.entries(session, action="audit.") == []  # nothing was shown


async def test_the_admin_menu_links_the_audit_log_and_privacy_for_admins_only(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session, role=Role.ADMIN)
    await log_in_agent(other_client, session, role=Role.SUPERVISOR)

    admins = await client.get("/admin/audit", headers=HTML)
    supervisors = await other_client.get("/admin/knowledge", headers=HTML)

    assert '<a href="/admin/audit" aria-current="page">Audit log</a>' in admins.text
    assert '<a href="/admin/privacy">Privacy</a>' in admins.text
    assert supervisors.status_code == 200
    assert 'href="/admin/audit"' not in supervisors.text
    assert 'href="/admin/privacy"' not in supervisors.text


@pytest.mark.parametrize("path", ["/admin/audit", "/admin/audit.csv"])
@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
async def test_only_admins_read_the_log(
    client: httpx.AsyncClient, session: AsyncSession, path: str, role: Role
) -> None:
    await _march(session)
    await log_in_agent(client, session, role=role)

    refused = await client.get(path, headers=HTML)

    assert refused.status_code == 403
    assert "can read the audit log." in refused.text
    assert "token.created" not in refused.text


@pytest.mark.parametrize("path", ["/admin/audit", "/admin/audit.csv"])
async def test_a_visitor_is_sent_to_log_in(client: httpx.AsyncClient, path: str) -> None:
    answer = await client.get(path, headers=HTML)

    assert answer.status_code == 303
    assert answer.headers["location"] == f"/console/login?next={path}"
