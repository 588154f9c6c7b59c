"""Let an optional model word the brief's summary, without ever holding up or breaking a handoff.

The model itself lives in ``tandem.llm`` (a sibling layer this package may not import); the bot
passes one in. Any failure, timeout or refusal leaves the extractive summary in place.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any, Protocol

from tandem.copilot.brief import Turn, transcript

logger = logging.getLogger(__name__)

SUMMARY_SECONDS = 8.0  # the longest a handoff waits for a model's summary


class SummaryWriter(Protocol):
    """Say what the customer wants from the transcript, checked against it; None when unsure."""

    async def summarise(self, *, transcript: Sequence[tuple[str, str]]) -> str | None: ...


async def written_summary(writer: SummaryWriter, turns: Sequence[Turn]) -> str | None:
    """Return the writer's summary of ``turns``, or None on refusal, error or timeout."""
    said = transcript(turns)
    if not any(author == "customer" for author, _ in said):
        return None
    try:
        async with asyncio.timeout(SUMMARY_SECONDS):
            return await writer.summarise(transcript=said)
    except Exception as error:  # a summary must never break a handoff
        logger.warning("no model summary for the brief; keeping the extractive one: %r", error)
        return None


async def with_written_summary(
    brief: dict[str, Any], writer: SummaryWriter | None, turns: Sequence[Turn]
) -> dict[str, Any]:
    """Put the writer's summary in ``brief`` when it gives one; else keep the extractive one."""
    summary = await written_summary(writer, turns) if writer is not None else None
    if summary:
        brief["summary"], brief["summary_by"] = summary, "llm"
    return brief
