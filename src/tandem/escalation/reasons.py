"""The taxonomy of handoff reasons and priorities."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class ReasonCode(StrEnum):
    CUSTOMER_REQUEST = "customer_request"
    NEGATIVE_EMOTION = "negative_emotion"
    SENSITIVE_TOPIC = "sensitive_topic"
    LOW_CONFIDENCE = "low_confidence"
    REPEATED_FAILURE = "repeated_failure"
    LOOP = "loop"
    REPEAT_CONTACT = "repeat_contact"
    ADVERSE_DECISION = "adverse_decision"
    HIGH_VALUE = "high_value"
    RULE = "rule"
    VIP = "vip"
    AGENT_TAKEOVER = "agent_takeover"  # a person took the conversation over from the bot


class Priority(IntEnum):
    """Queue priority; higher is served first."""

    NORMAL = 0
    ELEVATED = 1  # negative emotion, repeated failure
    HIGH = 2  # sensitive topics, VIP
    URGENT = 3  # possible harm to the customer


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason that fired, with the evidence that made it fire."""

    code: ReasonCode
    evidence: str
