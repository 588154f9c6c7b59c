"""The admin pages' common frame: who is logged in, their CSRF token, which page is open."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from tandem.auth.models import AuthSession, User
from tandem.web import admin_view as view
from tandem.web.templating import templates


def admin_page(
    request: Request,
    pair: tuple[User, AuthSession],
    name: str,
    context: dict[str, Any],  # Any: the template's values
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render ``admin/{name}.html`` inside the admin layout."""
    base = {"agent": pair[0], "csrf_token": pair[1].csrf_token, "view": view, "page": name}
    return templates.TemplateResponse(
        request, f"admin/{name}.html", base | context, status_code=status_code
    )
