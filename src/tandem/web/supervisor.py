"""Supervisor pages: the live team overview, and the escalation policy editor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from tandem.auth.access import ADMINS, SUPERVISORS, require_role
from tandem.auth.deps import AgentSession, CurrentAgent
from tandem.core.deps import RowId, SessionDep
from tandem.escalation import service as escalation_service
from tandem.escalation.deps import PolicyDep
from tandem.routing import wellbeing
from tandem.web.templating import templates
from tandem.web.translations import N_, Text

router = APIRouter(prefix="/console", include_in_schema=False)

PolicyText = Annotated[str, Form(max_length=100_000)]


@router.get("/supervisor", response_class=HTMLResponse)
async def supervisor_page(
    request: Request, pair: AgentSession, session: SessionDep, policy: PolicyDep
) -> HTMLResponse:
    agent, auth = pair
    require_role(agent, SUPERVISORS, doing="see the supervisor overview")
    picture = await wellbeing.overview(session, policy=policy)
    return templates.TemplateResponse(
        request,
        "console/supervisor.html",
        {"agent": agent, "csrf_token": auth.csrf_token, "picture": picture},
    )


@router.get("/supervisor/overview", response_class=HTMLResponse)
async def supervisor_fragment(
    request: Request, agent: CurrentAgent, session: SessionDep, policy: PolicyDep
) -> HTMLResponse:
    require_role(agent, SUPERVISORS, doing="see the supervisor overview")
    picture = await wellbeing.overview(session, policy=policy)
    return templates.TemplateResponse(request, "console/_overview.html", {"picture": picture})


@router.get("/policy", response_class=HTMLResponse)
async def policy_page(request: Request, pair: AgentSession, session: SessionDep) -> HTMLResponse:
    agent, auth = pair
    require_role(agent, SUPERVISORS, doing="read the escalation policy")
    active = await escalation_service.active_policy(session)
    return templates.TemplateResponse(
        request,
        "console/policy.html",
        {
            "agent": agent,
            "csrf_token": auth.csrf_token,
            "active": active,
            "history": await escalation_service.history(session),
            "can_edit": agent.role in ADMINS,
        },
    )


@router.post("/policy/preview", response_class=HTMLResponse)
async def preview(
    request: Request, agent: CurrentAgent, session: SessionDep, document: PolicyText
) -> HTMLResponse:
    require_role(agent, SUPERVISORS, doing="preview a policy")
    report = await escalation_service.preview(session, document=document)
    return templates.TemplateResponse(request, "console/_preview.html", {"report": report})


@router.post("/policy", response_class=HTMLResponse)
async def save(
    request: Request,
    agent: CurrentAgent,
    session: SessionDep,
    document: PolicyText,
    comment: Annotated[str, Form(max_length=500)] = "",
) -> HTMLResponse:
    require_role(agent, ADMINS, doing="change the escalation policy")
    row = await escalation_service.save_policy(
        session, document=document, comment=comment, user_id=agent.id
    )
    return templates.TemplateResponse(
        request,
        "_flash.html",
        {
            "message": Text(
                N_("Saved as version %(version)s; it is in force now."), {"version": row.version}
            ),
            "level": "ok",
        },
    )


@router.post("/policy/versions/{version}/activate", response_class=HTMLResponse)
async def activate(
    version: RowId, request: Request, agent: CurrentAgent, session: SessionDep
) -> HTMLResponse:
    require_role(agent, ADMINS, doing="change the escalation policy")
    await escalation_service.activate_version(session, version)
    return templates.TemplateResponse(
        request,
        "_flash.html",
        {
            "message": Text(
                N_("Version %(version)s is in force again. Reload to see it."), {"version": version}
            ),
            "level": "ok",
        },
    )
