"""The chokepoint through which staff reach reports."""

from __future__ import annotations

from tandem.auth.models import Role, User
from tandem.core.errors import PermissionDeniedError

REPORT_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def access_reports(user: User) -> User:
    """Return ``user`` if they may see reports and forecasts: active supervisors and admins."""
    if not user.is_active:
        raise PermissionDeniedError("Your account is disabled; ask an administrator.")
    if user.role not in REPORT_ROLES:
        raise PermissionDeniedError(
            "Reports and staffing forecasts are for supervisors and admins; ask an admin for "
            "access."
        )
    return user
