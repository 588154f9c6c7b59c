"""The escalation policy as a validated document (YAML), with safe defaults.

Everything a support leader may tune lives here; what may never be tuned away is enforced in
``policy.py`` (an explicit request for a person always hands off, in the same turn).
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tandem.escalation.reasons import Priority, ReasonCode

DEFAULT_POLICY_PATH = Path(__file__).with_name("default_policy.yaml")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
PriorityName = Annotated[str, Field(pattern="^(normal|elevated|high|urgent)$")]


class PolicyError(ValueError):
    """The policy document is invalid; the message lists every problem and where it is."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def priority_of(name: str) -> Priority:
    return Priority[name.upper()]


class ConfidenceRules(_Strict):
    max_failed_answers: int = Field(default=2, ge=1, le=10)


class FrustrationTrend(_Strict):
    window: int = Field(default=3, ge=2, le=10)
    min_rise: float = Field(default=0.2, gt=0, le=1)
    min_load: float = Field(default=0.2, ge=0, le=1)


class EmotionRules(_Strict):
    enabled: bool = True
    frustration_trend: FrustrationTrend = FrustrationTrend()


class TopicRule(_Strict):
    priority: PriorityName = "high"
    queue: str | None = None


class LoopRules(_Strict):
    same_topic_repeats: int = Field(default=3, ge=2, le=10)
    rephrase_similarity: float = Field(default=0.65, gt=0.5, le=1)
    bot_repeats: bool = True
    repeat_contact_days: int = Field(default=7, ge=1, le=90)
    repeat_contacts: int = Field(default=2, ge=1, le=20)


class TierRules(_Strict):
    vip_tiers: tuple[str, ...] = ("vip",)
    vip_max_failed_answers: int = Field(default=1, ge=1, le=10)
    vip_queue: str | None = None
    vip_problems_to_human: bool = True  # a VIP reporting a problem gets a person at once
    high_value_order: float | None = Field(default=500, gt=0)


class RuleCondition(_Strict):
    tier_in: tuple[str, ...] = ()
    topic_in: tuple[str, ...] = ()
    keywords_any: tuple[str, ...] = ()
    attributes: dict[str, str | int | float | bool] = {}
    attributes_at_least: dict[str, float] = {}

    @model_validator(mode="after")
    def _not_empty(self) -> RuleCondition:
        if not (
            self.tier_in
            or self.topic_in
            or self.keywords_any
            or self.attributes
            or self.attributes_at_least
        ):
            raise ValueError("a rule needs at least one condition under `when`")
        return self


class RuleAction(_Strict):
    queue: str | None = None
    priority: PriorityName = "normal"


class Rule(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    when: RuleCondition
    then: RuleAction = RuleAction()


class QueueConfig(_Strict):
    skills: tuple[str, ...] = ()
    assignment: Literal["auto", "pull"] = "auto"  # router assigns, or agents pull
    sla_seconds: int = Field(default=300, ge=10, le=7 * 24 * 3600)
    timezone: str = "UTC"
    hours: dict[str, str] | None = None  # weekday -> "HH:MM-HH:MM"; None = always open

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r} (use e.g. Europe/Amsterdam)") from error
        return value

    @field_validator("hours")
    @classmethod
    def _valid_hours(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for day, span in (value or {}).items():
            if day not in WEEKDAYS:
                raise ValueError(f"unknown weekday {day!r}; use {', '.join(WEEKDAYS)}")
            match = _HOURS.match(span)
            if not match:
                raise ValueError(f"{day}: hours must look like 08:00-20:00, not {span!r}")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            if not (h1 < 24 and h2 <= 24 and m1 < 60 and m2 < 60 and (h1, m1) < (h2, m2)):
                raise ValueError(f"{day}: {span!r} is not a valid opening span")
        return value

    def opening(self, weekday: int) -> tuple[time, time] | None:
        """Return (open, close) local times for a weekday (0 = Monday), None when closed."""
        if self.hours is None:
            return time(0, 0), time(23, 59, 59)
        span = self.hours.get(WEEKDAYS[weekday])
        if span is None:
            return None
        match = _HOURS.match(span)
        assert match is not None
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        return time(h1, m1), time(23, 59, 59) if h2 == 24 else time(h2, m2)


class WellbeingRules(_Strict):
    high_load: float = Field(default=0.6, gt=0, le=1)  # a conversation this loaded is "hard"
    cooldown_minutes: int = Field(default=10, ge=0, le=240)  # no hard case after a hard one
    daily_hard_cases: int = Field(default=6, ge=1, le=100)  # per agent, while others are free
    break_after_minutes: int = Field(default=90, ge=15, le=600)
    break_after_load: float = Field(default=2.0, gt=0, le=50)  # load handled since last break
    abuse_warnings_before_end: int = Field(default=1, ge=0, le=10)


class Policy(_Strict):
    """The whole escalation and routing policy."""

    default_queue: str = "general"
    confidence: ConfidenceRules = ConfidenceRules()
    emotion: EmotionRules = EmotionRules()
    sensitive_topics: dict[str, TopicRule] = {
        "self_harm": TopicRule(priority="urgent"),
        "bereavement": TopicRule(),
        "fraud": TopicRule(),
        "health": TopicRule(),
        "legal": TopicRule(),
        "vulnerability": TopicRule(),
    }
    loops: LoopRules = LoopRules()
    tiers: TierRules = TierRules()
    adverse_decisions: bool = True
    priorities: dict[ReasonCode, PriorityName] = {}
    rules: tuple[Rule, ...] = ()
    queues: dict[str, QueueConfig] = {"general": QueueConfig()}
    wellbeing: WellbeingRules = WellbeingRules()

    @model_validator(mode="after")
    def _queues_exist(self) -> Policy:
        named = [self.default_queue, self.tiers.vip_queue]
        named += [t.queue for t in self.sensitive_topics.values()]
        named += [r.then.queue for r in self.rules]
        missing = sorted({q for q in named if q is not None and q not in self.queues})
        if missing:
            raise ValueError(f"queues used but not defined under `queues`: {', '.join(missing)}")
        names = [r.name for r in self.rules]
        if len(names) != len(set(names)):
            raise ValueError("rule names must be unique")
        return self

    def priority_for(self, code: ReasonCode, default: Priority) -> Priority:
        name = self.priorities.get(code)
        return priority_of(name) if name else default


def parse_policy(document: str) -> Policy:
    """Validate a YAML policy; raise PolicyError listing every problem with its location."""
    try:
        data: Any = yaml.safe_load(document) if document.strip() else {}  # Any: untrusted YAML
    except yaml.YAMLError as error:
        raise PolicyError(f"The policy is not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise PolicyError("The policy must be a YAML mapping (keys like `loops:`, `queues:`).")
    try:
        return Policy.model_validate(data)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(p) for p in e['loc']) or '(top level)'}: {e['msg']}"
            for e in error.errors()
        ]
        raise PolicyError(
            "The policy has problems; nothing was saved:\n"
            + "\n".join(f"  - {p}" for p in problems)
        ) from error


def default_document() -> str:
    return DEFAULT_POLICY_PATH.read_text(encoding="utf-8")


def default_policy() -> Policy:
    return parse_policy(default_document())
