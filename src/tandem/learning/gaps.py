"""The gap report: questions the bot could not answer, grouped by similarity. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tandem.copilot.similar import cluster

SAME_GAP = 0.3  # TF-IDF cosine at which two unanswered questions count as one gap
EXAMPLES = 5
_SMALL_TALK = re.compile(r"^(hi|hello|hey|thanks?( you)?|ok(ay)?|yes|no|bye)\W*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Miss:
    """A customer turn the bot had no grounded answer for."""

    conversation_id: str
    text: str
    escalated: bool  # the conversation then went to a person


@dataclass(frozen=True, slots=True)
class Gap:
    examples: tuple[str, ...]  # distinct phrasings, most common first
    questions: int  # customer turns in the gap
    conversations: tuple[str, ...]  # provenance
    escalated: int  # conversations of the gap that reached a person


def is_question(signals: dict[str, object], text: str) -> bool:
    """Tell a real question the bot missed from small talk and requests for a person."""
    if signals.get("answered", True) or signals.get("human_request"):
        return False
    return not _SMALL_TALK.match(text.strip())


def gaps(misses: Sequence[Miss], *, limit: int = 20) -> list[Gap]:
    """Group the misses by similarity and rank the groups by how many conversations hit them."""
    groups = cluster([m.text for m in misses], min_score=SAME_GAP)
    found = []
    for group in groups:
        members = [misses[i] for i in group]
        phrasings: dict[str, int] = {}
        for m in members:
            key = " ".join(m.text.split())
            phrasings[key] = phrasings.get(key, 0) + 1
        conversations = tuple(dict.fromkeys(m.conversation_id for m in members))
        escalated = {m.conversation_id for m in members if m.escalated}
        examples = sorted(phrasings, key=lambda p: -phrasings[p])[:EXAMPLES]
        found.append(Gap(tuple(examples), len(members), conversations, len(escalated)))
    found.sort(key=lambda g: (-len(g.conversations), -g.questions))
    return found[:limit]
