"""Customer mails for the e-mail channel's tests, built with the standard library."""

from __future__ import annotations

import itertools
from email.message import EmailMessage
from email.utils import make_msgid

SUPPORT = "support@pebble.test"
_numbers = itertools.count(1)


def customer_mail(
    text: str,
    *,
    sender: str = "ada@customer.test",
    name: str | None = "Ada Lovelace",
    subject: str = "A question",
    to: str = SUPPORT,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    html: str | None = None,
    files: list[tuple[str, str, bytes]] | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """A mail as a customer's mail program would send it."""
    mail = EmailMessage()
    mail["From"] = f"{name} <{sender}>" if name else sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Message-ID"] = message_id or make_msgid(
        idstring=str(next(_numbers)), domain="customer.test"
    )
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    if references:
        mail["References"] = " ".join(references)
    for key, value in (headers or {}).items():
        mail[key] = value
    mail.set_content(text)
    if html is not None:
        mail.add_alternative(html, subtype="html")
    for filename, content_type, content in files or []:
        maintype, subtype = content_type.split("/")
        mail.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return mail


def reply_to(original: EmailMessage, text: str, **kwargs: object) -> EmailMessage:
    """The customer's answer to ``original`` (a mail Tandem sent), quoting it as clients do."""
    references = [*str(original.get("References", "")).split(), str(original["Message-ID"])]
    quoted = "\n".join(f"> {line}" for line in original.get_content().splitlines())
    body = f"{text}\n\nOn Thu, 3 Dec 2026 at 10:00, Pebble & Pine <{SUPPORT}> wrote:\n{quoted}\n"
    return customer_mail(
        body,
        subject="Re: " + str(original["Subject"]).removeprefix("Re: "),
        in_reply_to=str(original["Message-ID"]),
        references=references,
        **kwargs,  # type: ignore[arg-type]
    )
