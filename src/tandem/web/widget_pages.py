"""The widget's pages: its loader script, and the chat it frames on an allowed site."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from tandem.channels.widget import service as widget_service
from tandem.channels.widget.origins import normalise_origin
from tandem.core.deps import SessionDep, SettingsDep
from tandem.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from tandem.web.templating import settle_customer_language, templates

router = APIRouter(include_in_schema=False)
LOADER = Path(__file__).resolve().parent / "static" / "js" / "widget.js"
FRAME_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}"
)


@router.get("/widget.js")
async def loader() -> FileResponse:
    """The one script a site adds; it draws the launcher and frames the chat."""
    return FileResponse(
        LOADER,
        media_type="text/javascript",
        headers={
            "Cache-Control": "public, max-age=300",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


@router.get("/widget/frame", response_class=HTMLResponse)
async def frame(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    key: Annotated[str, Query(max_length=100)] = "",
    origin: Annotated[str, Query(max_length=300)] = "",
    lang: Annotated[str | None, Query(max_length=35)] = None,
) -> HTMLResponse:
    """The chat for the widget's frame; only sites on the allowed list may frame it.

    ``lang`` is the snippet's ``data-lang``; without it, the visitor's browser's language.
    """
    settle_customer_language(request, settings, lang)
    if not hmac.compare_digest(key.encode(), settings.widget_key.encode()):
        raise NotFoundError("Unknown widget key; copy the snippet from /admin/widget again.")
    origins = await widget_service.allowed_origins(
        request.app.state.widget_origins, session=session
    )
    try:
        parent = normalise_origin(origin)
    except InvalidInputError:
        parent = ""
    if parent not in origins:
        # Said inside the site's frame, so its owner sees why; nothing here can be clicked.
        refusal = PermissionDeniedError(
            f"{origin or 'This site'} may not embed the chat; an admin can allow it on "
            "/admin/widget or in TANDEM_WIDGET_ORIGINS."
        )
        refused = templates.TemplateResponse(
            request,
            "error.html",
            {"message": refusal.message, "status": refusal.status_code},
            status_code=refusal.status_code,
        )
        refused.headers["Content-Security-Policy"] = FRAME_CSP.format(ancestors="*")
        return refused
    response = templates.TemplateResponse(
        request,
        "widget.html",
        {"company": settings.company_name, "parent_origin": parent, "identity": None},
    )
    response.headers["Content-Security-Policy"] = FRAME_CSP.format(
        ancestors=" ".join(sorted(origins))
    )
    return response
