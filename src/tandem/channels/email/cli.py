"""`tandem email ...`: run the e-mail channel's work by hand or from cron."""

from __future__ import annotations

import asyncio

import typer

from tandem.channels.email.tasks import PassReport, mail_pass, setup_from
from tandem.channels.email.transport import MailServerURLError
from tandem.config import get_settings
from tandem.core.commands import fail
from tandem.core.db import create_engine, create_sessionmaker

email_app = typer.Typer(help="The e-mail channel.", no_args_is_help=True)


@email_app.command("poll")
def poll() -> None:
    """Read the mailbox once, then write and send the replies that are due.

    `tandem serve` does this on its own every TANDEM_EMAIL_POLL_SECONDS; this command is for
    a first check of the settings, or for cron when the server's worker is off.
    """
    settings = get_settings()
    try:
        setup = setup_from(settings)
    except MailServerURLError as error:
        raise fail(str(error)) from error
    if setup is None:
        raise fail("Set TANDEM_EMAIL_ADDRESS, and TANDEM_IMAP_URL and/or TANDEM_SMTP_URL.")

    async def run() -> PassReport:
        engine = create_engine(settings.database_url)
        try:
            return await mail_pass(create_sessionmaker(engine), setup)
        finally:
            await engine.dispose()

    try:
        report = asyncio.run(run())
    except OSError as error:
        raise fail(f"Could not reach the mail server: {error}") from error
    typer.echo(
        f"Received {report.received} mail(s) ({report.duplicates} already known, "
        f"{report.ignored} automatic, {report.unreadable} unreadable); queued {report.queued} "
        f"repl(ies); sent {report.sent}, {report.retrying} to retry, {report.failed} given up."
    )
