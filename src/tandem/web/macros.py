"""Supervisor page: saved replies agents insert from the suggestions panel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.auth.access import SUPERVISORS, require_role
from tandem.auth.deps import AgentSession, CurrentAgent
from tandem.copilot import service as copilot_service
from tandem.copilot.suggest import MACRO_VARIABLES
from tandem.core.deps import RowId, SessionDep
from tandem.web.templating import templates

router = APIRouter(prefix="/console/macros", include_in_schema=False)


@router.get("", response_class=HTMLResponse)
async def macros_page(request: Request, pair: AgentSession, session: SessionDep) -> HTMLResponse:
    agent, auth = pair
    require_role(agent, SUPERVISORS, doing="manage saved replies")
    return templates.TemplateResponse(
        request,
        "console/macros.html",
        {
            "agent": agent,
            "csrf_token": auth.csrf_token,
            "macros": await copilot_service.list_macros(session),
            "variables": MACRO_VARIABLES,
        },
    )


@router.post("")
async def create(
    agent: CurrentAgent,
    session: SessionDep,
    title: Annotated[str, Form(min_length=1, max_length=200)],
    body: Annotated[str, Form(min_length=1, max_length=4000)],
) -> Response:
    require_role(agent, SUPERVISORS, doing="manage saved replies")
    await copilot_service.do_create_macro(session, title=title, body=body, by=agent)
    return RedirectResponse("/console/macros", status_code=303)


@router.post("/{macro_id}/delete")
async def delete(macro_id: RowId, agent: CurrentAgent, session: SessionDep) -> Response:
    require_role(agent, SUPERVISORS, doing="manage saved replies")
    await copilot_service.do_delete_macro(session, macro_id)
    return RedirectResponse("/console/macros", status_code=303)
