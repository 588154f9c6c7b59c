"""Agents flag the bot's wrong answers; each flag puts what the bot should learn up for review.

A flag names the right article, writes the right answer, or both, with an optional note. Only
the bot's answers (messages of kind "answer") can be flagged, and an agent flags a message at
most once: flagging it again changes the flag, also when two requests race.

A flag owns one proposal in the review queue: naming the right article proposes a golden
question (the customer's question, answered from that article: see ``learning.golden``); a
right answer alone proposes a new article drafted from it. Changing what is right changes the
proposal while it waits; once a supervisor has reviewed it, a changed flag proposes anew.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, Conversation, Message
from tandem.conversations.schemas import Source
from tandem.core.errors import ConflictError, InvalidInputError, NotFoundError
from tandem.core.time import utc_now
from tandem.knowledge import service as knowledge_service
from tandem.learning import repository
from tandem.learning.draft import Draft, Line, draft
from tandem.learning.models import AnswerFlag, Proposal, ProposalKind, ProposalStatus

MAX_ANSWER_CHARS = 4000
MAX_NOTE_CHARS = 1000
ORIGIN = "flagged_answer"
SHOWN_CHARS = 120  # of a right answer or a note, in the one-line summary


@dataclass(frozen=True, slots=True)
class Correction:
    """What an agent says is right, trimmed: the article, the answer (one at least), a note."""

    right_slug: str | None
    right_text: str | None
    note: str | None


def _trimmed(value: str | None) -> str | None:
    return (value or "").strip() or None


def check_correction(
    *,
    right_slug: str | None,
    right_text: str | None,
    note: str | None,
    answered_slug: str | None,
) -> Correction:
    """Return the correction trimmed; InvalidInputError saying what to change otherwise."""
    correction = Correction(_trimmed(right_slug), _trimmed(right_text), _trimmed(note))
    if correction.right_slug is None and correction.right_text is None:
        raise InvalidInputError(
            "Choose the article that answers the question, or write the right answer."
        )
    if correction.right_slug is not None and correction.right_slug == answered_slug:
        raise InvalidInputError(
            "The bot answered from this article: choose the one that answers the question, or "
            "write the right answer."
        )
    for name, text, most in (
        ("right answer", correction.right_text, MAX_ANSWER_CHARS),
        ("note", correction.note, MAX_NOTE_CHARS),
    ):
        if text is not None and len(text) > most:
            raise InvalidInputError(
                f"The {name} holds at most {most} characters; this one has {len(text)}."
            )
    return correction


def answered_from(message: Message) -> str | None:
    """The slug of the article a bot answer came from (its first source), if it names one."""
    sources = message.data.get("sources") or []
    try:
        return Source.model_validate(sources[0]).slug if sources else None
    except ValidationError:
        return None


@dataclass(frozen=True, slots=True)
class FlagChange:
    flag: AnswerFlag
    created: bool  # False: the agent had flagged this answer before, and the flag changed


@dataclass(frozen=True, slots=True)
class FlagView:
    """A flag with its message's sequence number and the titles of the articles it names."""

    flag: AnswerFlag
    seq: int
    answered_title: str | None
    right_title: str | None

    @property
    def summary(self) -> str:
        """One line for people: who flagged it, what is right, and the note."""
        flag = self.flag
        right = []
        if flag.right_slug is not None:
            right.append(f"right article “{self.right_title or flag.right_slug}”")
        if flag.right_text is not None:
            right.append(f"right answer “{_shown(flag.right_text)}”")
        line = f"Flagged by {flag.flagged_by_name}: {'; '.join(right)}"
        return f"{line} (note: “{_shown(flag.note)}”)" if flag.note else line


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_CHARS else f"{text[: SHOWN_CHARS - 1]}…"


async def answer_at(session: AsyncSession, conversation: Conversation, seq: int) -> Message:
    """Return the bot's answer ``seq`` in the conversation, which may be flagged.

    NotFoundError when there is no message ``seq``; ConflictError when it is not a bot answer.
    """
    message = await conversation_service.message_at(session, conversation, seq)
    if message is None:
        raise NotFoundError(f"There is no message {seq} in this conversation; reload the page.")
    if message.author is not Author.BOT or message.data.get("kind") != "answer":
        raise ConflictError(
            f"Message {seq} is not an answer from the bot; only the bot's answers can be flagged."
        )
    if message.data.get("erased"):
        raise ConflictError(f"Message {seq} was erased; there is nothing left to flag.")
    return message


async def do_flag_answer(
    session: AsyncSession,
    conversation: Conversation,
    *,
    by: User,
    seq: int,
    right_slug: str | None,
    right_text: str | None,
    note: str | None = None,
) -> FlagChange:
    """Flag the bot's answer ``seq`` as wrong, or change ``by``'s flag on it; then propose
    what is right in the review queue.

    Precondition: ``by`` may see the conversation (``access_conversation_as_agent``).
    """
    message = await answer_at(session, conversation, seq)
    correction = check_correction(
        right_slug=right_slug,
        right_text=right_text,
        note=note,
        answered_slug=answered_from(message),
    )
    right_title = None
    if correction.right_slug is not None:
        article = await knowledge_service.find_article(session, correction.right_slug)
        if article is None:
            raise InvalidInputError(
                f"There is no article {correction.right_slug!r}; choose one from the knowledge "
                "base."
            )
        right_title = article.title
    flag, created = await _flag_of(session, conversation, message, by)
    changed = (flag.right_slug, flag.right_text) != (correction.right_slug, correction.right_text)
    flag.right_slug, flag.right_text = correction.right_slug, correction.right_text
    flag.note, flag.updated_at = correction.note, utc_now()
    if created or changed:
        await _propose(session, flag, right_title=right_title)
    await session.flush()
    return FlagChange(flag, created=created)


async def _flag_of(
    session: AsyncSession, conversation: Conversation, message: Message, by: User
) -> tuple[AnswerFlag, bool]:
    """``by``'s flag on ``message``, and whether it is new (also when another request of theirs
    adds it at the same moment)."""
    found = await repository.find_flag(session, message_id=message.id, flagged_by=by.id)
    if found is not None:
        return found, False
    asked = await conversation_service.previous_customer_message(session, conversation, message)
    if asked is None:
        raise ConflictError("This answer replies to no message from the customer; flag another.")
    now = utc_now()
    flag = AnswerFlag(
        conversation_id=conversation.id,
        message_id=message.id,
        flagged_by=by.id,
        flagged_by_name=by.name,
        question=asked.text,
        answered_slug=answered_from(message),
        created_at=now,
        updated_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(flag)
    except IntegrityError:
        found = await repository.find_flag(session, message_id=message.id, flagged_by=by.id)
        if found is None:
            raise
        return found, False
    return flag, True


def proposed(flag: AnswerFlag, *, right_title: str | None) -> Draft:
    """What a flag proposes: a golden question when it names the right article, else a new
    article written from the right answer."""
    if flag.right_slug is not None:
        title = right_title or flag.right_slug
        return Draft(
            ProposalKind.GOLDEN_QUESTION.value, flag.question, flag.right_text or "",
            flag.right_slug, title, "", "", (),
        )  # fmt: skip
    drafted = draft([Line("customer", flag.question)], flag.right_text or "")
    if drafted is None:
        raise InvalidInputError("Write the right answer, or choose the right article.")
    return drafted


async def _propose(session: AsyncSession, flag: AnswerFlag, *, right_title: str | None) -> None:
    proposal = None
    if flag.proposal_id is not None:
        proposal = await repository.get_proposal(session, flag.proposal_id)
    if proposal is None or proposal.status is not ProposalStatus.PENDING:
        proposal = Proposal(
            origin=ORIGIN, conversation_ids=[flag.conversation_id], created_at=utc_now()
        )
        session.add(proposal)
    drafted = proposed(flag, right_title=right_title)
    proposal.kind = ProposalKind(drafted.kind)
    proposal.question, proposal.answer = drafted.question, drafted.answer
    proposal.slug, proposal.title, proposal.body = drafted.slug, drafted.title, drafted.body
    proposal.intent, proposal.examples = drafted.intent or None, list(drafted.examples)
    await session.flush()
    flag.proposal_id = proposal.id


async def _views(session: AsyncSession, rows: Sequence[tuple[AnswerFlag, int]]) -> list[FlagView]:
    slugs = {s for flag, _ in rows for s in (flag.answered_slug, flag.right_slug) if s}
    titles = await knowledge_service.titles_of(session, slugs) if slugs else {}
    return [
        FlagView(flag, seq, titles.get(flag.answered_slug or ""), titles.get(flag.right_slug or ""))
        for flag, seq in rows
    ]


async def flags_of(session: AsyncSession, conversation_id: str) -> list[FlagView]:
    """The conversation's flags, in the order of the transcript, then of flagging."""
    rows = await repository.flags_with_seq(session, conversation_id=conversation_id)
    return await _views(session, rows)


async def flags_behind(
    session: AsyncSession, proposal_ids: Collection[int]
) -> dict[int, list[FlagView]]:
    """The flags that proposed each of ``proposal_ids``, by proposal id."""
    if not proposal_ids:
        return {}
    rows = await repository.flags_with_seq(session, proposal_ids=proposal_ids)
    found: dict[int, list[FlagView]] = {}
    for view in await _views(session, rows):
        assert view.flag.proposal_id is not None
        found.setdefault(view.flag.proposal_id, []).append(view)
    return found


def summaries_by_seq(views: Sequence[FlagView]) -> dict[int, list[str]]:
    """Each flagged message's flag summaries, by sequence number."""
    found: dict[int, list[str]] = {}
    for view in views:
        found.setdefault(view.seq, []).append(view.summary)
    return found


def own_flag(views: Sequence[FlagView], *, seq: int, agent: User) -> AnswerFlag | None:
    """``agent``'s flag on message ``seq``, if they flagged it."""
    return next((v.flag for v in views if v.seq == seq and v.flag.flagged_by == agent.id), None)
