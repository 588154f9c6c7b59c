"""The e-mail channel on real databases: mail in, the bot's turn, threads, the outbox."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import service as bot_service
from tandem.channels.email import service as email_service
from tandem.channels.email.models import MailDirection, MailMessage, MailStatus
from tandem.channels.email.service import MailConfig
from tandem.config import Settings
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, ConversationStatus
from tandem.core.errors import NotFoundError
from tandem.core.time import utc_now
from tandem.escalation import service as escalation_service
from tandem.privacy import service as privacy_service
from tandem.routing import service as routing_service
from tests.channels.email.mails import SUPPORT, customer_mail, reply_to
from tests.factories import create_agent

MAIL = MailConfig(address=SUPPORT, company="Pebble & Pine", base_url="http://testserver")


@pytest.fixture
def bot(settings: Settings) -> bot_service.BotConfig:
    return bot_service.config_from(settings)


async def _receive(
    session: AsyncSession, mail: EmailMessage, bot: bot_service.BotConfig
) -> email_service.Received:
    return await email_service.receive_mail(session, bytes(mail), mail=MAIL, bot=bot)


async def _outbox(session: AsyncSession, conversation_id: str) -> list[MailMessage]:
    mails = await email_service.conversation_mails(
        session, await conversation_service.get_conversation(session, conversation_id)
    )
    return [m for m in mails if m.direction is MailDirection.OUTBOUND]


def _parsed(mail: MailMessage) -> EmailMessage:
    assert mail.raw is not None
    message = BytesParser(policy=policy.default).parsebytes(mail.raw)
    assert isinstance(message, EmailMessage)
    return message


async def _texts(session: AsyncSession, conversation_id: str) -> list[tuple[str, str]]:
    messages, _events = await conversation_service.timeline_after(session, conversation_id, after=0)
    return [(m.author.value, m.text) for m in messages]


async def test_a_new_mail_starts_an_email_conversation_and_the_reply_is_queued(
    session: AsyncSession, bot: bot_service.BotConfig
) -> None:
    mail = customer_mail("Do you sell sheds?", subject="Garden furniture")
    received = await _receive(session, mail, bot)
    assert received.conversation_id is not None
    assert not received.duplicate
    conversation = await conversation_service.get_conversation(session, received.conversation_id)
    assert conversation.channel == "email"
    assert conversation.contact_email == "ada@customer.test"
    assert conversation.identity_verified is False  # a From header can be forged
    customer = await conversation_service.get_customer(session, conversation.customer_id)
    assert customer.email == "ada@customer.test"
    texts = await _texts(session, conversation.id)
    assert texts[0] == ("customer", "Garden furniture\n\nDo you sell sheds?")
    assert texts[1][0] == "bot"  # no greeting: the first bot message is the answer
    [outgoing] = await _outbox(session, conversation.id)
    assert outgoing.status is MailStatus.PENDING
    assert outgoing.recipient == "ada@customer.test"
    reply = _parsed(outgoing)
    assert reply["In-Reply-To"] == str(mail["Message-ID"])
    assert reply["Subject"] == "Re: Garden furniture"
    assert texts[1][1] in reply.get_content()


async def test_the_same_mail_twice_is_taken_once(
    session: AsyncSession, bot: bot_service.BotConfig
) -> None:
    mail = customer_mail("Where is order 1042?")
    first = await _receive(session, mail, bot)
    again = await _receive(session, mail, bot)
    assert again.duplicate
    assert again.conversation_id == first.conversation_id
    assert first.conversation_id is not None
    texts = await _texts(session, first.conversation_id)
    assert [author for author, _text in texts].count("customer") == 1
    assert len(await _outbox(session, first.conversation_id)) == 1


async def test_a_reply_to_our_mail_continues_the_conversation(
    session: AsyncSession, bot: bot_service.BotConfig
) -> None:
    first = await _receive(session, customer_mail("Do you ship to Norway?"), bot)
    assert first.conversation_id is not None
    [ours] = await _outbox(session, first.conversation_id)
    answer = reply_to(_parsed(ours), "And to Canada?")
    second = await _receive(session, answer, bot)
    assert second.conversation_id == first.conversation_id
    texts = await _texts(session, first.conversation_id)
    assert [t for a, t in texts if a == "customer"][-1] == "And to Canada?"  # quote cut off
    mails = await _outbox(session, first.conversation_id)
    assert len(mails) == 2
    references = str(_parsed(mails[-1])["References"]).split()
    assert references[-1] == str(answer["Message-ID"])
    assert ours.message_id in references


async def test_a_customer_asking_for_a_person_by_mail_is_handed_off_and_told(
    session: AsyncSession, bot: bot_service.BotConfig
) -> None:
    received = await _receive(session, customer_mail("I want to talk to a human please"), bot)
    assert received.conversation_id is not None
    conversation = await conversation_service.get_conversation(session, received.conversation_id)
    assert conversation.status is ConversationStatus.WAITING
    [told] = await _outbox(session, conversation.id)
    assert "person" in _parsed(told).get_content().lower()


async def test_an_agents_reply_is_mailed_in_the_thread_signed_by_them(
    session: AsyncSession, bot: bot_service.BotConfig
) -> None:
    received = await _receive(session, customer_mail("Let me speak to an agent"), bot)
    assert received.conversation_id is not None
    conversation = await conversation_service.get_conversation(session, received.conversation_id)
    agent = await create_agent(session, name="Sam")
    policy = (await escalation_service.active_policy(session)).policy
    await routing_service.reply(
        session, agent=agent, conversation=conversation, text="Hi Ada, Sam here. How can I help?",
        client_msg_id=None, policy=policy,
    )  # fmt: skip
    assert await email_service.queue_all(session, mail=MAIL) == 1
    assert await email_service.queue_all(session, mail=MAIL) == 0  # nothing new: nothing sent
    mail = _parsed((await _outbox(session, conversation.id))[-1])
    assert mail["From"].addresses[0].display_name == f"{agent.name} (Pebble & Pine)"
    assert "Sam here" in mail.get_content()
    assert mail["Auto-Submitted"] is None


@pytest.mark.parametrize(
    "mail",
    [
        pytest.param(customer_mail("Out of office", headers={"Auto-Submitted": "auto-replied"})),
        pytest.param(customer_mail("Loop", sender=SUPPORT, name=None), id="our-own-address"),
    ],
)
async def test_mail_from_robots_is_kept_but_never_answered(
    session: AsyncSession, bot: bot_service.BotConfig, mail: EmailMessage
) -> None:
    received = await _receive(session, mail, bot)
    assert received.ignored
    assert received.conversation_id is None
    assert (await _receive(session, mail, bot)).duplicate


async def test_attachments_are_kept_with_the_message(
    session: AsyncSession, bot: bot_service.BotConfig
) -> None:
    mail = customer_mail(
        "My mug arrived chipped, photo attached.",
        files=[("mug.jpg", "image/jpeg", b"\xff\xd8jpeg-bytes")],
    )
    received = await _receive(session, mail, bot)
    assert received.conversation_id is not None
    conversation = await conversation_service.get_conversation(session, received.conversation_id)
    messages, _ = await conversation_service.timeline_after(session, conversation.id, after=0)
    customer_message = next(m for m in messages if m.author is Author.CUSTOMER)
    [listed] = customer_message.data["attachments"]
    assert listed["filename"] == "mug.jpg"
    assert listed["size"] == len(b"\xff\xd8jpeg-bytes")
    stored = await conversation_service.get_attachment(session, conversation, listed["id"])
    assert stored.content == b"\xff\xd8jpeg-bytes"


async def test_only_one_process_queues_a_threads_new_messages(
    session: AsyncSession, bot: bot_service.BotConfig
) -> None:
    received = await _receive(session, customer_mail("Let me speak to an agent"), bot)
    assert received.conversation_id is not None
    conversation = await conversation_service.get_conversation(session, received.conversation_id)
    await conversation_service.append_message(
        session, conversation, author=Author.SYSTEM, text="Still in line.", data={"kind": "x"}
    )
    stale = email_service.MailThread(
        conversation_id=conversation.id, customer_address="x@y.test", subject="", mailed_seq=0
    )  # what a process that read the thread before the last pass would hold
    assert await email_service.queue_all(session, mail=MAIL) == 1
    assert (
        await email_service.queue_thread(session, stale, latest=conversation.last_seq, mail=MAIL)
        == 0
    )


async def _pending(session: AsyncSession) -> MailMessage:
    bot = bot_service.config_from(Settings(environment="test", company_name="Pebble & Pine"))
    received = await _receive(session, customer_mail("Hello?"), bot)
    assert received.conversation_id is not None
    [mail] = await _outbox(session, received.conversation_id)
    return mail


async def _leased_ids(session: AsyncSession) -> list[int]:
    return [o.id for o in await email_service.lease_due(session, now=utc_now(), limit=1000)]


async def test_a_leased_mail_is_not_taken_again_until_its_lease_ends(session: AsyncSession) -> None:
    mail = await _pending(session)
    assert mail.id in await _leased_ids(session)
    assert mail.id not in await _leased_ids(session)
    later = await email_service.lease_due(
        session, now=utc_now() + email_service.LEASE * 2, limit=1000
    )
    assert mail.id in [o.id for o in later]  # the process that took it died


async def test_a_sent_mail_is_recorded(session: AsyncSession) -> None:
    mail = await _pending(session)
    await _leased_ids(session)
    status = await email_service.record_attempt(session, mail.id, error=None)
    assert status is MailStatus.SENT
    assert mail.sent_at is not None
    assert mail.id not in await _leased_ids(session)


async def test_a_temporary_failure_is_retried_later_with_growing_delays(
    session: AsyncSession,
) -> None:
    mail = await _pending(session)
    await _leased_ids(session)
    status = await email_service.record_attempt(session, mail.id, error="451 try later")
    assert status is MailStatus.PENDING
    assert mail.last_error == "451 try later"
    assert mail.id not in await _leased_ids(session)  # not before the delay
    assert mail.next_attempt_at is not None
    assert mail.next_attempt_at > utc_now()
    delays = [email_service.retry_delay(n).total_seconds() for n in range(1, 14)]
    assert delays[:3] == [30, 60, 120]
    assert delays == sorted(delays)
    assert delays[-1] == 6 * 3600


@pytest.mark.parametrize(
    ("permanent", "attempts"), [(True, 1), (False, email_service.MAX_ATTEMPTS)]
)
async def test_a_mail_is_given_up_when_refused_for_good_or_after_every_retry(
    session: AsyncSession, permanent: bool, attempts: int
) -> None:
    mail = await _pending(session)
    mail.attempts = attempts
    await session.flush()
    status = await email_service.record_attempt(
        session, mail.id, error="550 no such user", permanent=permanent
    )
    assert status is MailStatus.FAILED


async def test_erasing_the_customer_erases_mail_and_files(
    session: AsyncSession, bot: bot_service.BotConfig
) -> None:
    mail = customer_mail("Card photo attached", files=[("card.png", "image/png", b"png")])
    received = await _receive(session, mail, bot)
    assert received.conversation_id is not None
    conversation = await conversation_service.get_conversation(session, received.conversation_id)
    messages, _ = await conversation_service.timeline_after(session, conversation.id, after=0)
    [attachment] = [a for m in messages for a in m.data.get("attachments", [])]
    await privacy_service.erase_customer(session, "ada@customer.test")
    mails = await email_service.conversation_mails(session, conversation)
    assert mails
    assert all(m.raw is None and m.subject == "" and m.sender == "" for m in mails)
    assert all(m.status is not MailStatus.PENDING for m in mails)
    with pytest.raises(NotFoundError):
        await conversation_service.get_attachment(session, conversation, attachment["id"])
    again = await _receive(session, mail, bot)
    assert again.duplicate  # the same mail fetched again is still not answered twice
