"""Single sign-on for staff: off to the OpenID Connect provider, and back into the console."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tandem.auth import audit, oidc, two_factor
from tandem.auth import service as auth_service
from tandem.auth.routes import set_session_cookie
from tandem.config import Settings
from tandem.core.db import write_from_here
from tandem.core.deps import SessionDep, SettingsDep
from tandem.core.errors import AuthenticationError, NotFoundError, TandemError
from tandem.web.login_flow import landing, login_form, safe_next

router = APIRouter(prefix="/console/sso", include_in_schema=False)
FLOW_COOKIE = "tandem_sso"
_Param = Annotated[str | None, Query(max_length=2000)]


def client_config(settings: Settings) -> oidc.ClientConfig:
    if not (settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret):
        raise NotFoundError(
            "Single sign-on is not set up here (TANDEM_OIDC_ISSUER, TANDEM_OIDC_CLIENT_ID, "
            "TANDEM_OIDC_CLIENT_SECRET); log in with your password."
        )
    return oidc.ClientConfig(
        issuer=settings.oidc_issuer,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        redirect_uri=f"{settings.base_url()}/console/sso/callback",
    )


@router.get("")
async def begin(
    request: Request,
    settings: SettingsDep,
    next_: Annotated[str | None, Query(alias="next", max_length=2000)] = None,
) -> Response:
    """Send the browser to the identity provider to log in there."""
    config = client_config(settings)
    try:
        info = await oidc.provider(config)
    except TandemError as error:
        return login_form(request, settings, next_=next_, error=error.message, status_code=503)
    url, flow = oidc.start(info, config, next_path=safe_next(next_))
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        FLOW_COOKIE,
        oidc.seal(flow, secret_key=settings.secret_key),
        max_age=oidc.FLOW_SECONDS,
        httponly=True,
        samesite="lax",  # sent on the provider's top-level redirect back, not on cross-site posts
        secure=settings.secure_cookies,
        path="/console/sso",
    )
    return response


@router.get("/callback", response_class=HTMLResponse)
async def callback(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    code: _Param = None,
    state: _Param = None,
    error: _Param = None,
    error_description: _Param = None,
) -> Response:
    """Back from the provider: check everything, then log the matching Tandem user in."""
    config = client_config(settings)
    next_path = None
    try:
        flow = oidc.unseal(request.cookies.get(FLOW_COOKIE), secret_key=settings.secret_key)
        next_path = flow.next
        if error:
            raise AuthenticationError(
                f"The identity provider did not log you in ({error_description or error})."
            )
        if not code or not state:
            raise AuthenticationError("The identity provider sent no code; start again.")
        info = await oidc.provider(config)
        identity = await oidc.finish(info, config, flow, code=code, state=state)
        await write_from_here(session)  # this GET writes the login and its audit line
        user = await auth_service.find_user(session, identity.email)
        if user is None or not user.is_active:
            audit.logger.warning("single sign-on for %r: no active user", identity.email)
            raise AuthenticationError(
                f"No active Tandem account uses {identity.email}; an admin can add you at "
                "/admin/users."
            )
    except TandemError as problem:
        page = login_form(
            request,
            settings,
            next_=next_path,
            error=problem.message,
            status_code=problem.status_code,
        )
        page.delete_cookie(FLOW_COOKIE, path="/console/sso")
        return page
    stage = auth_service.login_stage(user, two_factor.required_roles(settings.two_factor_roles))
    login = await auth_service.open_session(
        session, user, stage=stage, max_age_seconds=settings.session_max_age_seconds
    )
    await audit.record(
        session, "login.single_sign_on", actor=user, target=user.email, subject=identity.subject
    )
    response = RedirectResponse(landing(login.stage, safe_next(flow.next)), status_code=303)
    response.delete_cookie(FLOW_COOKIE, path="/console/sso")
    set_session_cookie(response, login.token, settings)
    return response
