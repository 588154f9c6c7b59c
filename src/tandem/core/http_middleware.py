"""Response headers and request metrics as plain ASGI middleware.

Both only look at the start of a response, so neither buffers a body nor wraps a stream in a
task of its own (as Starlette's ``BaseHTTPMiddleware`` does, for every request and every open
event stream).
"""

from __future__ import annotations

import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tandem.core.metrics import REQUEST_SECONDS, REQUESTS

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# The API docs page starts Swagger UI with an inline script (FastAPI's page), served locally.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'"
)
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """CSP on every page, no caching of anything but static files, HSTS in production."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self._hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add(MutableHeaders(scope=message), path)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _add(self, headers: MutableHeaders, path: str) -> None:
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        # The widget's frame names the sites that may frame it in its own CSP.
        framed = "frame-ancestors 'none'" not in headers.get(
            "Content-Security-Policy", "frame-ancestors 'none'"
        )
        if not framed:
            headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Content-Security-Policy", DOCS_CSP if path.startswith("/docs") else CSP)
        if not path.startswith("/static/"):
            # Transcripts, queues and API answers must not linger in shared or browser caches.
            headers.setdefault("Cache-Control", "no-store")
        if self._hsts:
            headers.setdefault("Strict-Transport-Security", HSTS)


class CountRequests:
    """Count requests and time them to the start of the response, per route template.

    A request that fails before any response starts counts as a 500 (the error handler
    outside answers it so). An event stream is counted but not timed: it lasts as long as the
    customer stays.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        counted = False

        async def send_counted(message: Message) -> None:
            nonlocal counted
            if message["type"] == "http.response.start" and not counted:
                counted = True
                media_type = MutableHeaders(scope=message).get("content-type", "")
                _count(scope, message["status"], started, timed="event-stream" not in media_type)
            await send(message)

        try:
            await self.app(scope, receive, send_counted)
        except Exception:
            if not counted:
                _count(scope, 500, started, timed=True)
            raise


def _count(scope: Scope, status: int, started: float, *, timed: bool) -> None:
    # The router writes the matched route into the request's scope, this same dict.
    route = getattr(scope.get("route"), "path", "unmatched")
    REQUESTS.labels(scope["method"], route, str(status)).inc()
    if timed:
        REQUEST_SECONDS.labels(route).observe(time.perf_counter() - started)
