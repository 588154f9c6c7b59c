"""/admin/tokens: API tokens for integrations, created (shown once), listed and revoked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.auth import service as auth_service
from tandem.auth import tokens
from tandem.auth.access import ADMINS, require_role
from tandem.auth.deps import AgentSession
from tandem.auth.models import TokenScope
from tandem.core.deps import MAX_ROW_ID, SessionDep
from tandem.core.errors import TandemError
from tandem.web.admin_layout import admin_page

router = APIRouter(prefix="/admin", include_in_schema=False)


async def _page(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    *,
    created: tokens.NewToken | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    users = await auth_service.list_users(session)
    context = {
        "tokens": await tokens.list_tokens(session),
        "users": [u for u in users if u.is_active],
        "names": {u.id: u.email for u in users},
        "scopes": list(TokenScope),
        "created": created,
        "error": error,
    }
    return admin_page(request, pair, "tokens", context, status_code=status_code)


@router.get("/tokens", response_class=HTMLResponse)
async def tokens_page(request: Request, pair: AgentSession, session: SessionDep) -> HTMLResponse:
    require_role(pair[0], ADMINS, doing="manage API tokens")
    return await _page(request, pair, session)


@router.post("/tokens", response_class=HTMLResponse)
async def create_token(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    name: Annotated[str, Form(max_length=200)],
    user_id: Annotated[int, Form(ge=1, le=MAX_ROW_ID)],
    scope: Annotated[TokenScope, Form()] = TokenScope.READ,
) -> HTMLResponse:
    """Create a token; the page shows it once."""
    require_role(pair[0], ADMINS, doing="manage API tokens")
    try:
        user = await auth_service.get_user(session, user_id)
        created = await tokens.create(session, user=user, name=name, scope=scope)
    except TandemError as error:
        return await _page(
            request, pair, session, error=error.message, status_code=error.status_code
        )
    return await _page(request, pair, session, created=created, status_code=201)


@router.post("/tokens/{token_id}/revoke")
async def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], pair: AgentSession, session: SessionDep
) -> RedirectResponse:
    require_role(pair[0], ADMINS, doing="manage API tokens")
    await tokens.revoke(session, token_id)
    return RedirectResponse("/admin/tokens", status_code=303)
