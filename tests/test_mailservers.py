"""The test mail servers: Dovecot stores and serves mail over IMAP; the relay delivers SMTP."""

from __future__ import annotations

import imaplib
import smtplib
import uuid
from email.message import EmailMessage

import pytest

from tests.mailservers import RELAY_LOGIN, Dovecot, MailServerError, SmtpRelay


def _address(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@shop.test"


def _message(*, sender: str, to: str, subject: str, body: str = "Where is my parcel?") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4().hex}@customer.test>"
    message.set_content(body)
    return message.as_bytes()


def _can_log_in(dovecot: Dovecot, address: str, password: str) -> bool:
    with imaplib.IMAP4(dovecot.host, dovecot.port, timeout=30) as imap:
        try:
            imap.login(address, password)
        except imaplib.IMAP4.error:
            return False
        return True


def test_an_appended_message_is_read_back_unseen(dovecot: Dovecot) -> None:
    support = _address("support")
    dovecot.add_user(support)
    raw = _message(sender="ana@customer.test", to=support, subject="Order 1042")

    dovecot.append(support, raw)

    [message] = dovecot.messages(support)
    assert message["Subject"] == "Order 1042"
    assert message.get_content().strip() == "Where is my parcel?"
    assert dovecot.flags(support) == [frozenset()]


def test_a_message_an_imap_client_reads_is_marked_seen(dovecot: Dovecot) -> None:
    support = _address("support")
    dovecot.add_user(support, "s3cret-inbox")
    dovecot.append(support, _message(sender="ana@customer.test", to=support, subject="Read me"))
    dovecot.append(
        support,
        _message(sender="ben@customer.test", to=support, subject="Old news"),
        flags=["\\Seen"],
    )
    assert dovecot.flags(support) == [frozenset(), frozenset({"\\Seen"})]

    with imaplib.IMAP4(dovecot.host, dovecot.port, timeout=30) as imap:
        imap.login(support, "s3cret-inbox")
        imap.select("INBOX")
        imap.fetch("1", "(BODY[])")

    assert dovecot.flags(support) == [frozenset({"\\Seen"}), frozenset({"\\Seen"})]


def test_messages_go_to_the_mailbox_asked_for(dovecot: Dovecot) -> None:
    support = _address("support")
    dovecot.add_user(support)

    dovecot.append(
        support, _message(sender="a@customer.test", to=support, subject="Filed"), mailbox="Archive"
    )

    assert dovecot.messages(support) == []
    assert [m["Subject"] for m in dovecot.messages(support, mailbox="Archive")] == ["Filed"]


def test_clear_empties_a_mailbox(dovecot: Dovecot) -> None:
    support = _address("support")
    dovecot.add_user(support)
    for subject in ("One", "Two"):
        dovecot.append(support, _message(sender="a@customer.test", to=support, subject=subject))

    dovecot.clear(support)

    assert dovecot.messages(support) == []


def test_addresses_are_case_insensitive(dovecot: Dovecot, smtp_relay: SmtpRelay) -> None:
    support = _address("support")
    raw = _message(sender="ana@customer.test", to=support.upper(), subject="Shouting")

    with smtplib.SMTP(smtp_relay.host, smtp_relay.port, timeout=30) as client:
        client.sendmail("ana@customer.test", [support.upper()], raw)

    assert [m["Subject"] for m in dovecot.messages(support.title())] == ["Shouting"]
    assert _can_log_in(dovecot, support.upper(), dovecot.password(support))


def test_users_and_password_changes_count_while_dovecot_runs(dovecot: Dovecot) -> None:
    support = _address("support")
    dovecot.add_user(support, "first-password")
    assert _can_log_in(dovecot, support, "first-password")

    dovecot.add_user(support, "other-password")

    assert _can_log_in(dovecot, support, "other-password")
    assert not _can_log_in(dovecot, support, "first-password")
    assert not _can_log_in(dovecot, _address("stranger"), "first-password")


def test_mail_sent_over_smtp_lands_in_every_recipients_mailbox(
    dovecot: Dovecot, smtp_relay: SmtpRelay
) -> None:
    customer, colleague = _address("customer"), _address("colleague")
    support = _address("support")
    raw = _message(sender=support, to=customer, subject="Re: Order 1042", body="It ships today.")

    with smtplib.SMTP(smtp_relay.host, smtp_relay.port, timeout=30) as client:
        client.sendmail(support, [customer, colleague], raw)

    [relayed] = smtp_relay.wait_for(1)
    assert (relayed.mail_from, relayed.rcpt_tos) == (support, (customer, colleague))
    assert relayed.message["Subject"] == "Re: Order 1042"
    for recipient in (customer, colleague):
        [message] = dovecot.messages(recipient)
        assert message["Delivered-To"] == recipient
        assert message["Return-Path"] == f"<{support}>"
        assert message.get_content().strip() == "It ships today."


def test_the_relay_delivers_to_users_with_their_own_password(
    dovecot: Dovecot, smtp_relay: SmtpRelay
) -> None:
    support = _address("support")
    dovecot.add_user(support, "support-password")
    raw = _message(sender="ana@customer.test", to=support, subject="Hi")

    with smtplib.SMTP(smtp_relay.host, smtp_relay.port, timeout=30) as client:
        client.sendmail("ana@customer.test", [support], raw)

    smtp_relay.wait_for(1)
    assert [m["Subject"] for m in dovecot.messages(support)] == ["Hi"]
    assert dovecot.password(support) == "support-password"


def test_the_relay_without_a_login_takes_any_login(smtp_relay: SmtpRelay) -> None:
    customer = _address("customer")
    raw = _message(sender="support@shop.test", to=customer, subject="Hi")

    with smtplib.SMTP(smtp_relay.host, smtp_relay.port, timeout=30) as client:
        client.login("anyone", "anything")
        client.sendmail("support@shop.test", [customer], raw)

    assert [mail.rcpt_tos for mail in smtp_relay.wait_for(1)] == [(customer,)]


def test_waiting_for_more_mail_than_arrives_fails_clearly(smtp_relay: SmtpRelay) -> None:
    with pytest.raises(MailServerError, match="delivered 0 of 1 messages"):
        smtp_relay.wait_for(1, timeout=0.2)


def test_a_relay_with_a_login_takes_mail_from_that_login(
    dovecot: Dovecot, smtp_relay_with_login: SmtpRelay
) -> None:
    relay, customer = smtp_relay_with_login, _address("customer")
    raw = _message(sender="support@shop.test", to=customer, subject="Hello")

    with smtplib.SMTP(relay.host, relay.port, timeout=30) as client:
        client.login(*RELAY_LOGIN)
        client.sendmail("support@shop.test", [customer], raw)

    [relayed] = relay.wait_for(1)
    assert relayed.rcpt_tos == (customer,)
    assert [m["Subject"] for m in dovecot.messages(customer)] == ["Hello"]


def test_a_relay_with_a_login_rejects_a_wrong_password(smtp_relay_with_login: SmtpRelay) -> None:
    relay = smtp_relay_with_login

    with (
        smtplib.SMTP(relay.host, relay.port, timeout=30) as client,
        pytest.raises(smtplib.SMTPAuthenticationError),
    ):
        client.login(RELAY_LOGIN[0], "wrong-password")

    assert relay.received == []


def test_a_relay_with_a_login_refuses_mail_without_it(smtp_relay_with_login: SmtpRelay) -> None:
    relay, customer = smtp_relay_with_login, _address("customer")
    raw = _message(sender="support@shop.test", to=customer, subject="Hello")

    with (
        smtplib.SMTP(relay.host, relay.port, timeout=30) as client,
        pytest.raises(smtplib.SMTPSenderRefused) as refused,
    ):
        client.sendmail("support@shop.test", [customer], raw)

    assert refused.value.smtp_code == 530
    assert relay.received == []


def test_a_delivery_that_fails_is_refused_and_reported(smtp_relay: SmtpRelay) -> None:
    odd = "first/last@shop.test"  # no Dovecot user can have this name
    raw = _message(sender="support@shop.test", to=odd, subject="Hi")

    with (
        smtplib.SMTP(smtp_relay.host, smtp_relay.port, timeout=30) as client,
        pytest.raises(smtplib.SMTPDataError) as refused,
    ):
        client.sendmail("support@shop.test", [odd], raw)

    assert refused.value.smtp_code == 451
    with pytest.raises(MailServerError, match="could not deliver"):
        smtp_relay.wait_for(1)
