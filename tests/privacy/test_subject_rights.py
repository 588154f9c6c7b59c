"""A customer's data can be exported in full and erased without a trace (counts stay)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import service as bot_service
from tandem.config import Settings
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Conversation, Customer, Message, Tier
from tandem.core.errors import NotFoundError
from tandem.learning import flags
from tandem.learning.models import Proposal
from tandem.privacy import service as privacy_service
from tandem.routing import labels, notes
from tandem.routing.models import Handoff
from tests.factories import create_agent, import_demo_knowledge
from tests.learning.answers import bot_answer

EMAIL = "rosa.m@example.com"
SAID = "my flat at 12 Rosewood Lane flooded and the sofa is ruined, I need a person"
TABLES = (
    "customers",
    "conversations",
    "messages",
    "conversation_events",
    "handoffs",
    "conversation_notes",
    "answer_flags",
)
NOTE = "Rosa is at 12 Rosewood Lane until Friday; call before noon"


async def _conversation_with_a_person(session: AsyncSession, settings: Settings) -> str:
    await import_demo_knowledge(session)
    await conversation_service.ensure_customer(session, email=EMAIL, name="Rosa M", tier=Tier.VIP)
    customer = (await session.execute(select(Customer).where(Customer.email == EMAIL))).scalar_one()
    config = bot_service.config_from(settings)
    conversation, _token = await bot_service.start(
        session, identity=None, identity_secret=None, config=config, customer=customer
    )
    await bot_service.receive(session, conversation, text=SAID, client_msg_id="1", config=config)
    agent = await create_agent(session)
    await notes.add_note(session, by=agent, conversation_id=conversation.id, text=NOTE)
    await labels.add(session, by=agent, conversation_id=conversation.id, label="Water damage")
    return conversation.id


async def _rows_mentioning(session: AsyncSession, needle: str) -> list[str]:
    found = []
    for table in TABLES:
        rows = (await session.execute(text(f"SELECT * FROM {table}"))).all()
        found += [table for row in rows if any(needle in str(value) for value in row)]
    return found


async def test_an_export_holds_the_customer_and_every_message(
    session: AsyncSession, settings: Settings
) -> None:
    conversation_id = await _conversation_with_a_person(session, settings)
    data = await privacy_service.export_customer(session, EMAIL)
    assert data["customer"]["email"] == EMAIL
    [conversation] = data["conversations"]
    assert conversation["id"] == conversation_id
    assert any(m["text"] == SAID for m in conversation["messages"])
    assert conversation["handoffs"]
    assert [n["text"] for n in conversation["notes"]] == [NOTE]  # the team's notes are theirs too
    assert conversation["labels"] == ["water-damage"]


async def test_erasure_leaves_no_trace_but_keeps_the_counts(
    session: AsyncSession, settings: Settings
) -> None:
    conversation_id = await _conversation_with_a_person(session, settings)
    assert await _rows_mentioning(session, "Rosewood")
    handoffs_before = (await session.execute(select(func.count(Handoff.id)))).scalar_one()
    messages_before = (await session.execute(select(func.count(Message.id)))).scalar_one()

    assert await privacy_service.erase_customer(session, EMAIL) == 1
    session.expire_all()

    assert await _rows_mentioning(session, "Rosewood") == []
    assert await _rows_mentioning(session, EMAIL) == []
    assert await _rows_mentioning(session, "Rosa M") == []
    assert (await session.execute(select(func.count(Handoff.id)))).scalar_one() == handoffs_before
    assert (await session.execute(select(func.count(Message.id)))).scalar_one() == messages_before
    statuses = (await session.execute(select(Conversation.status))).scalars().all()
    assert statuses  # the conversation is still counted
    # A label says what the conversation was about, not who the customer is: it stays.
    assert await labels.labels_of(session, conversation_id) == ["water-damage"]


async def _flag_an_answer(session: AsyncSession, conversation_id: str) -> int:
    conversation = await conversation_service.get_conversation(session, conversation_id)
    seq = await bot_answer(
        session, conversation, question="is my Rosewood Lane parcel insured?", slug="lost-parcel"
    )
    await flags.do_flag_answer(
        session,
        conversation,
        by=await create_agent(session),
        seq=seq,
        right_slug="delayed-parcel",
        right_text="Yes: parcels to Rosewood Lane are insured until delivered.",
        note="Rosa asked twice",
    )
    return seq


async def test_flagged_answers_are_exported_and_their_words_erased(
    session: AsyncSession, settings: Settings
) -> None:
    conversation_id = await _conversation_with_a_person(session, settings)
    seq = await _flag_an_answer(session, conversation_id)
    [conversation] = (await privacy_service.export_customer(session, EMAIL))["conversations"]
    [flag] = conversation["answer_flags"]
    assert (flag["seq"], flag["question"]) == (seq, "is my Rosewood Lane parcel insured?")
    assert (flag["answered_article"], flag["right_article"]) == ("lost-parcel", "delayed-parcel")
    assert (flag["right_answer"], flag["note"]) == (
        "Yes: parcels to Rosewood Lane are insured until delivered.",
        "Rosa asked twice",
    )

    await privacy_service.erase_customer(session, EMAIL)
    session.expire_all()
    assert await _rows_mentioning(session, "Rosewood") == []
    assert await _rows_mentioning(session, "Rosa asked") == []
    # The flag still counts (who flagged which answer, from which article to which); the golden
    # question it proposed was still waiting, and goes with the customer's words.
    [kept] = await flags.flags_of(session, conversation_id)
    assert (kept.seq, kept.flag.right_slug, kept.flag.proposal_id) == (seq, "delayed-parcel", None)
    assert (await session.execute(select(func.count(Proposal.id)))).scalar_one() == 0


async def test_an_unknown_customer_is_a_clear_error(session: AsyncSession) -> None:
    with pytest.raises(NotFoundError, match=r"No customer with e-mail nobody@example\.com"):
        await privacy_service.erase_customer(session, "nobody@example.com")
