"""A week's staffing from past contacts, net of what the AI resolves, with what-ifs. Pure.

Volume per weekday and 30-minute interval is the mean over the past weeks, kept per topic. Each
topic's contacts are reduced by the share the AI resolved for that topic; what remains needs
people, and Erlang C (or A) turns it into agents for the target service level.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from tandem.workforce.erlang import Load, Staffing, Target, staff

SLOT_MINUTES = 30
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DEFAULT_TARGET = Target(level=0.8, seconds=60)
DEFAULT_SHRINKAGE = 0.3


@dataclass(frozen=True, slots=True)
class PastContact:
    """One past conversation: when it started (local time) and whether the AI resolved it."""

    weekday: int  # 0 is Monday
    slot: int  # 0 is 00:00-00:30
    topic: str
    ai_resolved: bool


@dataclass(frozen=True, slots=True)
class Profile:
    """Mean contacts per (weekday, slot) and topic, and each topic's AI resolution share."""

    weeks: int
    volume: dict[tuple[int, int], dict[str, float]]
    ai_resolution: dict[str, float]
    topic_contacts: dict[str, int] = field(default_factory=dict)  # over the whole history


@dataclass(frozen=True, slots=True)
class WhatIf:
    """A scenario: AI resolution moved by points (per topic, kept within 0-100%), volume by %."""

    ai_resolution_points: float = 0.0
    volume_percent: float = 0.0

    def __post_init__(self) -> None:
        if not -100 <= self.ai_resolution_points <= 100:
            raise ValueError("AI resolution can move by -100 to +100 points")
        if self.volume_percent < -100:
            raise ValueError("volume cannot fall by more than 100%")

    def resolution(self, share: float) -> float:
        return min(1.0, max(0.0, share + self.ai_resolution_points / 100))


@dataclass(frozen=True, slots=True)
class Plan:
    """How to staff: handle time of a human contact, target, shrinkage, optional patience."""

    aht_seconds: float
    target: Target = DEFAULT_TARGET
    shrinkage: float = DEFAULT_SHRINKAGE
    patience_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class IntervalForecast:
    weekday: int
    slot: int
    contacts: float
    human_contacts: float
    staffing: Staffing

    @property
    def label(self) -> str:
        minutes = self.slot * SLOT_MINUTES
        return f"{WEEKDAYS[self.weekday]} {minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class Forecast:
    intervals: list[IntervalForecast]
    what_if: WhatIf

    @property
    def contacts(self) -> float:
        return sum(i.contacts for i in self.intervals)

    @property
    def human_contacts(self) -> float:
        return sum(i.human_contacts for i in self.intervals)

    @property
    def agent_hours(self) -> float:
        """Scheduled agent-hours for the week, shrinkage included."""
        return sum(i.staffing.agents_with_shrinkage for i in self.intervals) * SLOT_MINUTES / 60

    @property
    def peak_agents(self) -> int:
        return max((i.staffing.agents_with_shrinkage for i in self.intervals), default=0)


def build_profile(contacts: Iterable[PastContact], *, weeks: int) -> Profile:
    """Average ``weeks`` whole weeks of past contacts into one week's profile."""
    if weeks < 1:
        raise ValueError("the history must cover at least one week")
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    resolved: dict[str, int] = defaultdict(int)
    for contact in contacts:
        counts[(contact.weekday, contact.slot)][contact.topic] += 1
        totals[contact.topic] += 1
        resolved[contact.topic] += contact.ai_resolved
    volume = {
        key: {topic: n / weeks for topic, n in by_topic.items()} for key, by_topic in counts.items()
    }
    shares = {topic: resolved[topic] / n for topic, n in totals.items()}
    return Profile(weeks, volume, shares, dict(totals))


def forecast(profile: Profile, plan: Plan, what_if: WhatIf | None = None) -> Forecast:
    """Return the agents each of the week's 336 intervals needs under ``what_if``."""
    scenario = what_if or WhatIf()
    scale = 1 + scenario.volume_percent / 100
    intervals = []
    for weekday in range(7):
        for slot in range(SLOTS_PER_DAY):
            by_topic = profile.volume.get((weekday, slot), {})
            contacts = sum(by_topic.values()) * scale
            human = scale * sum(
                n * (1 - scenario.resolution(profile.ai_resolution.get(topic, 0.0)))
                for topic, n in by_topic.items()
            )
            load = Load(human, SLOT_MINUTES * 60, plan.aht_seconds)
            staffing = staff(
                load, plan.target, shrinkage=plan.shrinkage, patience_seconds=plan.patience_seconds
            )
            intervals.append(IntervalForecast(weekday, slot, contacts, human, staffing))
    return Forecast(intervals, scenario)
