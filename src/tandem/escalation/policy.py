"""Decide, from plain signals, whether a conversation must go to a person, and why.

Pure: no I/O, no clock, no model. Models may feed signals in but can never veto a handoff.
Every reason that fires is listed, most specific first (the order of ``PRECEDENCE``); the
queue is that of the first reason that names one, and the priority is the highest any reason
asks for, so each handoff is auditable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from tandem.escalation.config import Policy, Rule, priority_of
from tandem.escalation.reasons import Priority, Reason, ReasonCode

SELF_HARM_TOPIC = "self_harm"
PRECEDENCE = (
    ReasonCode.SENSITIVE_TOPIC,
    ReasonCode.CUSTOMER_REQUEST,
    ReasonCode.ADVERSE_DECISION,
    ReasonCode.NEGATIVE_EMOTION,
    ReasonCode.RULE,
    ReasonCode.HIGH_VALUE,
    ReasonCode.REPEAT_CONTACT,
    ReasonCode.LOOP,
    ReasonCode.REPEATED_FAILURE,
    ReasonCode.LOW_CONFIDENCE,
    ReasonCode.VIP,
)
DEFAULT_PRIORITY = {
    ReasonCode.CUSTOMER_REQUEST: Priority.NORMAL,
    ReasonCode.NEGATIVE_EMOTION: Priority.ELEVATED,
    ReasonCode.ADVERSE_DECISION: Priority.ELEVATED,
    ReasonCode.LOW_CONFIDENCE: Priority.NORMAL,
    ReasonCode.REPEATED_FAILURE: Priority.ELEVATED,
    ReasonCode.LOOP: Priority.ELEVATED,
    ReasonCode.REPEAT_CONTACT: Priority.ELEVATED,
    ReasonCode.HIGH_VALUE: Priority.HIGH,
    ReasonCode.VIP: Priority.HIGH,
}


@dataclass(frozen=True, slots=True)
class Signals:
    """What is known about the conversation after the customer's latest message."""

    text: str = ""
    human_request: str | None = None  # evidence: how the customer asked
    negative_emotion: str | None = None  # evidence: the cues that fired
    emotion_load: float = 0.0  # this turn, 0..1
    previous_loads: tuple[float, ...] = ()  # earlier customer turns, oldest first
    sensitive_topics: tuple[tuple[str, str], ...] = ()  # (topic, evidence)
    answered: bool = True  # the bot has a grounded answer for this turn
    answer_confidence: float = 1.0
    failed_answers: int = 0  # consecutive turns without a grounded answer, this one included
    topic: str | None = None  # what this turn is about (intent or best article)
    topic_count: int = 0  # turns about ``topic`` in this conversation, this one included
    rephrase_of: str | None = None  # an earlier customer message this one repeats
    bot_would_repeat: bool = False  # the answer would be one the bot already gave
    recent_contacts: int = 0  # earlier contacts by this customer within the window
    problem: str | None = None  # evidence the customer reports a problem with an order
    order_value: float | None = None
    adverse_request: str | None = None  # asks for something only a person may refuse or grant
    tier: str = "standard"
    attributes: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome: stay with the bot, or hand off with every reason, a priority and a queue."""

    handoff: bool
    reasons: tuple[Reason, ...] = ()
    priority: Priority = Priority.NORMAL
    queue: str = "general"

    @classmethod
    def bot(cls) -> Decision:
        return cls(handoff=False)

    @property
    def primary(self) -> Reason | None:
        """Return the most specific reason."""
        return self.reasons[0] if self.reasons else None

    @property
    def codes(self) -> frozenset[ReasonCode]:
        return frozenset(reason.code for reason in self.reasons)


@dataclass
class _Verdict:
    """Reasons collected so far, each with the priority and queue it asks for."""

    found: list[tuple[Reason, Priority, str | None]] = field(default_factory=list)

    def add(
        self, code: ReasonCode, evidence: str, priority: Priority, queue: str | None = None
    ) -> None:
        self.found.append((Reason(code, evidence), priority, queue))

    def decision(self, default_queue: str) -> Decision:
        if not self.found:
            return Decision.bot()
        ordered = sorted(self.found, key=lambda item: PRECEDENCE.index(item[0].code))
        queue = next((q for _r, _p, q in ordered if q), default_queue)
        return Decision(
            handoff=True,
            reasons=tuple(r for r, _p, _q in ordered),
            priority=max(p for _r, p, _q in ordered),
            queue=queue,
        )


def _rising_frustration(signals: Signals, policy: Policy) -> str | None:
    trend = policy.emotion.frustration_trend
    loads = (*signals.previous_loads, signals.emotion_load)[-trend.window :]
    if len(loads) < trend.window or signals.emotion_load < trend.min_load:
        return None
    rising = all(b >= a for a, b in pairwise(loads))
    if rising and loads[-1] - loads[0] >= trend.min_rise:
        return "rising frustration: " + " → ".join(f"{load:.2f}" for load in loads)
    return None


def _rule_matches(rule: Rule, signals: Signals) -> str | None:
    when = rule.when
    found: list[str] = []
    if when.tier_in:
        if signals.tier not in when.tier_in:
            return None
        found.append(f"tier {signals.tier}")
    if when.topic_in:
        if signals.topic not in when.topic_in:
            return None
        found.append(f"topic {signals.topic}")
    if when.keywords_any:
        lowered = signals.text.lower()
        hits = [k for k in when.keywords_any if k.lower() in lowered]
        if not hits:
            return None
        found.append(f"keyword {hits[0]!r}")
    for key, expected in when.attributes.items():
        if signals.attributes.get(key) != expected:
            return None
        found.append(f"{key}={expected}")
    for key, minimum in when.attributes_at_least.items():
        value = signals.attributes.get(key)
        if not isinstance(value, int | float) or value < minimum:
            return None
        found.append(f"{key}≥{minimum:g}")
    return f"rule {rule.name}: " + ", ".join(found)


def _loops(signals: Signals, policy: Policy, verdict: _Verdict) -> None:
    loops, priority = policy.loops, policy.priority_for(ReasonCode.LOOP, Priority.ELEVATED)
    if signals.topic and signals.topic_count >= loops.same_topic_repeats:
        verdict.add(
            ReasonCode.LOOP, f"asked about {signals.topic} {signals.topic_count} times", priority
        )
    elif signals.rephrase_of is not None:
        verdict.add(
            ReasonCode.LOOP, f"repeats an earlier message: “{signals.rephrase_of}”", priority
        )
    elif loops.bot_repeats and signals.bot_would_repeat and signals.failed_answers >= 2:
        verdict.add(ReasonCode.LOOP, "the bot would repeat an answer it already gave", priority)
    if signals.recent_contacts >= loops.repeat_contacts:
        verdict.add(
            ReasonCode.REPEAT_CONTACT,
            f"{signals.recent_contacts} earlier contacts in {loops.repeat_contact_days} days",
            policy.priority_for(ReasonCode.REPEAT_CONTACT, Priority.ELEVATED),
        )


def decide(signals: Signals, policy: Policy) -> Decision:
    """Return whether to hand off, with every reason that fired, most specific first."""
    verdict = _Verdict()

    def add(code: ReasonCode, evidence: str, queue: str | None = None) -> None:
        verdict.add(code, evidence, policy.priority_for(code, DEFAULT_PRIORITY[code]), queue)

    # An explicit request is honoured every time; nothing in the policy can switch it off.
    if signals.human_request is not None:
        add(ReasonCode.CUSTOMER_REQUEST, signals.human_request)
    for topic, evidence in signals.sensitive_topics:
        topic_rule = policy.sensitive_topics.get(topic)
        if topic_rule is None and topic != SELF_HARM_TOPIC:
            continue
        floor = Priority.URGENT if topic == SELF_HARM_TOPIC else Priority.HIGH
        asked = priority_of(topic_rule.priority) if topic_rule else floor
        # Self-harm is urgent whatever the document says.
        priority = max(asked, floor) if topic == SELF_HARM_TOPIC else asked
        topic_queue = topic_rule.queue if topic_rule else None
        verdict.add(ReasonCode.SENSITIVE_TOPIC, f"{topic}: {evidence}", priority, topic_queue)
    if policy.emotion.enabled:
        if signals.negative_emotion is not None:
            add(ReasonCode.NEGATIVE_EMOTION, signals.negative_emotion)
        elif (trend := _rising_frustration(signals, policy)) is not None:
            add(ReasonCode.NEGATIVE_EMOTION, trend)
    if policy.adverse_decisions and signals.adverse_request is not None:
        add(ReasonCode.ADVERSE_DECISION, signals.adverse_request)

    is_vip = signals.tier in policy.tiers.vip_tiers
    if not signals.answered:
        limit = (
            policy.tiers.vip_max_failed_answers if is_vip else policy.confidence.max_failed_answers
        )
        if signals.failed_answers >= limit:
            if signals.failed_answers > 1:
                add(
                    ReasonCode.REPEATED_FAILURE,
                    f"{signals.failed_answers} questions in a row without a grounded answer",
                )
            else:
                add(
                    ReasonCode.LOW_CONFIDENCE,
                    f"best knowledge match {signals.answer_confidence:.2f} is below threshold",
                )
    _loops(signals, policy, verdict)

    threshold = policy.tiers.high_value_order
    if (
        threshold is not None
        and signals.order_value is not None
        and signals.order_value >= threshold
        and signals.problem is not None
    ):
        add(
            ReasonCode.HIGH_VALUE,
            f"order worth {signals.order_value:g} with a problem: {signals.problem}",
        )
    for rule in policy.rules:
        matched = _rule_matches(rule, signals)
        if matched is not None:
            verdict.add(ReasonCode.RULE, matched, priority_of(rule.then.priority), rule.then.queue)

    if is_vip and verdict.found:
        add(ReasonCode.VIP, f"customer tier is {signals.tier}", policy.tiers.vip_queue)
    elif is_vip and policy.tiers.vip_problems_to_human and signals.problem is not None:
        add(
            ReasonCode.VIP,
            f"{signals.tier} customer reports a problem: {signals.problem}",
            policy.tiers.vip_queue,
        )
    return verdict.decision(policy.default_queue)
