"""The periodic sweep: SLA take-backs, automatic assignment, and the no-orphan check."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.core.db import transaction
from tandem.escalation import service as escalation_service
from tandem.routing.assignment import PRESENCE_TIMEOUT, SweepReport, sweep

logger = logging.getLogger(__name__)


async def sweep_once(
    factory: async_sessionmaker[AsyncSession], *, presence_timeout: timedelta = PRESENCE_TIMEOUT
) -> SweepReport:
    """Run one sweep in its own transaction; wake-ups are published after commit."""
    async with transaction(factory) as session:
        policy = (await escalation_service.active_policy(session)).policy
        report = await sweep(session, policy=policy, presence_timeout=presence_timeout)
    for violation in report.violations:
        logger.error("routing sweep: %s", violation)
    return report
