"""The demo history: weeks of finished conversations with daily and weekly patterns."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from statistics import mean

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.analytics import service as analytics_service
from tandem.analytics.filters import Filters
from tandem.analytics.roi import Costs
from tandem.analytics.service import ReportConfig
from tandem.conversations.models import Conversation, ConversationEvent, Message
from tandem.demo.history import ZONE, HistoryReport, generate_history
from tandem.demo.seed import seed
from tandem.routing.models import Handoff, HandoffStatus

UNTIL = date(2026, 3, 23)  # a Monday
UNTIL_NOW = datetime.combine(UNTIL, time(12), tzinfo=ZONE)
WEEKS = 3


@pytest.fixture
async def history(session: AsyncSession) -> HistoryReport:
    await seed(session)
    report = await generate_history(session, until=UNTIL, weeks=WEEKS, daily=80)
    assert report is not None
    return report


def _week() -> Filters:
    start = datetime.combine(UNTIL - timedelta(days=7 * WEEKS), time.min, tzinfo=ZONE)
    return Filters(start=start, end=datetime.combine(UNTIL, time.min, tzinfo=ZONE))


async def test_it_runs_once(session: AsyncSession, history: HistoryReport) -> None:
    assert history.start == date(2026, 3, 2)
    assert await generate_history(session, until=UNTIL, weeks=WEEKS) is None


async def test_every_conversation_is_finished_and_in_range(
    session: AsyncSession, history: HistoryReport
) -> None:
    waiting = select(func.count()).where(Handoff.status != HandoffStatus.RESOLVED)
    assert (await session.execute(waiting)).scalar_one() == 0
    conversations = (await session.execute(select(Conversation))).scalars().all()
    assert len(conversations) == history.conversations
    bounds = _week()
    assert all(bounds.start <= c.created_at < bounds.end for c in conversations)


async def test_sequence_numbers_are_gapless(session: AsyncSession, history: HistoryReport) -> None:
    counts: Counter[str] = Counter()
    highest: dict[str, int] = {}
    for model in (Message, ConversationEvent):
        rows = await session.execute(
            select(model.conversation_id, func.count(), func.max(model.seq)).group_by(
                model.conversation_id
            )
        )
        for conversation_id, count, top in rows:
            counts[conversation_id] += count
            highest[conversation_id] = max(top, highest.get(conversation_id, 0))
    last = dict((await session.execute(select(Conversation.id, Conversation.last_seq))).all())
    # Unique (conversation, seq) pairs, as many as the last number: 1..last_seq, no gaps.
    assert counts == Counter(last)
    assert highest == last


async def test_busy_weekdays_and_daytime_quiet_nights_and_weekends(
    session: AsyncSession, history: HistoryReport
) -> None:
    config = ReportConfig(ZONE, 120, Costs(0, 0, "EUR"), 240)
    conversations, _handoffs = await analytics_service.load_facts(session, _week())
    local = [c.created_at.astimezone(ZONE) for c in conversations]
    by_weekday = Counter(t.weekday() for t in local)
    assert mean(by_weekday[d] for d in range(5)) > 1.4 * mean(by_weekday[d] for d in (5, 6))
    by_hour = Counter(t.hour for t in local)
    assert sum(by_hour[h] for h in (10, 11)) > 4 * sum(by_hour[h] for h in (2, 3))

    metrics = (
        await analytics_service.report(session, _week(), config=config, now=UNTIL_NOW)
    ).metrics
    assert 0.3 < (metrics.automation.value or 0) < 0.7
    assert 0.2 < (metrics.handoff_rate.value or 0) < 0.5
    assert metrics.time_to_human.p50 is not None
    assert metrics.time_to_human.p50 < 300
    assert metrics.csat_ai.responses > 0
    assert metrics.csat_human.responses > 0
    assert {q.queue for q in metrics.queues} == {"general", "vip", "care"}
    assert len(metrics.agents) == 3
