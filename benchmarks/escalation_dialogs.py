"""Who reaches a person: replay the labelled demo dialogs through the live code path.

Sets up a fresh SQLite database with the demo shop, replays every conversation of
`src/tandem/demo/dialogs/escalation.jsonl` (or --data FILE) exactly as `tandem eval dialogs`
does, and prints recall and precision for "should reach a person" (targets: recall >= 0.95,
precision >= 0.80), per-category results, handoff reasons and the time per customer turn.

Usage: .venv/bin/python benchmarks/escalation_dialogs.py [--data FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

from demo_database import demo_database

from tandem.bot import evaluate
from tandem.bot.service import config_from
from tandem.config import Settings
from tandem.core.db import begin_write
from tandem.demo import KNOWLEDGE_DIR

DIALOGS = KNOWLEDGE_DIR.parent / "dialogs" / "escalation.jsonl"


def read_all(path: Path) -> list[evaluate.Dialog]:
    """Read one dialogs file, or every ``*.jsonl`` of a folder (the blind set is per language)."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    return [
        # A per-language folder names the language by file (de.jsonl) when a dialog does not.
        d
        if getattr(d, "lang", None) or not path.is_dir()
        else d.model_copy(update={"lang": f.stem})
        for f in files
        for d in evaluate.read_dialogs(f)
    ]


def _table(title: str, groups: dict[str, list[evaluate.Outcome]]) -> None:
    header = f"{'n':>4} {'correct':>8} {'recall':>7} {'handed off':>10} {'median turn':>12}"
    print(f"\n{title:<20} {header}")
    for name, outcomes in sorted(groups.items()):
        correct = sum(o.in_time == bool(o.expect_human) for o in outcomes)
        positives = [o for o in outcomes if o.expect_human]
        recall = f"{sum(o.in_time for o in positives) / len(positives):.3f}" if positives else "-"
        handed_off = sum(o.handed_off for o in outcomes)
        handed = [o.turn for o in outcomes if o.turn is not None]
        median = f"{statistics.median(handed):.0f}" if handed else "-"
        print(
            f"{name:<20} {len(outcomes):>4} {correct:>8} {recall:>7} {handed_off:>10} {median:>12}"
        )


async def run(path: Path) -> None:
    dialogs = read_all(path)
    async with demo_database() as db:
        config = config_from(Settings(database_url=db.url, environment="test"))
        started = time.perf_counter()
        async with db.factory() as session:
            await begin_write(session)
            report = await evaluate.evaluate(session, dialogs, config=config)
            await session.rollback()
        elapsed = time.perf_counter() - started

    turns = sum(o.turn or len(d.turns) for o, d in zip(report.outcomes, dialogs, strict=True))
    print(f"Escalation dialogs: {path.name}, {len(dialogs)} conversations, {turns} customer turns")
    print(evaluate.summary(report))
    print(f"time per customer turn (incl. setup of each dialog): {elapsed / turns * 1000:.1f} ms")
    by_category: dict[str, list[evaluate.Outcome]] = defaultdict(list)
    by_language: dict[str, list[evaluate.Outcome]] = defaultdict(list)
    for outcome, dialog in zip(report.outcomes, dialogs, strict=True):
        by_category[outcome.category or "-"].append(outcome)
        by_language[str(getattr(dialog, "lang", None) or "-")].append(outcome)
    _table("category", by_category)
    if len(by_language) > 1:
        _table("language", by_language)
    routine = [o for o in report.outcomes if o.expect_human is False]
    if routine:
        share = sum(o.handed_off for o in routine) / len(routine)
        print(f"\nroutine conversations handed off: {share:.1%} (target at most 5%)")
        why = Counter(r for o in routine if o.handed_off for r in o.reasons).most_common()
        print("routine handed off by reason: " + ", ".join(f"{k} {v}" for k, v in why))
    misses = [o for o in report.outcomes if o.expect_human and not o.in_time]
    false_alarms = [o for o in report.outcomes if o.expect_human is False and o.handed_off]
    print(f"missed: {len(misses)}; routine handed off: {len(false_alarms)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DIALOGS)
    asyncio.run(run(parser.parse_args().data))


if __name__ == "__main__":
    main()
