"""Background work of the e-mail channel: poll the mailbox, fill and empty the outbox.

Each mail is its own transaction. A mail is marked seen on the IMAP server only after its
turn committed, so a crash in between fetches it again, and its Message-ID makes the second
copy a no-op. The outbox is sent after commit; a process that dies mid-send leaves a lease
that runs out, and the mail is sent again with the same Message-ID (at least once).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.bot.service import BotConfig, config_from
from tandem.channels.email import service
from tandem.channels.email.models import MailStatus
from tandem.channels.email.service import MailConfig, Received
from tandem.channels.email.transport import Mailbox, MailServer, SendError, parse_server, send
from tandem.config import Settings
from tandem.core.db import transaction
from tandem.core.errors import InvalidInputError
from tandem.core.time import utc_now

logger = logging.getLogger(__name__)
POLL_BATCH = 50


@dataclass(frozen=True, slots=True)
class MailSetup:
    """What the mail worker needs: the mailbox to read, the server to send through."""

    mail: MailConfig
    bot: BotConfig
    imap: MailServer | None
    smtp: MailServer | None


def setup_from(settings: Settings) -> MailSetup | None:
    """The mail worker's setup, or None when no support address is configured.

    Raises ``MailServerURLError`` for a server URL that cannot be used, so start-up stops
    with a message instead of a worker failing every pass.
    """
    if settings.email_address is None:
        return None
    return MailSetup(
        mail=mail_config(settings),
        bot=config_from(settings),
        imap=parse_server(settings.imap_url, protocol="imap") if settings.imap_url else None,
        smtp=parse_server(settings.smtp_url, protocol="smtp") if settings.smtp_url else None,
    )


def mail_config(settings: Settings) -> MailConfig:
    """The support address and letterhead from the settings (the address must be set)."""
    assert settings.email_address is not None
    return MailConfig(
        address=settings.email_address.lower(),
        company=settings.company_name,
        base_url=settings.base_url(),
    )


@dataclass(slots=True)
class PassReport:
    received: int = 0
    duplicates: int = 0
    ignored: int = 0
    unreadable: int = 0
    queued: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0


async def take_mail(
    factory: async_sessionmaker[AsyncSession], raw: bytes, *, mail: MailConfig, bot: BotConfig
) -> Received:
    """Store one inbound mail in its own transaction; a copy racing in is a duplicate."""
    for attempt in range(2):
        try:
            async with transaction(factory) as session:
                return await service.receive_mail(session, raw, mail=mail, bot=bot)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


async def poll_mailbox(
    factory: async_sessionmaker[AsyncSession], setup: MailSetup, report: PassReport
) -> None:
    """Take every unseen mail in the mailbox (up to a batch)."""
    if setup.imap is None:
        return
    mailbox = await asyncio.to_thread(Mailbox, setup.imap)
    try:
        for uid in await asyncio.to_thread(mailbox.unseen, limit=POLL_BATCH):
            raw = await asyncio.to_thread(mailbox.fetch, uid)
            if raw is None:
                continue
            try:
                received = await take_mail(factory, raw, mail=setup.mail, bot=setup.bot)
            except InvalidInputError as error:
                logger.warning("mail %s cannot be read (%s); flagged in the mailbox", uid, error)
                report.unreadable += 1
                await asyncio.to_thread(mailbox.mark, uid, flagged=True)
                continue
            report.duplicates += received.duplicate
            report.ignored += received.ignored
            report.received += not (received.duplicate or received.ignored)
            await asyncio.to_thread(mailbox.mark, uid)
    finally:
        await asyncio.to_thread(mailbox.close)


async def send_outbox(
    factory: async_sessionmaker[AsyncSession], setup: MailSetup, report: PassReport
) -> None:
    """Queue new replies as mail, then send what is due, recording each attempt."""
    async with transaction(factory) as session:
        report.queued += await service.queue_all(session, mail=setup.mail)
    if setup.smtp is None:
        return
    async with transaction(factory) as session:
        leased = await service.lease_due(session, now=utc_now())
    for outgoing in leased:
        error: SendError | None = None
        try:
            await asyncio.to_thread(
                send, setup.smtp, sender=outgoing.sender, recipient=outgoing.recipient,
                raw=outgoing.raw,
            )  # fmt: skip
        except SendError as failure:
            error = failure
        async with transaction(factory) as session:
            status = await service.record_attempt(
                session,
                outgoing.id,
                error=str(error) if error else None,
                permanent=bool(error and error.permanent),
            )
        if status is MailStatus.SENT:
            report.sent += 1
        elif status is MailStatus.FAILED:
            report.failed += 1
            logger.error("mail %s to %s given up: %s", outgoing.id, outgoing.recipient, error)
        else:
            report.retrying += 1
            logger.warning(
                "mail %s to %s will be retried: %s", outgoing.id, outgoing.recipient, error
            )


async def mail_pass(factory: async_sessionmaker[AsyncSession], setup: MailSetup) -> PassReport:
    """One pass: read the mailbox, then send the outbox."""
    report = PassReport()
    await poll_mailbox(factory, setup, report)
    await send_outbox(factory, setup, report)
    return report


async def mail_forever(
    factory: async_sessionmaker[AsyncSession],
    setup: MailSetup,
    *,
    send_every: float,
    poll_every: float,
) -> None:
    """Send the outbox every ``send_every`` s and read the mailbox every ``poll_every`` s."""
    loop = asyncio.get_running_loop()
    next_poll = loop.time()
    while True:
        report = PassReport()
        try:
            if setup.imap is not None and loop.time() >= next_poll:
                next_poll = loop.time() + poll_every
                await poll_mailbox(factory, setup, report)
            await send_outbox(factory, setup, report)
        except asyncio.CancelledError:
            raise
        except Exception:  # a mail server or database hiccup; the next pass tries again
            logger.exception("e-mail pass failed; trying again in %.0f s", send_every)
        await asyncio.sleep(send_every)
