"""Password hashing, random tokens and signatures."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8
# zxcvbn's score from 0 (guessed in moments) to 4; 3 resists an offline attack for years.
MIN_PASSWORD_SCORE = 3


def password_weakness(password: str, *, user_inputs: Sequence[str] = ()) -> str | None:
    """Say why ``password`` is too weak (too short, or easy to guess), or None when it is fine.

    Guessability comes from zxcvbn (dictionaries, keyboard patterns, dates, the user's own name
    and e-mail), not from character-class rules.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Passwords need at least {MIN_PASSWORD_LENGTH} characters."
    result = zxcvbn(password[:100], user_inputs=list(user_inputs))
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    feedback = result["feedback"]
    hints = " ".join(
        part for part in (feedback.get("warning"), *feedback.get("suggestions", [])) if part
    )
    return "That password is easy to guess. " + (hints or "Use a few uncommon words.")


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return str(_hasher.hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password against its hash in constant time."""
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    """Tell whether a hash was made with weaker parameters than today's."""
    return bool(_hasher.check_needs_rehash(password_hash))


def new_token() -> str:
    """Return a fresh unguessable URL-safe token (256 bits)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which a bearer token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign(secret: str, value: str) -> str:
    """Return the HMAC-SHA256 hex signature of ``value``."""
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


def signature_matches(secret: str, value: str, signature: str) -> bool:
    """Check an HMAC-SHA256 signature in constant time."""
    return hmac.compare_digest(sign(secret, value), signature)


def tokens_equal(a: str, b: str) -> bool:
    """Compare two secrets in constant time."""
    return hmac.compare_digest(a.encode(), b.encode())
