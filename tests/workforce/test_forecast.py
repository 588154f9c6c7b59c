"""The week's staffing from history, net of the AI, and how what-ifs move it."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.workforce import service
from tandem.workforce.erlang import Load, Target, staff
from tandem.workforce.forecast import PastContact, Plan, WhatIf, build_profile, forecast
from tests.analytics.scenario import build

MONDAY_9 = (0, 18)
PLAN = Plan(aht_seconds=300, target=Target(0.8, 60), shrinkage=0.3)


def _history() -> list[PastContact]:
    """Two weeks: each Monday 09:00-09:30 has 30 refund and 10 damaged-item contacts."""
    contacts = []
    for _week in range(2):
        contacts += [PastContact(0, 18, "refunds", ai_resolved=i < 24) for i in range(30)]
        contacts += [PastContact(0, 18, "damaged", ai_resolved=i < 2) for i in range(10)]
    return contacts


def test_a_profile_averages_whole_weeks_per_topic() -> None:
    profile = build_profile(_history(), weeks=2)
    assert profile.volume[MONDAY_9] == {"refunds": 30, "damaged": 10}
    assert profile.ai_resolution == {"refunds": 0.8, "damaged": 0.2}


@pytest.mark.parametrize(
    ("what_if", "contacts", "human"),
    [
        pytest.param(WhatIf(), 40, 30 * 0.2 + 10 * 0.8, id="as-things-stand"),
        pytest.param(WhatIf(ai_resolution_points=10), 40, 30 * 0.1 + 10 * 0.7, id="ai-plus-10"),
        pytest.param(WhatIf(ai_resolution_points=-30), 40, 30 * 0.5 + 10 * 1.0, id="clipped-at-0"),
        pytest.param(WhatIf(ai_resolution_points=25), 40, 0 + 10 * 0.55, id="clipped-at-100"),
        pytest.param(WhatIf(volume_percent=50), 60, 1.5 * 14, id="volume-plus-half"),
    ],
)
def test_people_get_what_the_ai_does_not_resolve_per_topic(
    what_if: WhatIf, contacts: float, human: float
) -> None:
    week = forecast(build_profile(_history(), weeks=2), PLAN, what_if)
    interval = week.intervals[18]
    assert interval.label == "Mon 09:00"
    assert interval.contacts == pytest.approx(contacts)
    assert interval.human_contacts == pytest.approx(human)
    expected = staff(Load(human, 1800, 300), PLAN.target, shrinkage=0.3)
    assert interval.staffing.agents == expected.agents
    assert interval.staffing.agents_with_shrinkage == expected.agents_with_shrinkage
    assert interval.staffing.performance.service_level == pytest.approx(
        expected.performance.service_level
    )


def test_a_quiet_interval_needs_nobody_and_the_week_adds_up() -> None:
    week = forecast(build_profile(_history(), weeks=2), PLAN)
    assert len(week.intervals) == 7 * 48
    assert week.intervals[0].staffing.agents == 0
    assert week.peak_agents == week.intervals[18].staffing.agents_with_shrinkage
    assert week.agent_hours == week.peak_agents / 2


def test_better_ai_needs_fewer_people() -> None:
    profile = build_profile(_history(), weeks=2)
    now = forecast(profile, PLAN)
    better = forecast(profile, PLAN, WhatIf(ai_resolution_points=20))
    assert better.agent_hours < now.agent_hours


async def test_plan_week_reads_the_history_from_the_database(session: AsyncSession) -> None:
    await build(session)  # the scenario week of 2 March 2026
    week = await service.plan_week(
        session,
        today=date(2026, 3, 9),
        zone=ZoneInfo("UTC"),
        weeks=1,
        plan=PLAN,
        what_if=WhatIf(ai_resolution_points=10),
    )
    assert (week.history_start, week.history_end) == (date(2026, 3, 2), date(2026, 3, 9))
    assert week.aht_measured
    assert week.plan.aht_seconds == 750  # c3 660 s, c4 840 s
    # refunds: c1 resolved by the AI, c5 reopened; shipping: c6 of c3, c6, c7.
    assert week.profile.ai_resolution["refunds"] == 0.5
    assert week.profile.ai_resolution["shipping"] == pytest.approx(1 / 3)
    monday_9 = week.baseline.intervals[18]  # c1 at 09:00, refunds
    assert (monday_9.contacts, monday_9.human_contacts) == (1, 0.5)
    assert week.scenario.intervals[18].human_contacts == pytest.approx(0.4)
    assert week.baseline.contacts == 8
