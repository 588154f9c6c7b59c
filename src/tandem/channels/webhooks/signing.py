"""Standard Webhooks signatures (https://www.standardwebhooks.com): what receivers verify.

Pure. A secret is ``whsec_`` and base64 of 24 random bytes; the signature of a delivery is
``v1,`` and base64 of HMAC-SHA256 over ``{webhook-id}.{webhook-timestamp}.{body}`` keyed with
the secret's bytes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, *, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header's value for one delivery."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, *, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers, and the JSON content type."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id=message_id, timestamp=timestamp, body=body),
        "content-type": "application/json",
    }


def verify(
    secret: str, *, message_id: str, timestamp: int, body: bytes, signature_header: str
) -> bool:
    """True if one of the header's space-separated signatures is ours (as a receiver checks)."""
    expected = sign(secret, message_id=message_id, timestamp=timestamp, body=body)
    return any(hmac.compare_digest(expected, s) for s in signature_header.split())
