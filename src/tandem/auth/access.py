"""Role checks: the chokepoint every supervisor- or admin-only action goes through."""

from __future__ import annotations

from tandem.auth.models import Role, User
from tandem.core.errors import PermissionDeniedError

SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})


def require_role(user: User, allowed: frozenset[Role], *, doing: str) -> User:
    """Return ``user`` if their role is allowed; otherwise 403 saying who may do it."""
    if user.role not in allowed:
        names = " or ".join(sorted(role.value for role in allowed))
        raise PermissionDeniedError(f"Only a {names} can {doing}.")
    return user
