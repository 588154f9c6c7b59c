"""/admin/privacy: a customer's data-subject requests, answered by an admin.

Export downloads everything stored about a customer as JSON; erasure anonymises them and
their conversations and asks for the address twice, because it cannot be undone. The command
line (`tandem customer export|erase`) and the customers API use the same service functions,
so each request is audited the same way.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from tandem.auth.access import ADMINS, require_role
from tandem.auth.deps import AgentSession
from tandem.auth.models import User
from tandem.core.deps import SessionDep
from tandem.core.errors import TandemError
from tandem.privacy import service as privacy_service
from tandem.web.admin_layout import admin_page
from tandem.web.translations import N_, Text

router = APIRouter(prefix="/admin/privacy", include_in_schema=False)
Email = Annotated[str, Form(min_length=3, max_length=320)]


def _admin(pair: AgentSession) -> User:
    require_role(pair[0], ADMINS, doing="export or erase a customer's data")
    return pair[0]


def _page(
    request: Request,
    pair: AgentSession,
    *,
    notice: Text | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {"notice": notice, "error": error}
    return admin_page(request, pair, "privacy", context, status_code=status_code)


def _filename(email: str) -> str:
    """A download name from the address, with nothing a header or a file system would mind."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-._") else "_" for ch in email)
    return f"customer-{safe}.json"


def _same_address(first: str, second: str) -> bool:
    return first.strip().lower() == second.strip().lower()


@router.get("", response_class=HTMLResponse)
async def privacy_page(request: Request, pair: AgentSession) -> HTMLResponse:
    _admin(pair)
    return _page(request, pair)


@router.post("/export", response_model=None)
async def export(
    request: Request, pair: AgentSession, session: SessionDep, email: Email
) -> Response:
    """Download the customer's data as a JSON file (the one `tandem customer export` prints)."""
    admin = _admin(pair)
    try:
        data = await privacy_service.export_customer(session, email.strip(), actor=admin)
    except TandemError as error:
        return _page(request, pair, error=error.message, status_code=error.status_code)
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{_filename(email.strip())}"'},
    )


@router.post("/erase", response_class=HTMLResponse)
async def erase(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    email: Email,
    confirm_email: Annotated[str, Form(max_length=320)] = "",
) -> HTMLResponse:
    """Erase the customer when the address was typed twice alike; otherwise change nothing."""
    admin = _admin(pair)
    if not _same_address(email, confirm_email):
        return _page(
            request,
            pair,
            error=N_("The two addresses differ, so nothing was erased. Type the same one twice."),
            status_code=422,
        )
    try:
        async with session.begin_nested():
            count = await privacy_service.erase_customer(session, email.strip(), actor=admin)
    except TandemError as error:
        return _page(request, pair, error=error.message, status_code=error.status_code)
    return _page(
        request,
        pair,
        notice=Text(
            N_("Erased %(email)s: %(count)s conversation(s) anonymised."),
            {"email": email.strip().lower(), "count": count},
        ),
    )
