"""Decide, from plain signals, whether a conversation must go to a person, and why.

Pure: no I/O, no clock, no model. A model can feed signals in but can never veto a handoff;
every reason that fires is listed, so each handoff is auditable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tandem.escalation.reasons import Priority, Reason, ReasonCode

SELF_HARM_TOPIC = "self_harm"


@dataclass(frozen=True, slots=True)
class Signals:
    """What is known about the conversation after the customer's latest message."""

    human_request: str | None = None  # evidence: how the customer asked
    negative_emotion: str | None = None  # evidence: the cues that fired
    sensitive_topics: tuple[tuple[str, str], ...] = ()  # (topic, evidence)
    answered: bool = True  # the bot has a grounded answer for this turn
    answer_confidence: float = 1.0
    failed_answers: int = 0  # consecutive turns without a grounded answer, this one included
    tier: str = "standard"


@dataclass(frozen=True, slots=True)
class Policy:
    """The knobs of the escalation policy, with safe defaults."""

    max_failed_answers: int = 2
    vip_tiers: frozenset[str] = frozenset({"vip"})
    vip_max_failed_answers: int = 1
    queue: str = "general"


DEFAULT_POLICY = Policy()


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome: stay with the bot, or hand off with every reason, a priority and a queue."""

    handoff: bool
    reasons: tuple[Reason, ...] = ()
    priority: Priority = Priority.NORMAL
    queue: str = "general"
    codes: frozenset[ReasonCode] = field(default=frozenset(), compare=False)

    @classmethod
    def bot(cls) -> Decision:
        return cls(handoff=False)

    @classmethod
    def human(cls, reasons: list[Reason], priority: Priority, queue: str) -> Decision:
        return cls(
            handoff=True,
            reasons=tuple(reasons),
            priority=priority,
            queue=queue,
            codes=frozenset(reason.code for reason in reasons),
        )

    @property
    def primary(self) -> Reason | None:
        """Return the reason listed first (the most specific one)."""
        return self.reasons[0] if self.reasons else None


def decide(signals: Signals, policy: Policy = DEFAULT_POLICY) -> Decision:
    """Return whether to hand off, with every reason that fired, most specific first."""
    reasons: list[Reason] = []
    priority = Priority.NORMAL

    for topic, evidence in signals.sensitive_topics:
        reasons.append(Reason(ReasonCode.SENSITIVE_TOPIC, f"{topic}: {evidence}"))
        priority = max(priority, Priority.URGENT if topic == SELF_HARM_TOPIC else Priority.HIGH)
    if signals.human_request is not None:
        reasons.append(Reason(ReasonCode.CUSTOMER_REQUEST, signals.human_request))
    if signals.negative_emotion is not None:
        reasons.append(Reason(ReasonCode.NEGATIVE_EMOTION, signals.negative_emotion))
        priority = max(priority, Priority.ELEVATED)

    is_vip = signals.tier in policy.vip_tiers
    if not signals.answered:
        limit = policy.vip_max_failed_answers if is_vip else policy.max_failed_answers
        if signals.failed_answers >= limit:
            if signals.failed_answers > 1:
                evidence = f"{signals.failed_answers} questions in a row without a grounded answer"
                reasons.append(Reason(ReasonCode.REPEATED_FAILURE, evidence))
                priority = max(priority, Priority.ELEVATED)
            else:
                evidence = (
                    f"best knowledge match {signals.answer_confidence:.2f} is below threshold"
                )
                reasons.append(Reason(ReasonCode.LOW_CONFIDENCE, evidence))

    if not reasons:
        return Decision.bot()
    if is_vip:
        reasons.append(Reason(ReasonCode.VIP, f"customer tier is {signals.tier}"))
        priority = max(priority, Priority.HIGH)
    return Decision.human(reasons, priority, policy.queue)
