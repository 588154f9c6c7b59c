"""The header and metrics middleware see every response, streams and failures included."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from tandem.core.http_middleware import CSP, HSTS, CountRequests, SecurityHeaders
from tandem.core.metrics import REGISTRY


async def hello(request: Request) -> Response:
    return PlainTextResponse("hello")


async def broken(request: Request) -> Response:
    raise RuntimeError("a bug")


async def stream(request: Request) -> Response:
    async def events() -> AsyncIterator[bytes]:
        yield b"data: one\n\n"
        yield b"data: two\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")


def _app() -> ServerErrorMiddleware:
    routes = [Route("/mw/hello/{name}", hello), Route("/mw/broken", broken)]
    routes.append(Route("/mw/stream", stream))
    app = Starlette(routes=routes)
    return ServerErrorMiddleware(SecurityHeaders(CountRequests(app), hsts=True))


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://mw") as http:
        yield http


async def test_every_response_gets_the_security_headers(client: httpx.AsyncClient) -> None:
    for path in ("/mw/hello/ann", "/mw/stream"):
        response = await client.get(path)
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["strict-transport-security"] == HSTS
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


async def test_requests_are_counted_by_route_template(client: httpx.AsyncClient) -> None:
    ok = {"method": "GET", "route": "/mw/hello/{name}", "status": "200"}
    before = _sample("tandem_http_requests_total", **ok)
    timed = _sample("tandem_http_request_duration_seconds_count", route="/mw/hello/{name}")
    assert (await client.get("/mw/hello/ann")).text == "hello"
    assert (await client.get("/mw/hello/bob")).status_code == 200
    assert _sample("tandem_http_requests_total", **ok) - before == 2
    assert _sample("tandem_http_request_duration_seconds_count", route="/mw/hello/{name}") == (
        timed + 2
    )


async def test_a_failing_request_counts_as_a_500(client: httpx.AsyncClient) -> None:
    failed = {"method": "GET", "route": "/mw/broken", "status": "500"}
    before = _sample("tandem_http_requests_total", **failed)
    assert (await client.get("/mw/broken")).status_code == 500
    assert _sample("tandem_http_requests_total", **failed) - before == 1


async def test_a_stream_is_counted_but_not_timed(client: httpx.AsyncClient) -> None:
    ok = {"method": "GET", "route": "/mw/stream", "status": "200"}
    before = _sample("tandem_http_requests_total", **ok)
    response = await client.get("/mw/stream")
    assert response.text == "data: one\n\ndata: two\n\n"
    assert _sample("tandem_http_requests_total", **ok) - before == 1
    assert _sample("tandem_http_request_duration_seconds_count", route="/mw/stream") == 0
