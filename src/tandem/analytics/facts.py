"""What the metrics are computed from: one row per conversation and one per handoff. Pure.

Each flag below is one definition of ``docs/metrics.md``; the metrics, the drill-down lists and
the CSV export all use these same properties, so a number and the conversations behind it
cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

REOPEN_WINDOW = timedelta(days=7)
# A handoff this emotionally loaded (0..1) is a hard case: the routing policy's default.
HARD_LOAD = 0.6
NO_TOPIC = "other"


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds()


@dataclass(frozen=True, slots=True)
class ConversationFact:
    """A conversation as the metrics see it; every timestamp is aware UTC."""

    id: str
    created_at: datetime
    channel: str
    tier: str
    status: str
    topic: str
    customer_messages: int
    bot_replies: int  # bot messages other than the greeting
    handoffs: int
    first_queue: str | None
    first_customer_at: datetime | None
    first_reply_at: datetime | None  # first bot or agent message after the customer's first
    resolved_at: datetime | None  # its first resolution
    reopened_at: datetime | None  # its first reopening
    next_contact_at: datetime | None  # the same customer's next conversation
    rating: int | None
    rating_comment: str | None

    @property
    def ai_involved(self) -> bool:
        return self.bot_replies > 0

    @property
    def human_handled(self) -> bool:
        return self.handoffs > 0

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def reopened(self) -> bool:
        """Reopened within 7 days of its first resolution."""
        if self.resolved_at is None or self.reopened_at is None:
            return False
        return self.reopened_at - self.resolved_at <= REOPEN_WINDOW

    @property
    def ai_resolved(self) -> bool:
        """The bot took part, no person did, and it stayed resolved for 7 days."""
        return self.ai_involved and not self.human_handled and self.resolved and not self.reopened

    @property
    def first_contact_resolved(self) -> bool:
        """Resolved, not reopened, and the customer did not come back within 7 days."""
        if self.resolved_at is None or self.reopened:
            return False
        return (
            self.next_contact_at is None or self.next_contact_at - self.resolved_at > REOPEN_WINDOW
        )

    @property
    def outcome(self) -> str:
        if self.ai_resolved:
            return "ai_resolved"
        if self.human_handled:
            return "human"
        return "unresolved"

    @property
    def first_response_seconds(self) -> float | None:
        return _seconds(self.first_customer_at, self.first_reply_at)

    @property
    def resolution_seconds(self) -> float | None:
        return _seconds(self.created_at, self.resolved_at)


@dataclass(frozen=True, slots=True)
class HandoffFact:
    """One stay in the human queue."""

    id: int
    conversation_id: str
    created_at: datetime
    queue: str
    reason: str  # the primary reason
    claimed_at: datetime | None
    claimed_by: int | None
    first_human_reply_at: datetime | None
    resolved_at: datetime | None
    emotional_load: float  # 0..1: the conversation's emotional load for the agent
    sla_deadline: datetime | None = None  # first human reply due by, as routing recorded it

    @property
    def time_to_human_seconds(self) -> float | None:
        return _seconds(self.created_at, self.first_human_reply_at)

    @property
    def handle_seconds(self) -> float | None:
        """From the agent taking it to resolving it."""
        return _seconds(self.claimed_at, self.resolved_at)

    @property
    def hard(self) -> bool:
        return self.emotional_load >= HARD_LOAD

    def sla_met(self, *, target_seconds: float, now: datetime) -> bool | None:
        """Whether a person replied in time; None while that can still happen.

        In time: by the deadline routing recorded (its queue's target, counted from when the
        queue opens), or else within ``target_seconds`` of the handoff.
        """
        due = self.sla_deadline or self.created_at + timedelta(seconds=target_seconds)
        if self.first_human_reply_at is not None:
            return self.first_human_reply_at <= due
        return None if now <= due else False


def topic_of(
    *,
    recorded: str | None,
    answer_slug: str | None,
    suggested_slug: str | None,
    topics_by_slug: dict[str, str],
) -> str:
    """Name what a conversation was about.

    What the bot recorded on the conversation (an article slug, or an intent name) when it
    recorded something; otherwise the article its first reply answered from, or else the first
    article it suggested. An article stands for its topic: its first tag.
    """
    if recorded:
        return topics_by_slug.get(recorded, recorded)
    for slug in (answer_slug, suggested_slug):
        if slug and slug in topics_by_slug:
            return topics_by_slug[slug]
    return NO_TOPIC
