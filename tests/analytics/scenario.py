"""A small week of conversations whose every metric is computed by hand in the tests.

The week starts on Monday 2 March 2026 at 09:00 UTC (T0). Eight conversations fall in it,
one the day before (outside every report of the week):

=====  =========================================================  =========  ==========
 id    story                                                       topic      outcome
=====  =========================================================  =========  ==========
 c0    day before the week: answered and closed                    refunds    (outside)
 c1    refund question answered, customer closes after 60 s, 5/5   refunds    AI
 c2    delivery question answered, customer leaves                 order_status unresolved
 c3    VIP, bot not sure, a person replies 120 s after handoff,    shipping   human
       resolves; handle 660 s; 3/5
 c4    angry at once, person replies after 300 s (just by the      other      human
       deadline routing recorded), handle 840 s, 2/5 with a comment
       that looks like a spreadsheet formula
 c5    answered, closed after 100 s, reopened two days later       refunds    unresolved
 c6    answered, closed after 200 s, 4/5; same customer writes     shipping   AI
       again 3 days later (c7), so not a first-contact resolution
 c7    the same customer, answered, never closed                   shipping   unresolved
 c8    e-mail, asks for a person at once, nobody replied yet       other      human
=====  =========================================================  =========  ==========
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.conversations.models import (
    Author,
    Conversation,
    ConversationEvent,
    ConversationStatus,
    Customer,
    EventKind,
    Message,
    Tier,
)
from tandem.escalation.reasons import ReasonCode
from tandem.knowledge.models import Article
from tandem.routing.models import Handoff, HandoffStatus
from tests.factories import create_agent

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WEEK_END = T0 + timedelta(days=7)
NOW = WEEK_END
REFUNDS = {"title": "How long do refunds take?", "slug": "refund-processing-times", "url": "/kb/x"}
DELIVERY = {"title": "How long does delivery take?", "slug": "delivery-times", "url": "/kb/y"}
FORMULA_COMMENT = '=HYPERLINK("http://evil.example")'


@dataclass
class Scenario:
    ana: User
    ben: User
    ids: dict[str, str]  # c1 -> conversation id


def _s(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


class _Builder:
    def __init__(self, session: AsyncSession, name: str, start: datetime, **fields: Any) -> None:
        self.session = session
        self.seq = itertools.count(1)
        self.start = start
        self.conversation = Conversation(
            id=f"00000000-0000-4000-8000-{name.rjust(12, '0')}",
            channel=fields.pop("channel", "web"),
            token_hash="0" * 64,
            created_at=start,
            updated_at=start,
            **fields,
        )
        session.add(self.conversation)

    def event(self, kind: EventKind, at: float, **data: Any) -> None:
        self.session.add(
            ConversationEvent(
                conversation_id=self.conversation.id,
                seq=next(self.seq),
                kind=kind,
                data=data,
                created_at=self.start + _s(at),
            )
        )

    def say(self, author: Author, at: float, text: str = "…", **data: Any) -> datetime:
        when = self.start + _s(at)
        self.session.add(
            Message(
                conversation_id=self.conversation.id,
                seq=next(self.seq),
                author=author,
                text=text,
                data=data,
                created_at=when,
            )
        )
        return when

    def greet(self) -> None:
        self.event(EventKind.STARTED, 0)
        self.say(Author.BOT, 0, "Hi! I'm an AI.", kind="greeting")


async def build(session: AsyncSession) -> Scenario:
    """Insert the articles, two agents, the customers and the nine conversations."""
    for slug, tags in (("refund-processing-times", ["refunds"]), ("delivery-times", ["shipping"])):
        session.add(Article(slug=slug, title=slug, body="…", tags=tags, content_hash="x"))
    ana = await create_agent(session, name="Ana")
    ben = await create_agent(session, name="Ben")
    anonymous = [Customer(tier=Tier.STANDARD) for _ in range(7)]
    vip = Customer(tier=Tier.VIP, email="vip@example.com")
    returning = Customer(tier=Tier.STANDARD, email="back@example.com")
    session.add_all([*anonymous, vip, returning])
    await session.flush()
    ids: dict[str, str] = {}

    def new(name: str, start: datetime, customer: Customer, **fields: Any) -> _Builder:
        builder = _Builder(session, name, start, customer_id=customer.id, **fields)
        ids[name] = builder.conversation.id
        return builder

    c0 = new("c0", T0 - timedelta(days=1), anonymous[0], status=ConversationStatus.RESOLVED)
    c0.greet()
    c0.say(Author.CUSTOMER, 5)
    c0.say(Author.BOT, 6, kind="answer", sources=[REFUNDS])
    c0.event(EventKind.RESOLVED, 30, by="customer")

    c1 = new("c1", T0, anonymous[1], status=ConversationStatus.RESOLVED, rating=5)
    c1.greet()
    c1.say(Author.CUSTOMER, 10)
    c1.say(Author.BOT, 11, kind="answer", sources=[REFUNDS])
    c1.event(EventKind.RESOLVED, 60, by="customer")

    c2 = new("c2", T0 + timedelta(hours=1), anonymous[2], topic="order_status")
    c2.greet()
    c2.say(Author.CUSTOMER, 5)
    c2.say(Author.BOT, 7, kind="answer", sources=[DELIVERY])

    c3 = new("c3", T0 + timedelta(hours=2), vip, status=ConversationStatus.RESOLVED, rating=3)
    c3.greet()
    c3.say(Author.CUSTOMER, 10)
    c3.say(Author.BOT, 12, kind="not_sure", suggestions=[DELIVERY])
    c3.say(Author.CUSTOMER, 30, "a person please")
    c3.event(EventKind.HANDOFF, 31)
    c3.say(Author.SYSTEM, 31, "You're next in line.", kind="handoff")
    c3.event(EventKind.ASSIGNED, 91)
    c3_reply = c3.say(Author.AGENT, 151, "Hello, Ana here.")
    c3.event(EventKind.RESOLVED, 751, agent_id=ana.id)
    _handoff(
        session, c3, 31, "vip", ReasonCode.VIP, ana, claimed=91, reply=c3_reply, done=751, load=0.2
    )

    c4_start = T0 + timedelta(hours=3)
    c4 = new("c4", c4_start, anonymous[3], status=ConversationStatus.RESOLVED, rating=2)
    c4.conversation.rating_comment = FORMULA_COMMENT
    c4.greet()
    c4.say(Author.CUSTOMER, 5, "this is useless!!")
    c4.event(EventKind.HANDOFF, 6)
    c4.say(Author.SYSTEM, 6, "Sorry; a person is coming.", kind="handoff")
    c4.say(Author.CUSTOMER, 60, "hello??")  # waiting: the first response is still the agent's
    c4_reply = c4.say(Author.AGENT, 306, "Ben here, sorry about that.")
    c4.event(EventKind.RESOLVED, 906, agent_id=ben.id)
    _handoff(
        session,
        c4,
        6,
        "general",
        ReasonCode.NEGATIVE_EMOTION,
        ben,
        claimed=66,
        reply=c4_reply,
        done=906,
        load=0.8,
        deadline=306,  # the general queue's 300 s, recorded by routing
    )

    c5 = new("c5", T0 + timedelta(days=1), anonymous[4])
    c5.greet()
    c5.say(Author.CUSTOMER, 10)
    c5.say(Author.BOT, 11, kind="answer", sources=[REFUNDS])
    c5.event(EventKind.RESOLVED, 100, by="customer")
    c5.say(Author.CUSTOMER, 2 * 86400, "it still has not arrived")
    c5.event(EventKind.REOPENED, 2 * 86400)

    c6 = new("c6", T0 + timedelta(days=2), returning, status=ConversationStatus.RESOLVED, rating=4)
    c6.greet()
    c6.say(Author.CUSTOMER, 10)
    c6.say(Author.BOT, 20, kind="answer", sources=[DELIVERY])
    c6.event(EventKind.RESOLVED, 200, by="customer")

    c7 = new("c7", T0 + timedelta(days=5), returning, topic="delivery-times")
    c7.greet()
    c7.say(Author.CUSTOMER, 10)
    c7.say(Author.BOT, 13, kind="answer", sources=[REFUNDS])

    c8 = new("c8", T0 + timedelta(days=6), anonymous[5], channel="email")
    c8.conversation.status = ConversationStatus.WAITING
    c8.event(EventKind.STARTED, 0)
    c8.say(Author.CUSTOMER, 5, "I want a person")
    c8.event(EventKind.HANDOFF, 10)
    _handoff(session, c8, 10, "general", ReasonCode.CUSTOMER_REQUEST, None)

    for builder in (c0, c1, c2, c3, c4, c5, c6, c7, c8):
        builder.conversation.last_seq = next(builder.seq) - 1
    await session.flush()
    return Scenario(ana=ana, ben=ben, ids=ids)


def _handoff(
    session: AsyncSession,
    builder: _Builder,
    at: float,
    queue: str,
    reason: ReasonCode,
    agent: User | None,
    *,
    claimed: float | None = None,
    reply: datetime | None = None,
    done: float | None = None,
    load: float = 0.0,
    deadline: float | None = None,
) -> None:
    start = builder.start
    session.add(
        Handoff(
            conversation_id=builder.conversation.id,
            status=HandoffStatus.RESOLVED if done is not None else HandoffStatus.WAITING,
            queue=queue,
            reason=reason,
            reasons=[{"code": reason.value, "evidence": "test"}],
            created_at=start + _s(at),
            claimed_at=start + _s(claimed) if claimed is not None else None,
            claimed_by=agent.id if agent else None,
            first_human_reply_at=reply,
            resolved_at=start + _s(done) if done is not None else None,
            emotional_load=load,
            sla_deadline=start + _s(deadline) if deadline is not None else None,
        )
    )
