"""Reply suggestions from past resolutions, and saved replies with variables. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tandem.copilot.similar import rank_similar

MIN_SIMILARITY = 0.2
_VARIABLE = re.compile(r"\{(\w+)\}")
MACRO_VARIABLES = ("customer_name", "agent_name", "order_number")


@dataclass(frozen=True, slots=True)
class ResolvedCase:
    """A past conversation a person resolved: what the customer said and what the person wrote."""

    conversation_id: str
    customer_text: str
    agent_replies: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    text: str
    source: str  # where it comes from, shown to the agent
    score: float


def best_reply(replies: Sequence[str]) -> str | None:
    """Pick the reply that carried the answer: the longest, greetings being short."""
    return max(replies, key=len) if replies else None


def from_past_cases(
    latest: str, cases: Sequence[ResolvedCase], *, limit: int = 3
) -> list[Suggestion]:
    """Suggest what people replied in resolved conversations most like ``latest``."""
    usable = [c for c in cases if c.agent_replies]
    ranked = rank_similar(
        latest, [c.customer_text for c in usable], limit=limit * 3, min_score=MIN_SIMILARITY
    )
    seen: set[str] = set()
    suggestions = []
    for index, score in ranked:
        reply = best_reply(usable[index].agent_replies)
        if reply is None or reply in seen:
            continue
        seen.add(reply)
        suggestions.append(Suggestion(reply, "a similar resolved conversation", round(score, 2)))
        if len(suggestions) == limit:
            break
    return suggestions


def render_macro(body: str, values: Mapping[str, str | None]) -> str:
    """Fill ``{variable}`` placeholders; an unknown or missing value stays visible to edit."""

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return value if value else match.group(0)

    return _VARIABLE.sub(fill, body)
