"""A process reuses a report's rows while nothing they come from has changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.analytics import queries, service
from tandem.analytics.facts import ConversationFact
from tandem.analytics.filters import Filters
from tandem.conversations import service as conversation_service
from tandem.conversations.models import ConversationStatus
from tandem.privacy import service as privacy_service
from tests.analytics.scenario import NOW, T0, build
from tests.analytics.test_report import CONFIG, WEEK

CACHED = replace(CONFIG, cache_seconds=3600)


async def test_a_second_report_reuses_the_rows_it_read(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await build(session)
    first = await service.report(session, WEEK, config=CACHED, now=NOW)
    reads: list[Filters] = []
    original = queries.conversation_facts

    async def counted(
        session: AsyncSession, filters: Filters, *, topics_by_slug: dict[str, str]
    ) -> list[ConversationFact]:
        reads.append(filters)
        return await original(session, filters, topics_by_slug=topics_by_slug)

    monkeypatch.setattr(queries, "conversation_facts", counted)
    again = await service.report(session, WEEK, config=CACHED, now=NOW)
    assert reads == []
    assert again.metrics == first.metrics
    fresh = await service.report(session, WEEK, config=CONFIG, now=NOW)  # no reuse: read anew
    assert reads == [WEEK]
    assert fresh.metrics == first.metrics


async def test_a_new_conversation_is_counted_at_once(session: AsyncSession) -> None:
    await build(session)
    before = await service.report(session, WEEK, config=CACHED, now=NOW)
    await conversation_service.start_conversation(
        session, identity=None, identity_secret=None, created_at=T0 + timedelta(days=3)
    )
    after = await service.report(session, WEEK, config=CACHED, now=NOW)
    assert after.metrics.conversations == before.metrics.conversations + 1


async def test_a_changed_rating_is_seen_at_once(session: AsyncSession) -> None:
    scenario = await build(session)
    before = (await service.report(session, WEEK, config=CACHED, now=NOW)).metrics
    conversations = [
        await conversation_service.get_conversation(session, id_) for id_ in scenario.ids.values()
    ]
    rated = next(
        c
        for c in conversations
        if c.status is ConversationStatus.RESOLVED and c.rating == 5 and c.created_at >= T0
    )
    await conversation_service.rate(session, rated, score=1, comment="changed my mind")
    after = (await service.report(session, WEEK, config=CACHED, now=NOW)).metrics
    sums = [
        m.csat_ai.mean * m.csat_ai.responses + m.csat_human.mean * m.csat_human.responses
        for m in (before, after)
    ]
    assert sums[1] == sums[0] - 4


async def test_an_erased_customer_leaves_the_export_at_once(session: AsyncSession) -> None:
    scenario = await build(session)
    conversation = await conversation_service.get_conversation(session, scenario.ids["c4"])
    customer = await conversation_service.get_customer(session, conversation.customer_id)
    customer.email = "c4@example.com"
    await session.flush()
    comment = "HYPERLINK"  # c4's rating comment
    before = await service.export_csv(session, WEEK, "all", config=CACHED, now=NOW)
    assert comment in before
    await privacy_service.erase_customer(session, "c4@example.com")
    after = await service.export_csv(session, WEEK, "all", config=CACHED, now=NOW)
    assert comment not in after
