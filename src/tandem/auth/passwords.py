"""A user's own password: changed with the current one, or reset through a link sent by e-mail.

The reset link carries a signed token: the user's id, an expiry, and a fingerprint of the
password hash it was issued against. Nothing is stored; once the password changes (the link
used, or changed another way) the fingerprint no longer matches, so every link works once.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit, repository
from tandem.auth import service as auth_service
from tandem.auth.models import User
from tandem.core.errors import AuthenticationError, InvalidInputError
from tandem.core.security import sign, signature_matches
from tandem.core.time import utc_now

RESET_LINK_MINUTES = 30
_PURPOSE = "password-reset"
_BAD_LINK = (
    "This password reset link is not valid: it has expired, was already used, or was cut "
    "short. Ask for a new one at /console/password/forgot."
)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_token(user: User, *, secret_key: str, now: datetime | None = None) -> str:
    """A link token for ``user``: valid ``RESET_LINK_MINUTES``, and until the password changes."""
    expires = int(((now or utc_now()) + timedelta(minutes=RESET_LINK_MINUTES)).timestamp())
    payload = f"{user.id}.{expires}.{_fingerprint(user)}"
    signature = sign(secret_key, f"{_PURPOSE}:{payload}")
    return base64.urlsafe_b64encode(f"{payload}.{signature}".encode()).decode().rstrip("=")


async def user_for_reset(session: AsyncSession, token: str, *, secret_key: str) -> User:
    """The user a link token was issued to, or ``InvalidInputError`` saying to ask again."""
    try:
        padded = token + "=" * (-len(token) % 4)
        user_id, expires, fingerprint, signature = (
            base64.urlsafe_b64decode(padded.encode()).decode().split(".")
        )
        payload = f"{user_id}.{expires}.{fingerprint}"
        valid = signature_matches(secret_key, f"{_PURPOSE}:{payload}", signature)
        alive = int(expires) > utc_now().timestamp()
        user = await repository.get_user(session, int(user_id)) if valid and alive else None
    except ValueError:  # not base64, not four parts, not numbers, not text
        user = None
    if user is None or not user.is_active or _fingerprint(user) != fingerprint:
        raise InvalidInputError(_BAD_LINK)
    return user


async def reset(session: AsyncSession, token: str, *, password: str, secret_key: str) -> User:
    """Set a new password through a link; every session of the user ends."""
    user = await user_for_reset(session, token, secret_key=secret_key)
    await auth_service.set_password(session, email=user.email, password=password)
    await audit.record(session, "user.password_reset", actor=user, target=user.email)
    return user


async def change(session: AsyncSession, user: User, *, current: str, new: str) -> None:
    """Change one's own password; the current one must be right. Every session ends."""
    if not await auth_service.password_matches(user, current):
        raise AuthenticationError("The current password is not right.")
    if await auth_service.password_matches(user, new):
        raise InvalidInputError("The new password is the same as the current one.")
    await auth_service.set_password(session, email=user.email, password=new)
