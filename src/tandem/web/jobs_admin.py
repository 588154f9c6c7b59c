"""/admin/jobs: the background jobs: what waits, what runs, what failed; retry a failed one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.auth import audit
from tandem.auth.access import ADMINS, require_role
from tandem.auth.deps import AgentSession
from tandem.core.deps import MAX_ROW_ID, SessionDep
from tandem.jobs.runner import Jobs
from tandem.jobs.tasks import KEEP_FAILED_HOURS
from tandem.web.admin_layout import admin_page

router = APIRouter(prefix="/admin", include_in_schema=False)
JobId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


@router.get("/jobs", response_class=HTMLResponse)
async def jobs_page(request: Request, pair: AgentSession) -> HTMLResponse:
    require_role(pair[0], ADMINS, doing="see the background jobs")
    jobs: Jobs = request.app.state.jobs
    context = {
        "state": await jobs.state(request.app.state.engine),
        "failed": await jobs.jobs_in("failed", limit=100),
        "waiting": await jobs.jobs_in("todo", limit=20),
        "runner": jobs.settings.job_runner,
        "keep_days": KEEP_FAILED_HOURS // 24,
        "retried": request.query_params.get("retried"),
    }
    return admin_page(request, pair, "jobs", context)


@router.post("/jobs/{job_id}/retry")
async def retry(
    request: Request, job_id: JobId, pair: AgentSession, session: SessionDep
) -> RedirectResponse:
    """Run a failed job again now (audited as ``job.retried``)."""
    require_role(pair[0], ADMINS, doing="retry a background job")
    await request.app.state.jobs.retry_failed(job_id)
    await audit.record(session, "job.retried", actor=pair[0], target=str(job_id))
    return RedirectResponse(f"/admin/jobs?retried={job_id}", status_code=303)
