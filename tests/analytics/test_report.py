"""The metrics of docs/metrics.md on a hand-computed week, on SQLite and PostgreSQL.

Every expected value below is worked out by hand from the table in ``scenario.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.analytics import service
from tandem.analytics.filters import Filters
from tandem.analytics.metrics import Rate, Spread
from tandem.analytics.roi import Costs
from tandem.analytics.service import Report, ReportConfig
from tandem.conversations.models import Tier
from tandem.core.errors import InvalidInputError
from tests.analytics.scenario import NOW, T0, WEEK_END, Scenario, build

CONFIG = ReportConfig(
    zone=ZoneInfo("UTC"),
    sla_seconds=120,
    costs=Costs(ai_per_conversation=0.5, agent_per_hour=36.0, currency="EUR"),
    fallback_handle_seconds=240,
)
WEEK = Filters(start=T0, end=WEEK_END)


@pytest.fixture
async def scenario(session: AsyncSession) -> Scenario:
    return await build(session)


async def _report(session: AsyncSession, filters: Filters = WEEK) -> Report:
    return await service.report(session, filters, config=CONFIG, now=NOW)


async def test_conversation_rates(session: AsyncSession, scenario: Scenario) -> None:
    metrics = (await _report(session)).metrics
    assert metrics.conversations == 8  # c0 started the day before
    assert metrics.ai_involvement == Rate(6, 8)  # c4 and c8 never got a bot reply
    assert metrics.ai_resolution == Rate(2, 6)  # c1, c6; c5 was reopened
    assert metrics.automation == Rate(2, 8)
    assert metrics.automation.value == pytest.approx(
        metrics.ai_involvement.value * metrics.ai_resolution.value  # type: ignore[operator]
    )
    assert metrics.handoff_rate == Rate(3, 8)
    assert metrics.handoffs_by_reason == [
        ("customer_request", 1),
        ("negative_emotion", 1),
        ("vip", 1),
    ]


async def test_times(session: AsyncSession, scenario: Scenario) -> None:
    metrics = (await _report(session)).metrics
    # c3 120 s, c4 300 s; c8 has no reply yet.
    assert metrics.time_to_human == Spread(2, 120, 300, 210)
    # Sorted: 1 (c1), 1 (c5), 2 (c2), 2 (c3), 3 (c7), 10 (c6), 301 (c4: the agent, at +306 s).
    assert metrics.first_response == Spread(7, 2, 301, pytest.approx(320 / 7))
    # c1 60, c5 100, c6 200, c3 751, c4 906 (first resolution).
    assert metrics.resolution_time == Spread(5, 200, 906, pytest.approx(2017 / 5))
    assert metrics.handle_time == Spread(2, 660, 840, 750)


async def test_reopen_and_first_contact_resolution(
    session: AsyncSession, scenario: Scenario
) -> None:
    metrics = (await _report(session)).metrics
    assert metrics.reopen == Rate(1, 5)  # c5
    assert metrics.first_contact_resolution == Rate(3, 5)  # c1, c3, c4; not c5 nor c6


async def test_csat_is_split_between_ai_only_and_human_handled(
    session: AsyncSession, scenario: Scenario
) -> None:
    metrics = (await _report(session)).metrics
    assert metrics.csat_ai.responses == 2
    assert metrics.csat_ai.mean == 4.5
    assert metrics.csat_ai.satisfied == Rate(2, 2)
    assert metrics.csat_ai.response_rate == Rate(2, 3)  # c1, c6 of resolved c1, c5, c6
    assert metrics.csat_human.mean == 2.5
    assert metrics.csat_human.satisfied == Rate(0, 2)
    assert metrics.csat_human.response_rate == Rate(2, 2)


async def test_agents_and_queues(session: AsyncSession, scenario: Scenario) -> None:
    report = await _report(session)
    ana, ben = report.metrics.agents
    assert (ana.agent_id, ana.handled, ana.handle_time.mean) == (scenario.ana.id, 1, 660)
    assert (ana.emotional_load, ana.hard) == (0.2, Rate(0, 1))
    assert (ben.agent_id, ben.handle_time.mean, ben.hard) == (scenario.ben.id, 840, Rate(1, 1))
    assert ana.occupancy == 1.0  # one conversation: busy the whole of its working span
    assert report.agent_names == {
        scenario.ana.id: scenario.ana.name,
        scenario.ben.id: scenario.ben.name,
    }
    general, vip = report.metrics.queues
    assert (general.queue, general.handoffs, general.sla, general.pending) == (
        "general",
        2,
        Rate(1, 2),  # c4 by its recorded deadline; c8 unanswered for days
        0,
    )
    assert (vip.queue, vip.sla) == ("vip", Rate(1, 1))  # c3 at exactly 120 s


async def test_unanswered_handoff_within_the_target_is_pending(
    session: AsyncSession, scenario: Scenario
) -> None:
    soon = T0 + timedelta(days=6, seconds=60)  # c8 was handed off 50 s ago
    report = await service.report(session, WEEK, config=CONFIG, now=soon)
    general = report.metrics.queues[0]
    assert (general.sla, general.pending) == (Rate(1, 1), 1)


async def test_days_use_the_report_time_zone(session: AsyncSession, scenario: Scenario) -> None:
    metrics = (await _report(session)).metrics
    assert [(d.day.isoformat(), d.conversations) for d in metrics.days] == [
        ("2026-03-02", 4),
        ("2026-03-03", 1),
        ("2026-03-04", 1),
        ("2026-03-07", 1),
        ("2026-03-08", 1),
    ]
    first = metrics.days[0]
    assert (first.ai_resolved, first.human_handled) == (1, 2)  # c1; c3 and c4
    # In Auckland (UTC+13) c3 (11:00 UTC) and c4 already fall on 3 March, with c5.
    auckland = replace(CONFIG, zone=ZoneInfo("Pacific/Auckland"))
    report = await service.report(session, WEEK, config=auckland, now=NOW)
    assert [d.conversations for d in report.metrics.days[:2]] == [2, 3]


@pytest.mark.parametrize(
    ("filters", "expected_ids"),
    [
        pytest.param(WEEK, ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"], id="the-week"),
        pytest.param(
            Filters(start=T0.replace(day=1), end=WEEK_END),
            ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"],
            id="from-the-day-before",
        ),
        pytest.param(Filters(start=T0, end=WEEK_END, channel="email"), ["c8"], id="channel"),
        pytest.param(Filters(start=T0, end=WEEK_END, tier=Tier.VIP), ["c3"], id="tier"),
        pytest.param(Filters(start=T0, end=WEEK_END, queue="general"), ["c4", "c8"], id="queue"),
        pytest.param(Filters(start=T0, end=WEEK_END, intent="refunds"), ["c1", "c5"], id="topic"),
        pytest.param(
            Filters(start=T0, end=WEEK_END, intent="order_status"), ["c2"], id="recorded-intent"
        ),
        pytest.param(
            Filters(start=T0, end=WEEK_END, intent="shipping"), ["c3", "c6", "c7"], id="shipping"
        ),
        pytest.param(Filters(start=T0, end=WEEK_END, intent="other"), ["c4", "c8"], id="none"),
    ],
)
async def test_filters_select_conversations(
    session: AsyncSession, scenario: Scenario, filters: Filters, expected_ids: list[str]
) -> None:
    report = await _report(session, filters)
    names = {v: k for k, v in scenario.ids.items()}
    assert [names[c.id] for c in report.conversations] == expected_ids


async def test_a_queue_filter_keeps_only_that_queues_handoffs(
    session: AsyncSession, scenario: Scenario
) -> None:
    report = await _report(session, Filters(start=T0, end=WEEK_END, queue="vip"))
    assert [h.queue for h in report.handoffs] == ["vip"]
    assert report.metrics.time_to_human == Spread(1, 120, 120, 120)


async def test_roi_values_ai_contacts_at_measured_agent_time(
    session: AsyncSession, scenario: Scenario
) -> None:
    roi = (await _report(session)).roi
    assert (roi.ai_contacts, roi.human_contacts, roi.ai_attempts) == (2, 3, 6)
    assert roi.handle_seconds == 750
    assert roi.handle_measured
    assert roi.hours_saved == pytest.approx(2 * 750 / 3600)
    assert roi.ai_cost == pytest.approx(3.0)  # 6 attempts at 0.50
    assert roi.cost_per_ai_contact == pytest.approx(1.5)
    assert roi.human_cost == pytest.approx(3 * 750 / 3600 * 36)  # 22.50
    assert roi.cost_per_human_contact == pytest.approx(7.5)
    assert roi.net_saving == pytest.approx(15.0 - 3.0)
    assert roi.csat_difference == pytest.approx(2.0)
    assert not roi.comparable  # two ratings a side say little


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        pytest.param("ai_resolved", ["c1", "c6"], id="ai-resolved"),
        pytest.param("unresolved", ["c2", "c5", "c7"], id="unresolved"),
        pytest.param("reason:vip", ["c3"], id="by-reason"),
        pytest.param("sla_missed:general", ["c8"], id="sla-missed"),
        pytest.param("reopened", ["c5"], id="reopened"),
        pytest.param("rated_human", ["c3", "c4"], id="rated-human"),
        pytest.param("topic:refunds", ["c1", "c5"], id="topic"),
    ],
)
async def test_drill_down_lists_the_conversations_behind_a_number(
    session: AsyncSession, scenario: Scenario, segment: str, expected: list[str]
) -> None:
    _title, conversations = await service.drill_down(session, WEEK, segment, config=CONFIG, now=NOW)
    names = {v: k for k, v in scenario.ids.items()}
    assert [names[c.id] for c in conversations] == expected


async def test_drill_down_by_agent(session: AsyncSession, scenario: Scenario) -> None:
    _title, conversations = await service.drill_down(
        session, WEEK, f"agent:{scenario.ben.id}", config=CONFIG, now=NOW
    )
    assert [c.id for c in conversations] == [scenario.ids["c4"]]


async def test_an_unknown_drill_down_is_invalid_input(
    session: AsyncSession, scenario: Scenario
) -> None:
    with pytest.raises(InvalidInputError, match="Unknown drill-down"):
        await service.drill_down(session, WEEK, "everything", config=CONFIG, now=NOW)


async def test_csv_export_has_a_row_per_conversation_and_defuses_formulas(
    session: AsyncSession, scenario: Scenario
) -> None:
    text = await service.export_csv(session, WEEK, "handed_off", config=CONFIG, now=NOW)
    lines = text.strip().split("\r\n")
    assert lines[0].startswith("conversation_id,created_at,channel,tier,topic,status,outcome")
    assert len(lines) == 1 + 3
    c4 = next(line for line in lines if line.startswith(scenario.ids["c4"]))
    assert "'=HYPERLINK" in c4
    assert ",human," in c4
