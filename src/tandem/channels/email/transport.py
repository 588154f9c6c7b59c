"""Talk to the mail servers: fetch new mail over IMAP, send over SMTP.

Blocking (the standard library's ``imaplib`` and ``smtplib``); callers run these in a thread.
Servers are given as URLs: ``smtp://user:password@host:587?starttls=true``, ``smtps://...:465``,
``imap://user:password@host:143/INBOX?starttls=true``, ``imaps://...:993/Support``. User names
and passwords are percent-encoded (``@`` is ``%40``).
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import smtplib
import ssl
from dataclasses import dataclass
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs, unquote, urlsplit

TIMEOUT_SECONDS = 30.0
_DEFAULT_PORTS = {"smtp": 25, "smtps": 465, "imap": 143, "imaps": 993}
_TRUE = frozenset({"1", "true", "yes", "on"})


class MailServerURLError(ValueError):
    """A mail server URL that cannot be used; the message says how to write it."""


class SendError(Exception):
    """The SMTP server did not take the mail; ``permanent`` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class MailServer:
    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None
    starttls: bool
    mailbox: str = "INBOX"

    @property
    def implicit_tls(self) -> bool:
        return self.scheme in ("smtps", "imaps")

    def __repr__(self) -> str:  # never show the password in logs
        return f"MailServer({self.scheme}://{self.username or ''}@{self.host}:{self.port})"


def parse_server(url: str, *, protocol: str) -> MailServer:
    """Read a ``smtp``/``smtps`` or ``imap``/``imaps`` URL (``protocol`` is smtp or imap)."""
    parts = urlsplit(url)
    schemes = (protocol, protocol + "s")
    example = (
        "smtp://user:password@mail.example.com:587?starttls=true"
        if protocol == "smtp"
        else "imaps://user:password@mail.example.com:993/INBOX"
    )
    if parts.scheme not in schemes or not parts.hostname:
        raise MailServerURLError(
            f"The {protocol.upper()} server URL must look like {example} "
            f"(scheme {' or '.join(schemes)}, then the host)."
        )
    try:
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
    except ValueError as error:
        raise MailServerURLError(f"The {protocol.upper()} server URL has a bad port.") from error
    query = parse_qs(parts.query)
    starttls = query.get("starttls", ["false"])[-1].lower() in _TRUE
    mailbox = unquote(parts.path.lstrip("/")) or "INBOX"
    return MailServer(
        scheme=parts.scheme,
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        starttls=starttls,
        mailbox=mailbox,
    )


def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


_BARE_LF = re.compile(rb"(?<!\r)\n")


def _crlf(raw: bytes) -> bytes:
    """Every line ended by CRLF, as SMTP requires (a bare LF is refused by careful servers)."""
    return _BARE_LF.sub(b"\r\n", raw)


def send(server: MailServer, *, sender: str, recipient: str, raw: bytes) -> None:
    """Hand one mail to the SMTP server; raise ``SendError`` if it does not take it."""
    try:
        client: smtplib.SMTP = (
            smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_SECONDS, context=_tls())
            if server.implicit_tls
            else smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
        )
        with client:
            if server.starttls:
                client.starttls(context=_tls())
            if server.username:
                client.login(server.username, server.password or "")
            client.sendmail(sender, [recipient], _crlf(raw))
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _message in error.recipients.values()]
        raise SendError(f"The recipient was refused: {error.recipients}", permanent=all(
            c >= 500 for c in codes
        )) from error  # fmt: skip
    except smtplib.SMTPResponseException as error:
        permanent = error.smtp_code >= 500 and not isinstance(
            error, smtplib.SMTPAuthenticationError
        )
        raise SendError(
            f"The SMTP server answered {error.smtp_code}: {error.smtp_error!r}", permanent=permanent
        ) from error
    except (smtplib.SMTPException, OSError) as error:
        raise SendError(f"Could not reach the SMTP server: {error}", permanent=False) from error


class Mailbox:
    """One IMAP session on the support mailbox."""

    def __init__(self, server: MailServer) -> None:
        self.server = server
        self._imap: imaplib.IMAP4 = (
            imaplib.IMAP4_SSL(server.host, server.port, ssl_context=_tls(), timeout=TIMEOUT_SECONDS)
            if server.implicit_tls
            else imaplib.IMAP4(server.host, server.port, timeout=TIMEOUT_SECONDS)
        )
        try:
            if server.starttls:
                self._imap.starttls(ssl_context=_tls())
            self._imap.login(server.username or "", server.password or "")
            status, detail = self._imap.select(_quoted(server.mailbox))
            if status != "OK":
                raise imaplib.IMAP4.error(f"cannot open mailbox {server.mailbox!r}: {detail!r}")
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def unseen(self, *, limit: int) -> list[str]:
        """UIDs of mails not yet marked seen, oldest first, at most ``limit``."""
        status, data = self._imap.uid("SEARCH", "UNSEEN")
        if status != "OK" or not data or not data[0]:
            return []
        return sorted((uid.decode() for uid in data[0].split()), key=int)[:limit]

    def fetch(self, uid: str) -> bytes | None:
        """The mail's bytes, without marking it seen; None if it is gone."""
        status, data = self._imap.uid("FETCH", uid, "(BODY.PEEK[])")
        if status != "OK":
            return None
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                return bytes(item[1])
        return None

    def mark(self, uid: str, *, flagged: bool = False) -> None:
        """Mark a mail seen (done with it); ``flagged`` marks one that could not be read."""
        flags = r"(\Seen \Flagged)" if flagged else r"(\Seen)"
        self._imap.uid("STORE", uid, "+FLAGS", flags)

    def close(self) -> None:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            self._imap.logout()


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'
