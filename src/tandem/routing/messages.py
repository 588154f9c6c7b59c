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
