"""Errors as RFC 9457 problem details (``application/problem+json``), one format for the API.

Every error body has the standard members (``type``, ``title``, ``status``, ``detail``) and
two of Tandem's: ``code``, a stable machine-readable name, and ``error`` (``{code, message}``),
the shape earlier clients read. Malformed input also lists each field's problem in ``errors``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi.encoders import jsonable_encoder
from starlette.responses import JSONResponse

MEDIA_TYPE = "application/problem+json"


def problem(
    status: int,
    *,
    code: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,  # Any: JSON-able extension members
) -> JSONResponse:
    """A problem-details response with ``status`` and ``detail`` (what to do)."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "error": {"code": code, "message": detail},
        **extra,
    }
    return JSONResponse(
        body, status_code=status, headers=dict(headers or {}), media_type=MEDIA_TYPE
    )


def _field(location: Sequence[Any]) -> str:
    return ".".join(str(part) for part in location if part not in ("body", "query", "path"))


def invalid_input(errors: Sequence[Mapping[str, Any]]) -> JSONResponse:
    """422 for a request that does not match the schema, naming each field and why."""
    listed = [
        {"field": _field(e.get("loc", ())), "message": str(e.get("msg", "")), "type": e.get("type")}
        for e in errors
    ]
    first = listed[0] if listed else {"field": "", "message": "the request is malformed"}
    where = f"{first['field']}: " if first["field"] else ""
    more = f" (and {len(listed) - 1} more)" if len(listed) > 1 else ""
    return problem(
        422,
        code="invalid_input",
        detail=f"{where}{first['message']}{more}. Fix the request and send it again.",
        errors=jsonable_encoder(listed),
    )
