"""The audit over the database: articles, bot answers, "not sure" replies and handoffs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, EventKind
from tandem.knowledge import audit as audit_module
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.audit import audit_knowledge, question_before
from tandem.knowledge.quality import usage
from tandem.knowledge.quality.findings import Finding, FindingKind
from tests.factories import write_article


async def _conversation(
    session: AsyncSession,
    turns: list[tuple[Author, str, dict[str, object]]],
    *,
    handoff: str | None = None,
) -> None:
    conversation, _, _ = await conversation_service.start_conversation(
        session, identity=None, identity_secret=None
    )
    for author, text, data in turns:
        await conversation_service.append_message(
            session, conversation, author=author, text=text, data=data
        )
    if handoff:
        await conversation_service.append_event(
            session, conversation, kind=EventKind.HANDOFF, data={"reason": handoff}
        )


def _answer(slug: str) -> tuple[Author, str, dict[str, object]]:
    return (Author.BOT, "answer", {"kind": "answer", "sources": [{"slug": slug, "title": slug}]})


NOT_SURE: tuple[Author, str, dict[str, object]] = (Author.BOT, "?", {"kind": "not_sure"})


async def test_audit_reports_unused_articles_poor_resolution_and_gaps(
    session: AsyncSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(usage, "MIN_ANSWERS_FOR_UNUSED", 3)
    write_article(tmp_path, "refunds", title="Refunds", body="Refunds take 5 business days.")
    write_article(tmp_path, "parrots", title="Parrots", body="We sell no parrots at all.")
    write_article(tmp_path, "lamps", title="Lamps", body="Lamps come with a bulb included.")
    write_article(tmp_path, "receipts", title="Receipts", body="Receipts are e-mailed to you.")
    await knowledge_service.import_folder(session, tmp_path)

    for _ in range(2):
        await _conversation(session, [(Author.CUSTOMER, "refund?", {}), _answer("refunds")])
    # A written answer citing two articles uses both.
    two = _answer("refunds")
    two[2]["sources"] = [{"slug": "refunds"}, {"slug": "receipts"}]
    await _conversation(session, [(Author.CUSTOMER, "refund receipt?", {}), two])
    # Every lamp answer ends with a person: the article does not resolve.
    for _ in range(5):
        await _conversation(
            session, [(Author.CUSTOMER, "lamp?", {}), _answer("lamps")], handoff="customer_asked"
        )
    await _conversation(session, [(Author.CUSTOMER, "do you sell christmas trees", {}), NOT_SURE])
    await _conversation(
        session,
        [(Author.CUSTOMER, "do you sell real christmas trees?", {}), NOT_SURE, NOT_SURE],
        handoff="repeated_failure",
    )
    await _conversation(
        session, [(Author.CUSTOMER, "are christmas trees for sale", {})], handoff="low_confidence"
    )
    await _conversation(
        session, [(Author.CUSTOMER, "I want a person", {})], handoff="customer_asked"
    )

    findings = await audit_knowledge(session, max_age_days=365)
    unused = {f.articles[0]: f.detail for f in findings if f.kind is FindingKind.UNUSED}
    assert set(unused) == {"Parrots", "Lamps"}
    assert "never used" in unused["Parrots"]
    assert "100%" in unused["Lamps"]
    gaps = [f for f in findings if f.kind is FindingKind.GAP]
    assert len(gaps) == 1
    assert gaps[0].detail.startswith("3 unanswered")
    assert "person" not in gaps[0].detail


async def test_an_answer_counts_as_handed_off_only_when_the_handoff_came_after_it(
    session: AsyncSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(usage, "MIN_ANSWERS_FOR_UNUSED", 3)
    write_article(tmp_path, "lamps", title="Lamps", body="Lamps come with a bulb included.")
    write_article(tmp_path, "vases", title="Vases", body="Vases are made of glass.")
    await knowledge_service.import_folder(session, tmp_path)
    for _ in range(5):
        # Handed to a person first (and back to the bot), then answered: the answer did well.
        conversation, _, _ = await conversation_service.start_conversation(
            session, identity=None, identity_secret=None
        )
        event = await conversation_service.append_event(
            session, conversation, kind=EventKind.HANDOFF, data={"reason": "customer_asked"}
        )
        event.created_at = datetime.now(UTC) - timedelta(minutes=5)
        await conversation_service.append_message(
            session, conversation, author=Author.BOT, text="answer", data=_answer("lamps")[2]
        )
        await _conversation(
            session, [(Author.CUSTOMER, "vase?", {}), _answer("vases")], handoff="customer_asked"
        )

    findings = await audit_knowledge(session, max_age_days=365)

    unused = {f.articles[0]: f.detail for f in findings if f.kind is FindingKind.UNUSED}
    assert set(unused) == {"Vases"}
    assert "100%" in unused["Vases"]


def test_the_question_behind_a_miss_is_the_first_substantial_message_before_it() -> None:
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    messages = [
        ("hi", start),
        ("do you sell christmas trees", start + timedelta(seconds=10)),
        ("That's not what I asked.", start + timedelta(seconds=30)),
        ("and wreaths as well?", start + timedelta(minutes=5)),
    ]
    miss = start + timedelta(seconds=31)
    assert question_before(messages, miss) == "do you sell christmas trees"
    assert question_before(messages[:1], miss) == "hi"
    assert question_before(messages, start - timedelta(seconds=1)) is None


async def test_findings_are_reused_until_an_article_or_a_conversation_changes(
    session: AsyncSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[int] = []
    real = audit_module.audit

    def counted(*args: Any, **kwargs: Any) -> list[Finding]:
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(audit_module, "audit", counted)
    said = "Refunds for returned sofas reach your card within {} business days."
    write_article(tmp_path, "refunds", title="Refunds", body=said.format(5))
    await knowledge_service.import_folder(session, tmp_path)

    def gaps(findings: list[Finding]) -> list[Finding]:
        return [f for f in findings if f.kind is FindingKind.GAP]

    first = await audit_knowledge(session, max_age_days=365, cache_seconds=60)
    assert await audit_knowledge(session, max_age_days=365, cache_seconds=60) == first
    assert len(runs) == 1  # nothing changed: the findings were reused
    assert gaps(first) == []

    await _conversation(session, [(Author.CUSTOMER, "do you sell christmas trees", {}), NOT_SURE])
    after_a_miss = await audit_knowledge(session, max_age_days=365, cache_seconds=60)
    assert len(runs) == 2
    assert len(gaps(after_a_miss)) == 1

    write_article(tmp_path, "sofas", title="Sofa refunds", body=said.format(14))
    await knowledge_service.import_folder(session, tmp_path)
    after_an_edit = await audit_knowledge(session, max_age_days=365, cache_seconds=60)
    assert len(runs) == 3
    assert any(f.kind is FindingKind.CONTRADICTION for f in after_an_edit)
    # Without a cache every request runs the detectors.
    await audit_knowledge(session, max_age_days=365)
    assert len(runs) == 4
