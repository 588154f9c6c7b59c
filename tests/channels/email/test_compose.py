"""Writing the reply mail: in the customer's thread, signed by who wrote it, robots marked."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest

from tandem.channels.email.compose import Letterhead, OutgoingPart, compose, reply_subject

LETTERHEAD = Letterhead(
    address="support@pebble.test", company="Pebble & Pine", base_url="https://help.pebble.test"
)


def _read(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def test_a_bot_answer_stays_in_the_thread_and_says_it_is_automatic() -> None:
    composed = compose(
        [
            OutgoingPart(
                author="bot",
                text="Refunds reach your card within 5 working days.",
                sources=(("Refunds", "/kb/refunds"),),
            )
        ],
        letterhead=LETTERHEAD,
        to="ada@customer.test",
        subject="Refund?",
        thread_ids=["<first@customer.test>"],
    )
    mail = _read(composed.raw)
    assert mail["Subject"] == "Re: Refund?"
    assert mail["In-Reply-To"] == "<first@customer.test>"
    assert mail["References"] == "<first@customer.test>"
    assert mail["Message-ID"] == composed.message_id
    assert composed.message_id.endswith("@pebble.test>")
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["From"].addresses[0].display_name == "Pebble & Pine"
    body = mail.get_content()
    assert "Refunds reach your card within 5 working days." in body
    assert "Source: Refunds <https://help.pebble.test/kb/refunds>" in body
    assert "AI assistant" in body
    assert "person" in body


def test_an_agent_reply_is_signed_by_the_agent_and_not_marked_automatic() -> None:
    composed = compose(
        [OutgoingPart(author="agent", text="I have refunded the mug.", agent_name="Sam Rivera")],
        letterhead=LETTERHEAD,
        to="ada@customer.test",
        subject="Re: Chipped mug",
        thread_ids=["<a@customer.test>", "<b@pebble.test>", "<c@customer.test>"],
    )
    mail = _read(composed.raw)
    assert mail["Subject"] == "Re: Chipped mug"
    assert mail["In-Reply-To"] == "<c@customer.test>"
    assert mail["References"] == "<a@customer.test> <b@pebble.test> <c@customer.test>"
    assert mail["Auto-Submitted"] is None
    assert mail["From"].addresses[0].display_name == "Sam Rivera (Pebble & Pine)"
    assert mail.get_content().replace("\r\n", "\n").rstrip().endswith("Sam Rivera\nPebble & Pine")


def test_a_long_thread_keeps_the_latest_references() -> None:
    ids = [f"<{n}@customer.test>" for n in range(30)]
    composed = compose(
        [OutgoingPart(author="bot", text="ok")],
        letterhead=LETTERHEAD,
        to="ada@customer.test",
        subject="s",
        thread_ids=ids,
    )
    references = str(_read(composed.raw)["References"]).split()
    assert references == ids[-20:]


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Where is my order?", "Re: Where is my order?"),
        ("RE: Where is my order?", "RE: Where is my order?"),
        ("", "Re: Your conversation with Pebble & Pine"),
    ],
)
def test_reply_subject(subject: str, expected: str) -> None:
    assert reply_subject(subject, "Pebble & Pine") == expected


def test_refuses_an_empty_mail() -> None:
    with pytest.raises(ValueError, match="at least one message"):
        compose([], letterhead=LETTERHEAD, to="ada@customer.test", subject="s", thread_ids=[])


def test_lines_end_with_crlf_as_smtp_requires() -> None:
    composed = compose(
        [OutgoingPart(author="bot", text="A first line.\nA second line.\n" + "long " * 400)],
        letterhead=LETTERHEAD,
        to="ada@customer.test",
        subject="s",
        thread_ids=[],
    )
    assert b"\r\n" in composed.raw
    assert b"\n" not in composed.raw.replace(b"\r\n", b"")  # no bare LF anywhere
    assert max(len(line) for line in composed.raw.split(b"\r\n")) <= 998
