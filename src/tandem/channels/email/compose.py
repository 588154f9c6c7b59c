"""Write the e-mail that carries the bot's and agents' new messages to the customer.

Pure: the thread's headers and the messages in, RFC 5322 bytes out. Replies stay in the
customer's thread (In-Reply-To and References), and a mail written by the bot says so and how
to reach a person; it is marked ``Auto-Submitted: auto-replied`` (RFC 3834), so that the
customer's own auto-responder does not answer it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from urllib.parse import urljoin

from tandem.core.time import utc_now

MAX_REFERENCES = 20


@dataclass(frozen=True, slots=True)
class OutgoingPart:
    """One message of the conversation to put in the mail."""

    author: str  # "bot", "agent" or "system"
    text: str
    agent_name: str | None = None
    sources: tuple[tuple[str, str], ...] = ()  # (title, url) of the articles an answer cites


@dataclass(frozen=True, slots=True)
class Letterhead:
    """Who the company's mail comes from."""

    address: str
    company: str
    base_url: str


@dataclass(frozen=True, slots=True)
class ComposedMail:
    message_id: str
    subject: str
    raw: bytes


def reply_subject(subject: str, company: str) -> str:
    """Return "Re: <subject>", or a subject of the company's when the thread has none."""
    subject = subject.strip() or f"Your conversation with {company}"
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def _body(parts: Sequence[OutgoingPart], letterhead: Letterhead) -> str:
    paragraphs: list[str] = []
    for part in parts:
        paragraphs.append(part.text.strip())
        for title, url in part.sources:
            paragraphs.append(f"Source: {title} <{urljoin(letterhead.base_url + '/', url)}>")
    agents = [p.agent_name for p in parts if p.author == "agent" and p.agent_name]
    if agents:
        paragraphs.append(f"{agents[-1]}\n{letterhead.company}")
    else:
        paragraphs.append(
            f"-- \n{letterhead.company}'s AI assistant. Reply with “person” at any time to "
            "reach someone from our team."
        )
    return "\n\n".join(p for p in paragraphs if p) + "\n"


def compose(
    parts: Sequence[OutgoingPart],
    *,
    letterhead: Letterhead,
    to: str,
    subject: str,
    thread_ids: Sequence[str],
) -> ComposedMail:
    """Write one mail with ``parts``, answering the thread whose Message-IDs are ``thread_ids``.

    ``thread_ids`` run from the first mail of the thread to the one being answered.
    """
    if not parts:
        raise ValueError("A mail needs at least one message to carry.")
    domain = letterhead.address.rpartition("@")[2] or None
    message_id = make_msgid(domain=domain)
    mail = EmailMessage()
    agents = [p.agent_name for p in parts if p.author == "agent" and p.agent_name]
    sender_name = f"{agents[-1]} ({letterhead.company})" if agents else letterhead.company
    mail["From"] = formataddr((sender_name, letterhead.address))
    mail["To"] = to
    mail["Subject"] = reply_subject(subject, letterhead.company)
    mail["Date"] = format_datetime(utc_now())
    mail["Message-ID"] = message_id
    references = list(thread_ids)[-MAX_REFERENCES:]
    if references:
        mail["In-Reply-To"] = references[-1]
        mail["References"] = " ".join(references)
    if not agents:
        mail["Auto-Submitted"] = "auto-replied"
    mail.set_content(_body(parts, letterhead))
    # SMTP wants CRLF line ends: servers refuse bare LF (it is how SMTP smuggling works).
    raw = mail.as_bytes(policy=policy.SMTP)
    return ComposedMail(message_id=message_id, subject=str(mail["Subject"]), raw=raw)
