"""The webhook worker: fan out new outbox events, post due deliveries, record each try.

It wakes on the outbox channel after every commit that recorded an event (and at least every
``every`` seconds), so a delivery usually leaves within milliseconds of the change. Under
load, passes are at least ``GATHER_SECONDS`` apart, each taking every event recorded
meanwhile: 50 messages a second cost each process 10 passes, not 50 (three transactions each).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.channels.webhooks import destinations, service, signing
from tandem.channels.webhooks.models import DeliveryStatus
from tandem.channels.webhooks.service import Outgoing
from tandem.core.db import transaction
from tandem.core.events import get_notifier
from tandem.core.outbox import OUTBOX_CHANNEL
from tandem.core.time import utc_now

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10.0
CONCURRENCY = 10
PURGE_EVERY_SECONDS = 3600.0
GATHER_SECONDS = 0.1  # the shortest time between two passes


@dataclass(slots=True)
class PassReport:
    fanned_out: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


async def _post(
    client: httpx.AsyncClient, outgoing: Outgoing, *, block_private: bool
) -> tuple[int | None, str | None]:
    if block_private:
        refused = await destinations.refusal(outgoing.url)
        if refused is not None:
            return None, refused
    headers = signing.headers(
        outgoing.secret,
        message_id=outgoing.message_id,
        timestamp=int(time.time()),
        body=outgoing.body,
    )
    try:
        response = await client.post(outgoing.url, content=outgoing.body, headers=headers)
    except httpx.HTTPError as error:
        return None, f"could not reach the receiver: {error!r}"
    return response.status_code, None


async def deliver_due(
    factory: async_sessionmaker[AsyncSession],
    client: httpx.AsyncClient,
    report: PassReport,
    *,
    block_private: bool = False,
) -> int:
    """Post every delivery due now (up to a batch); return how many were tried.

    The batch is leased in one transaction, posted concurrently, and its results recorded in
    one more: a busy receiver costs two short write transactions per batch, not per event.
    """
    async with transaction(factory) as session:
        leased = await service.lease_due(session, now=utc_now())
    if not leased:
        return 0
    limit = asyncio.Semaphore(CONCURRENCY)

    async def post(outgoing: Outgoing) -> tuple[int | None, str | None]:
        async with limit:
            return await _post(client, outgoing, block_private=block_private)

    results = await asyncio.gather(*(post(o) for o in leased))
    async with transaction(factory) as session:
        statuses = [
            await service.record_attempt(session, outgoing.id, status_code=code, error=error)
            for outgoing, (code, error) in zip(leased, results, strict=True)
        ]
    for outgoing, status in zip(leased, statuses, strict=True):
        if status is DeliveryStatus.DELIVERED:
            report.delivered += 1
        elif status is DeliveryStatus.FAILED:
            report.failed += 1
            logger.error("webhook delivery %s to %s failed for good", outgoing.id, outgoing.url)
        else:
            report.retrying += 1
    return len(leased)


async def webhook_pass(
    factory: async_sessionmaker[AsyncSession],
    client: httpx.AsyncClient,
    *,
    block_private: bool = False,
) -> PassReport:
    """Fan out, then deliver until nothing more is due right now."""
    report = PassReport()
    async with transaction(factory, write=False) as session:  # SQLite: no write lock for nothing
        undispatched, due = await service.work_waiting(session, now=utc_now())
    if undispatched:
        async with transaction(factory) as session:
            report.fanned_out = await service.fan_out(session)
    if undispatched or due:
        while await deliver_due(factory, client, report, block_private=block_private):
            pass
    return report


async def webhooks_forever(
    factory: async_sessionmaker[AsyncSession],
    *,
    every: float,
    block_private: bool = False,
    gather_seconds: float = GATHER_SECONDS,
) -> None:
    """Run passes until cancelled: on every outbox wake-up, and every ``every`` seconds.

    ``block_private``: refuse receivers at non-public addresses (production).
    """
    last_purge = 0.0
    async with (
        httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client,
        get_notifier().listen(OUTBOX_CHANNEL) as listener,
    ):
        while True:
            try:
                await webhook_pass(factory, client, block_private=block_private)
                if time.monotonic() - last_purge > PURGE_EVERY_SECONDS:
                    last_purge = time.monotonic()
                    async with transaction(factory) as session:
                        await service.purge(session, now=utc_now())
            except asyncio.CancelledError:
                raise
            except Exception:  # the database or a receiver misbehaving; the next pass retries
                logger.exception("webhook pass failed; trying again in %.0f s", every)
            await asyncio.sleep(gather_seconds)  # what is recorded meanwhile wakes the next pass
            await listener.wait(every)
