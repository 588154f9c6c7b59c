"""CSV export of the conversations behind a report. Pure."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from tandem.analytics.facts import ConversationFact
from tandem.core.spreadsheet import safe_cell

COLUMNS = (
    "conversation_id",
    "created_at",
    "channel",
    "tier",
    "topic",
    "status",
    "outcome",
    "ai_involved",
    "ai_resolved",
    "handed_off",
    "first_queue",
    "reopened",
    "first_contact_resolved",
    "first_response_seconds",
    "resolution_seconds",
    "rating",
    "rating_comment",
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.0f}"
    return safe_cell(str(value))


def to_csv(conversations: Sequence[ConversationFact]) -> str:
    """Return one CSV line per conversation, with a header, safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for c in conversations:
        writer.writerow(
            _cell(v)
            for v in (
                c.id,
                c.created_at.isoformat(),
                c.channel,
                c.tier,
                c.topic,
                c.status,
                c.outcome,
                c.ai_involved,
                c.ai_resolved,
                c.human_handled,
                c.first_queue,
                c.reopened,
                c.first_contact_resolved,
                c.first_response_seconds,
                c.resolution_seconds,
                c.rating,
                c.rating_comment,
            )
        )
    return out.getvalue()
