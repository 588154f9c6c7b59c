"""An SMTP relay for the e-mail tests that delivers what it accepts into Dovecot mailboxes.

``SmtpRelay`` is aiosmtpd's threaded ``Controller`` on a free port of 127.0.0.1: it takes mail
like a submission server and stores each message in the INBOX of every recipient, as a real
MTA would, and records the envelope for the test. The fixtures are in tests/mailservers.py.
"""

from __future__ import annotations

import asyncio
import imaplib
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.dovecot import STARTUP_SECONDS, Dovecot, MailServerError, free_port, parse_message
from tests.server_process import Startable


@dataclass(frozen=True)
class RelayedMail:
    """A message the relay accepted, as the SMTP client sent it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return parse_message(self.raw)


class SmtpRelay(Startable):
    """An SMTP server on 127.0.0.1 that delivers what it accepts into Dovecot, until ``stop``.

    Every recipient gets a copy in the INBOX of its Dovecot user (created with the default
    password when missing), with ``Return-Path`` and ``Delivered-To`` on top. With ``login``
    the relay takes mail only after AUTH PLAIN or LOGIN with that user name and password;
    without, it takes mail with or without AUTH, and any user name and password.
    """

    host = "127.0.0.1"

    def __init__(self, dovecot: Dovecot, *, login: tuple[str, str] | None = None) -> None:
        self.dovecot = dovecot
        self.login = login
        self.port = free_port()
        self._received: list[RelayedMail] = []
        self._failures: list[str] = []
        self._changed = threading.Condition()
        self._controller = Controller(
            _Handler(self),
            hostname=self.host,
            port=self.port,
            ready_timeout=STARTUP_SECONDS,
            server_hostname="relay.test",
            authenticator=self._authenticate,
            auth_require_tls=False,
        )

    def start(self) -> Self:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    @property
    def received(self) -> list[RelayedMail]:
        """The messages delivered so far, oldest first."""
        with self._changed:
            return list(self._received)

    def clear(self) -> None:
        with self._changed:
            self._received.clear()
            self._failures.clear()

    def wait_for(self, count: int, *, timeout: float = 30.0) -> list[RelayedMail]:
        """Wait until ``count`` messages are delivered; fail early when a delivery failed."""
        with self._changed:
            self._changed.wait_for(
                lambda: bool(self._failures) or len(self._received) >= count, timeout
            )
            if self._failures:
                raise MailServerError("the relay could not deliver: " + "; ".join(self._failures))
            if len(self._received) < count:
                raise MailServerError(
                    f"the relay delivered {len(self._received)} of {count} messages in {timeout} s"
                )
            return list(self._received)

    def _deliver(self, mail: RelayedMail) -> None:
        """Store a copy in the INBOX of each recipient, then record the message."""
        for recipient in mail.rcpt_tos:
            self.dovecot.ensure_user(recipient)
            trace = f"Return-Path: <{mail.mail_from}>\r\nDelivered-To: {recipient}\r\n"
            self.dovecot.append(recipient, trace.encode() + mail.raw)
        with self._changed:
            self._received.append(mail)
            self._changed.notify_all()

    def _record_failure(self, reason: str) -> None:
        with self._changed:
            self._failures.append(reason)
            self._changed.notify_all()

    def _authenticate(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        mechanism: str,
        auth_data: object,
    ) -> AuthResult:
        if self.login is None:
            return AuthResult(success=True)
        user, password = self.login
        granted = auth_data == LoginPassword(user.encode(), password.encode())
        return AuthResult(success=granted, handled=False)


class _Handler:
    """aiosmtpd's hooks: refuse unauthenticated senders when a login is set, then deliver."""

    def __init__(self, relay: SmtpRelay) -> None:
        self.relay = relay

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        # Like a submission server, and without aiosmtpd's warning about auth_required
        # without TLS (which pytest would raise).
        if self.relay.login and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        mail = RelayedMail(
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            raw=envelope.original_content or b"",
        )
        try:
            await asyncio.to_thread(self.relay._deliver, mail)
        except (MailServerError, ValueError, OSError, imaplib.IMAP4.error) as error:
            self.relay._record_failure(f"to {', '.join(mail.rcpt_tos)}: {error}")
            return f"451 4.3.0 Delivery failed: {error}"
        return "250 2.0.0 Delivered"
