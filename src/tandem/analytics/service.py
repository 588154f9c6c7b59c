"""Reports: load the fact rows once, then compute metrics, ROI, drill-downs and exports.

Loading the facts is the slow part of a dashboard (one query over every conversation in the
period with its messages, events and handoffs: about 0.3 s on the demo's six weeks). A
process keeps the facts of its latest reports and reuses them while nothing they are read
from has changed (:func:`tandem.analytics.queries.data_version`), for at most
``TANDEM_REPORT_CACHE_SECONDS``; metrics that depend on the time ("waiting longer than the SLA") are
computed afresh from them on every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.analytics import queries
from tandem.analytics.export import to_csv
from tandem.analytics.facts import NO_TOPIC, ConversationFact, HandoffFact
from tandem.analytics.filters import Filters
from tandem.analytics.metrics import Metrics, compute, spread
from tandem.analytics.roi import Costs, Roi, compute_roi
from tandem.analytics.segments import UnknownSegmentError, select_segment
from tandem.config import Settings
from tandem.conversations.models import Tier
from tandem.core.errors import InvalidInputError
from tandem.core.kept import Kept

DRILL_DOWN_PAGE = 200
FACTS_KEPT = 16  # reports (filters) whose facts a process keeps

Facts = tuple[list[ConversationFact], list[HandoffFact]]
_facts: Kept[Facts] = Kept(FACTS_KEPT)


@dataclass(frozen=True, slots=True)
class ReportConfig:
    zone: ZoneInfo
    sla_seconds: int
    costs: Costs
    fallback_handle_seconds: float
    cache_seconds: float = 0.0  # an edit the data version cannot see shows within this


def config_from(settings: Settings) -> ReportConfig:
    """Return the report settings; an unknown time zone is refused with what to set."""
    try:
        zone = ZoneInfo(settings.report_timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidInputError(
            f"TANDEM_REPORT_TIMEZONE={settings.report_timezone!r} is not a known time zone; "
            "use an IANA name such as Europe/London."
        ) from error
    return ReportConfig(
        zone=zone,
        sla_seconds=settings.sla_first_reply_seconds,
        costs=Costs(
            ai_per_conversation=settings.ai_cost_per_conversation,
            agent_per_hour=settings.agent_cost_per_hour,
            currency=settings.cost_currency,
        ),
        fallback_handle_seconds=float(settings.average_handle_seconds),
        cache_seconds=settings.report_cache_seconds,
    )


@dataclass(frozen=True, slots=True)
class Options:
    """The values each filter can take."""

    channels: list[str]
    queues: list[str]
    intents: list[str]
    tiers: list[str]


@dataclass(frozen=True, slots=True)
class Report:
    filters: Filters
    conversations: list[ConversationFact]
    handoffs: list[HandoffFact]
    metrics: Metrics
    roi: Roi
    agent_names: dict[int, str]


async def load_facts(
    session: AsyncSession, filters: Filters, *, cache_seconds: float = 0.0
) -> Facts:
    """Return the conversations the filters select and their handoffs (new lists each call);
    with ``cache_seconds``, rows read that recently are reused if nothing changed since."""
    topics = await queries.article_topics(session)
    if cache_seconds <= 0:
        return await _read_facts(session, filters, topics)
    key = (
        str(session.get_bind().engine.url),
        filters,
        tuple(sorted(topics.items())),
        await queries.data_version(session),
    )
    kept = _facts.get(key, max_age=cache_seconds)
    if kept is None:
        kept = await _read_facts(session, filters, topics)
        _facts.put(key, kept)
    return list(kept[0]), list(kept[1])


async def _read_facts(session: AsyncSession, filters: Filters, topics: dict[str, str]) -> Facts:
    conversations = await queries.conversation_facts(session, filters, topics_by_slug=topics)
    handoffs = await queries.handoff_facts(
        session, filters, conversation_ids={c.id for c in conversations}
    )
    return conversations, handoffs


async def report(
    session: AsyncSession, filters: Filters, *, config: ReportConfig, now: datetime
) -> Report:
    """Compute every metric, the ROI and the names of the agents involved."""
    conversations, handoffs = await load_facts(session, filters, cache_seconds=config.cache_seconds)
    metrics = compute(
        conversations, handoffs, now=now, sla_seconds=config.sla_seconds, zone=config.zone
    )
    roi = compute_roi(metrics, config.costs, fallback_handle_seconds=config.fallback_handle_seconds)
    names = await queries.staff_names(session, {row.agent_id for row in metrics.agents})
    return Report(filters, conversations, handoffs, metrics, roi, names)


async def drill_down(
    session: AsyncSession,
    filters: Filters,
    segment: str,
    *,
    config: ReportConfig,
    now: datetime,
) -> tuple[str, list[ConversationFact]]:
    """Return a title and the conversations behind one number (422 for an unknown segment)."""
    conversations, handoffs = await load_facts(session, filters, cache_seconds=config.cache_seconds)
    try:
        return select_segment(
            segment, conversations, handoffs, now=now, sla_seconds=config.sla_seconds
        )
    except UnknownSegmentError as error:
        raise InvalidInputError(str(error)) from error


async def export_csv(
    session: AsyncSession,
    filters: Filters,
    segment: str,
    *,
    config: ReportConfig,
    now: datetime,
) -> str:
    """Return the conversations of ``segment`` as CSV."""
    _title, conversations = await drill_down(session, filters, segment, config=config, now=now)
    return to_csv(conversations)


async def options(session: AsyncSession) -> Options:
    topics = await queries.article_topics(session)
    return Options(
        channels=list(await queries.channels(session)),
        queues=list(await queries.queues(session)),
        intents=sorted({*topics.values(), NO_TOPIC}),
        tiers=[tier.value for tier in Tier],
    )


@dataclass(frozen=True, slots=True)
class History:
    """Past conversations for planning, and the mean handle time of their human contacts."""

    conversations: list[ConversationFact]
    mean_handle_seconds: float | None


async def history(
    session: AsyncSession, *, start: datetime, end: datetime, cache_seconds: float = 0.0
) -> History:
    """Return every conversation started in ``[start, end)`` and its mean handle time
    (``cache_seconds`` as for :func:`load_facts`)."""
    conversations, handoffs = await load_facts(
        session, Filters(start=start, end=end), cache_seconds=cache_seconds
    )
    return History(conversations, spread(h.handle_seconds for h in handoffs).mean)


async def has_conversations(session: AsyncSession) -> bool:
    """Whether any conversation has ever been recorded."""
    return await queries.any_conversation(session)
