"""Jobs to queue once a unit of work commits, for work that must not hold up the request.

The work itself is recorded in the database by the transaction (say, a summary marked
pending), so a job that is never queued (the process died between commit and queueing, or
the embedded queue lost it) is found again by a periodic recovery job: this is only the fast
path. Queueing after commit, not before, means the job always sees what the request wrote.
"""

from __future__ import annotations

import logging
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)

_PENDING_KEY = "tandem.pending_jobs"


class Deferrer(Protocol):
    async def defer(self, task: str, *, lock: str | None = None, **arguments: object) -> None:
        """Queue ``task`` with ``arguments``; ``lock`` runs jobs sharing it one at a time."""
        ...


_deferrer: Deferrer | None = None


def set_deferrer(deferrer: Deferrer | None) -> None:
    """Install the process's job queue (done by the server's lifespan and `tandem worker`)."""
    global _deferrer
    _deferrer = deferrer


def defer_after_commit(
    session: AsyncSession, task: str, *, lock: str | None = None, **arguments: object
) -> None:
    """Ask for ``task`` to be queued once the session's transaction commits."""
    session.info.setdefault(_PENDING_KEY, []).append((task, lock, arguments))


def discard_pending_jobs(session: AsyncSession) -> None:
    """Forget the jobs a rolled-back transaction asked for."""
    session.info.pop(_PENDING_KEY, None)


async def queue_pending_jobs(session: AsyncSession) -> None:
    """Queue the jobs a committed session asked for; failures are logged, never raised."""
    pending = session.info.pop(_PENDING_KEY, [])
    if not pending:
        return
    if _deferrer is None:
        logger.info("no job queue in this process; %d job(s) wait for recovery", len(pending))
        return
    for task, lock, arguments in pending:
        try:
            await _deferrer.defer(task, lock=lock, **arguments)
        except Exception:  # the work is in the database: the recovery job queues it later
            logger.exception("could not queue %s; the recovery job will", task)
