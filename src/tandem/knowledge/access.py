"""The chokepoint through which staff reach the knowledge audit."""

from __future__ import annotations

from tandem.auth.access import require_role
from tandem.auth.models import Role, User

AUDIT_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def access_audit(user: User) -> User:
    """Return ``user`` if they may see the knowledge audit: supervisors and admins."""
    return require_role(user, AUDIT_ROLES, doing="see the knowledge audit")
