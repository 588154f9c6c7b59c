"""Internal notes on conversations, with @mentions that wait until the person has looked.

A note is for the team: it is never shown to the customer, sent by e-mail or put on a
webhook. ``@ben`` mentions the active staff member whose first name, whole name without
spaces, or e-mail name (before the @) is ``ben``, ignoring case; a mention that names no one,
or more than one person, is refused with the handles that would work, so a note never
silently fails to reach someone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import service as auth_service
from tandem.auth.models import User
from tandem.core.errors import InvalidInputError
from tandem.core.time import utc_now
from tandem.routing.models import ConversationNote, NoteMention

MAX_NOTE_CHARS = 2000
# "@ben", "@ana.costa", "@José": a handle starts with a letter; an e-mail address is not one.
_MENTION = re.compile(r"(?<![\w@.])@([^\W\d_][\w.\-]*)", re.UNICODE)


def mentioned_handles(text: str) -> list[str]:
    """The handles a note mentions, in order, each once (trailing dots dropped)."""
    return list(dict.fromkeys(m.rstrip(".-").casefold() for m in _MENTION.findall(text)))


def handles_of(user: User) -> set[str]:
    """Every handle that names ``user``."""
    name = user.name.casefold().split()
    handles = {user.email.split("@", 1)[0].casefold()}
    if name:
        handles |= {name[0], "".join(name)}
    return handles


def resolve(handles: Sequence[str], staff: Sequence[User]) -> list[User]:
    """The staff member each handle names; InvalidInputError naming any that name no one."""
    found: list[User] = []
    unknown: list[str] = []
    for handle in handles:
        matches = [u for u in staff if handle in handles_of(u)]
        if len(matches) != 1:
            unknown.append(f"@{handle}" + (" (several people)" if matches else ""))
        elif matches[0] not in found:
            found.append(matches[0])
    if unknown:
        known = ", ".join(sorted(f"@{sorted(handles_of(u), key=len)[0]}" for u in staff))
        raise InvalidInputError(
            f"No single team member is called {', '.join(unknown)}; mention one of: {known}."
        )
    return found


@dataclass(frozen=True)
class NoteView:
    """A note as the console shows it: who wrote it, and whom it mentions."""

    note: ConversationNote
    mentions: tuple[str, ...]  # names


async def add_note(
    session: AsyncSession, *, by: User, conversation_id: str, text: str
) -> ConversationNote:
    """Store a note on the conversation and a mention for everyone it @mentions (not the author)."""
    text = text.strip()
    if not text:
        raise InvalidInputError("Write something in the note.")
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInputError(
            f"A note holds at most {MAX_NOTE_CHARS} characters; this one has {len(text)}."
        )
    staff = [u for u in await auth_service.list_staff(session) if u.is_active]
    mentioned = resolve(mentioned_handles(text), staff)
    note = ConversationNote(
        conversation_id=conversation_id, author_id=by.id, author_name=by.name, text=text
    )
    session.add(note)
    await session.flush()
    session.add_all(NoteMention(note_id=note.id, user_id=u.id) for u in mentioned if u.id != by.id)
    await session.flush()
    return note


async def notes_of(session: AsyncSession, conversation_id: str) -> list[NoteView]:
    """The conversation's notes, oldest first, each with the names it mentions."""
    notes = (
        await session.scalars(
            select(ConversationNote)
            .where(ConversationNote.conversation_id == conversation_id)
            .order_by(ConversationNote.created_at, ConversationNote.id)
        )
    ).all()
    if not notes:
        return []
    rows = (
        await session.execute(
            select(NoteMention.note_id, User.name)
            .join(User, User.id == NoteMention.user_id)
            .where(NoteMention.note_id.in_([n.id for n in notes]))
            .order_by(NoteMention.id)
        )
    ).all()
    names: dict[int, list[str]] = {}
    for note_id, name in rows:
        names.setdefault(note_id, []).append(name)
    return [NoteView(n, tuple(names.get(n.id, ()))) for n in notes]


async def unseen_mentions(session: AsyncSession, user: User) -> list[ConversationNote]:
    """Notes that mention ``user`` in conversations they have not opened since, newest first."""
    query = (
        select(ConversationNote)
        .join(NoteMention, NoteMention.note_id == ConversationNote.id)
        .where(NoteMention.user_id == user.id, NoteMention.seen_at.is_(None))
        .order_by(ConversationNote.created_at.desc(), ConversationNote.id.desc())
        .limit(50)
    )
    return list((await session.scalars(query)).all())


def _in_conversation(conversation_id: str) -> Select[int]:
    return select(ConversationNote.id).where(ConversationNote.conversation_id == conversation_id)


async def has_unseen(session: AsyncSession, user: User, conversation_id: str) -> bool:
    """Whether a note in the conversation mentions ``user`` and waits for them (a read)."""
    query = select(NoteMention.id).where(
        NoteMention.user_id == user.id,
        NoteMention.seen_at.is_(None),
        NoteMention.note_id.in_(_in_conversation(conversation_id)),
    )
    return (await session.scalars(query.limit(1))).first() is not None


async def mark_seen(session: AsyncSession, user: User, conversation_id: str) -> None:
    """``user`` has the conversation open: its mentions of them are read (a write)."""
    in_conversation = _in_conversation(conversation_id)
    await session.execute(
        update(NoteMention)
        .where(
            NoteMention.user_id == user.id,
            NoteMention.seen_at.is_(None),
            NoteMention.note_id.in_(in_conversation),
        )
        .values(seen_at=utc_now())
    )
