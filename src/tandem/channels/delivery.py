"""Webhooks and mail, sent outside requests by whoever runs the jobs.

With the embedded job runner each `tandem serve` process runs these loops; with
TANDEM_JOB_RUNNER=separate the `tandem worker` processes do, and web processes only serve.
Several runners never do the same work twice: an inbound mail is recognised by its
Message-ID, outgoing mail and webhook deliveries are taken with a compare-and-set lease.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.channels.email.tasks import MailSetup, mail_forever
from tandem.channels.webhooks.tasks import webhooks_forever
from tandem.config import Settings

MAIL_TASK = "mail"
WEBHOOKS_TASK = "webhooks"


@contextlib.asynccontextmanager
async def delivering(
    settings: Settings,
    factory: async_sessionmaker[AsyncSession],
    mail_setup: MailSetup | None,
) -> AsyncIterator[None]:
    """Run the mail loop (with a mailbox or a mail server configured) and the webhook loop
    (unless TANDEM_WEBHOOK_INTERVAL_SECONDS is 0) until the block ends."""
    loops: list[asyncio.Task[None]] = []
    if mail_setup is not None and (mail_setup.smtp or mail_setup.imap):
        mail = mail_forever(
            factory,
            mail_setup,
            send_every=settings.email_send_seconds,
            poll_every=settings.email_poll_seconds,
        )
        loops.append(asyncio.create_task(mail, name=MAIL_TASK))
    if settings.webhook_interval_seconds > 0:
        hooks = webhooks_forever(
            factory,
            every=settings.webhook_interval_seconds,
            block_private=settings.webhooks_public_only,
        )
        loops.append(asyncio.create_task(hooks, name=WEBHOOKS_TASK))
    try:
        yield
    finally:
        for loop in loops:
            loop.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
