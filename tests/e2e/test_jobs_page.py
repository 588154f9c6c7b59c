"""/admin/jobs in a browser: an admin finds a failed job, sees what it was, and runs it again."""

from __future__ import annotations

import re

from fastapi import FastAPI
from playwright.sync_api import Browser, expect

from tandem.demo.seed import DEMO_USERS
from tandem.jobs.runner import Jobs
from tests.e2e.conftest import log_in, new_page
from tests.live import LiveServer
from tests.waiting import eventually

ADMIN = DEMO_USERS[3]


async def queue_unknown_task(app: FastAPI) -> int:
    """Queue a job of a task this release does not know (say, from a newer one): it fails."""
    jobs: Jobs = app.state.jobs
    job_id: int = await jobs.queue.configure_task("tandem.from_the_future").defer_async(answer=42)
    return job_id


async def failed_attempts(app: FastAPI, job_id: int) -> int:
    """Return how often failed job ``job_id`` has run, or 0 while it is not failed."""
    jobs: Jobs = app.state.jobs
    return next((job.attempts for job in await jobs.jobs_in("failed") if job.id == job_id), 0)


def wait_for_failure(live: LiveServer, job_id: int, *, more_than: int) -> int:
    """Wait until the server's own worker has run the job and failed it more than before."""

    async def failed(app: FastAPI) -> int:
        async def more() -> bool:
            return await failed_attempts(app, job_id) > more_than

        await eventually(more)
        return await failed_attempts(app, job_id)

    return live.run(failed)


def test_an_admin_sees_a_failed_job_and_runs_it_again(browser: Browser, live: LiveServer) -> None:
    job_id = live.run(queue_unknown_task)
    page = new_page(browser, "admin")
    log_in(page, live, ADMIN)

    page.goto(f"{live.url}/admin/jobs")
    expect(page.get_by_role("heading", name="Background jobs", level=1)).to_be_visible()
    first = wait_for_failure(live, job_id, more_than=0)
    page.reload()
    retry = page.get_by_role("button", name=f"Run job {job_id} again")
    row = page.get_by_role("row").filter(has=retry)
    expect(row).to_contain_text("tandem.from_the_future")
    expect(row).to_contain_text('{"answer": 42}')

    retry.click()
    expect(page).to_have_url(re.compile(rf"/admin/jobs\?retried={job_id}$"))
    said = page.get_by_role("status").filter(has_text=f"Job {job_id} will run again.")
    expect(said).to_be_visible()
    # It really ran again: still unknown to this release, it failed once more.
    wait_for_failure(live, job_id, more_than=first)
    page.reload()
    expect(page.get_by_role("button", name=f"Run job {job_id} again")).to_be_visible()
    page.context.close()
