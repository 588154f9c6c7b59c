"""/admin/webhooks: subscribe URLs to events, see every delivery, replay a failed one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.auth.access import ADMINS, require_role
from tandem.auth.deps import AgentSession
from tandem.channels.webhooks import service
from tandem.channels.webhooks.models import WebhookSubscription
from tandem.core.deps import MAX_ROW_ID, SessionDep, SettingsDep
from tandem.core.errors import InvalidInputError
from tandem.web.admin_layout import admin_page

router = APIRouter(prefix="/admin", include_in_schema=False)
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


async def _page(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    *,
    created: WebhookSubscription | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "subscriptions": await service.subscriptions(session),
        "deliveries": await service.deliveries(session, limit=100),
        "event_types": service.EVENT_TYPES,
        "created": created,
        "error": error,
    }
    return admin_page(request, pair, "webhooks", context, status_code=status_code)


@router.get("/webhooks", response_class=HTMLResponse)
async def webhooks_page(request: Request, pair: AgentSession, session: SessionDep) -> HTMLResponse:
    require_role(pair[0], ADMINS, doing="manage webhooks")
    return await _page(request, pair, session)


@router.post("/webhooks", response_class=HTMLResponse)
async def subscribe(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    settings: SettingsDep,
    url: Annotated[str, Form(max_length=2000)],
    events: Annotated[list[str] | None, Form()] = None,
    description: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """Subscribe; the page then shows the signing secret, once."""
    require_role(pair[0], ADMINS, doing="manage webhooks")
    try:
        created = await service.do_subscribe(
            session,
            url=url,
            events=events or [],
            description=description,
            user=pair[0],
            require_https=settings.environment == "production",
            public_only=settings.webhooks_public_only,
        )
    except InvalidInputError as error:
        return await _page(request, pair, session, error=error.message, status_code=422)
    return await _page(request, pair, session, created=created, status_code=201)


@router.post("/webhooks/{subscription_id}/delete")
async def unsubscribe(
    subscription_id: RowId, pair: AgentSession, session: SessionDep
) -> RedirectResponse:
    require_role(pair[0], ADMINS, doing="manage webhooks")
    await service.do_unsubscribe(session, subscription_id)
    return RedirectResponse("/admin/webhooks", status_code=303)


@router.post("/webhooks/deliveries/{delivery_id}/replay")
async def replay(delivery_id: RowId, pair: AgentSession, session: SessionDep) -> RedirectResponse:
    require_role(pair[0], ADMINS, doing="manage webhooks")
    await service.do_replay(session, delivery_id)
    return RedirectResponse("/admin/webhooks", status_code=303)
