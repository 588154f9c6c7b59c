"""Two-factor login in the console: type the code after the password, set it up, turn it off."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.auth import service as auth_service
from tandem.auth import two_factor
from tandem.auth.deps import SESSION_COOKIE, LoginSession
from tandem.auth.models import SessionStage, User
from tandem.auth.routes import set_session_cookie
from tandem.auth.throttle import check_login
from tandem.config import Settings
from tandem.core.deps import SessionDep, SettingsDep
from tandem.core.errors import AuthenticationError, TandemError
from tandem.web.login_flow import safe_next
from tandem.web.templating import templates
from tandem.web.translations import N_

router = APIRouter(prefix="/console/two-factor", include_in_schema=False)

_Code = Annotated[str, Form(max_length=40)]
_Next = Annotated[str | None, Form(alias="next")]


@router.get("/code", response_class=HTMLResponse)
async def code_page(
    request: Request,
    pair: LoginSession,
    next_: Annotated[str | None, Query(alias="next")] = None,
) -> Response:
    user, auth = pair
    if auth.stage is not SessionStage.CODE:
        return RedirectResponse(safe_next(next_), status_code=303)
    return _code_form(request, user, auth.csrf_token, next_=next_, error=None)


@router.post("/code", response_class=HTMLResponse)
async def submit_code(
    request: Request,
    pair: LoginSession,
    session: SessionDep,
    settings: SettingsDep,
    code: _Code,
    next_: _Next = None,
) -> Response:
    """The second step of logging in: a code from the app, or a recovery code."""
    user, auth = pair
    if auth.stage is not SessionStage.CODE:
        return RedirectResponse(safe_next(next_), status_code=303)
    check_login(request, email=user.email, settings=settings)
    try:
        await two_factor.verify(session, user, code)
    except AuthenticationError as error:
        return _code_form(request, user, auth.csrf_token, next_=next_, error=error.message)
    redirect = RedirectResponse(safe_next(next_), status_code=303)
    return await _complete(request, session, settings, user, redirect)


@router.get("", response_class=HTMLResponse)
async def settings_page(request: Request, pair: LoginSession, settings: SettingsDep) -> Response:
    """Set up two-factor login (QR code and a code to confirm), or see and change it."""
    user, auth = pair
    if auth.stage is SessionStage.CODE:
        return RedirectResponse("/console/two-factor/code", status_code=303)
    return _settings(request, user, auth.csrf_token, settings, error=None)


@router.post("/start")
async def start(pair: LoginSession) -> Response:
    """Draw a secret to set up (a new one each time: the page shows it as a QR code)."""
    user, auth = pair
    if auth.stage is SessionStage.CODE:
        return RedirectResponse("/console/two-factor/code", status_code=303)
    two_factor.begin(user)
    return RedirectResponse("/console/two-factor", status_code=303)


@router.post("/confirm", response_class=HTMLResponse)
async def confirm(
    request: Request,
    pair: LoginSession,
    session: SessionDep,
    settings: SettingsDep,
    code: _Code,
) -> Response:
    """Turn two-factor on with a code from the app; show the recovery codes once."""
    user, auth = pair
    if auth.stage is SessionStage.CODE:
        return RedirectResponse("/console/two-factor/code", status_code=303)
    check_login(request, email=user.email, settings=settings)
    try:
        codes = await two_factor.confirm(session, user, code)
    except TandemError as error:
        return _settings(request, user, auth.csrf_token, settings, error=error.message)
    response = templates.TemplateResponse(
        request, "console/recovery_codes.html", {"codes": codes, "user": user}
    )
    if auth.stage is SessionStage.ENROL:  # set up during login: the login is now complete
        await _complete(request, session, settings, user, response)
    return response


@router.post("/recovery-codes", response_class=HTMLResponse)
async def renew_recovery_codes(
    request: Request,
    pair: LoginSession,
    session: SessionDep,
    settings: SettingsDep,
    code: _Code,
) -> Response:
    """New recovery codes (a current code proves the phone is at hand); the old ones stop."""
    user = pair[0]
    refused = await _check_code(request, pair, session, settings, code)
    if refused is not None:
        return refused
    codes = await two_factor.regenerate_recovery_codes(session, user)
    return templates.TemplateResponse(
        request, "console/recovery_codes.html", {"codes": codes, "user": user}
    )


@router.post("/disable", response_class=HTMLResponse)
async def disable(
    request: Request,
    pair: LoginSession,
    session: SessionDep,
    settings: SettingsDep,
    code: _Code,
) -> Response:
    """Turn two-factor off with a current code, unless the user's role requires it."""
    user, auth = pair
    if two_factor.is_required(user, two_factor.required_roles(settings.two_factor_roles)):
        return _settings(
            request,
            user,
            auth.csrf_token,
            settings,
            error=N_(
                "Your role requires two-factor login, so it stays on. With a new phone, ask an "
                "admin to reset it (`tandem user reset-two-factor EMAIL`) and set it up again."
            ),
        )
    refused = await _check_code(request, pair, session, settings, code)
    if refused is not None:
        return refused
    await two_factor.disable(session, user)
    return RedirectResponse("/console/two-factor", status_code=303)


async def _check_code(
    request: Request, pair: LoginSession, session: SessionDep, settings: Settings, code: str
) -> Response | None:
    """A complete login and a current code, or the response that says what is wrong."""
    user, auth = pair
    if auth.stage is not SessionStage.COMPLETE:
        return RedirectResponse("/console/two-factor", status_code=303)
    check_login(request, email=user.email, settings=settings)
    try:
        await two_factor.verify(session, user, code)
    except TandemError as error:
        return _settings(request, user, auth.csrf_token, settings, error=error.message)
    return None


async def _complete(
    request: Request, session: SessionDep, settings: Settings, user: User, response: Response
) -> Response:
    """Replace the half-open session by a complete one, whose cookie ``response`` sets."""
    login = await auth_service.finish_login(
        session,
        user,
        token=request.cookies[SESSION_COOKIE],
        max_age_seconds=settings.session_max_age_seconds,
    )
    set_session_cookie(response, login.token, settings)
    return response


def _code_form(
    request: Request, user: User, csrf_token: str, *, next_: str | None, error: str | None
) -> Response:
    return templates.TemplateResponse(
        request,
        "console/two_factor_code.html",
        {"user": user, "csrf_token": csrf_token, "next": safe_next(next_), "error": error},
        status_code=401 if error else 200,
    )


def _settings(
    request: Request, user: User, csrf_token: str, settings: Settings, *, error: str | None
) -> Response:
    enabled = two_factor.is_enabled(user)
    return templates.TemplateResponse(
        request,
        "console/two_factor.html",
        {
            "user": user,
            "csrf_token": csrf_token,
            "error": error,
            "enabled": enabled,
            "required": two_factor.is_required(
                user, two_factor.required_roles(settings.two_factor_roles)
            ),
            "codes_left": len(user.recovery_code_hashes),
            "setup": two_factor.enrolment(user, issuer=settings.two_factor_issuer),
        },
        status_code=422 if error else 200,
    )
