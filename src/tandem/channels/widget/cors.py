"""CORS for the customer API, for the sites allowed to embed the widget, and no others.

The widget's frame calls the API from Tandem's own origin and needs none of this; a site that
builds its own chat on the customer API from an allowed origin does. Other origins get no
CORS headers at all, so browsers keep refusing them.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tandem.channels.widget import service as widget_service

CUSTOMER_API = "/api/v1/conversations"
METHODS = "GET, POST, OPTIONS"
HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID"
MAX_AGE = "600"


class WidgetCors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(CUSTOMER_API):
            await self.app(scope, receive, send)
            return
        origin = dict(scope.get("headers", [])).get(b"origin", b"").decode("latin-1")
        allowed = False
        if origin:
            state = scope["app"].state
            allowed = origin in await widget_service.allowed_origins(
                state.widget_origins, state.sessionmaker
            )
        if (
            scope.get("method") == "OPTIONS"
            and origin
            and b"access-control-request-method" in dict(scope.get("headers", []))
        ):
            response = Response(status_code=204 if allowed else 403)
            if allowed:
                response.headers.update(
                    {
                        "Access-Control-Allow-Origin": origin,
                        "Access-Control-Allow-Methods": METHODS,
                        "Access-Control-Allow-Headers": HEADERS,
                        "Access-Control-Max-Age": MAX_AGE,
                    }
                )
            response.headers["Vary"] = "Origin"
            await response(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.add_vary_header("Origin")
                if allowed:
                    headers["Access-Control-Allow-Origin"] = origin
            await send(message)

        await self.app(scope, receive, send_with_cors)
