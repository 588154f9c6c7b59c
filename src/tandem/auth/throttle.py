"""Limit login attempts per account and per client address (guessing passwords)."""

from __future__ import annotations

from starlette.requests import Request

from tandem.config import Settings
from tandem.core.limits import Limiter, client_address


def check_login(request: Request, *, email: str, settings: Settings) -> None:
    """Count a login attempt; raise ``TooManyRequestsError`` over either limit."""
    limiter: Limiter = request.app.state.limiter
    limiter.hit(
        scope="login-address",
        key=client_address(request),
        per_minute=settings.login_attempts_per_ip,
        message="Too many login attempts from this address; wait a minute and try again.",
    )
    limiter.hit(
        scope="login-account",
        key=email.strip().lower(),
        per_minute=settings.login_attempts_per_account,
        message="Too many login attempts for this account; wait a minute and try again.",
    )
