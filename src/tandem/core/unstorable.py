"""Refuse, at the edge, text no database can store: NUL characters, lone surrogates, NaN.

PostgreSQL refuses a NUL in text and a JSON number that is not a number, and no encoder takes
a lone UTF-16 surrogate; left alone, each would surface as a 500 from deep inside a write. So
every request body (JSON or form) and URL is checked before a route sees it, and refused with
422 (404 for a path) and a message that says what to remove. The body is replayed unchanged to
the application when it is fine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tandem.core import problems

MAX_CHECKED_BYTES = 5_000_000  # larger bodies are the size limit's business


def problem(value: str) -> str | None:
    """Return why ``value`` cannot be stored, or None."""
    if "\x00" in value:
        return "contains a NUL character (\\u0000); remove it and send again"
    if any("\ud800" <= c <= "\udfff" for c in value):
        return "contains an unpaired UTF-16 surrogate; send valid Unicode text"
    return None


def _strings(data: Any) -> Iterator[str]:  # Any: parsed JSON
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)


def _not_a_number(token: str) -> float:
    raise ValueError(f"{token} is not a number JSON allows; send a finite number")


def body_problem(body: bytes, content_type: str) -> str | None:
    """Return why a request body cannot be stored, or None (unparseable bodies pass through)."""
    if "application/json" in content_type:
        try:
            data = json.loads(body, parse_constant=_not_a_number)
        except ValueError as error:
            message = str(error)
            return message if "not a number JSON allows" in message else None
        return next(filter(None, map(problem, _strings(data))), None)
    if "application/x-www-form-urlencoded" in content_type:
        text = body.decode("utf-8", errors="replace")
        fields = parse_qsl(text, keep_blank_values=True, errors="surrogatepass")
        return next(filter(None, (problem(k) or problem(v) for k, v in fields)), None)
    if b"\x00" in body and content_type.startswith("text/"):
        return problem("\x00")
    return None


class RefuseUnstorableText:
    """ASGI middleware: check URLs and bodies with ``problem`` before the application."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path_problem = problem(scope.get("path", ""))
        if path_problem:
            await _refuse(404, f"This address {path_problem}.", scope, receive, send)
            return
        query = unquote(scope.get("query_string", b"").decode("latin-1"), errors="surrogatepass")
        if (query_problem := problem(query)) is not None:
            await _refuse(422, f"The query string {query_problem}.", scope, receive, send)
            return
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"").decode("latin-1")
        reason = body_problem(body, content_type) if len(body) <= MAX_CHECKED_BYTES else None
        if reason is not None:
            await _refuse(422, f"The request body {reason}.", scope, receive, send)
            return
        await self.app(scope, replay([{"type": "http.request", "body": body}], receive), send)


def replay(messages: list[Message], then: Receive | None = None) -> Receive:
    """A ``receive`` that hands out ``messages`` first, then defers to ``then``."""

    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive


async def _refuse(status: int, message: str, scope: Scope, receive: Receive, send: Send) -> None:
    code = "not_found" if status == 404 else "invalid_input"
    response = problems.problem(status, code=code, detail=message)
    await response(scope, receive, send)
