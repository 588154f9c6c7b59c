"""API tokens: what an integration presents instead of a browser session.

A token acts as its user, with their role, limited by its scope (``read``: only GET, HEAD and
OPTIONS; ``write``: all but the admin API; ``admin``: everything its user may do). It is shown
once when created and stored as its SHA-256 hash; revoking it, or deactivating its user, stops
it at once. Every use records when it was last used.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit, repository
from tandem.auth.models import ApiToken, TokenScope, User
from tandem.core.deps import SAFE_METHODS
from tandem.core.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from tandem.core.security import hash_token
from tandem.core.time import utc_now

PREFIX = "tdm_"
_SHOWN = len(PREFIX) + 6  # enough of a token to tell it apart in a listing
USED_EVERY = timedelta(seconds=60)  # last_used_at is renewed at most this often


@dataclass(frozen=True, slots=True)
class NewToken:
    token: str  # the secret, shown once
    record: ApiToken


def looks_like_api_token(credential: str) -> bool:
    return credential.startswith(PREFIX)


async def create(session: AsyncSession, *, user: User, name: str, scope: TokenScope) -> NewToken:
    """Create a token for ``user``; the returned secret is never stored or shown again."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInputError("Name the token (1 to 200 characters), e.g. 'CRM sync'.")
    if not user.is_active:
        raise InvalidInputError(f"{user.email} is deactivated; reactivate them first.")
    secret = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:_SHOWN],
        scope=scope,
        created_at=utc_now(),
    )
    session.add(record)
    await session.flush()
    await audit.record(
        session, "token.created", target=user.email, token_id=record.id, scope=scope.value
    )
    return NewToken(secret, record)


async def revoke(session: AsyncSession, token_id: int) -> ApiToken:
    """Stop a token working, now and for good (revoking twice is harmless)."""
    record = await repository.get_api_token(session, token_id)
    if record is None:
        raise NotFoundError(f"No API token {token_id}; `tandem token list` shows them.")
    if record.revoked_at is None:
        record.revoked_at = utc_now()
        await audit.record(session, "token.revoked", target=str(record.id), name=record.name)
    return record


async def list_tokens(session: AsyncSession) -> list[ApiToken]:
    return list(await repository.list_api_tokens(session))


async def authenticate(session: AsyncSession, secret: str, *, method: str) -> User:
    """Return the user a token acts as, or raise: unknown, revoked, user gone, out of scope."""
    user, _scope = await authenticate_scoped(session, secret, method=method)
    return user


async def authenticate_scoped(
    session: AsyncSession, secret: str, *, method: str
) -> tuple[User, TokenScope]:
    """``authenticate``, also returning the token's scope (the admin API asks for admin)."""
    record = await repository.find_api_token(session, hash_token(secret))
    if record is None or record.revoked_at is not None:
        raise AuthenticationError("This API token is not valid; it may have been revoked.")
    user = await repository.get_user(session, record.user_id)
    if user is None or not user.is_active:
        raise AuthenticationError("This API token's user is deactivated.")
    if record.scope is TokenScope.READ and method not in SAFE_METHODS:
        raise PermissionDeniedError(
            f"The token '{record.name}' may only read; create a token with the write scope."
        )
    now = utc_now()
    if record.last_used_at is None or now - record.last_used_at >= USED_EVERY:
        record.last_used_at = now
        await session.flush()
    return user, record.scope
