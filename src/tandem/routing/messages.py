"""What customers read when a person joins, leaves or is on the way."""

from __future__ import annotations

from tandem.routing.estimate import describe_wait


def waiting(*, position: int, wait_seconds: int | None, opening: str) -> str:
    place = "You're next in line" if position == 1 else f"You're number {position} in the queue"
    if wait_seconds is None:
        return (
            f"{opening} {place}. {describe_wait(None)}; "
            "you can leave this page open or come back later."
        )
    return f"{opening} {place}; the expected wait is {describe_wait(wait_seconds)}."


def agent_joined(agent_name: str) -> str:
    return f"{agent_name} from our support team has joined the conversation."


def resolved() -> str:
    return "This conversation has been marked as resolved. How did we do? You can rate it below."


def finding_someone_else() -> str:
    return "Sorry for the wait. We're finding someone else from our team who can reply right away."


def closed(*, when_back: str, position: int) -> str:
    return (
        f"Our team is offline right now; {when_back}. You're number {position} in the queue "
        "and will be picked up first when we're back. You can leave your e-mail for a reply, "
        "or ask us to call you back, instead of waiting here."
    )


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
