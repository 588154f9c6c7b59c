"""One retention run: erase what has been quiet past the retention period.

The job runner runs it every TANDEM_RETENTION_INTERVAL_SECONDS (jobs.tasks). Two runs at once
(a run of `tandem customer retention` beside the job) are harmless: a run erases only
conversations not erased yet, in its own transaction.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.core.db import transaction
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
