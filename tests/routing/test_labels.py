"""Labels: one spelling per label, each at most once on a conversation, found again by label."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.conversations import service as conversation_service
from tandem.conversations.models import ConversationStatus
from tandem.core.errors import InvalidInputError
from tandem.routing import labels
from tandem.routing.labels import KnownLabel, LabelChange
from tests.factories import create_agent


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        pytest.param("refund", "refund", id="plain"),
        pytest.param("  VIP ", "vip", id="trimmed-and-lower-case"),
        pytest.param("Refund  Request", "refund-request", id="spaces-become-one-dash"),
        pytest.param("follow_up-2", "follow_up-2", id="digits-dash-underscore"),
        pytest.param("Devolução", "devolução", id="accents"),
        pytest.param("cafe\u0301", "caf\u00e9", id="one-spelling-of-an-accent"),
        pytest.param("हिंदी", "हिंदी", id="vowel-signs"),
        pytest.param("返品 依頼", "返品-依頼", id="other-scripts"),
        pytest.param("x" * 40, "x" * 40, id="forty-characters"),
    ],
)
def test_a_label_is_stored_in_one_spelling(typed: str, stored: str) -> None:
    assert labels.normalise(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        pytest.param("", "Write a label", id="empty"),
        pytest.param("   ", "Write a label", id="only-spaces"),
        pytest.param("x" * 41, "at most 40 characters", id="too-long"),
        pytest.param("refund!", "remove !", id="punctuation"),
        pytest.param("#vip", "remove #", id="hash"),
        pytest.param("a/b", "remove /", id="slash"),
        pytest.param("---", "needs a letter or digit", id="no-letter"),
        pytest.param("\u0301x", "starts with a letter or digit", id="starts-with-an-accent"),
        pytest.param("vip\u200b", "remove U\\+200B", id="invisible-character"),
    ],
)
def test_a_label_that_cannot_be_one_is_refused_saying_why(typed: str, says: str) -> None:
    with pytest.raises(InvalidInputError, match=says):
        labels.normalise(typed)


async def _conversation(session: AsyncSession) -> str:
    conversation, _customer, _token = await conversation_service.start_conversation(
        session, identity=None, identity_secret=None
    )
    return conversation.id


@pytest.fixture
async def agent(session: AsyncSession) -> User:
    return await create_agent(session)


async def test_adding_a_label_twice_changes_nothing(session: AsyncSession, agent: User) -> None:
    conversation = await _conversation(session)
    first = await labels.add(session, by=agent, conversation_id=conversation, label="Refund")
    again = await labels.add(session, by=agent, conversation_id=conversation, label=" refund ")
    assert (first, again) == (LabelChange("refund", True), LabelChange("refund", False))
    assert await labels.labels_of(session, conversation) == ["refund"]


async def test_a_conversation_carries_several_labels_alphabetically(
    session: AsyncSession, agent: User
) -> None:
    conversation = await _conversation(session)
    for name in ("vip", "Damaged item", "refund"):
        await labels.add(session, by=agent, conversation_id=conversation, label=name)
    assert await labels.labels_of(session, conversation) == ["damaged-item", "refund", "vip"]


async def test_a_label_another_request_adds_at_the_same_moment_is_not_an_error(
    session: AsyncSession, agent: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation = await _conversation(session)
    await labels.add(session, by=agent, conversation_id=conversation, label="refund")
    looked = labels._find
    looks: list[str] = []

    async def missed_the_other_row(
        session: AsyncSession, conversation_id: str, label: str
    ) -> int | None:
        looks.append(label)  # the first look happens before the other request commits
        return None if len(looks) == 1 else await looked(session, conversation_id, label)

    monkeypatch.setattr(labels, "_find", missed_the_other_row)
    again = await labels.add(session, by=agent, conversation_id=conversation, label="refund")
    assert again == LabelChange("refund", False)
    assert await labels.labels_of(session, conversation) == ["refund"]  # the session still works


async def test_removing_a_label_takes_off_that_one_only_and_is_idempotent(
    session: AsyncSession, agent: User
) -> None:
    conversation = await _conversation(session)
    for name in ("refund", "vip"):
        await labels.add(session, by=agent, conversation_id=conversation, label=name)
    removed = await labels.remove(session, conversation_id=conversation, label="VIP")
    again = await labels.remove(session, conversation_id=conversation, label="vip")
    assert (removed, again) == (LabelChange("vip", True), LabelChange("vip", False))
    assert await labels.labels_of(session, conversation) == ["refund"]


async def test_an_invalid_label_is_refused_before_anything_is_stored(
    session: AsyncSession, agent: User
) -> None:
    conversation = await _conversation(session)
    with pytest.raises(InvalidInputError):
        await labels.add(session, by=agent, conversation_id=conversation, label="refund?")
    assert await labels.labels_of(session, conversation) == []


async def test_labels_of_many_conversations_come_in_one_map(
    session: AsyncSession, agent: User
) -> None:
    first, second, bare = [await _conversation(session) for _ in range(3)]
    await labels.add(session, by=agent, conversation_id=first, label="vip")
    await labels.add(session, by=agent, conversation_id=first, label="refund")
    await labels.add(session, by=agent, conversation_id=second, label="refund")
    found = await labels.labels_of_many(session, [first, second, bare])
    assert found == {first: ["refund", "vip"], second: ["refund"]}
    assert await labels.labels_of_many(session, []) == {}


async def test_conversations_with_a_label_are_found_by_any_spelling_and_status(
    session: AsyncSession, agent: User
) -> None:
    labelled, other, unlabelled = [await _conversation(session) for _ in range(3)]
    await labels.add(session, by=agent, conversation_id=labelled, label="refund")
    await labels.add(session, by=agent, conversation_id=other, label="refund")
    await labels.add(session, by=agent, conversation_id=unlabelled, label="vip")
    found = await labels.conversations_with(session, "Refund")
    assert {conversation.id for conversation, _customer in found} == {labelled, other}

    [(resolved, _customer)] = await labels.conversations_with(session, "refund", limit=1)
    assert resolved.id in {labelled, other}
    with_bot = await labels.conversations_with(session, "refund", status=ConversationStatus.BOT)
    closed = await labels.conversations_with(session, "refund", status=ConversationStatus.RESOLVED)
    assert (len(with_bot), closed) == (2, [])


async def test_known_labels_count_their_conversations_most_used_first(
    session: AsyncSession, agent: User
) -> None:
    first, second = await _conversation(session), await _conversation(session)
    for conversation in (first, second):
        await labels.add(session, by=agent, conversation_id=conversation, label="refund")
    await labels.add(session, by=agent, conversation_id=first, label="vip")
    await labels.add(session, by=agent, conversation_id=second, label="damaged")
    assert await labels.known_labels(session) == [
        KnownLabel("refund", 2),
        KnownLabel("damaged", 1),
        KnownLabel("vip", 1),
    ]
    assert await labels.known_labels(session, limit=1) == [KnownLabel("refund", 2)]
