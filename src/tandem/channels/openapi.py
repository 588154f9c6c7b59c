"""The OpenAPI document's security: which credential each part of the API takes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

SCHEMES: dict[str, dict[str, str]] = {
    "apiToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (tdm_...) from `tandem token create`: acts as its user, "
        "limited by its scope (read: GET only). No CSRF token needed.",
    },
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "tandem_session",
        "description": "The console's login (POST /api/v1/auth/login); state-changing "
        "requests also send the csrf token.",
    },
    "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
    "conversationToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "The token POST /api/v1/conversations returned: the only key to that "
        "conversation.",
    },
    "inboundMailSecret": {
        "type": "http",
        "scheme": "bearer",
        "description": "TANDEM_EMAIL_INBOUND_SECRET (or as the basic-auth password).",
    },
}
STAFF: list[dict[str, list[str]]] = [{"apiToken": []}, {"session": [], "csrf": []}]


def _security(path: str, method: str, tags: list[str]) -> list[dict[str, list[str]]] | None:
    if "customer" in tags:
        return (
            None
            if method == "post" and path == "/api/v1/conversations"
            else [{"conversationToken": []}]
        )
    if "email" in tags:
        return [{"inboundMailSecret": []}]
    if path.startswith("/api/v1/auth/login"):
        return None
    return STAFF


def document(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """``app.openapi``: FastAPI's document plus the security schemes and who needs which."""

    def openapi() -> dict[str, Any]:  # Any: the OpenAPI document is free-form JSON
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        schema.setdefault("components", {})["securitySchemes"] = SCHEMES
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                security = _security(path, method, operation.get("tags", []))
                if security is not None:
                    operation["security"] = security
        app.openapi_schema = schema
        return schema

    return openapi
