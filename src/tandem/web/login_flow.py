"""Logging in, shared by the password form, the two-factor pages and single sign-on."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from tandem.auth.models import SessionStage
from tandem.config import Settings
from tandem.web.templating import templates


def safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would make the login page a phishing tool.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/console"


def login_form(
    request: Request,
    settings: Settings,
    *,
    next_: str | None,
    error: str | None = None,
    email: str | None = None,
    reset: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    """The login page: password form, and a single sign-on button when one is set up."""
    return templates.TemplateResponse(
        request,
        "console/login.html",
        {
            "next": safe_next(next_),
            "error": error,
            "email": email,
            "reset": reset,
            "sso_label": settings.oidc_label if settings.oidc_issuer else None,
        },
        status_code=status_code,
    )


def landing(stage: SessionStage, target: str) -> str:
    """Where the browser goes after the first factor: the code, the set-up, or ``target``."""
    if stage is SessionStage.CODE:
        return f"/console/two-factor/code?{urlencode({'next': target})}"
    if stage is SessionStage.ENROL:
        return "/console/two-factor"
    return target
