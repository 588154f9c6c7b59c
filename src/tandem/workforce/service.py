"""Forecast staffing from the conversation history in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.analytics import service as analytics_service
from tandem.workforce.forecast import (
    SLOT_MINUTES,
    Forecast,
    PastContact,
    Plan,
    Profile,
    WhatIf,
    build_profile,
    forecast,
)

DEFAULT_WEEKS = 4


@dataclass(frozen=True, slots=True)
class WeekPlan:
    """The forecast as things stand and under the what-if, from the same history."""

    profile: Profile
    plan: Plan
    baseline: Forecast
    scenario: Forecast
    aht_measured: bool  # False: no handled contact in the history, the configured AHT is used
    history_start: date
    history_end: date  # exclusive


def _history_bounds(today: date, weeks: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    end = datetime.combine(today, time.min, tzinfo=zone)
    return end - timedelta(days=7 * weeks), end


async def plan_week(
    session: AsyncSession,
    *,
    today: date,
    zone: ZoneInfo,
    weeks: int = DEFAULT_WEEKS,
    plan: Plan,
    what_if: WhatIf,
    measure_aht: bool = True,
    cache_seconds: float = 0.0,
) -> WeekPlan:
    """Forecast next week from the ``weeks`` whole weeks before ``today`` (local dates).

    With ``measure_aht`` the handle time is the history's mean, when it has any; otherwise the
    plan's. ``cache_seconds``: how long the history's rows may be reused while unchanged.
    """
    start, end = _history_bounds(today, weeks, zone)
    past = await analytics_service.history(
        session, start=start, end=end, cache_seconds=cache_seconds
    )
    contacts = []
    for conversation in past.conversations:
        local = conversation.created_at.astimezone(zone)
        slot = (local.hour * 60 + local.minute) // SLOT_MINUTES
        contacts.append(
            PastContact(local.weekday(), slot, conversation.topic, conversation.ai_resolved)
        )
    profile = build_profile(contacts, weeks=weeks)
    measured = past.mean_handle_seconds if measure_aht else None
    if measured is not None:
        plan = Plan(measured, plan.target, plan.shrinkage, plan.patience_seconds)
    return WeekPlan(
        profile=profile,
        plan=plan,
        baseline=forecast(profile, plan),
        scenario=forecast(profile, plan, what_if),
        aht_measured=measured is not None,
        history_start=start.date(),
        history_end=end.date(),
    )
