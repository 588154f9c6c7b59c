"""Several weeks of past conversations for the demo shop, so the dashboards show real patterns.

Seeded and generated in time order: daily peaks (late morning, mid-afternoon), quiet nights,
busy Mondays and calm weekends, slow growth, an AI that gets a little better each week, topics
it handles well and topics it does not, and a team on shifts (Monday-Friday 08-20, Saturday
09-17) with three chats each at most, so handoffs outside opening hours wait for the morning.
Every conversation is finished: nothing generated waits in the live queue.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.analytics import service as analytics_service
from tandem.auth import service as auth_service
from tandem.auth.models import User
from tandem.bot import messages as bot_messages
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
from tandem.core.time import utc_now
from tandem.demo import COMPANY_NAME
from tandem.demo.seed import DEMO_USERS
from tandem.escalation.reasons import ReasonCode
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.models import Article
from tandem.routing import messages as routing_messages
from tandem.routing.models import Handoff, HandoffStatus

ZONE = ZoneInfo("Europe/Amsterdam")
HOURLY = (1, 1, 1, 1, 1, 2, 4, 8, 14, 19, 22, 21, 17, 18, 20, 19, 16, 13, 11, 10, 8, 6, 4, 2)
WEEKDAY = (1.15, 1.05, 1.0, 1.0, 0.95, 0.6, 0.5)
# (agent index in DEMO_USERS, first hour, last hour) per weekday; Sunday is closed.
SHIFTS = dict.fromkeys(range(5), ((0, 8, 16), (1, 12, 20), (2, 9, 17))) | {5: ((1, 9, 17),)}
OPEN_HOURS = dict.fromkeys(range(5), (8, 20)) | {5: (9, 17)}
QUEUE_SLA = {"general": 300, "vip": 120, "care": 180}
CAPACITY = 3  # chats an agent handles at once
# Articles customers ask about most, and how often the bot's answer settles it.
POPULAR = {
    "order-status": (9, 0.72), "tracking-your-order": (9, 0.8), "delivery-times": (8, 0.88),
    "delayed-parcel": (7, 0.45), "how-to-start-a-return": (8, 0.82), "returns-policy": (6, 0.85),
    "refund-processing-times": (7, 0.78), "refund-not-received": (5, 0.35),
    "damaged-on-arrival": (4, 0.3), "missing-items": (3, 0.3), "wrong-item-received": (3, 0.3),
    "cancel-an-order": (4, 0.55), "change-an-order": (4, 0.5), "shipping-costs": (4, 0.9),
    "payment-methods": (3, 0.92), "failed-payments": (3, 0.55), "reset-password": (3, 0.85),
    "lost-parcel": (2, 0.4), "warranty-claim": (2, 0.45), "discount-codes": (3, 0.8),
}  # fmt: skip
ANGRY = ("This is ridiculous, third time I'm asking!!", "Your service is useless. I'm furious.")
SENSITIVE = (
    "Someone used my card to order from you, I didn't make this purchase",
    "My husband passed away and I need to close his account",
    "The lamp overheated and burned my hand",
)
ASK_PERSON = ("Can I talk to a real person please?", "I want to speak to a human")
# What the customer says, why it goes to a person, to which queue, its typical emotional load.
STRAIGHT_TO_A_PERSON = (
    (ANGRY, ReasonCode.NEGATIVE_EMOTION, "general", 0.75),
    (SENSITIVE, ReasonCode.SENSITIVE_TOPIC, "care", 0.85),
    (ASK_PERSON, ReasonCode.CUSTOMER_REQUEST, "general", 0.15),
)
AGENT_LINES = (
    "Thanks for waiting, I've looked into your order and sorted it out for you.",
    "I'm sorry about this. I've arranged a replacement; you'll get an e-mail today.",
    "I've refunded that to your original payment method; it shows within 2 business days.",
)


@dataclass(frozen=True, slots=True)
class HistoryReport:
    conversations: int
    handoffs: int
    start: date
    end: date


class _Team:
    """Who is on shift and how many chats each has open; a handoff goes to whoever is first free."""

    def __init__(self, agents: list[User], rng: random.Random) -> None:
        self.agents = agents
        self.rng = rng
        self.chats: list[list[tuple[datetime, datetime]]] = [[] for _ in agents]

    def _on_shift(self, index: int, moment: datetime) -> datetime | None:
        """Return the first moment from ``moment`` on when the agent is on shift."""
        for _ in range(8):
            local = moment.astimezone(ZONE)
            for agent, first, last in SHIFTS.get(local.weekday(), ()):
                begin = datetime.combine(local.date(), time(first), tzinfo=ZONE)
                end = datetime.combine(local.date(), time(last), tzinfo=ZONE)
                if agent == index and moment < end:
                    return max(moment, begin)
            moment = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=ZONE)
        return None

    def _start(self, index: int, at: datetime) -> datetime | None:
        chats = self.chats[index] = [c for c in self.chats[index] if c[1] > at - timedelta(days=8)]
        moment: datetime | None = at
        while moment is not None:
            moment = self._on_shift(index, moment)
            if moment is None:
                return None
            busy = [end for start, end in chats if start <= moment < end]
            if len(busy) < CAPACITY:
                return moment
            moment = min(busy)
        return None

    def take(self, at: datetime, handle: timedelta) -> tuple[User, datetime, datetime]:
        options = [(s, i) for i in range(len(self.agents)) if (s := self._start(i, at))]
        start, index = min(options, key=lambda o: (o[0], self.rng.random()))
        claimed = start + timedelta(seconds=self.rng.uniform(10, 45))
        self.chats[index].append((claimed, claimed + handle))
        return self.agents[index], claimed, claimed + handle


def _deadline(created: datetime, queue: str) -> datetime:
    local = created.astimezone(ZONE)
    for days in range(8):
        day = local.date() + timedelta(days=days)
        hours = OPEN_HOURS.get(day.weekday())
        if hours is None:
            continue
        opens = datetime.combine(day, time(hours[0]), tzinfo=ZONE)
        closes = datetime.combine(day, time(hours[1]), tzinfo=ZONE)
        if local < closes:
            return max(local, opens) + timedelta(seconds=QUEUE_SLA[queue])
    return created + timedelta(seconds=QUEUE_SLA[queue])


class _Rows:
    """Rows waiting to be written, per table, each dict with the same keys."""

    def __init__(self) -> None:
        self.by_model: dict[type[Any], list[dict[str, Any]]] = {
            model: [] for model in (Conversation, Message, ConversationEvent, Handoff)
        }

    async def write(self, session: AsyncSession) -> None:
        # Tens of thousands of rows, written once: ORM bulk INSERTs (one executemany per
        # table) instead of the unit of work's row-by-row RETURNING, which is ten times slower.
        for model, rows in self.by_model.items():
            if rows:
                await session.execute(insert(model.__table__), rows)
                rows.clear()


class _Writer:
    """Builds one conversation's rows with gapless sequence numbers."""

    def __init__(self, rows: _Rows, rng: random.Random, start: datetime, **kw: Any) -> None:
        self.rows, self.rng, self.now = rows, rng, start
        self.conversation: dict[str, Any] = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "token_hash": f"{rng.getrandbits(256):064x}",
            "created_at": start,
            "topic": None,
            "rating": None,
            "emotional_load": 0.0,
            **kw,
        }
        self.seq = 0

    def wait(self, low: float, high: float) -> datetime:
        self.now += timedelta(seconds=self.rng.uniform(low, high))
        return self.now

    def say(self, author: Author, text: str, *, agent: User | None = None, **data: Any) -> None:
        self.seq += 1
        self.rows.by_model[Message].append(
            {
                "conversation_id": self.conversation["id"],
                "seq": self.seq,
                "author": author,
                "text": text,
                "agent_id": agent.id if agent else None,
                "data": data,
                "created_at": self.now,
                "client_msg_id": f"h{self.seq}" if author is Author.CUSTOMER else None,
            }
        )

    def event(self, kind: EventKind, **data: Any) -> None:
        self.seq += 1
        self.rows.by_model[ConversationEvent].append(
            {
                "conversation_id": self.conversation["id"],
                "seq": self.seq,
                "kind": kind,
                "data": data,
                "created_at": self.now,
            }
        )

    def finish(self, status: ConversationStatus, resolved_at: datetime | None) -> None:
        self.conversation.update(
            status=status, resolved_at=resolved_at, last_seq=self.seq, updated_at=self.now
        )
        self.rows.by_model[Conversation].append(self.conversation)


class _History:
    def __init__(
        self, session: AsyncSession, rng: random.Random, team: _Team, articles: Sequence[Article]
    ) -> None:
        self.session, self.rng, self.team = session, rng, team
        self.rows = _Rows()
        self.articles = {a.slug: a for a in articles}
        self.slugs = sorted(self.articles)
        self.weights = [POPULAR.get(s, (1, 0.7))[0] for s in self.slugs]
        self.handoffs = 0

    def rating(self, *, human: bool, hard: bool) -> int | None:
        if self.rng.random() > (0.5 if human else 0.4):
            return None
        scores = (1, 2, 3, 4, 5)
        weights = (10, 12, 20, 30, 28) if hard else (3, 6, 14, 35, 42)
        return self.rng.choices(scores, weights)[0]

    async def customers(self, count: int) -> list[Customer]:
        """Return who starts each conversation: a quarter are known customers coming back."""
        rng, known, chosen = self.rng, list[Customer](), list[Customer]()
        for _ in range(count):
            if known and rng.random() < 0.25:
                chosen.append(rng.choice(known))
                continue
            tier = Tier.VIP if rng.random() < 0.06 else Tier.STANDARD
            customer = Customer(tier=tier)
            if rng.random() < 0.15:
                n = len(known) + 1
                customer = Customer(
                    email=f"customer{n}@example.com", name=f"Customer {n}", tier=tier
                )
                known.append(customer)
            chosen.append(customer)
            self.session.add(customer)
        await self.session.flush()
        return chosen

    def answer(self, w: _Writer, slug: str) -> None:
        article = self.articles[slug]
        w.wait(0.6, 1.8)
        source = {"title": article.title, "slug": slug, "url": f"/kb/{slug}"}
        confidence = round(self.rng.uniform(0.4, 0.9), 4)
        text = article.body.strip().split("\n\n")[0][:600]
        w.say(Author.BOT, text, kind="answer", confidence=confidence, sources=[source])

    def to_person(self, w: _Writer, reason: ReasonCode, queue: str, load: float) -> datetime:
        """Hand off, then a person claims, replies and resolves; return when it was resolved."""
        rng = self.rng
        created = w.wait(0.5, 1.5)
        handle = timedelta(seconds=min(3600.0, rng.lognormvariate(math.log(420), 0.5)))
        agent, claimed, done = self.team.take(created, handle)
        w.event(EventKind.HANDOFF, reason=reason.value, queue=queue)
        w.say(Author.SYSTEM, "A person from our team will be with you shortly.", kind="handoff")
        w.now = claimed
        w.event(EventKind.ASSIGNED, agent_id=agent.id, agent_name=agent.name)
        w.say(Author.SYSTEM, routing_messages.agent_joined(agent.name))
        first_reply = w.wait(20, 80)
        w.say(Author.AGENT, f"Hi, I'm {agent.name.split()[0]}. Let me look into this.", agent=agent)
        w.wait(40, 120)
        w.say(Author.CUSTOMER, "Thank you.")
        w.now = max(w.now + timedelta(seconds=30), done - timedelta(seconds=20))
        w.say(Author.AGENT, rng.choice(AGENT_LINES), agent=agent)
        w.now = max(w.now, done)
        w.event(EventKind.RESOLVED, agent_id=agent.id)
        w.say(Author.SYSTEM, routing_messages.resolved(), kind="resolved")
        self.rows.by_model[Handoff].append(
            {
                "conversation_id": w.conversation["id"],
                "status": HandoffStatus.RESOLVED,
                "queue": queue,
                "priority": 2 if queue != "general" else int(reason is ReasonCode.NEGATIVE_EMOTION),
                "reason": reason,
                "reasons": [{"code": reason.value, "evidence": "demo history"}],
                "brief": {},
                "created_at": created,
                "claimed_at": claimed,
                "claimed_by": agent.id,
                "first_human_reply_at": first_reply,
                "resolved_at": w.now,
                "emotional_load": load,
                "sla_deadline": _deadline(created, queue),
            }
        )
        w.conversation["emotional_load"] = max(w.conversation["emotional_load"], load)
        self.handoffs += 1
        return w.now

    def conversation(self, start: datetime, week: int, customer: Customer) -> None:
        rng = self.rng
        channel = "email" if rng.random() < 0.12 else "web"
        w = _Writer(self.rows, rng, start, channel=channel, customer_id=customer.id)
        w.event(EventKind.STARTED, channel=channel)
        w.say(Author.BOT, bot_messages.greeting(COMPANY_NAME), kind="greeting")
        w.wait(5, 40)
        roll = rng.random()
        if roll < 0.1:  # angry, a sensitive topic, or a person at once: no bot reply
            texts, reason, queue, load = rng.choice(STRAIGHT_TO_A_PERSON)
            w.say(Author.CUSTOMER, rng.choice(texts))
            load = min(1.0, max(0.0, rng.gauss(load, 0.1)))
            resolved = self.to_person(w, reason, queue, load)
            hard = load >= 0.6
            w.conversation["rating"] = self.rating(human=True, hard=hard)
            w.finish(ConversationStatus.RESOLVED, resolved)
            return
        slug = rng.choices(self.slugs, self.weights)[0]
        article = self.articles[slug]
        w.conversation["topic"] = slug
        opener = rng.choice(("", "Hi, ", "Hello! ", "Quick question: "))
        question = article.title if not opener else article.title[0].lower() + article.title[1:]
        w.say(Author.CUSTOMER, opener + question)
        self.answer(w, slug)
        success = POPULAR.get(slug, (1, 0.7))[1] + 0.012 * week
        if customer.tier is Tier.VIP and rng.random() < 0.35:
            w.wait(10, 40)
            w.say(Author.CUSTOMER, "That doesn't solve it, my order has a problem.")
            resolved = self.to_person(w, ReasonCode.VIP, "vip", rng.uniform(0.1, 0.4))
            w.conversation["rating"] = self.rating(human=True, hard=False)
            w.finish(ConversationStatus.RESOLVED, resolved)
        elif rng.random() < success:
            w.wait(15, 90)
            if rng.random() < 0.3:  # satisfied, but leaves without saying so
                w.finish(ConversationStatus.BOT, None)
                return
            w.say(Author.CUSTOMER, rng.choice(("Thanks!", "Great, thank you", "Perfect")))
            w.wait(2, 20)
            w.event(EventKind.RESOLVED, by="customer")
            closed = w.now
            if rng.random() < 0.04:  # back within the week: it was not really solved
                w.now += timedelta(days=rng.uniform(0.5, 5))
                w.say(Author.CUSTOMER, "It still hasn't arrived, I need help.")
                w.event(EventKind.REOPENED)
                closed = self.to_person(w, ReasonCode.CUSTOMER_REQUEST, "general", 0.3)
            else:
                w.conversation["rating"] = self.rating(human=False, hard=False)
            w.finish(ConversationStatus.RESOLVED, closed)
        else:
            w.wait(10, 60)
            w.say(Author.CUSTOMER, "That's not what I asked.")
            w.wait(0.5, 1.5)
            w.say(Author.BOT, bot_messages.not_sure(has_suggestions=False), kind="not_sure")
            if rng.random() < 0.1:
                w.finish(ConversationStatus.BOT, None)
                return
            w.wait(5, 30)
            reason = rng.choice((ReasonCode.REPEATED_FAILURE, ReasonCode.CUSTOMER_REQUEST))
            w.say(Author.CUSTOMER, rng.choice(ASK_PERSON))
            resolved = self.to_person(w, reason, "general", rng.uniform(0.2, 0.55))
            w.conversation["rating"] = self.rating(human=True, hard=False)
            w.finish(ConversationStatus.RESOLVED, resolved)


def _starts(rng: random.Random, first: date, days: int, daily: float) -> list[datetime]:
    starts = []
    hours = range(24)
    for offset in range(days):
        day = first + timedelta(days=offset)
        expected = daily * WEEKDAY[day.weekday()] * (1 + 0.015 * offset / 7)
        count = max(0, round(rng.gauss(expected, math.sqrt(expected) * 1.5)))
        for hour in rng.choices(hours, HOURLY, k=count):
            local = datetime.combine(day, time(hour), tzinfo=ZONE)
            starts.append(local + timedelta(seconds=rng.uniform(0, 3600)))
    return sorted(starts)


async def generate_history(
    session: AsyncSession, *, until: date, weeks: int = 6, daily: float = 140, seed: int = 2026
) -> HistoryReport | None:
    """Add ``weeks`` of conversations ending the day before ``until``; None if any exist.

    Precondition: the demo users and knowledge base are seeded.
    """
    if await analytics_service.has_conversations(session):
        return None
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    agents = [await auth_service.find_user(session, u.email) for u in DEMO_USERS[:3]]
    team = _Team([a for a in agents if a is not None], rng)
    history = _History(session, rng, team, await knowledge_service.list_articles(session))
    first = until - timedelta(days=7 * weeks)
    starts = _starts(rng, first, 7 * weeks, daily)
    customers = await history.customers(len(starts))
    for number, (start, customer) in enumerate(zip(starts, customers, strict=True)):
        history.conversation(start, (start.date() - first).days // 7, customer)
        if number % 500 == 499:
            await history.rows.write(session)
    await history.rows.write(session)
    return HistoryReport(len(starts), history.handoffs, first, until)


async def seed_history(session: AsyncSession) -> HistoryReport | None:
    """Give a new demo database six weeks of history, up to yesterday (demo shop time)."""
    return await generate_history(session, until=utc_now().astimezone(ZONE).date())
