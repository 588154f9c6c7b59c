"""/admin/jobs over HTTP: admins see what waits, runs and failed, and run a failed job again."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import AuditEntry, Role
from tandem.config import Settings
from tandem.jobs.runner import Jobs
from tandem.jobs.tasks import Resources
from tests.channels.helpers import log_in_agent
from tests.waiting import eventually

HTML = {"Accept": "text/html"}


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR])
async def test_only_admins_see_the_page(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await log_in_agent(client, session, role=role)
    assert (await client.get("/admin/jobs", headers=HTML)).status_code == 403


async def test_an_admin_sees_a_failed_job_and_runs_it_again(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, settings: Settings
) -> None:
    admin = await log_in_agent(client, session, role=Role.ADMIN)
    jobs: Jobs = app.state.jobs
    await jobs.open()
    # A job of a task this release does not know (say, queued by a newer one) fails.
    job_id = await jobs.queue.configure_task("tandem.from_the_future").defer_async(answer=42)
    jobs.start_worker(Resources(settings, app.state.sessionmaker), name="test")

    async def failed() -> bool:
        return job_id in {job.id for job in await jobs.jobs_in("failed")}

    try:
        await eventually(failed)
    finally:
        await jobs.stop_worker()

    page = await client.get("/admin/jobs", headers=HTML)
    assert page.status_code == 200
    assert f'action="/admin/jobs/{job_id}/retry"' in page.text
    assert "tandem.from_the_future" in page.text
    assert '{"answer": 42}' in page.text

    retried = await client.post(
        f"/admin/jobs/{job_id}/retry", data={"csrf_token": admin.csrf}, follow_redirects=True
    )
    assert f"Job {job_id} will run again." in retried.text
    assert job_id in {job.id for job in await jobs.jobs_in("todo")}
    entries = await session.scalars(select(AuditEntry).where(AuditEntry.action == "job.retried"))
    assert [(e.actor_user_id, e.target) for e in entries] == [(admin.user.id, str(job_id))]

    again = await client.post(f"/admin/jobs/{job_id}/retry", data={"csrf_token": admin.csrf})
    assert again.status_code == 404
    assert "No failed job" in again.text
