"""/admin/widget: the snippet to paste on the company's site, and the sites allowed to embed it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.auth.access import ADMINS, require_role
from tandem.auth.deps import AgentSession
from tandem.channels.widget import service as widget_service
from tandem.core.deps import SessionDep, SettingsDep
from tandem.core.errors import TandemError
from tandem.web.admin_layout import admin_page

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("/widget", response_class=HTMLResponse)
async def widget_page(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    settings: SettingsDep,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    require_role(pair[0], ADMINS, doing="manage the chat widget")
    allowed = request.app.state.widget_origins
    context = {
        "snippet": widget_service.snippet(settings),
        "configured": sorted(allowed.configured),
        "stored": await widget_service.stored_origins(session),
        "error": error,
    }
    return admin_page(request, pair, "widget", context, status_code=status_code)


@router.post("/widget/origins", response_model=None)
async def add_origin(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    settings: SettingsDep,
    origin: Annotated[str, Form(max_length=300)],
) -> HTMLResponse | RedirectResponse:
    require_role(pair[0], ADMINS, doing="manage the chat widget")
    try:
        await widget_service.do_add_origin(session, origin, user=pair[0])
    except TandemError as error:
        return await widget_page(
            request, pair, session, settings, error=error.message, status_code=error.status_code
        )
    request.app.state.widget_origins.forget()
    return RedirectResponse("/admin/widget", status_code=303)


@router.post("/widget/origins/remove")
async def remove_origin(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    origin: Annotated[str, Form(max_length=300)],
) -> RedirectResponse:
    require_role(pair[0], ADMINS, doing="manage the chat widget")
    await widget_service.do_remove_origin(session, origin, user=pair[0])
    request.app.state.widget_origins.forget()
    return RedirectResponse("/admin/widget", status_code=303)
