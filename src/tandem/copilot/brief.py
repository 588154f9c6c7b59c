"""The handoff brief: what the customer wants and what the bot already did. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MAX_QUOTE = 240
_SMALL_TALK = re.compile(
    r"^(hi|hello|hey|hiya|good (morning|afternoon|evening)|thanks?( you)?|ok(ay)?|yes|no|"
    r"cheers|bye)\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Turn:
    """One message as the brief sees it."""

    author: str  # customer, bot, agent, system
    text: str
    kind: str | None = None  # bot turns: answer, not_sure, handoff, greeting
    source_titles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    name: str | None
    email: str | None
    tier: str
    verified: bool
    previous_conversations: int


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1].rstrip() + "…"


def _substantive(turn: Turn) -> bool:
    return turn.author == "customer" and not _SMALL_TALK.match(turn.text.strip())


def summarise_request(turns: Sequence[Turn]) -> str:
    """Say in one or two sentences what the customer wants, quoting their own words."""
    asks = [t.text for t in turns if _substantive(t)]
    if not asks:
        return "The customer has not said what they need yet."
    first, last = _quote(asks[0]), _quote(asks[-1])
    if len(asks) == 1 or first == last:
        return f"Customer asked: “{first}”"
    return f"Customer first asked: “{first}” Latest: “{last}”"


def bot_attempts(turns: Sequence[Turn]) -> list[dict[str, Any]]:
    """List each customer question the bot answered or could not answer, in order."""
    attempts: list[dict[str, Any]] = []
    question: str | None = None
    for turn in turns:
        if turn.author == "customer":
            question = turn.text
        elif turn.author == "bot" and question is not None and turn.kind in ("answer", "not_sure"):
            attempts.append(
                {
                    "question": _quote(question),
                    "outcome": "answered" if turn.kind == "answer" else "not sure",
                    "articles": list(turn.source_titles),
                }
            )
            question = None
    return attempts


def build_brief(
    turns: Sequence[Turn],
    *,
    reasons: Sequence[tuple[str, str]],
    customer: CustomerFacts,
    sentiment: str | None = None,
) -> dict[str, Any]:
    """Assemble the brief an agent reads before replying, so nobody repeats themselves."""
    return {
        "summary": summarise_request(turns),
        "reasons": [{"code": code, "evidence": evidence} for code, evidence in reasons],
        "bot_attempts": bot_attempts(turns),
        "sentiment": sentiment,
        "customer": {
            "name": customer.name,
            "email": customer.email,
            "tier": customer.tier,
            "verified": customer.verified,
            "previous_conversations": customer.previous_conversations,
        },
    }
