"""A customer and Tandem writing to each other through real mail servers.

Dovecot holds the support mailbox and the customer's; an SMTP relay (with login) delivers
Tandem's replies into the customer's mailbox. Each test has its own committed database, as
the mail worker runs its own transactions.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Iterator
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.auth.models import User
from tandem.channels.email.models import MailMessage, MailStatus
from tandem.channels.email.tasks import MailSetup, mail_pass, setup_from
from tandem.conversations.models import Conversation, ConversationStatus
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.escalation import service as escalation_service
from tandem.routing import service as routing_service
from tests.channels.email.mails import customer_mail, reply_to
from tests.conftest import drop_pg_database, make_database, settings_for
from tests.dovecot import Dovecot, free_port
from tests.factories import create_agent
from tests.mailservers import RELAY_LOGIN, SmtpRelay


@pytest.fixture(autouse=True)
def pull_policy() -> None:
    """The default policy: these tests commit, so they keep out of the shared test database."""


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    database, pg_name = make_database(request.param, tmp_path)
    yield database.url
    if pg_name:
        drop_pg_database(pg_name)


@pytest.fixture
async def factory(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
def addresses(dovecot: Dovecot) -> tuple[str, str]:
    run = uuid.uuid4().hex[:8]
    support, customer = f"support-{run}@pebble.test", f"ada-{run}@customer.test"
    dovecot.add_user(support)
    dovecot.add_user(customer)
    return support, customer


def _setup(database_url: str, dovecot: Dovecot, support: str, *, smtp_port: int) -> MailSetup:
    user, password = RELAY_LOGIN
    settings = settings_for(
        database_url,
        email_address=support,
        imap_url=(
            f"imap://{quote(support, safe='')}:{quote(dovecot.password(support), safe='')}"
            f"@{dovecot.host}:{dovecot.port}/INBOX"
        ),
        smtp_url=f"smtp://{user}:{password}@127.0.0.1:{smtp_port}",
    )
    setup = setup_from(settings)
    assert setup is not None
    return setup


async def _conversations(factory: async_sessionmaker[AsyncSession]) -> list[Conversation]:
    async with transaction(factory, write=False) as session:
        return list((await session.execute(select(Conversation))).scalars())


async def _agent_replies(
    factory: async_sessionmaker[AsyncSession], conversation_id: str, text: str
) -> User:
    """An agent (Sam) answers the conversation from the console."""
    async with transaction(factory) as session:
        agent = await create_agent(session, name="Sam")
        policy = (await escalation_service.active_policy(session)).policy
        stored = await session.get(Conversation, conversation_id)
        assert stored is not None
        await routing_service.reply(
            session, agent=agent, conversation=stored, text=text, client_msg_id=None,
            policy=policy,
        )  # fmt: skip
    return agent


async def test_a_customer_mails_gets_answers_and_a_person_in_one_thread(
    factory: async_sessionmaker[AsyncSession],
    database_url: str,
    dovecot: Dovecot,
    smtp_relay_with_login: SmtpRelay,
    addresses: tuple[str, str],
) -> None:
    support, customer = addresses
    setup = _setup(database_url, dovecot, support, smtp_port=smtp_relay_with_login.port)
    first = customer_mail("Do you deliver to Norway?", sender=customer, to=support)
    dovecot.append(support, bytes(first))

    report = await mail_pass(factory, setup)
    assert (report.received, report.sent) == (1, 1)
    [bot_reply] = dovecot.messages(customer)
    assert bot_reply["In-Reply-To"] == first["Message-ID"]
    assert bot_reply["Subject"] == "Re: A question"
    assert bot_reply["Auto-Submitted"] == "auto-replied"
    assert dovecot.flags(support) == [frozenset({"\\Seen"})]

    dovecot.append(support, bytes(reply_to(bot_reply, "I'd like to talk to a person please",
                                           sender=customer, to=support)))  # fmt: skip
    report = await mail_pass(factory, setup)
    assert (report.received, report.sent) == (1, 1)
    [conversation] = await _conversations(factory)  # the same conversation, continued
    assert conversation.channel == "email"
    assert conversation.status is ConversationStatus.WAITING
    handoff_notice = dovecot.messages(customer)[-1]
    assert handoff_notice["In-Reply-To"] != bot_reply["Message-ID"]  # answers the customer

    agent = await _agent_replies(factory, conversation.id, "Yes, Norway in 3-5 days. Sam")
    report = await mail_pass(factory, setup)
    assert report.sent == 1
    agent_mail: EmailMessage = dovecot.messages(customer)[-1]
    assert agent_mail["From"].addresses[0].display_name == f"{agent.name} (Pebble & Pine)"
    assert "Norway in 3-5 days" in agent_mail.get_content()
    thread = str(agent_mail["References"]).split()
    assert first["Message-ID"] in thread
    assert bot_reply["Message-ID"] in thread

    again = await mail_pass(factory, setup)  # nothing new: nothing taken or sent twice
    assert (again.received, again.duplicates, again.sent) == (0, 0, 0)
    assert len(dovecot.messages(customer)) == 3
    assert len(await _conversations(factory)) == 1


async def test_a_reply_the_smtp_server_did_not_take_is_sent_on_a_later_try(
    factory: async_sessionmaker[AsyncSession],
    database_url: str,
    dovecot: Dovecot,
    smtp_relay_with_login: SmtpRelay,
    addresses: tuple[str, str],
) -> None:
    support, customer = addresses
    down = _setup(database_url, dovecot, support, smtp_port=free_port())  # nothing listens
    dovecot.append(support, bytes(customer_mail("Where is my parcel?", sender=customer)))
    report = await mail_pass(factory, down)
    assert (report.received, report.sent, report.retrying) == (1, 0, 1)
    assert dovecot.messages(customer) == []
    async with transaction(factory) as session:  # let the retry come due now
        await session.execute(
            update(MailMessage)
            .where(MailMessage.status == MailStatus.PENDING)
            .values(next_attempt_at=MailMessage.created_at)
        )
    up = _setup(database_url, dovecot, support, smtp_port=smtp_relay_with_login.port)
    report = await mail_pass(factory, up)
    assert report.sent == 1
    assert len(dovecot.messages(customer)) == 1


async def test_a_wrong_smtp_password_keeps_the_reply_for_a_retry(
    factory: async_sessionmaker[AsyncSession],
    database_url: str,
    dovecot: Dovecot,
    smtp_relay_with_login: SmtpRelay,
    addresses: tuple[str, str],
) -> None:
    support, customer = addresses
    setup = _setup(database_url, dovecot, support, smtp_port=smtp_relay_with_login.port)
    assert setup.smtp is not None
    wrong = dataclasses.replace(setup, smtp=dataclasses.replace(setup.smtp, password="wrong"))
    dovecot.append(support, bytes(customer_mail("Hello", sender=customer)))
    report = await mail_pass(factory, wrong)
    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)  # fix the password later


async def test_a_long_reply_reaches_the_customer(
    factory: async_sessionmaker[AsyncSession],
    database_url: str,
    dovecot: Dovecot,
    smtp_relay_with_login: SmtpRelay,
    addresses: tuple[str, str],
) -> None:
    """A mail of several kilobytes: every line must end with CRLF, or SMTP refuses it."""
    support, customer = addresses
    setup = _setup(database_url, dovecot, support, smtp_port=smtp_relay_with_login.port)
    dovecot.append(support, bytes(customer_mail("I want to talk to a person", sender=customer)))
    await mail_pass(factory, setup)
    [conversation] = await _conversations(factory)
    long_reply = "\n".join(
        f"Step {n}: pack the item, print the label, book the pickup." for n in range(80)
    )
    await _agent_replies(factory, conversation.id, long_reply)
    report = await mail_pass(factory, setup)
    assert (report.sent, report.failed, report.retrying) == (1, 0, 0)
    assert "Step 79: pack the item" in dovecot.messages(customer)[-1].get_content()
