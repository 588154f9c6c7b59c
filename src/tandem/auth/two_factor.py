"""Two-factor login: one-time codes from an authenticator app (TOTP, RFC 6238) and recovery codes.

Setting up draws a secret, shows it as a QR code and asks for a code from the app before
turning it on, so nobody is locked out by a mistyped secret. A code is accepted once (its time
step is remembered) and one step early or late (clocks drift). Ten recovery codes, each usable
once and stored only as hashes, let a user in whose phone is lost; an admin can also turn
two-factor off for them (``tandem user reset-two-factor EMAIL``).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import pyotp
import segno
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit
from tandem.auth.models import Role, User
from tandem.core.errors import AuthenticationError, ConflictError, InvalidInputError
from tandem.core.security import hash_token, tokens_equal
from tandem.core.time import utc_now

RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_DRIFT_STEPS = 1  # a code from the step before or after is still accepted


@dataclass(frozen=True, slots=True)
class Enrolment:
    """What the set-up page shows: the secret as text, as a link and as a QR code."""

    secret: str
    uri: str
    qr_svg: str


def required_roles(setting: str) -> frozenset[Role]:
    """Parse ``TANDEM_TWO_FACTOR_ROLES`` (comma-separated); name a wrong role plainly."""
    roles = set()
    for part in (p.strip().lower() for p in setting.split(",")):
        if not part:
            continue
        try:
            roles.add(Role(part))
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise InvalidInputError(
                f"TANDEM_TWO_FACTOR_ROLES names {part!r}, which is not a role ({known})."
            ) from None
    return frozenset(roles)


def is_enabled(user: User) -> bool:
    return user.totp_secret is not None


def is_required(user: User, roles: frozenset[Role]) -> bool:
    return user.role in roles


def begin(user: User) -> None:
    """Draw a new secret for the user, kept aside until a code from the app confirms it."""
    if user.totp_secret is not None:
        raise ConflictError("Two-factor login is already on; turn it off first to change phones.")
    user.totp_pending_secret = pyotp.random_base32()


def enrolment(user: User, *, issuer: str) -> Enrolment | None:
    """The secret being set up, for the page to show (None before :func:`begin`)."""
    secret = user.totp_pending_secret
    if secret is None:
        return None
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=2, dark="#111", light="#fff")
    return Enrolment(secret=secret, uri=uri, qr_svg=svg)


async def confirm(session: AsyncSession, user: User, code: str) -> list[str]:
    """Turn two-factor on once a code from the app matches; return the new recovery codes."""
    secret = user.totp_pending_secret
    if secret is None:
        raise ConflictError("Start setting up two-factor login first; the page shows a QR code.")
    step = _matching_step(secret, code, last_step=None)
    if step is None:
        raise InvalidInputError(
            "That code does not match. Check the phone's clock and type the code the app shows now."
        )
    user.totp_secret, user.totp_pending_secret, user.totp_last_step = secret, None, step
    codes = _new_recovery_codes(user)
    await audit.record(session, "user.two_factor_enabled", actor=user, target=user.email)
    return codes


async def verify(session: AsyncSession, user: User, code: str) -> None:
    """Accept a current code or an unused recovery code, each only once; raise otherwise."""
    if user.totp_secret is None:
        raise ConflictError("Two-factor login is not turned on for this account.")
    step = _matching_step(user.totp_secret, code, last_step=user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return
    if _use_recovery_code(user, code):
        left = len(user.recovery_code_hashes)
        await audit.record(
            session, "user.recovery_code_used", actor=user, target=user.email, left=left
        )
        return
    audit.logger.warning("wrong two-factor code for %r", user.email)
    raise AuthenticationError("Wrong or already used code; type the code the app shows now.")


async def regenerate_recovery_codes(session: AsyncSession, user: User) -> list[str]:
    """Replace the user's recovery codes (the old ones stop working)."""
    if user.totp_secret is None:
        raise ConflictError("Turn on two-factor login first.")
    codes = _new_recovery_codes(user)
    await audit.record(session, "user.recovery_codes_renewed", actor=user, target=user.email)
    return codes


async def disable(session: AsyncSession, user: User, *, by: User | None = None) -> None:
    """Turn two-factor off (the user with a code, or an admin for a user who lost the phone)."""
    user.totp_secret = user.totp_pending_secret = user.totp_last_step = None
    user.recovery_code_hashes = []
    await audit.record(session, "user.two_factor_disabled", actor=by or user, target=user.email)


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _matching_step(secret: str, code: str, *, last_step: int | None) -> int | None:
    """The time step the code belongs to, if it is current and newer than ``last_step``."""
    digits = _normalise(code)
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = utc_now()
    current = totp.timecode(now)
    for step in range(current - _DRIFT_STEPS, current + _DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue  # each code once: a code seen over a shoulder is useless afterwards
        if tokens_equal(totp.generate_otp(step), digits):
            return step
    return None


def _new_recovery_codes(user: User) -> list[str]:
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODES)
    ]
    user.recovery_code_hashes = [hash_token(c) for c in codes]
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def _use_recovery_code(user: User, code: str) -> bool:
    digest = hash_token(_normalise(code))
    stored: Sequence[str] = user.recovery_code_hashes
    if not any(tokens_equal(digest, h) for h in stored):
        return False
    user.recovery_code_hashes = [h for h in stored if h != digest]
    return True
