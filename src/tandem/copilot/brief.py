"""The handoff brief: what the customer wants and what the bot already did. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tandem.copilot.facts import extract_facts, mask_contacts

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
    # bot turns: answer, tentative, clarify, not_sure, action_ask, action_confirm,
    # action_result, greeting...
    kind: str | None = None
    source_titles: tuple[str, ...] = ()
    signals: Mapping[str, Any] = field(default_factory=dict)  # customer turns: what the bot read


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    name: str | None
    email: str | None
    tier: str
    verified: bool
    previous_conversations: int


@dataclass(frozen=True, slots=True)
class PastConversation:
    """An earlier conversation of the same customer, as the brief summarises it."""

    started_at: datetime
    outcome: str  # resolved by the bot, resolved by a person, ended, still open
    turns: tuple[Turn, ...]


# A change of at least this much emotional load between the first and last turns is a trend.
TREND_STEP = 0.15
UPSET = 0.5


def _quote(text: str) -> str:
    text = mask_contacts(" ".join(text.split()))
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


def transcript(turns: Sequence[Turn]) -> list[tuple[str, str]]:
    """The customer's and the bot's messages as (author, text), contact details masked."""
    return [
        (t.author, mask_contacts(" ".join(t.text.split())))
        for t in turns
        if t.author in ("customer", "bot") and t.text.strip()
    ]


# What each kind of bot reply did for the customer's question, as the brief says it.
_OUTCOMES = {
    "answer": "answered",
    "tentative": "offered an answer it was not sure of",
    "clarify": "asked which of these was meant",
    "not_sure": "not sure",
    "action_result": "did it",
    "action_ask": "asked for details",
    "action_confirm": "asked the customer to confirm",
}


def bot_attempts(turns: Sequence[Turn]) -> list[dict[str, Any]]:
    """List each customer question and what the bot did with it, in order: answered (sure or
    not), asked back, not sure, or ran an action (an order lookup, say) with its result."""
    attempts: list[dict[str, Any]] = []
    question: str | None = None
    asked_back = False  # the bot asked for details: the customer's reply is no new question
    for turn in turns:
        if turn.author == "customer":
            if not asked_back or question is None:
                question = turn.text
            asked_back = False
        elif turn.author == "bot" and question is not None and turn.kind in _OUTCOMES:
            attempt: dict[str, Any] = {
                "question": _quote(question),
                "outcome": _OUTCOMES[turn.kind],
                "articles": list(turn.source_titles),
            }
            if turn.kind == "action_result":
                attempt["result"] = _quote(turn.text)  # what the customer was told
            attempts.append(attempt)
            asked_back = turn.kind in ("action_ask", "action_confirm")
            if not asked_back:
                question = None
    return attempts


def intent(turns: Sequence[Turn], model_intent: tuple[str, float] | None = None) -> dict[str, Any]:
    """Name what the latest question is about and how sure the bot was of its answer."""
    if model_intent is not None:
        return {"name": model_intent[0], "confidence": round(model_intent[1], 2), "source": "model"}
    for turn in reversed(turns):
        topic = turn.signals.get("topic")
        # "Get me a person" is about the bot, not the problem: read the turn before it.
        if turn.author == "customer" and topic and not turn.signals.get("human_request"):
            confidence = float(turn.signals.get("answer_confidence", 0.0))
            return {"name": str(topic), "confidence": round(confidence, 2), "source": "retrieval"}
    return {"name": None, "confidence": None, "source": None}


def sentiment_trend(turns: Sequence[Turn]) -> dict[str, Any]:
    """Describe how the customer's emotional load moved over their turns."""
    loads = [
        float(t.signals["emotion_load"])
        for t in turns
        if t.author == "customer" and "emotion_load" in t.signals
    ]
    if not loads:
        return {"trend": "unknown", "latest": None, "loads": []}
    change = loads[-1] - loads[0]
    trend = "rising" if change >= TREND_STEP else "falling" if change <= -TREND_STEP else "steady"
    mood = "upset" if loads[-1] >= UPSET else "calm"
    return {"trend": trend, "latest": mood, "loads": [round(x, 2) for x in loads]}


def facts(turns: Sequence[Turn]) -> list[dict[str, str]]:
    """List the order numbers and (masked) contact details the customer already gave."""
    found = extract_facts(t.text for t in turns if t.author == "customer")
    return [{"kind": f.kind, "value": f.value} for f in found]


def summarise_past(past: PastConversation) -> dict[str, Any]:
    """Summarise an earlier conversation: its date, outcome and the customer's first ask."""
    asks = [t.text for t in past.turns if _substantive(t)]
    return {
        "date": past.started_at.date().isoformat(),
        "outcome": past.outcome,
        "summary": _quote(asks[0]) if asks else "No question asked.",
    }


def build_brief(
    turns: Sequence[Turn],
    *,
    reasons: Sequence[tuple[str, str]],
    customer: CustomerFacts,
    sentiment: str | None = None,
    history: Sequence[PastConversation] = (),
    model_intent: tuple[str, float] | None = None,
) -> dict[str, Any]:
    """Assemble the brief an agent reads before replying, so nobody repeats themselves."""
    return {
        "summary": summarise_request(turns),
        "summary_by": "extractive",  # or "llm" once a model's summary passed the checks
        "reasons": [{"code": code, "evidence": evidence} for code, evidence in reasons],
        "intent": intent(turns, model_intent),
        "sentiment_trend": sentiment_trend(turns),
        "facts": facts(turns),
        "bot_attempts": bot_attempts(turns),
        "history": [summarise_past(p) for p in history],
        "sentiment": sentiment,
        "customer": {
            "name": customer.name,
            "email": customer.email,
            "tier": customer.tier,
            "verified": customer.verified,
            "previous_conversations": customer.previous_conversations,
        },
    }
