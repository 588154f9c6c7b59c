"""Replaying labelled dialogs: the same code path as live traffic, nothing left behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.bot import evaluate
from tandem.bot.service import config_from
from tandem.config import Settings
from tandem.conversations.models import Conversation
from tandem.core.errors import InvalidInputError
from tandem.demo import KNOWLEDGE_DIR
from tests.factories import import_demo_knowledge

DIALOGS = KNOWLEDGE_DIR.parent / "dialogs" / "escalation.jsonl"
CONFIG = config_from(Settings(environment="test"))


def _write(tmp_path: Path, *dialogs: dict[str, object]) -> Path:
    path = tmp_path / "dialogs.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in dialogs), encoding="utf-8")
    return path


async def test_each_dialog_reports_whether_when_and_why_it_was_handed_off(
    session: AsyncSession, tmp_path: Path
) -> None:
    await import_demo_knowledge(session)
    path = _write(
        tmp_path,
        {"id": "faq", "turns": ["how long do refunds take?", "thanks!"], "expect_human": False},
        {
            "id": "ask",
            "turns": ["hello", "can I talk to a real person"],
            "expect_human": True,
            "by_turn": 2,
        },
        {
            "id": "repeat",
            "customer": {"recent_contacts": 3},
            "turns": ["my refund again"],
            "expect_human": True,
            "by_turn": 1,
        },
        {
            "id": "vip-problem",
            "customer": {"tier": "vip"},
            "turns": ["two glasses arrived smashed"],
            "expect_human": True,
            "by_turn": 1,
        },
    )
    before = (await session.execute(select(func.count(Conversation.id)))).scalar_one()
    report = await evaluate.evaluate(session, evaluate.read_dialogs(path), config=CONFIG)
    outcomes = {o.id: o for o in report.outcomes}
    assert not outcomes["faq"].handed_off
    assert (outcomes["ask"].turn, outcomes["ask"].reasons) == (2, ["customer_request"])
    assert "repeat_contact" in outcomes["repeat"].reasons
    assert "vip" in outcomes["vip-problem"].reasons
    assert (report.recall, report.precision) == (1.0, 1.0)
    after = (await session.execute(select(func.count(Conversation.id)))).scalar_one()
    assert after == before  # every replay was rolled back


async def test_a_passing_annoyance_stays_with_the_bot_and_fury_reaches_a_person(
    session: AsyncSession, tmp_path: Path
) -> None:
    """The emotion gate: irritation that needs nobody is not a handoff, anger still is."""
    await import_demo_knowledge(session)
    path = _write(
        tmp_path,
        {
            "id": "shrug",
            "turns": ["how long do refunds take?", "Tant pis, je passerai en magasin."],
            "expect_human": False,
        },
        {
            "id": "furious",
            "turns": ["Ich bin stinksauer, das Sofa kam kaputt an und niemand meldet sich."],
            "expect_human": True,
            "by_turn": 1,
        },
    )
    report = await evaluate.evaluate(session, evaluate.read_dialogs(path), config=CONFIG)
    outcomes = {o.id: o for o in report.outcomes}
    assert not outcomes["shrug"].handed_off, outcomes["shrug"].reasons
    assert outcomes["furious"].turn == 1
    assert "negative_emotion" in outcomes["furious"].reasons


async def test_a_closing_after_a_miss_is_not_a_second_miss(
    session: AsyncSession, tmp_path: Path
) -> None:
    """ "all sorted now, thanks" asks nothing: the bot that has no answer for it has not failed."""
    await import_demo_knowledge(session)
    path = _write(
        tmp_path,
        {
            "id": "sorted",
            "turns": [
                "Do you sell garden sheds?",
                "found it in my spam folder, all sorted now, thanks a lot",
            ],
            "expect_human": False,
        },
    )
    report = await evaluate.evaluate(session, evaluate.read_dialogs(path), config=CONFIG)
    assert not report.outcomes[0].handed_off, report.outcomes[0].reasons


def test_a_bad_line_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "turns": ["hi"]}\n{"id": "b", "turns": []}\nnot json\n')
    with pytest.raises(InvalidInputError) as caught:
        evaluate.read_dialogs(path)
    assert "line 2: turns" in caught.value.message
    assert "line 3: not valid JSON" in caught.value.message


async def test_the_shipped_dialogs_reach_the_targets(session: AsyncSession) -> None:
    """Recall ≥ 0.95 and precision ≥ 0.80 for "should reach a person" on our labelled set."""
    await import_demo_knowledge(session)
    dialogs = evaluate.read_dialogs(DIALOGS)
    assert len(dialogs) >= 150
    report = await evaluate.evaluate(session, dialogs, config=CONFIG)
    assert report.recall is not None
    assert report.precision is not None
    assert report.recall >= 0.95, [o.id for o in report.misses()]
    assert report.precision >= 0.80, [o.id for o in report.false_alarms()]
