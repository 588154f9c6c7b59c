"""What customers read when a person joins, leaves or is on the way."""

from __future__ import annotations

from tandem.core import i18n


def waiting(
    *, position: int, wait_seconds: int | None, opening: str, language: str | None = None
) -> str:
    """Tell a customer their place and the expected wait, in their language."""
    place = (
        i18n.text("place_next", language)
        if position == 1
        else i18n.text("place_number", language, position=position)
    )
    if wait_seconds is None:
        return i18n.text("waiting_nobody_online", language, opening=opening, place=place)
    minutes = max(1, round(wait_seconds / 60))
    wait = (
        i18n.text("wait_about_one", language)
        if minutes == 1
        else i18n.text("wait_about", language, minutes=minutes)
    )
    return i18n.text("waiting_with_estimate", language, opening=opening, place=place, wait=wait)


def agent_joined(agent_name: str) -> str:
    return f"{agent_name} from our support team has joined the conversation."


def resolved() -> str:
    return "This conversation has been marked as resolved. How did we do? You can rate it below."


def finding_someone_else() -> str:
    return "Sorry for the wait. We're finding someone else from our team who can reply right away."


def closed(*, when_back: str, position: int, language: str | None = None) -> str:
    return i18n.text("closed", language, when_back=when_back, position=position)


def abuse_warning() -> str:
    return (
        "Our team is here to help, and we ask that you keep the conversation respectful. "
        "If abusive language continues, we may end this chat."
    )


def ended_for_abuse() -> str:
    return (
        "This chat has been ended because of abusive language. You can contact us again "
        "at any time; we're happy to help when we can talk respectfully."
    )


def follow_up_noted(*, email: str | None, phone: str | None) -> str:
    if phone:
        return f"Thanks. We'll call you back at {phone} as soon as someone from our team is free."
    return f"Thanks. We'll reply by e-mail to {email}; you don't need to keep this page open."
