"""Who is calling: an agent (session cookie + CSRF token) or nobody."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from tandem.auth import service as auth_service
from tandem.auth.models import AuthSession, User
from tandem.core.deps import SAFE_METHODS, SessionDep
from tandem.core.errors import AuthenticationError, PermissionDeniedError
from tandem.core.security import tokens_equal

SESSION_COOKIE = "tandem_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


async def _csrf_token_sent(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def get_agent_session(request: Request, session: SessionDep) -> tuple[User, AuthSession]:
    """Return the logged-in user; state-changing requests must carry the session's CSRF token."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise AuthenticationError("Please log in to the agent console.")
    user, auth_session = await auth_service.authenticate(session, token)
    if request.method not in SAFE_METHODS:
        sent = await _csrf_token_sent(request)
        if not sent or not tokens_equal(sent, auth_session.csrf_token):
            raise PermissionDeniedError(
                "Missing or wrong CSRF token; reload the page and try again."
            )
    await auth_service.seen(session, user)
    return user, auth_session


async def get_current_agent(
    pair: Annotated[tuple[User, AuthSession], Depends(get_agent_session)],
) -> User:
    return pair[0]


CurrentAgent = Annotated[User, Depends(get_current_agent)]
AgentSession = Annotated[tuple[User, AuthSession], Depends(get_agent_session)]
