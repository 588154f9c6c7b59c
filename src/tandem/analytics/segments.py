"""Drill-down: the conversations behind a number on the dashboard. Pure.

A segment is named in the URL (``ai_resolved``, ``reason:customer_request``,
``sla_missed:general``, ``agent:3``) and selects with the same properties the metrics count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from tandem.analytics.facts import ConversationFact, HandoffFact

_SIMPLE: dict[str, tuple[str, Callable[[ConversationFact], bool]]] = {
    "all": ("All conversations", lambda c: True),
    "ai_involved": ("Conversations the AI took part in", lambda c: c.ai_involved),
    "ai_resolved": ("Resolved by the AI alone", lambda c: c.ai_resolved),
    "handed_off": ("Handed off to a person", lambda c: c.human_handled),
    "unresolved": ("Not resolved by the AI, not handed off", lambda c: c.outcome == "unresolved"),
    "resolved": ("Resolved", lambda c: c.resolved),
    "reopened": ("Reopened within 7 days", lambda c: c.reopened),
    "first_contact_resolved": ("Resolved at first contact", lambda c: c.first_contact_resolved),
    "rated_ai": ("Rated, AI only", lambda c: c.rating is not None and not c.human_handled),
    "rated_human": ("Rated, with a person", lambda c: c.rating is not None and c.human_handled),
}


class UnknownSegmentError(ValueError):
    """The drill-down names no known segment."""


def _by_handoff(
    conversations: Sequence[ConversationFact],
    handoffs: Sequence[HandoffFact],
    keep: Callable[[HandoffFact], bool],
) -> list[ConversationFact]:
    ids = {h.conversation_id for h in handoffs if keep(h)}
    return [c for c in conversations if c.id in ids]


def select_segment(
    segment: str,
    conversations: Sequence[ConversationFact],
    handoffs: Sequence[HandoffFact],
    *,
    now: datetime,
    sla_seconds: float,
) -> tuple[str, list[ConversationFact]]:
    """Return a title and the conversations in ``segment``, in the order given."""
    if segment in _SIMPLE:
        title, keep = _SIMPLE[segment]
        return title, [c for c in conversations if keep(c)]
    kind, _, value = segment.partition(":")
    if kind == "reason" and value:
        title = f"Handed off for “{value.replace('_', ' ')}”"
        return title, _by_handoff(conversations, handoffs, lambda h: h.reason == value)
    if kind == "sla_missed" and value:
        title = f"First human reply later than the target, queue “{value}”"
        return title, _by_handoff(
            conversations,
            handoffs,
            lambda h: h.queue == value and h.sla_met(target_seconds=sla_seconds, now=now) is False,
        )
    if kind == "agent" and value.isdigit():
        agent_id = int(value)
        return "Handled by one agent", _by_handoff(
            conversations, handoffs, lambda h: h.claimed_by == agent_id
        )
    if kind == "topic" and value:
        return f"Topic “{value}”", [c for c in conversations if c.topic == value]
    raise UnknownSegmentError(f"Unknown drill-down “{segment}”.")
