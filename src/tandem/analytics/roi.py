"""Is the AI worth it, and is it hurting quality? Money, time and CSAT side by side. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from tandem.analytics.metrics import Metrics

# Below this many ratings in either group, a CSAT difference is mostly noise.
MIN_RATINGS_FOR_COMPARISON = 30


@dataclass(frozen=True, slots=True)
class Costs:
    """What a conversation costs: configuration, in one currency."""

    ai_per_conversation: float  # per conversation the AI takes part in (model, hosting)
    agent_per_hour: float  # an agent's loaded hourly cost
    currency: str


@dataclass(frozen=True, slots=True)
class Roi:
    ai_contacts: int  # resolved by the AI alone
    human_contacts: int  # handled by a person
    ai_attempts: int  # every conversation the AI took part in
    handle_seconds: float  # mean handle time of a human contact
    handle_measured: bool  # False: no handle time in the period, the configured one is used
    hours_saved: float
    ai_cost: float
    human_cost: float
    cost_per_ai_contact: float | None
    cost_per_human_contact: float | None
    net_saving: float
    csat_ai: float | None
    csat_human: float | None
    csat_difference: float | None  # AI-only minus human, on the 1-5 scale
    ratings_ai: int
    ratings_human: int
    currency: str

    @property
    def comparable(self) -> bool:
        return min(self.ratings_ai, self.ratings_human) >= MIN_RATINGS_FOR_COMPARISON


def compute_roi(metrics: Metrics, costs: Costs, *, fallback_handle_seconds: float) -> Roi:
    """Value what the AI resolved at the agent time it would have taken, minus what it cost.

    The AI's cost counts every conversation it took part in, including the ones it then
    handed off, and is spread over the contacts it resolved alone.
    """
    handle = metrics.handle_time.mean
    handle_seconds = handle if handle is not None else fallback_handle_seconds
    ai_contacts = metrics.automation.numerator
    human_contacts = metrics.handoff_rate.numerator
    ai_attempts = metrics.ai_involvement.numerator
    hours_saved = ai_contacts * handle_seconds / 3600
    ai_cost = ai_attempts * costs.ai_per_conversation
    human_cost = human_contacts * handle_seconds / 3600 * costs.agent_per_hour
    csat_ai, csat_human = metrics.csat_ai.mean, metrics.csat_human.mean
    return Roi(
        ai_contacts=ai_contacts,
        human_contacts=human_contacts,
        ai_attempts=ai_attempts,
        handle_seconds=handle_seconds,
        handle_measured=handle is not None,
        hours_saved=hours_saved,
        ai_cost=ai_cost,
        human_cost=human_cost,
        cost_per_ai_contact=ai_cost / ai_contacts if ai_contacts else None,
        cost_per_human_contact=human_cost / human_contacts if human_contacts else None,
        net_saving=hours_saved * costs.agent_per_hour - ai_cost,
        csat_ai=csat_ai,
        csat_human=csat_human,
        csat_difference=csat_ai - csat_human
        if csat_ai is not None and csat_human is not None
        else None,
        ratings_ai=metrics.csat_ai.responses,
        ratings_human=metrics.csat_human.responses,
        currency=costs.currency,
    )
