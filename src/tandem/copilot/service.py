"""Gather what the brief and the live suggestions need; manage saved replies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.conversations import service as conversation_service
from tandem.conversations.models import (
    Author,
    Conversation,
    ConversationStatus,
    Customer,
    Message,
)
from tandem.copilot import repository
from tandem.copilot.brief import CustomerFacts, PastConversation, Turn, build_brief
from tandem.copilot.facts import extract_facts, mask_contacts
from tandem.copilot.models import Macro
from tandem.copilot.suggest import (
    SITUATION_TURNS,
    ResolvedCase,
    Suggestion,
    bare_abuse,
    from_past_cases,
    rank_for_situation,
    render_macro,
    situation_queries,
)
from tandem.core.errors import ConflictError, NotFoundError
from tandem.core.time import utc_now
from tandem.escalation.policy import Decision
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.service import ArticleRef

HISTORY = 3  # earlier conversations summarised in the brief
BRIEF_MESSAGES = 60  # the latest messages a brief reads
HISTORY_MESSAGES = 20
PAST_CASES = 500  # resolved conversations searched for similar cases
KNOWLEDGE_SUGGESTIONS = 3
# Articles less likely than this to answer are not suggested: the line under which the bot does
# not offer an article to a customer either (TANDEM_SUGGEST_THRESHOLD's default).
MIN_ARTICLE_SCORE = 0.2


def to_turns(messages: Sequence[Message]) -> list[Turn]:
    """Read stored messages as the brief's turns, with the signals kept for customer turns."""
    return [
        Turn(
            author=m.author.value,
            text=m.text,
            kind=_kind(m.data),
            # What an answer came from, or the articles a clarifying question offered.
            source_titles=tuple(
                s["title"] for s in m.data.get("sources") or m.data.get("suggestions") or []
            ),
            signals=m.data.get("signals", {}),
        )
        for m in messages
    ]


def _kind(data: Mapping[str, Any]) -> str | None:
    kind = data.get("kind")
    return "tentative" if kind == "answer" and data.get("tentative") else kind


def _outcome(conversation: Conversation, turns: Sequence[Turn]) -> str:
    if conversation.closed_reason:
        return "ended by an agent"
    if conversation.status is not ConversationStatus.RESOLVED:
        return "still open"
    if any(t.author == "agent" for t in turns):
        return "resolved by a person"
    return "resolved by the bot"


async def _history(session: AsyncSession, conversation: Conversation) -> list[PastConversation]:
    earlier = await conversation_service.previous_conversations(
        session, conversation, limit=HISTORY
    )
    history = []
    for past in earlier:  # at most HISTORY queries, whatever the conversation's length
        messages = await conversation_service.recent_messages(
            session, past.id, limit=HISTORY_MESSAGES
        )
        turns = tuple(to_turns(messages))
        history.append(PastConversation(past.created_at, _outcome(past, turns), turns))
    return history


async def brief_for_handoff(
    session: AsyncSession,
    conversation: Conversation,
    customer: Customer,
    *,
    decision: Decision,
    sentiment: str | None,
) -> dict[str, Any]:
    """Return the brief for a conversation being handed off, with an extractive summary.

    A configured model words the summary afterwards, in a job (``bot.summaries``).
    """
    messages = await conversation_service.recent_messages(
        session, conversation.id, limit=BRIEF_MESSAGES
    )
    previous = await conversation_service.previous_conversations(session, conversation, limit=20)
    facts = CustomerFacts(
        name=customer.name or conversation.contact_name,
        email=customer.email or conversation.contact_email,
        tier=customer.tier.value,
        verified=conversation.identity_verified,
        previous_conversations=len(previous),
    )
    reasons = [(r.code.value, r.evidence) for r in decision.reasons]
    return build_brief(
        to_turns(messages),
        reasons=reasons,
        customer=facts,
        sentiment=sentiment,
        history=await _history(session, conversation),
    )


async def turns_until(
    session: AsyncSession, conversation_id: str, *, until: datetime
) -> list[Turn]:
    """The conversation's turns up to ``until`` (a handoff's time): what its brief read."""
    messages = await conversation_service.recent_messages(
        session, conversation_id, limit=BRIEF_MESSAGES
    )
    return to_turns([m for m in messages if m.created_at <= until])


@dataclass(frozen=True, slots=True)
class MacroView:
    id: int
    title: str
    text: str  # variables filled in for this conversation


@dataclass(frozen=True, slots=True)
class Suggestions:
    """What the side panel shows for the latest customer message."""

    latest: str | None
    articles: list[ArticleRef]
    replies: list[Suggestion]
    macros: list[MacroView]


def _about_the_problem(message: Message) -> bool:
    data = message.data
    return not data.get("signals", {}).get("human_request") and not data.get("reading", {}).get(
        "small_talk"
    )


def _only_abuse(message: Message) -> bool:
    return bare_abuse(message.data.get("reading", {}).get("scores", {}))


def _cases(rows: Sequence[tuple[str, Author, str]]) -> list[ResolvedCase]:
    asked: dict[str, list[str]] = {}
    replies: dict[str, list[str]] = {}
    for conversation_id, author, text in rows:
        if author is Author.AGENT:
            replies.setdefault(conversation_id, []).append(text)
        elif conversation_id not in replies:  # what the customer said before a person answered
            asked.setdefault(conversation_id, []).append(text)
    return [
        ResolvedCase(cid, " ".join(texts), tuple(replies.get(cid, ())))
        for cid, texts in asked.items()
    ]


async def suggestions_for(
    session: AsyncSession, conversation: Conversation, *, agent: User, customer: Customer
) -> Suggestions:
    """Suggest articles, replies and filled-in macros for the situation so far.

    Articles are looked up for each of the customer's recent statements and the last two read
    together, so the problem stated before "hello??" or "can I talk to a person" still leads,
    and a follow-up ("and after 40 days?") is read with its question.
    """
    messages = await conversation_service.recent_messages(
        session, conversation.id, limit=BRIEF_MESSAGES
    )
    customer_turns = [m for m in messages if m.author is Author.CUSTOMER]
    said = [m.text for m in customer_turns]
    # A request for a person, small talk or bare abuse says nothing about the problem; without
    # anything else, the last message is looked up, unless it is bare abuse.
    relevant = [m for m in customer_turns if _about_the_problem(m) and not _only_abuse(m)]
    last = [m for m in customer_turns[-1:] if not _only_abuse(m)]
    statements = [m.text for m in relevant or last]
    latest = statements[-1] if statements else None
    articles: list[ArticleRef] = []
    replies: list[Suggestion] = []
    if statements:
        retrievals = [
            await knowledge_service.retrieve(session, query)
            for query in situation_queries(statements)
        ]
        articles = rank_for_situation(
            [r.articles for r in retrievals],
            limit=KNOWLEDGE_SUGGESTIONS,
            min_score=MIN_ARTICLE_SCORE,
        )
        rows = await repository.resolved_exchanges(session, conversations=PAST_CASES)
        cases = [c for c in _cases(rows) if c.conversation_id != conversation.id]
        replies = from_past_cases(" ".join(statements[-SITUATION_TURNS:]), cases)
        top = articles[0].slug if articles else None
        best = next((r.best for r in retrievals if r.best and r.best.passage.slug == top), None)
        if best is not None:
            source = f"the article “{best.passage.title}”"
            replies.append(Suggestion(best.passage.text, source, round(best.score, 2)))
    orders = [f.value for f in extract_facts(said) if f.kind == "order_number"]
    values = {
        "customer_name": customer.name or conversation.contact_name,
        "agent_name": agent.name,
        "order_number": orders[-1] if orders else None,
    }
    macros = [
        MacroView(m.id, m.title, render_macro(m.body, values))
        for m in await repository.list_macros(session)
    ]
    shown = mask_contacts(latest) if latest else None
    return Suggestions(shown, articles, replies, macros)


async def list_macros(session: AsyncSession) -> Sequence[Macro]:
    return await repository.list_macros(session)


async def do_create_macro(session: AsyncSession, *, title: str, body: str, by: User) -> Macro:
    """Save a reply; titles are unique (409 otherwise)."""
    if await repository.find_macro(session, title.strip()) is not None:
        raise ConflictError("A saved reply with this title exists; choose another title.")
    now = utc_now()
    macro = Macro(
        title=title.strip(), body=body.strip(), created_by=by.id, created_at=now, updated_at=now
    )
    session.add(macro)
    await session.flush()
    return macro


async def do_delete_macro(session: AsyncSession, macro_id: int) -> None:
    macro = await repository.get_macro(session, macro_id)
    if macro is None:
        raise NotFoundError("There is no such saved reply; reload the page.")
    await session.delete(macro)
    await session.flush()
