"""Searching the inbox: every word found somewhere in a conversation, literally and whatever its
case or script; newest activity first, a page at a time; never an erased conversation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.conversations.models import Author, Conversation, Customer
from tandem.conversations.search_text import Part
from tandem.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from tandem.core.time import utc_now
from tandem.escalation.reasons import ReasonCode
from tandem.privacy import service as privacy_service
from tandem.routing import inbox, labels
from tandem.routing.models import Handoff
from tests.factories import create_agent, create_conversation, create_customer

START = utc_now() - timedelta(days=1)


@pytest.fixture
async def agent(session: AsyncSession) -> User:
    return await create_agent(session)


async def customer(session: AsyncSession, name: str | None, email: str | None) -> Customer:
    return await create_customer(session, name=name, email=email)


async def conversation(
    session: AsyncSession, who: Customer, *said: tuple[Author, str], minute: int = 0
) -> Conversation:
    """A conversation of ``who`` with these messages, last active ``minute`` minutes after START."""
    last_active = START + timedelta(minutes=minute)
    return await create_conversation(session, who, *said, last_active=last_active)


def ask(text: str) -> tuple[Author, str]:
    return (Author.CUSTOMER, text)


async def found(
    session: AsyncSession, agent: User, query: str, *, customer_id: int | None = None
) -> list[str]:
    results = await inbox.search_inbox(session, agent, query=query, customer_id=customer_id)
    return [hit.conversation.id for hit in results.hits]


async def test_every_word_must_be_found_but_each_anywhere_in_the_conversation(
    session: AsyncSession, agent: User
) -> None:
    vera = await customer(session, "Vera Lind", "vera@example.com")
    shelf = await conversation(
        session, vera, ask("My walnut shelf arrived cracked"), (Author.BOT, "Sorry to hear it")
    )
    lamp = await conversation(session, vera, ask("The lamp is cracked"), minute=1)
    assert await found(session, agent, "cracked") == [lamp.id, shelf.id]
    assert await found(session, agent, "walnut cracked") == [shelf.id]
    assert await found(session, agent, "walnut lamp") == []
    assert await found(session, agent, "vera walnut") == [shelf.id]  # a name and a message
    assert await found(session, agent, "sorry shelf") == [shelf.id]  # the bot's and the customer's
    assert await found(session, agent, '"shelf arrived"') == [shelf.id]
    assert await found(session, agent, '"arrived shelf"') == []


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        pytest.param("Herr Öztürk wants a refund", "ÖZTÜRK", id="latin-accents"),
        pytest.param("ÉMILE asked twice", "émile", id="accented-capital"),
        pytest.param("Доставка в Москву", "москву", id="cyrillic"),
        pytest.param("Η ΠΑΡΑΓΓΕΛΊΑ ΜΟΥ", "παραγγελία", id="greek"),
        pytest.param("我要退款，谢谢", "退款", id="chinese"),
        pytest.param("返品をお願いします", "返品", id="japanese"),
        pytest.param("REFUND please", "refund", id="ascii"),
    ],
)
async def test_words_are_found_whatever_their_case_in_any_script(
    session: AsyncSession, agent: User, stored: str, typed: str
) -> None:
    someone = await customer(session, None, None)
    chat = await conversation(session, someone, ask(stored))
    await conversation(session, someone, ask("something else entirely"))
    assert await found(session, agent, typed) == [chat.id]


async def test_per_cent_and_underscore_are_literal_not_wildcards(
    session: AsyncSession, agent: User
) -> None:
    someone = await customer(session, None, None)
    half = await conversation(session, someone, ask("Is the 50% discount still on?"))
    await conversation(session, someone, ask("I paid 500 euros"))
    field = await conversation(session, someone, ask("the order_id is 77"))
    await conversation(session, someone, ask("the orderXid is 78"))
    await conversation(session, someone, ask("back\\slash? no"))
    assert await found(session, agent, "50%") == [half.id]
    assert await found(session, agent, "%") == [half.id]
    assert await found(session, agent, "order_id") == [field.id]
    assert await found(session, agent, "_") == [field.id]


async def test_customers_are_found_by_name_or_email_and_conversations_by_id_beginning(
    session: AsyncSession, agent: User
) -> None:
    vera = await customer(session, "Vera Lind", "vera@example.com")
    otto = await customer(session, "Otto Öberg", "otto@shop.example")
    veras = await conversation(session, vera, ask("hello"))
    ottos = await conversation(session, otto, ask("hello"), minute=1)
    assert await found(session, agent, "VERA@EXAMPLE") == [veras.id]
    assert await found(session, agent, "öberg") == [ottos.id]
    assert await found(session, agent, "example") == [ottos.id, veras.id]
    assert await found(session, agent, ottos.id[:8].upper()) == [ottos.id]
    assert await found(session, agent, ottos.id) == [ottos.id]
    # Shorter than 8 characters, a piece of an id is a word like any other.
    assert await found(session, agent, ottos.id[:7]) == []


async def test_tandems_own_notices_do_not_make_every_conversation_match(
    session: AsyncSession, agent: User
) -> None:
    someone = await customer(session, None, None)
    await conversation(session, someone, (Author.SYSTEM, "You are number 2 in the queue"))
    asked = await conversation(session, someone, ask("how long is the queue?"))
    assert await found(session, agent, "queue") == [asked.id]


async def test_erased_conversations_are_never_found_nor_counted(
    session: AsyncSession, agent: User
) -> None:
    vera = await customer(session, "Vera Lind", "vera@example.com")
    kept = await conversation(session, vera, ask("the walnut shelf"))
    gone = await conversation(session, vera, ask("the walnut table"), minute=1)
    gone.erased_at = utc_now()  # as retention leaves it: the customer is still known
    await session.flush()
    results = await inbox.search_inbox(session, agent, query="walnut")
    assert [hit.conversation.id for hit in results.hits] == [kept.id]
    results = await inbox.search_inbox(session, agent, query="vera")
    assert [(m.customer.id, m.conversations) for m in results.customers] == [(vera.id, 1)]

    await privacy_service.erase_customer(session, "vera@example.com")
    for query in ("walnut", "vera", "erased", kept.id):
        results = await inbox.search_inbox(session, agent, query=query)
        assert (results.hits, results.customers) == ([], []), query


async def test_pages_follow_each_other_newest_activity_first_without_gaps_or_repeats(
    session: AsyncSession, agent: User
) -> None:
    someone = await customer(session, None, None)
    made = [
        await conversation(session, someone, ask(f"refund number {n}"), minute=n % 3)
        for n in range(7)
    ]
    seen: list[Conversation] = []
    cursor = None
    while True:
        page = await inbox.search_inbox(session, agent, query="refund", cursor=cursor, limit=3)
        assert len(page.hits) <= 3
        seen += [hit.conversation for hit in page.hits]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(c.id for c in seen) == sorted(c.id for c in made)
    order = [(c.updated_at, c.id) for c in seen]
    assert order == sorted(order, reverse=True)


async def test_a_result_shows_its_queue_labels_and_the_best_matching_message_marked(
    session: AsyncSession, agent: User
) -> None:
    someone = await customer(session, "Ana", None)
    chat = await conversation(
        session,
        someone,
        ask("The shelf is late"),
        ask("The walnut shelf is still late"),
        (Author.AGENT, "I checked the shelf"),
        ask("thanks"),
    )
    session.add(Handoff(conversation_id=chat.id, queue="returns", reason=ReasonCode.LOOP))
    session.add(Handoff(conversation_id=chat.id, queue="billing", reason=ReasonCode.LOOP))
    await labels.add(session, by=agent, conversation_id=chat.id, label="Damaged")
    await session.flush()
    (hit,) = (await inbox.search_inbox(session, agent, query="shelf WALNUT")).hits
    assert (hit.queue, hit.labels) == ("billing", ["damaged"])
    # The one holding both words, though a later one holds one of them.
    assert hit.said is not None
    assert hit.said.text == "The walnut shelf is still late"
    assert hit.snippet is not None
    assert [p for p in hit.snippet.parts if p.matched] == [
        Part("walnut", True),
        Part("shelf", True),
    ]

    (hit,) = (await inbox.search_inbox(session, agent, query="shelf")).hits
    assert hit.said is not None  # of the equals, the latest
    assert (hit.said.author, hit.said.text) == (Author.AGENT, "I checked the shelf")
    (hit,) = (await inbox.search_inbox(session, agent, query="ana")).hits
    assert (hit.said, hit.snippet, hit.queue) == (None, None, "billing")  # found by the name


async def test_customers_found_come_with_their_count_latest_activity_first(
    session: AsyncSession, agent: User
) -> None:
    early = await customer(session, "Lind Early", "early@example.com")
    late = await customer(session, "Lind Late", "late@example.com")
    new = await customer(session, "Lind New", None)  # known, no conversation yet
    await customer(session, "Someone Else", "else@example.com")
    await conversation(session, early, ask("hi"), minute=1)
    await conversation(session, late, ask("hi"), minute=5)
    await conversation(session, late, ask("hi again"), minute=2)
    results = await inbox.search_inbox(session, agent, query="lind")
    assert [(m.customer.id, m.conversations) for m in results.customers] == [
        (late.id, 2),
        (early.id, 1),
        (new.id, 0),
    ]
    assert results.more_customers is False
    only = await inbox.search_inbox(session, agent, query="LATE")
    assert [m.customer.id for m in only.customers] == [late.id]


async def test_more_customers_than_shown_is_said_on_the_first_page_only(
    session: AsyncSession, agent: User
) -> None:
    lind = [await customer(session, f"Lind {n}", None) for n in range(inbox.CUSTOMERS_SHOWN + 1)]
    await conversation(session, lind[0], ask("hi"))
    await conversation(session, lind[0], ask("hi again"))
    first = await inbox.search_inbox(session, agent, query="lind", limit=1)
    assert len(first.customers) == inbox.CUSTOMERS_SHOWN
    assert first.more_customers is True
    assert first.next_cursor is not None
    later = await inbox.search_inbox(session, agent, query="lind", cursor=first.next_cursor)
    assert len(later.hits) == 1
    assert later.customers == []


async def test_one_customers_conversations_and_words_among_them(
    session: AsyncSession, agent: User
) -> None:
    vera = await customer(session, "Vera", "vera@example.com")
    otto = await customer(session, "Otto", None)
    first = await conversation(session, vera, ask("shelf"))
    second = await conversation(session, vera, ask("lamp"), minute=1)
    await conversation(session, otto, ask("shelf"), minute=2)
    assert await found(session, agent, "", customer_id=vera.id) == [second.id, first.id]
    listed = await inbox.search_inbox(session, agent, query="", customer_id=vera.id)
    assert [hit.said.text if hit.said else None for hit in listed.hits] == ["lamp", "shelf"]
    assert await found(session, agent, "shelf", customer_id=vera.id) == [first.id]
    with pytest.raises(NotFoundError):
        await inbox.search_inbox(session, agent, query="", customer_id=otto.id + 100)


async def test_an_empty_query_searches_nothing(session: AsyncSession, agent: User) -> None:
    someone = await customer(session, "Vera", None)
    await conversation(session, someone, ask("hello"))
    results = await inbox.search_inbox(session, agent, query="   ")
    assert (results.asked, results.hits, results.customers) == (False, [], [])


async def test_a_cursor_not_given_out_and_an_overlong_query_are_refused_saying_why(
    session: AsyncSession, agent: User
) -> None:
    with pytest.raises(InvalidInputError, match="start again without it"):
        await inbox.search_inbox(session, agent, query="refund", cursor="not-a-cursor")
    with pytest.raises(InvalidInputError, match="at most 200 characters"):
        await inbox.search_inbox(session, agent, query="x" * 201)


async def test_a_disabled_agent_finds_nothing(session: AsyncSession, agent: User) -> None:
    someone = await customer(session, "Vera", None)
    await conversation(session, someone, ask("hello"))
    agent.is_active = False
    with pytest.raises(PermissionDeniedError, match="disabled"):
        await inbox.search_inbox(session, agent, query="hello")
