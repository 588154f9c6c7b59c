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


def wait(seconds: int | None, language: str | None = None) -> str:
    """Say a wait estimate in words the customer reads (no estimate: nobody is online)."""
    if seconds is None:
        return i18n.text("nobody_online", language)
    minutes = max(1, round(seconds / 60))
    if minutes == 1:
        return i18n.text("wait_one_minute", language)
    return i18n.text("wait_minutes", language, minutes=minutes)


def back(when: str | None, language: str | None = None) -> str:
    """Say when the team is back (``when`` from ``hours.describe_opening``), or that it will be."""
    if when is None:
        return i18n.text("back_unknown", language)
    return i18n.text("back_at", language, when=when)


def agent_joined(agent_name: str, language: str | None = None) -> str:
    return i18n.text("agent_joined", language, name=agent_name)


def resolved(language: str | None = None) -> str:
    return i18n.text("resolved", language)


def finding_someone_else(language: str | None = None) -> str:
    return i18n.text("finding_someone_else", language)


def closed(*, when_back: str, position: int, language: str | None = None) -> str:
    return i18n.text("closed", language, when_back=when_back, position=position)


def abuse_warning(language: str | None = None) -> str:
    return i18n.text("abuse_warning", language)


def ended_for_abuse(language: str | None = None) -> str:
    return i18n.text("ended_for_abuse", language)


def follow_up_noted(*, email: str | None, phone: str | None, language: str | None = None) -> str:
    if phone:
        return i18n.text("follow_up_call", language, phone=phone)
    return i18n.text("follow_up_email", language, email=email)
