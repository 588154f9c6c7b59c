"""Do the console's article suggestions fit the situation? Replay labelled handoffs and score.

Sets up a fresh SQLite database with the demo shop, replays each situation's customer messages
through the bot exactly as live traffic (the turns after a handoff are read too, as they are
while a customer waits), then asks the console's side panel for its article suggestions and
compares them with the articles a person labelled as useful for that situation.

Printed: hit@1 (the first article shown is a useful one) and hit@3 (one of those shown is) over
the situations that have a useful article; for the situations where no article helps, how
often the panel stays quiet; the precision of everything shown; each per kind and language.

Usage: .venv/bin/python benchmarks/suggestions.py [--data FILE] [--show-misses]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from demo_database import demo_database
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.bot import service as bot_service
from tandem.bot.service import BotConfig, config_from
from tandem.config import Settings
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Tier
from tandem.copilot import service as copilot_service
from tandem.core.db import begin_write

DATA = Path(__file__).parent / "data" / "suggestions_blind" / "situations.jsonl"
AGENT_EMAIL = "ana@pebbleandpine.example"


@dataclass(frozen=True, slots=True)
class Situation:
    id: str
    lang: str
    kind: str
    turns: list[str]
    relevant: list[str]


@dataclass(frozen=True, slots=True)
class Scored:
    situation: Situation
    shown: list[str]
    seconds: float

    @property
    def hit1(self) -> bool:
        return bool(self.shown) and self.shown[0] in self.situation.relevant

    @property
    def hit3(self) -> bool:
        return any(slug in self.situation.relevant for slug in self.shown)

    @property
    def useful_shown(self) -> int:
        return sum(slug in self.situation.relevant for slug in self.shown)


def read(path: Path) -> list[Situation]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        Situation(r["id"], r["lang"], r["kind"], list(r["turns"]), list(r["relevant"]))
        for r in rows
    ]


async def _score(
    session: AsyncSession, situation: Situation, agent: User, config: BotConfig
) -> Scored:
    customer = await conversation_service.create_customer(
        session, tier=Tier.STANDARD, attributes={}
    )
    conversation, _token = await bot_service.start(
        session, identity=None, identity_secret=None, config=config, customer=customer
    )
    for number, text in enumerate(situation.turns, start=1):
        await bot_service.receive(
            session, conversation, text=text, client_msg_id=f"s-{number}", config=config
        )
    started = time.perf_counter()
    panel = await copilot_service.suggestions_for(
        session, conversation, agent=agent, customer=customer
    )
    elapsed = time.perf_counter() - started
    return Scored(situation, [article.slug for article in panel.articles], elapsed)


async def replay(path: Path) -> list[Scored]:
    situations = read(path)
    scored: list[Scored] = []
    async with demo_database() as db:
        config = config_from(Settings(database_url=db.url, environment="test"))
        async with db.factory() as session:
            await begin_write(session)
            agent = (await session.scalars(select(User).where(User.email == AGENT_EMAIL))).one()
            for situation in situations:
                async with session.begin_nested() as savepoint:
                    scored.append(await _score(session, situation, agent, config))
                    await savepoint.rollback()
            await session.rollback()
    return scored


def _share(hits: int, total: int) -> str:
    return f"{hits / total:.1%} ({hits}/{total})" if total else "-"


def _table(title: str, groups: dict[str, list[Scored]]) -> None:
    print(f"\n{title:<20} {'n':>4} {'hit@1':>16} {'hit@3':>16} {'quiet when none':>18}")
    for name, rows in sorted(groups.items()):
        labelled = [r for r in rows if r.situation.relevant]
        none = [r for r in rows if not r.situation.relevant]
        print(
            f"{name:<20} {len(rows):>4} "
            f"{_share(sum(r.hit1 for r in labelled), len(labelled)):>16} "
            f"{_share(sum(r.hit3 for r in labelled), len(labelled)):>16} "
            f"{_share(sum(not r.shown for r in none), len(none)):>18}"
        )


def report(scored: list[Scored], *, name: str, show_misses: bool) -> None:
    labelled = [r for r in scored if r.situation.relevant]
    none = [r for r in scored if not r.situation.relevant]
    shown = sum(len(r.shown) for r in scored)
    useful = sum(r.useful_shown for r in scored)
    print(f"Suggestions: {name}, {len(scored)} situations")
    print(f"hit@1: {_share(sum(r.hit1 for r in labelled), len(labelled))}")
    print(f"hit@3: {_share(sum(r.hit3 for r in labelled), len(labelled))}")
    print(f"quiet when no article helps: {_share(sum(not r.shown for r in none), len(none))}")
    print(f"precision of the articles shown: {_share(useful, shown)}")
    times = [r.seconds * 1000 for r in scored]
    print(f"panel time: median {statistics.median(times):.1f} ms")
    by_kind: dict[str, list[Scored]] = defaultdict(list)
    by_language: dict[str, list[Scored]] = defaultdict(list)
    for row in scored:
        by_kind[row.situation.kind].append(row)
        by_language["en" if row.situation.lang == "en" else "other languages"].append(row)
    _table("kind", by_kind)
    _table("language", by_language)
    if show_misses:
        print()
        for row in scored:
            if (row.situation.relevant and not row.hit3) or (
                not row.situation.relevant and row.shown
            ):
                print(
                    f"{row.situation.id} {row.situation.kind}: want {row.situation.relevant}, "
                    f"shown {row.shown}; {row.situation.turns}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    scored = asyncio.run(replay(args.data))
    report(scored, name=args.data.parent.name, show_misses=args.show_misses)


if __name__ == "__main__":
    main()
