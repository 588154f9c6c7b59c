"""Who is calling: an agent (session cookie + CSRF token, or an API token) or nobody."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from tandem.auth import service as auth_service
from tandem.auth import tokens
from tandem.auth.access import ADMINS, require_role
from tandem.auth.models import AuthSession, SessionStage, TokenScope, User
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
    user, auth_session = await _session(request, session, stages=frozenset({SessionStage.COMPLETE}))
    await auth_service.seen(session, user)
    return user, auth_session


async def get_login_session(request: Request, session: SessionDep) -> tuple[User, AuthSession]:
    """A login at any stage: the two-factor pages serve one whose second step is still due."""
    return await _session(request, session, stages=frozenset(SessionStage))


async def _session(
    request: Request, session: SessionDep, *, stages: frozenset[SessionStage]
) -> tuple[User, AuthSession]:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise AuthenticationError("Please log in to the agent console.")
    user, auth_session = await auth_service.authenticate(session, token, stages=stages)
    request.state.language = user.language  # the pages' language; None: the browser's
    if request.method not in SAFE_METHODS:
        sent = await _csrf_token_sent(request)
        if not sent or not tokens_equal(sent, auth_session.csrf_token):
            raise PermissionDeniedError(
                "Missing or wrong CSRF token; reload the page and try again."
            )
    return user, auth_session


def _bearer(request: Request) -> str | None:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    return credential.strip() if scheme.lower() == "bearer" and credential.strip() else None


async def get_current_agent(request: Request, session: SessionDep) -> User:
    """The agent behind an API token (``Authorization: Bearer tdm_...``) or a login cookie.

    A token is not sent by browsers on their own, so it needs no CSRF token. Its requests do
    not count as the agent being there (an integration's token would keep an absent agent
    online); an agent working through the API checks in with ``POST /me/presence``.
    """
    credential = _bearer(request)
    if credential is not None and tokens.looks_like_api_token(credential):
        user, scope = await tokens.authenticate_scoped(session, credential, method=request.method)
        request.state.token_scope = scope
        request.state.language = user.language
        return user
    user, _auth_session = await get_agent_session(request, session)
    return user


CurrentAgent = Annotated[User, Depends(get_current_agent)]


async def get_current_admin(request: Request, user: CurrentAgent) -> User:
    """An admin, logged in or with a token of the admin scope (a write token is not enough)."""
    require_role(user, ADMINS, doing="use the admin API")
    scope = getattr(request.state, "token_scope", None)
    if scope is not None and scope is not TokenScope.ADMIN:
        raise PermissionDeniedError(
            f"This token has the {scope.value} scope; the admin API needs a token with the "
            "admin scope (`tandem token create EMAIL --name NAME --scope admin`)."
        )
    return user


CurrentAdmin = Annotated[User, Depends(get_current_admin)]
AgentSession = Annotated[tuple[User, AuthSession], Depends(get_agent_session)]
LoginSession = Annotated[tuple[User, AuthSession], Depends(get_login_session)]
