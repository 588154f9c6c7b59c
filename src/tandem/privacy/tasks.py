"""The periodic retention run: the server erases what has been quiet past the retention period.

Every server process runs it; that is harmless, because a run erases only conversations not
erased yet and each run is its own transaction (a run that collides with another's is rolled
back, logged and done by the next).
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.core.db import transaction
from tandem.core.periodic import run_every
from tandem.privacy import service as privacy_service
from tandem.privacy.service import RetentionReport

logger = logging.getLogger(__name__)


async def retention_once(
    factory: async_sessionmaker[AsyncSession], *, days: int
) -> RetentionReport:
    """Apply the retention period of ``days`` in its own transaction and log what it erased."""
    async with transaction(factory) as session:
        report = await privacy_service.apply_retention(session, days=days)
    logger.log(
        logging.INFO if report.conversations or report.customers else logging.DEBUG,
        "retention: erased %d conversation(s) quiet for more than %d days; forgot %d customer(s)",
        report.conversations,
        days,
        report.customers,
    )
    return report


async def retention_forever(
    factory: async_sessionmaker[AsyncSession], *, days: int, every: float
) -> None:
    """Apply retention every ``every`` seconds until cancelled; a failed run is logged, never
    fatal."""
    await run_every(every, lambda: retention_once(factory, days=days), name="retention run")
