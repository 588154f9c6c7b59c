"""The demo shop's own backend: a few orders in memory, for the bot's actions to call.

A stand-in for a company's order system. ``tandem demo`` mounts it at ``/demo-backend``; each
``create_backend()`` has fresh orders, so tests do not see each other's changes.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tandem.core.time import utc_now


@dataclass
class Order:
    number: str
    email: str
    status: str  # processing, dispatched, delivered, cancelled
    items: str
    address: str
    eta: str
    carrier: str = ""

    @property
    def dispatched(self) -> bool:
        return self.status in ("dispatched", "delivered")


def _day(days_from_today: int, today: date | None = None) -> str:
    """A day as the shop writes it ("Friday 27 November"), relative to today."""
    day = (today or utc_now().date()) + timedelta(days=days_from_today)
    return f"{day:%A} {day.day} {day:%B}"


def demo_orders(today: date | None = None) -> dict[str, Order]:
    """A fresh copy of the demo's orders, by number, dated around ``today`` (never in the past)."""
    orders = [
        Order(
            "1042",
            "sam.taylor@example.com",
            "processing",
            "Oak side table",
            "12 Elm Street, Leeds LS1 4AB",
            _day(4, today),
        ),
        Order(
            "1043",
            "sam.taylor@example.com",
            "dispatched",
            "Linen cushion covers (2)",
            "12 Elm Street, Leeds LS1 4AB",
            _day(1, today),
            "DPD",
        ),
        Order(
            "1050",
            "vera.vip@example.com",
            "delivered",
            "Walnut dining table",
            "8 Canal Row, Bristol BS1 5TT",
            f"delivered on {_day(-5, today)}",
            "DHL",
        ),
    ]
    return {order.number: order for order in orders}


class Proof(BaseModel):
    order_number: str
    email: str


class Address(BaseModel):
    address: str


class Reset(BaseModel):
    email: str


class CodeCheck(BaseModel):
    email: str
    code: str


def _not_found() -> JSONResponse:
    return JSONResponse({"error": "no such order"}, status_code=404)


def create_backend(*, slow_seconds: float = 0.0, orders: dict[str, Order] | None = None) -> FastAPI:
    """Build the demo backend; ``slow_seconds`` delays every answer (to test timeouts).

    ``orders`` replaces the demo's orders (to test what the bot does with odd order data).
    """
    app = FastAPI(title="Pebble & Pine demo backend", docs_url=None, redoc_url=None)
    orders = demo_orders() if orders is None else orders

    async def pause() -> None:
        if slow_seconds:
            await asyncio.sleep(slow_seconds)

    @app.post("/verify")
    async def verify(proof: Proof) -> JSONResponse:
        await pause()
        order = orders.get(proof.order_number)
        if order is None or order.email != proof.email.strip().lower():
            return JSONResponse({"verified": False}, status_code=403)
        return JSONResponse({"verified": True})

    @app.get("/orders/{number}")
    async def order_status(number: str) -> JSONResponse:
        await pause()
        order = orders.get(number)
        return JSONResponse(asdict(order)) if order else _not_found()

    @app.post("/orders/{number}/cancel")
    async def cancel(number: str) -> JSONResponse:
        await pause()
        order = orders.get(number)
        if order is None:
            return _not_found()
        if order.dispatched:  # refused by the system: a person takes it from here
            return JSONResponse({**asdict(order), "problem": "already dispatched"}, 409)
        order.status = "cancelled"
        return JSONResponse(asdict(order))

    @app.put("/orders/{number}/address")
    async def change_address(number: str, body: Address) -> JSONResponse:
        await pause()
        order = orders.get(number)
        if order is None:
            return _not_found()
        if order.dispatched:
            return JSONResponse({**asdict(order), "problem": "already dispatched"}, 409)
        order.address = body.address
        return JSONResponse(asdict(order))

    @app.post("/password-reset")
    async def password_reset(body: Reset) -> JSONResponse:
        await pause()
        # The same answer whether or not the account exists: nothing leaks to a stranger.
        return JSONResponse({"email": body.email}, status_code=202)

    outbox: dict[str, str] = {}  # e-mail -> the last one-time code "sent" to it

    @app.post("/codes/send")
    async def send_code(body: Reset) -> JSONResponse:
        await pause()
        outbox[body.email.strip().lower()] = f"{secrets.randbelow(900000) + 100000}"
        return JSONResponse({"sent": True}, status_code=202)

    @app.get("/outbox")
    async def read_outbox(email: str) -> JSONResponse:
        """The demo's stand-in for the customer's mailbox."""
        code = outbox.get(email.strip().lower())
        return JSONResponse({"code": code}) if code else _not_found()

    @app.post("/codes/check")
    async def check_code(body: CodeCheck) -> JSONResponse:
        await pause()
        expected = outbox.get(body.email.strip().lower())
        if expected is None or not secrets.compare_digest(expected, body.code.strip()):
            return JSONResponse({"verified": False}, status_code=403)
        del outbox[body.email.strip().lower()]  # one time only
        return JSONResponse({"verified": True})

    @app.post("/accounts/close-request")
    async def close_request(body: Reset) -> JSONResponse:
        await pause()
        return JSONResponse({"email": body.email, "request": "recorded"}, status_code=202)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
