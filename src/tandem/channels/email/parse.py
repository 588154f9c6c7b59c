"""Read an inbound e-mail: who wrote, which thread it continues, the new text, its files.

Pure: bytes in, a typed ``InboundMail`` out. The text keeps only what the customer wrote this
time (quoted replies and the "On ... wrote:" block are cut, in the languages the parser knows).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from bs4 import BeautifulSoup
from mailparser_reply import EmailReplyParser

from tandem.core.errors import InvalidInputError

# The languages whose reply headers ("On ... wrote:", "Am ... schrieb:") are recognised.
REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl", "zh"]
MAX_TEXT_CHARS = 20_000
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_AUTOMATIC_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
_DAEMONS = ("mailer-daemon@", "postmaster@")


@dataclass(frozen=True, slots=True)
class MailFile:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class InboundMail:
    message_id: str  # with angle brackets; made up from the bytes when the mail has none
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    sender: str  # lower-case address
    sender_name: str | None
    recipients: tuple[str, ...]
    subject: str
    text: str  # the new part only
    files: tuple[MailFile, ...]
    automatic: bool  # an auto-reply, a bounce or a list mail: never answered

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Message-IDs this mail answers, the most direct first."""
        return tuple(dict.fromkeys((*self.in_reply_to, *reversed(self.references))))


def storable(text: str) -> str:
    """``text`` without what no database stores: NULs, and lone surrogates from bad bytes."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def message_id_key(message_id: str) -> str:
    """Return the stored key of a Message-ID (a hash: ids may be up to 998 characters)."""
    return hashlib.sha256(message_id.strip().lower().encode()).hexdigest()


def _ids(value: str | None) -> tuple[str, ...]:
    return tuple(_MESSAGE_ID.findall(value or ""))


def _automatic(message: EmailMessage, sender: str) -> bool:
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        auto_submitted != "no"
        or precedence in _AUTOMATIC_PRECEDENCE
        or message.get("X-Autoreply") is not None
        or message.get("X-Autorespond") is not None
        or message.get("List-Id") is not None
        or str(message.get("Return-Path", "")).strip() == "<>"
        or sender.startswith(_DAEMONS)
    )


def _html_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "head", "blockquote"]):
        hidden.decompose()
    return soup.get_text("\n")


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    text = content if isinstance(content, str) else content.decode("utf-8", "replace")
    if part.get_content_subtype() == "html":
        text = _html_text(text)
    return text


def _new_text(body: str) -> str:
    text = storable(body).replace("\r\n", "\n")
    latest = EmailReplyParser(languages=REPLY_LANGUAGES).parse_reply(text)
    text = latest if latest is not None and latest.strip() else text
    text = "\n".join(line for line in text.splitlines() if not line.startswith(">"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text[:MAX_TEXT_CHARS]


def _files(message: EmailMessage) -> tuple[MailFile, ...]:
    files: list[MailFile] = []
    for index, part in enumerate(message.iter_attachments(), start=1):
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue  # an attached message/rfc822 arrives as a message, kept as its own mail
        name = part.get_filename() or f"attachment-{index}"
        files.append(
            MailFile(
                filename=storable(name)[:255],
                content_type=storable(part.get_content_type())[:255],
                content=payload,
            )
        )
    return tuple(files)


def parse_mail(raw: bytes) -> InboundMail:
    """Read ``raw`` (RFC 5322 bytes); raise ``InvalidInputError`` if it is not a usable mail."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not isinstance(message, EmailMessage):  # pragma: no cover - policy.default builds these
        raise InvalidInputError("The mail could not be read.")
    try:
        name, sender = parseaddr(str(message.get("From", "")))
    except (IndexError, ValueError) as error:  # a From header the parser gives up on
        raise InvalidInputError("The mail's From header could not be read.") from error
    if "@" not in sender:
        raise InvalidInputError("The mail has no sender address (From); it cannot be answered.")
    sender = storable(sender.lower())[:320]
    message_ids = _ids(str(message.get("Message-ID", "")))
    message_id = (
        storable(message_ids[0]) if message_ids else f"<{hashlib.sha256(raw).hexdigest()}@tandem>"
    )
    recipients = tuple(
        storable(address.lower())
        for _name, address in getaddresses(
            [str(v) for v in (*message.get_all("To", []), *message.get_all("Cc", []))]
        )
        if "@" in address
    )
    return InboundMail(
        message_id=message_id,
        in_reply_to=_ids(storable(str(message.get("In-Reply-To", "")))),
        references=_ids(storable(str(message.get("References", "")))),
        sender=sender,
        sender_name=storable(name).strip()[:200] or None,
        recipients=recipients,
        subject=storable(" ".join(str(message.get("Subject", "")).split()))[:500],
        text=_new_text(_body(message)),
        files=_files(message),
        automatic=_automatic(message, sender),
    )
