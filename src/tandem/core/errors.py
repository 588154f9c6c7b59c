"""One error hierarchy: each error says what went wrong, what to do, and its HTTP status."""

from __future__ import annotations

from typing import ClassVar


class TandemError(Exception):
    """Base error; ``message`` is shown to the caller and should say what to do."""

    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def headers(self) -> dict[str, str]:
        """Extra response headers (e.g. ``Retry-After``)."""
        return {}


class TooManyRequestsError(TandemError):
    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = max(1, retry_after_seconds)

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class NotFoundError(TandemError):
    status_code = 404
    code = "not_found"


class ConflictError(TandemError):
    status_code = 409
    code = "conflict"


class AuthenticationError(TandemError):
    status_code = 401
    code = "not_authenticated"


class PermissionDeniedError(TandemError):
    status_code = 403
    code = "forbidden"


class InvalidInputError(TandemError):
    status_code = 422
    code = "invalid_input"


class ServiceUnavailableError(TandemError):
    status_code = 503
    code = "unavailable"
