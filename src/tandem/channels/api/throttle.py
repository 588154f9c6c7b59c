"""Limit how fast one client can open conversations and send messages (floods, scripts)."""

from __future__ import annotations

from starlette.requests import Request

from tandem.config import Settings
from tandem.core.limits import Limiter, client_address


def check_new_conversation(request: Request, *, settings: Settings) -> None:
    """Count a new conversation; raise ``TooManyRequestsError`` over the address's limit."""
    limiter: Limiter = request.app.state.limiter
    limiter.hit(
        scope="conversations-address",
        key=client_address(request),
        per_minute=settings.conversations_per_ip,
        message="Too many new conversations from this address; wait a minute and try again.",
    )


def check_message(request: Request, *, conversation_id: str, settings: Settings) -> None:
    """Count a customer message; raise ``TooManyRequestsError`` over either limit."""
    limiter: Limiter = request.app.state.limiter
    limiter.hit(
        scope="messages-conversation",
        key=conversation_id,
        per_minute=settings.messages_per_conversation,
        message="You're sending messages very fast; wait a moment, then send the next one.",
    )
    limiter.hit(
        scope="messages-address",
        key=client_address(request),
        per_minute=settings.messages_per_ip,
        message="Too many messages from this address; wait a minute and try again.",
    )
