"""The inbox's lists: whose conversations each view shows, the filters that narrow them, and the
unread customer messages of the conversations an agent holds, until they have read them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, Conversation, ConversationStatus, Customer
from tandem.core.errors import InvalidInputError
from tandem.core.time import utc_now
from tandem.escalation.reasons import Priority, ReasonCode
from tandem.routing import inbox, labels
from tandem.routing.inbox import InboxFilters, StatusFilter, View
from tandem.routing.models import Handoff, HandoffStatus
from tests.factories import create_agent, create_conversation, create_customer

START = utc_now() - timedelta(days=1)
QUEUES = ("general", "returns", "vip")


@pytest.fixture
async def ana(session: AsyncSession) -> User:
    return await create_agent(session, name="Ana")


@pytest.fixture
async def ben(session: AsyncSession) -> User:
    return await create_agent(session, name="Ben")


@pytest.fixture
async def someone(session: AsyncSession) -> Customer:
    return await create_customer(session, name="Vera Lind")


async def chat(
    session: AsyncSession,
    who: Customer,
    text: str,
    *,
    owner: User | None = None,
    status: ConversationStatus | None = None,
    queue: str = "general",
    priority: Priority = Priority.NORMAL,
    minute: int = 0,
    channel: str = "web",
) -> Conversation:
    """A conversation where the customer said ``text``: handed off (to ``queue``, waiting, or
    held by ``owner``) unless ``status`` is BOT; last active ``minute`` minutes after START, and
    handed off then."""
    conversation = await create_conversation(session, who, (Author.CUSTOMER, text))
    conversation.channel = channel
    at = START + timedelta(minutes=minute)
    status = status or (ConversationStatus.ASSIGNED if owner else ConversationStatus.WAITING)
    if status is not ConversationStatus.BOT:
        session.add(
            Handoff(
                conversation_id=conversation.id,
                queue=queue,
                priority=int(priority),
                reason=ReasonCode.LOOP,
                created_at=at,
                status=_handoff_status(status, owner),
                claimed_by=owner.id if owner else None,
                claimed_at=at if owner else None,
            )
        )
    agent_id = owner.id if owner and status is ConversationStatus.ASSIGNED else None
    await conversation_service.set_status(session, conversation, status, agent_id=agent_id)
    conversation.updated_at = at
    await session.flush()
    return conversation


def _handoff_status(status: ConversationStatus, owner: User | None) -> HandoffStatus:
    if status is ConversationStatus.RESOLVED:
        return HandoffStatus.RESOLVED
    return HandoffStatus.CLAIMED if owner else HandoffStatus.WAITING


async def listed(session: AsyncSession, agent: User, **filters: object) -> list[str]:
    items = await inbox.list_inbox(session, agent, InboxFilters(**filters))  # type: ignore[arg-type]
    return [item.conversation.id for item in items]


async def say(session: AsyncSession, conversation: Conversation, text: str) -> None:
    await conversation_service.append_message(
        session, conversation, author=Author.CUSTOMER, text=text
    )


async def test_each_view_lists_whose_open_conversations_it_names(
    session: AsyncSession, ana: User, ben: User, someone: Customer
) -> None:
    anas = await chat(session, someone, "my shelf", owner=ana, minute=1)
    bens = await chat(session, someone, "my lamp", owner=ben, minute=2)
    waiting = await chat(session, someone, "my chairs", minute=3)
    await chat(session, someone, "just asking the bot", status=ConversationStatus.BOT, minute=4)
    await chat(session, someone, "sorted", owner=ana, status=ConversationStatus.RESOLVED, minute=5)

    assert await listed(session, ana, view=View.MINE) == [anas.id]
    assert await listed(session, ana, view=View.UNASSIGNED) == [waiting.id]
    assert await listed(session, ana, view=View.TEAM) == [bens.id]
    assert await listed(session, ben, view=View.TEAM) == [anas.id]
    assert await listed(session, ana, view=View.ALL) == [waiting.id, bens.id, anas.id]


async def test_the_status_filter_reaches_the_bots_and_the_resolved_conversations(
    session: AsyncSession, ana: User, ben: User, someone: Customer
) -> None:
    with_bot = await chat(session, someone, "hello", status=ConversationStatus.BOT, minute=1)
    solved = await chat(
        session, someone, "sorted", owner=ana, status=ConversationStatus.RESOLVED, minute=2
    )
    held = await chat(session, someone, "my shelf", owner=ana, minute=3)
    waiting = await chat(session, someone, "my chairs", minute=4)

    assert await listed(session, ana, view=View.MINE, status=StatusFilter.RESOLVED) == [solved.id]
    assert await listed(session, ben, view=View.MINE, status=StatusFilter.RESOLVED) == []
    assert await listed(session, ana, view=View.ALL, status=StatusFilter.BOT) == [with_bot.id]
    assert await listed(session, ana, view=View.ALL, status=StatusFilter.WAITING) == [waiting.id]
    assert await listed(session, ana, view=View.ALL, status=StatusFilter.ASSIGNED) == [held.id]
    # Never handed off, the bot's conversation belongs to nobody.
    assert await listed(session, ana, view=View.UNASSIGNED, status=StatusFilter.BOT) == [
        with_bot.id
    ]


async def test_unassigned_conversations_come_in_queue_order_the_others_newest_first(
    session: AsyncSession, ana: User, someone: Customer
) -> None:
    old = await chat(session, someone, "waited longest", minute=1)
    urgent = await chat(session, someone, "urgent", priority=Priority.URGENT, minute=3)
    new = await chat(session, someone, "just came", minute=2)
    assert await listed(session, ana, view=View.UNASSIGNED) == [urgent.id, old.id, new.id]
    assert await listed(session, ana, view=View.ALL) == [urgent.id, new.id, old.id]


async def test_filters_by_queue_label_priority_and_channel_narrow_together(
    session: AsyncSession, ana: User, someone: Customer
) -> None:
    returns = await chat(session, someone, "return it", queue="returns", minute=1)
    high = await chat(session, someone, "it broke", priority=Priority.HIGH, minute=2)
    mailed = await chat(session, someone, "by mail", channel="email", minute=3)
    both = await chat(session, someone, "mailed return", queue="returns", channel="email", minute=4)
    await labels.add(session, by=ana, conversation_id=high.id, label="Needs callback")
    await labels.add(session, by=ana, conversation_id=both.id, label="needs-callback")

    all_ = {"view": View.ALL}
    assert await listed(session, ana, **all_, queue="returns") == [both.id, returns.id]
    assert await listed(session, ana, **all_, priority=Priority.HIGH) == [high.id]
    assert await listed(session, ana, **all_, channel="email") == [both.id, mailed.id]
    assert await listed(session, ana, **all_, label="needs-callback") == [both.id, high.id]
    assert await listed(
        session, ana, **all_, queue="returns", channel="email", label="needs-callback"
    ) == [both.id]
    assert await listed(session, ana, **all_, queue="vip") == []


async def test_a_listed_conversation_carries_its_customer_latest_handoff_and_labels(
    session: AsyncSession, ana: User, someone: Customer
) -> None:
    held = await chat(session, someone, "my shelf", owner=ana, queue="returns")
    await labels.add(session, by=ana, conversation_id=held.id, label="refund")
    [item] = await inbox.list_inbox(session, ana, InboxFilters())
    assert item.customer.name == "Vera Lind"
    assert item.handoff is not None
    assert (item.handoff.queue, item.handoff.claimed_by) == ("returns", ana.id)
    assert item.labels == ["refund"]


async def test_erased_conversations_are_never_listed(
    session: AsyncSession, ana: User, someone: Customer
) -> None:
    kept = await chat(session, someone, "my shelf", owner=ana)
    gone = await chat(session, someone, "my lamp", owner=ana, minute=1)
    gone.erased_at = utc_now()
    await session.flush()
    assert await listed(session, ana) == [kept.id]


async def test_customer_messages_after_the_read_mark_are_unread_until_read(
    session: AsyncSession, ana: User, ben: User, someone: Customer
) -> None:
    shelf = await chat(session, someone, "my shelf", owner=ana)
    lamp = await chat(session, someone, "my lamp", owner=ana)
    # Never opened: everything the customer said is unread.
    assert await inbox.unread_counts(session, ana) == {shelf.id: 1, lamp.id: 1}

    await inbox.do_mark_read(session, ana, shelf, seq=shelf.last_seq)
    assert await inbox.unread_counts(session, ana) == {lamp.id: 1}

    await say(session, shelf, "are you there?")
    await say(session, shelf, "hello?")
    await conversation_service.append_message(
        session, shelf, author=Author.AGENT, agent_id=ana.id, text="Yes, looking now."
    )
    assert await inbox.unread_counts(session, ana) == {shelf.id: 2, lamp.id: 1}

    await inbox.do_mark_read(session, ana, shelf, seq=shelf.last_seq)
    await inbox.do_mark_read(session, ana, lamp, seq=lamp.last_seq)
    assert await inbox.unread_counts(session, ana) == {}
    # Only the conversations an agent holds count; Ben's reading changes nothing for Ana.
    assert await inbox.unread_counts(session, ben) == {}
    await say(session, lamp, "one more thing")
    await inbox.do_mark_read(session, ben, lamp, seq=lamp.last_seq)
    assert await inbox.unread_counts(session, ana) == {lamp.id: 1}


async def test_the_read_mark_never_goes_back_nor_past_the_latest_message(
    session: AsyncSession, ana: User, someone: Customer
) -> None:
    shelf = await chat(session, someone, "my shelf", owner=ana)
    await say(session, shelf, "second")
    await inbox.do_mark_read(session, ana, shelf, seq=shelf.last_seq)
    await inbox.do_mark_read(session, ana, shelf, seq=1)  # an older page, sending late
    assert await inbox.unread_counts(session, ana) == {}

    await inbox.do_mark_read(session, ana, shelf, seq=shelf.last_seq + 50)
    await say(session, shelf, "third")
    assert await inbox.unread_counts(session, ana) == {shelf.id: 1}


async def test_a_resolved_or_transferred_conversation_is_no_longer_unread_for_the_agent(
    session: AsyncSession, ana: User, ben: User, someone: Customer
) -> None:
    shelf = await chat(session, someone, "my shelf", owner=ana)
    assert await inbox.unread_counts(session, ana) == {shelf.id: 1}
    await conversation_service.set_status(
        session, shelf, ConversationStatus.ASSIGNED, agent_id=ben.id
    )
    assert await inbox.unread_counts(session, ana) == {}
    assert await inbox.unread_counts(session, ben) == {shelf.id: 1}
    await conversation_service.set_status(session, shelf, ConversationStatus.RESOLVED)
    assert await inbox.unread_counts(session, ben) == {}


def test_filters_are_read_from_query_parameters_with_defaults_for_empty_ones() -> None:
    assert inbox.check_filters(queues=QUEUES) == InboxFilters()
    assert inbox.check_filters(
        queues=QUEUES, view="", status=" ", queue="", label="", priority="", channel=""
    ) == InboxFilters(view=View.MINE, status=StatusFilter.OPEN)
    chosen = inbox.check_filters(
        queues=QUEUES,
        view="Team",
        status="resolved",
        queue="returns",
        label="Needs Callback",
        priority="HIGH",
        channel="email",
    )
    assert chosen == InboxFilters(
        view=View.TEAM,
        status=StatusFilter.RESOLVED,
        queue="returns",
        label="needs-callback",
        priority=Priority.HIGH,
        channel="email",
    )
    assert chosen.params() == {
        "view": "team",
        "status": "resolved",
        "queue": "returns",
        "label": "needs-callback",
        "priority": "high",
        "channel": "email",
    }
    assert chosen.narrowed
    assert InboxFilters().params() == {}
    assert not InboxFilters(view=View.ALL).narrowed
    assert InboxFilters(label="vip").params(view="all") == {"view": "all", "label": "vip"}


@pytest.mark.parametrize(
    ("parameters", "said"),
    [
        pytest.param({"view": "everything"}, "view 'everything' is not one of", id="view"),
        pytest.param({"status": "open-ish"}, "status 'open-ish' is not one of", id="status"),
        pytest.param({"queue": "billing"}, "general, returns, vip", id="queue"),
        pytest.param({"queue": "RETURNS"}, "queue 'RETURNS' is not one of", id="queue-case"),
        pytest.param({"priority": "7"}, "elevated, high, normal, urgent", id="priority"),
        pytest.param({"channel": "fax"}, "channel 'fax' is not one of email, web", id="channel"),
        pytest.param({"label": "refund?"}, "remove ?", id="label"),
    ],
)
def test_a_bad_filter_is_refused_saying_what_it_takes(
    parameters: dict[str, str], said: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        inbox.check_filters(queues=QUEUES, **parameters)
    assert said in refused.value.message
