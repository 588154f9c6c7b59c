"""Reading inbound mail: sender, thread, only the new words, files, and robots left alone."""

from __future__ import annotations

import pytest

from tandem.channels.email.parse import message_id_key, parse_mail
from tandem.core.errors import InvalidInputError
from tests.channels.email.mails import customer_mail


def test_reads_sender_subject_text_and_id() -> None:
    mail = customer_mail("Where is my order 1042?", message_id="<abc@customer.test>")
    parsed = parse_mail(bytes(mail))
    assert parsed.sender == "ada@customer.test"
    assert parsed.sender_name == "Ada Lovelace"
    assert parsed.subject == "A question"
    assert parsed.text == "Where is my order 1042?"
    assert parsed.message_id == "<abc@customer.test>"
    assert parsed.recipients == ("support@pebble.test",)
    assert not parsed.automatic


def test_keeps_only_the_new_words_of_a_reply() -> None:
    body = (
        "Thanks, but it still has not arrived.\n\n"
        "On Thu, 3 Dec 2026 at 10:00, Pebble & Pine <support@pebble.test> wrote:\n"
        "> Your order ships in 2 days.\n> Anything else?\n"
    )
    parsed = parse_mail(bytes(customer_mail(body)))
    assert parsed.text == "Thanks, but it still has not arrived."


def test_keeps_only_the_new_words_of_a_german_reply() -> None:
    body = (
        "Danke, aber das Paket ist noch nicht da.\n\n"
        "Am Do., 3. Dez. 2026 um 10:00 Uhr schrieb Pebble & Pine <support@pebble.test>:\n"
        "> Ihre Bestellung wird in 2 Tagen versandt.\n"
    )
    parsed = parse_mail(bytes(customer_mail(body)))
    assert parsed.text == "Danke, aber das Paket ist noch nicht da."


def test_reads_html_only_mail_as_text_without_the_quoted_part() -> None:
    mail = customer_mail("placeholder")
    mail.set_content(
        "<p>Can I <b>return</b> a lamp?</p><blockquote>old</blockquote>", subtype="html"
    )
    parsed = parse_mail(bytes(mail))
    assert " ".join(parsed.text.split()) == "Can I return a lamp?"


def test_lists_the_thread_it_answers_most_direct_first() -> None:
    mail = customer_mail(
        "and for Canada?",
        in_reply_to="<second@pebble.test>",
        references=["<first@customer.test>", "<second@pebble.test>"],
    )
    parsed = parse_mail(bytes(mail))
    assert parsed.thread_ids == ("<second@pebble.test>", "<first@customer.test>")


def test_keeps_attachments() -> None:
    mail = customer_mail(
        "Photo of the damage attached.",
        files=[("chipped mug.jpg", "image/jpeg", b"\xff\xd8\xff\xe0fake-jpeg")],
    )
    parsed = parse_mail(bytes(mail))
    assert [(f.filename, f.content_type, f.content) for f in parsed.files] == [
        ("chipped mug.jpg", "image/jpeg", b"\xff\xd8\xff\xe0fake-jpeg")
    ]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Auto-Submitted": "auto-replied"}, id="auto-reply"),
        pytest.param({"Precedence": "bulk"}, id="bulk"),
        pytest.param({"X-Autoreply": "yes"}, id="x-autoreply"),
        pytest.param({"List-Id": "<news.example.com>"}, id="mailing-list"),
        pytest.param({"Return-Path": "<>"}, id="bounce"),
    ],
)
def test_recognises_mail_written_by_robots(headers: dict[str, str]) -> None:
    assert parse_mail(bytes(customer_mail("I am out of office", headers=headers))).automatic


def test_recognises_bounces_from_the_mailer_daemon() -> None:
    mail = customer_mail("Delivery failed", sender="MAILER-DAEMON@mx.customer.test", name=None)
    assert parse_mail(bytes(mail)).automatic


def test_a_mail_without_message_id_gets_a_stable_one() -> None:
    raw = b"From: ada@customer.test\r\nTo: support@pebble.test\r\nSubject: hi\r\n\r\nhello\r\n"
    first, second = parse_mail(raw), parse_mail(raw)
    assert first.message_id == second.message_id
    assert message_id_key(first.message_id) == message_id_key(second.message_id.upper())


def test_refuses_a_mail_without_sender() -> None:
    with pytest.raises(InvalidInputError, match="no sender"):
        parse_mail(b"To: support@pebble.test\r\nSubject: hi\r\n\r\nhello\r\n")


def test_removes_what_no_database_stores() -> None:
    raw = (
        b"From: ada@customer.test\r\nSubject: bad \xff bytes\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nnul \x00 here \xff\r\n"
    )
    parsed = parse_mail(raw)
    assert "\x00" not in parsed.text
    for value in (parsed.text, parsed.subject):
        value.encode("utf-8")  # no lone surrogates left
