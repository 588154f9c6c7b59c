"""Refuse request bodies over a size limit before anything reads them into memory.

A declared ``Content-Length`` over the limit is refused at once; a chunked body is counted as
it arrives and refused as soon as it passes the limit. Either way the answer is 413 with a
message that says the limit, and no route ever sees the body.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tandem.core.problems import problem
from tandem.core.unstorable import replay


class LimitRequestBody:
    """ASGI middleware: at most ``max_bytes`` of request body per request.

    ``per_path`` gives other limits for exact paths (inbound mail carries attachments).
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, per_path: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.per_path = dict(per_path or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.per_path.get(scope.get("path", ""), self.max_bytes)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        chunks: list[Message] = []
        size = 0
        more = scope.get("method") in ("POST", "PUT", "PATCH")
        while more:
            message = await receive()
            chunks.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                await self._refuse(scope, receive, send, limit)
                return
            more = message.get("more_body", False)
        await self.app(scope, replay(chunks, receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        shown = f"{limit // 1024} KiB" if limit >= 1024 else f"{limit} bytes"
        message = f"The request body is larger than {shown}; send less at a time."
        response = problem(413, code="too_large", detail=message)
        await response(scope, receive, send)
