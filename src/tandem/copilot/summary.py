"""Let an optional model word the brief's summary, without ever holding up or breaking a handoff.

The model itself lives in ``tandem.llm`` (a sibling layer this package may not import); the bot
passes one in, in a job after the handoff. Any failure or refusal leaves the extractive summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from tandem.copilot.brief import Turn, transcript


class SummaryWriter(Protocol):
    """Say what the customer wants from the transcript, checked against it; None when unsure.

    ``strict``: raise when the model cannot answer now (unreachable, overloaded), so that a
    job can try again later, instead of returning None.
    """

    async def summarise(
        self, *, transcript: Sequence[tuple[str, str]], strict: bool = False
    ) -> str | None: ...


async def written_summary(writer: SummaryWriter, turns: Sequence[Turn]) -> str | None:
    """Return the writer's summary of ``turns``, or None when it refuses or fails the checks.

    A model that cannot answer now raises (the job asks again later); so does a broken one.
    """
    said = transcript(turns)
    if not any(author == "customer" for author, _ in said):
        return None
    return await writer.summarise(transcript=said, strict=True)


def summary_changes(summary: str | None) -> dict[str, Any]:
    """What the model's ``summary`` changes in a brief: nothing when there is none."""
    return {"summary": summary, "summary_by": "llm"} if summary else {}
