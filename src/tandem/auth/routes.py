"""Log agents in and out of the API (the console pages use the same service)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from tandem.auth import service as auth_service
from tandem.auth import two_factor
from tandem.auth.deps import SESSION_COOKIE, AgentSession
from tandem.auth.models import SessionStage
from tandem.auth.origin import refuse_cross_site
from tandem.auth.schemas import LoginCreate, LoginRead, UserRead
from tandem.auth.throttle import check_login
from tandem.config import Settings
from tandem.core.deps import SessionDep, SettingsDep
from tandem.core.errors import AuthenticationError, PermissionDeniedError

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    """Set the login cookie: HttpOnly, SameSite=Lax, Secure when configured."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_max_age_seconds,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


@router.post("/login")
async def login(
    request: Request,
    body: LoginCreate,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
) -> LoginRead:
    """Log in with e-mail and password; sets the session cookie and returns the CSRF token.

    An account with two-factor login also sends ``code``. Attempts are limited per account
    and per client address (429 with ``Retry-After``).
    """
    refuse_cross_site(request)
    check_login(request, email=str(body.email), settings=settings)
    user = await auth_service.check_password(session, email=body.email, password=body.password)
    if two_factor.is_enabled(user):
        if not body.code:
            raise AuthenticationError(
                "This account uses two-factor login: send the authenticator app's code as "
                "`code` with the e-mail and password."
            )
        await two_factor.verify(session, user, body.code)
    elif two_factor.is_required(user, two_factor.required_roles(settings.two_factor_roles)):
        raise PermissionDeniedError(
            "Your role requires two-factor login: log in once at /console/login to set it up."
        )
    result = await auth_service.open_session(
        session,
        user,
        stage=SessionStage.COMPLETE,
        max_age_seconds=settings.session_max_age_seconds,
    )
    set_session_cookie(response, result.token, settings)
    return LoginRead(user=UserRead.model_validate(result.user), csrf_token=result.csrf_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(
    request: Request, response: Response, pair: AgentSession, session: SessionDep
) -> None:
    """End the session and mark the agent offline."""
    user, _auth = pair
    await auth_service.log_out(session, user=user, token=request.cookies[SESSION_COOKIE])
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me")
async def me(pair: AgentSession) -> UserRead:
    return UserRead.model_validate(pair[0])
