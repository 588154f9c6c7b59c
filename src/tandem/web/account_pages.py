"""A staff member's own account: the pages' language, the password, a forgotten one by e-mail."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.auth import passwords
from tandem.auth import service as auth_service
from tandem.auth.deps import AgentSession
from tandem.auth.models import SessionStage, User
from tandem.auth.routes import set_session_cookie
from tandem.auth.throttle import check_login
from tandem.channels.email import transport
from tandem.config import Settings
from tandem.core.deps import SessionDep, SettingsDep
from tandem.core.errors import TandemError
from tandem.web import translations
from tandem.web.templating import templates
from tandem.web.translations import N_

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/console", include_in_schema=False)

_Password = Annotated[str, Form(min_length=1, max_length=1000)]
_SENT = (
    "If that address belongs to an active account, a link to choose a new password is on its "
    f"way; it works once, for {passwords.RESET_LINK_MINUTES} minutes."
)


@router.get("/account", response_class=HTMLResponse)
async def account_page(request: Request, pair: AgentSession) -> HTMLResponse:
    return _account(request, pair[0], pair[1].csrf_token, notice=None, error=None)


@router.post("/account/language", response_class=HTMLResponse)
async def change_language(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    language: Annotated[str, Form(max_length=35)],
) -> Response:
    """Choose the language of one's pages, or follow the browser's."""
    user = pair[0]
    try:
        chosen = translations.chosen(language)
    except ValueError:
        return _account(
            request,
            user,
            pair[1].csrf_token,
            notice=None,
            error=N_("Choose one of the languages offered."),
            status_code=422,
        )
    await auth_service.do_set_language(session, user, language=chosen)
    request.state.language = chosen  # this answer already in the new language
    return _account(request, user, pair[1].csrf_token, notice=N_("Language saved."), error=None)


@router.post("/account/password", response_class=HTMLResponse)
async def change_password(
    request: Request,
    pair: AgentSession,
    session: SessionDep,
    settings: SettingsDep,
    current: _Password,
    new: _Password,
) -> Response:
    """Change one's password: every other session ends, this browser stays logged in."""
    user = pair[0]
    check_login(request, email=user.email, settings=settings)
    try:
        async with session.begin_nested():
            await passwords.change(session, user, current=current, new=new)
    except TandemError as error:
        return _account(
            request, user, pair[1].csrf_token, notice=None, error=error.message, status_code=422
        )
    login = await auth_service.open_session(
        session, user, stage=SessionStage.COMPLETE, max_age_seconds=settings.session_max_age_seconds
    )
    response = _account(
        request,
        user,
        login.csrf_token,
        notice=N_("Password changed. Every other session has been logged out."),
        error=None,
    )
    set_session_cookie(response, login.token, settings)
    return response


@router.get("/password/forgot", response_class=HTMLResponse)
async def forgot_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _forgot(request, settings, notice=None)


@router.post("/password/forgot", response_class=HTMLResponse)
async def send_reset_link(
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(min_length=3, max_length=320)],
) -> HTMLResponse:
    """Mail a reset link; the answer is the same whether or not the address has an account.

    The mail goes out after the response, off the request and its transaction: a slow SMTP
    server holds nothing, and the response time does not tell whether the account exists.
    """
    check_login(request, email=email, settings=settings)
    if settings.smtp_url is None or settings.email_address is None:
        return _forgot(request, settings, notice=None, status_code=503)
    user = await auth_service.find_user(session, email.strip())
    if user is not None and user.is_active:
        token = passwords.reset_token(user, secret_key=settings.secret_key)
        link = f"{settings.base_url()}/console/password/reset?{urlencode({'token': token})}"
        background.add_task(_mail_link, settings, user.email, user.name, link)
    return _forgot(request, settings, notice=_SENT)


@router.get("/password/reset", response_class=HTMLResponse)
async def reset_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str, Query(max_length=600)] = "",
) -> HTMLResponse:
    try:
        await passwords.user_for_reset(session, token, secret_key=settings.secret_key)
    except TandemError as error:
        return _reset_form(request, token, error=error.message, usable=False)
    return _reset_form(request, token, error=None, usable=True)


@router.post("/password/reset", response_class=HTMLResponse)
async def reset_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str, Form(max_length=600)],
    password: _Password,
) -> Response:
    """Set the new password; the user logs in with it (and their code, with two-factor on)."""
    try:
        await passwords.user_for_reset(session, token, secret_key=settings.secret_key)
    except TandemError as error:
        return _reset_form(request, token, error=error.message, usable=False)
    try:
        async with session.begin_nested():
            await passwords.reset(session, token, password=password, secret_key=settings.secret_key)
    except TandemError as error:  # a weak password: the link still works
        return _reset_form(request, token, error=error.message, usable=True)
    return RedirectResponse("/console/login?reset=1", status_code=303)


def _reset_form(request: Request, token: str, *, error: str | None, usable: bool) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "console/password_reset.html",
        {"token": token, "error": error, "usable": usable},
        status_code=422 if error else 200,
    )


def _mail_link(settings: Settings, address: str, name: str, link: str) -> None:
    """Send the reset link (run after the response, in a worker thread)."""
    assert settings.smtp_url is not None
    assert settings.email_address is not None
    mail = EmailMessage(policy=SMTP)
    mail["From"] = f"{settings.company_name} support <{settings.email_address}>"
    mail["To"] = address
    mail["Subject"] = "Choose a new password for the support console"
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=settings.email_address.rpartition("@")[2])
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(
        f"Hello {name},\n\n"
        "Someone (we hope you) asked to reset your password for the support console. "
        f"Choose a new one here within {passwords.RESET_LINK_MINUTES} minutes:\n\n{link}\n\n"
        "The link works once. If you did not ask, ignore this mail: your password stays as it "
        "is.\n"
    )
    server = transport.parse_server(settings.smtp_url, protocol="smtp")
    try:
        transport.send(server, sender=settings.email_address, recipient=address, raw=bytes(mail))
    except transport.SendError as error:
        logger.warning("password reset mail to %s not sent: %s", address, error)


def _account(
    request: Request,
    user: User,
    csrf_token: str,
    *,
    notice: str | None,
    error: str | None,
    status_code: int = 200,
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "console/account.html",
        {
            "user": user,
            "csrf_token": csrf_token,
            "notice": notice,
            "error": error,
            "languages": translations.language_names(),
        },
        status_code=status_code,
    )


def _forgot(
    request: Request, settings: Settings, *, notice: str | None, status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "console/password_forgot.html",
        {"notice": notice, "mail": settings.smtp_url is not None and bool(settings.email_address)},
        status_code=status_code,
    )
