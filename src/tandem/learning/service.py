"""Learn from people: draft proposals from resolutions, review them, publish, measure."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit
from tandem.auth.models import User
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Conversation, Message
from tandem.copilot.similar import rank_similar
from tandem.core import outbox
from tandem.core.errors import ConflictError, NotFoundError
from tandem.core.time import utc_now
from tandem.escalation.config import Policy
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.index import RetrievalIndex
from tandem.knowledge.live import ArticleRow, build_index, stored_vectors
from tandem.knowledge.regression import Change, compare, merge_golden, read_golden, replay
from tandem.knowledge.service import RegressionCheck
from tandem.learning import golden, repository
from tandem.learning.draft import (
    Draft,
    Existing,
    Line,
    draft,
    human_answer,
    slugify,
    title_for,
    unanswered_questions,
)
from tandem.learning.gaps import Gap, Miss, gaps, is_question
from tandem.learning.models import Proposal, ProposalKind, ProposalStatus, TrainingExample
from tandem.routing import service as routing_service
from tandem.routing.models import Handoff

# Update an existing article rather than add one when it is at least this close to the question.
UPDATE_SIMILARITY = 0.25
TRANSCRIPT_LIMIT = 200
MEASURE_WINDOW = timedelta(days=30)
SAME_QUESTION = 0.5  # TF-IDF cosine above which two questions ask the same thing
LEARNED_TAGS = ("learned",)


def _lines(messages: Sequence[Message]) -> list[Line]:
    return [
        Line(
            author=m.author.value,
            text=m.text,
            kind=m.data.get("kind"),
            topic=m.data.get("signals", {}).get("topic"),
        )
        for m in messages
    ]


async def _closest(session: AsyncSession, question: str, threshold: float) -> Existing | None:
    retrieval = await knowledge_service.retrieve(session, question)
    if not retrieval.articles or retrieval.articles[0].score < UPDATE_SIMILARITY:
        return None
    if retrieval.confidence >= threshold:
        return None  # the bot can already answer it: nothing to learn from the article text
    article = await knowledge_service.find_article(session, retrieval.articles[0].slug)
    return None if article is None else Existing(article.slug, article.title, article.body)


async def _store(
    session: AsyncSession, drafted: Draft, *, conversation_ids: list[str], origin: str
) -> Proposal:
    pending = await repository.pending_for_slug(session, drafted.slug)
    if pending is not None:  # the same gap again: widen the provenance, not the queue
        pending.conversation_ids = list(
            dict.fromkeys([*pending.conversation_ids, *conversation_ids])
        )
        pending.examples = list(dict.fromkeys([*pending.examples, *drafted.examples]))
        await session.flush()
        return pending
    proposal = Proposal(
        kind=ProposalKind(drafted.kind),
        origin=origin,
        question=drafted.question,
        answer=drafted.answer,
        slug=drafted.slug,
        title=drafted.title,
        body=drafted.body,
        intent=drafted.intent,
        examples=list(drafted.examples),
        conversation_ids=conversation_ids,
        created_at=utc_now(),
    )
    session.add(proposal)
    await session.flush()
    return proposal


async def propose_from_resolution(
    session: AsyncSession,
    *,
    conversation: Conversation,
    handoff: Handoff,
    answer_threshold: float,
) -> Proposal | None:
    """Draft a pending proposal if the bot could not answer something the person then did.

    Nothing is published here: a proposal waits for a supervisor's review.
    """
    messages = await conversation_service.recent_messages(
        session, conversation.id, limit=TRANSCRIPT_LIMIT
    )
    lines = _lines(messages)
    reasons = [r["code"] for r in handoff.reasons]
    questions = unanswered_questions(lines, handoff_reasons=reasons)
    if not questions:
        return None
    existing = await _closest(session, questions[0].text, answer_threshold)
    drafted = draft(questions, human_answer(lines), existing=existing)
    if drafted is None:
        return None
    return await _store(session, drafted, conversation_ids=[conversation.id], origin="resolution")


async def list_proposals(
    session: AsyncSession,
    *,
    status: ProposalStatus,
    limit: int = 100,
    kinds: Collection[ProposalKind] | None = None,
) -> Sequence[Proposal]:
    return await repository.list_proposals(session, status=status, limit=limit, kinds=kinds)


async def get_proposal(session: AsyncSession, proposal_id: int) -> Proposal:
    proposal = await repository.get_proposal(session, proposal_id)
    if proposal is None:
        raise NotFoundError("There is no such proposal; reload the review queue.")
    return proposal


def _check_pending(proposal: Proposal) -> None:
    if proposal.status is not ProposalStatus.PENDING:
        raise ConflictError(f"This proposal was already {proposal.status.value}; reload the page.")


class RegressionsNeedOverrideError(ConflictError):
    """Publishing would turn right golden answers wrong; nothing was published."""

    def __init__(self, proposal: Proposal, changes: Sequence[Change]) -> None:
        super().__init__(
            "Publishing this would turn right answers to golden questions wrong; nothing was "
            "published. Edit the article, or tick “publish anyway” to override."
        )
        self.proposal = proposal
        self.changes = list(changes)


async def regression_check(
    session: AsyncSession, golden_path: Path | None, *, threshold: float
) -> RegressionCheck | None:
    """Return the golden questions to replay before publishing: the file's and those accepted
    from flagged answers; None when there is neither."""
    learned = await golden.accepted(session)
    if golden_path is None and not learned:
        return None
    from_file = await asyncio.to_thread(read_golden, golden_path) if golden_path else []
    return RegressionCheck(merge_golden(from_file, learned), threshold)


Edit = tuple[str, str, str]  # slug, title, body of the article a proposal would publish


def _replay_edits(
    articles: Sequence[tuple[str, str, tuple[str, ...], str]],
    edits: Sequence[Edit],
    check: RegressionCheck,
    stored: Mapping[str, NDArray[np.float32]],
) -> list[list[Change]]:
    before = {a[0]: a for a in articles}

    def index(rows: Iterable[ArticleRow]) -> RetrievalIndex:
        return build_index(rows, stored=stored)  # the edits' own text is encoded now

    old = replay(check.golden, index(before.values()), threshold=check.threshold)
    found: list[list[Change]] = []
    for slug, title, body in edits:
        after = {**before, slug: (slug, title, LEARNED_TAGS, body)}
        new = replay(check.golden, index(after.values()), threshold=check.threshold)
        found.append(compare(old, new))
    return found


async def preview_changes(
    session: AsyncSession, edits: Sequence[Edit], *, check: RegressionCheck
) -> list[list[Change]]:
    """Replay the golden questions once per edit: the answers each one would change."""
    articles = [
        (a.slug, a.title, tuple(a.tags), a.body)
        for a in await knowledge_service.list_articles(session)
    ]
    if not articles or not edits:
        return [[] for _ in edits]
    stored = await stored_vectors(session)
    return await asyncio.to_thread(_replay_edits, articles, edits, check, stored)


async def do_approve(
    session: AsyncSession,
    proposal: Proposal,
    *,
    reviewer: User,
    title: str,
    body: str,
    examples: Sequence[str],
    check: RegressionCheck | None = None,
    publish_anyway: bool = False,
) -> Proposal:
    """Publish the (possibly edited) article and add the training examples to the set.

    With ``check``, golden questions are replayed first: if a right answer would turn wrong,
    raise RegressionsNeedOverrideError and change nothing, unless ``publish_anyway``, which is
    then recorded on the proposal. Precondition: the reviewer may supervise (checked by the
    caller's access chokepoint).
    """
    _check_pending(proposal)
    if proposal.kind is ProposalKind.GOLDEN_QUESTION:
        raise ConflictError("This proposal is a golden question: accept it, it publishes nothing.")
    title, body = title.strip(), body.strip() + "\n"
    regressions = False
    if check is not None:
        (changes,) = await preview_changes(session, [(proposal.slug, title, body)], check=check)
        regressions = any(c.regression for c in changes)
        if regressions and not publish_anyway:
            raise RegressionsNeedOverrideError(proposal, changes)
    proposal.title, proposal.body = title, body
    proposal.examples = [e.strip() for e in examples if e.strip()]
    proposal.published_with_regressions = regressions
    await knowledge_service.do_publish_article(
        session, slug=proposal.slug, title=proposal.title, body=proposal.body, tags=LEARNED_TAGS
    )
    session.add_all(
        TrainingExample(text=text, intent=proposal.intent or proposal.slug, proposal_id=proposal.id)
        for text in proposal.examples
    )
    proposal.status = ProposalStatus.APPROVED
    proposal.reviewed_at, proposal.reviewed_by = utc_now(), reviewer.id
    await session.flush()
    await audit.record(
        session,
        "knowledge.approved",
        actor=reviewer,
        target=proposal.slug,
        proposal=proposal.id,
        published_with_regressions=regressions,
    )
    outbox.record(
        session,
        "proposal.approved",
        {
            "proposal_id": proposal.id,
            "slug": proposal.slug,
            "title": proposal.title,
            "reviewed_by": reviewer.id,
            "published_with_regressions": regressions,
        },
    )
    return proposal


async def do_reject(session: AsyncSession, proposal: Proposal, *, reviewer: User) -> Proposal:
    _check_pending(proposal)
    proposal.status = ProposalStatus.REJECTED
    proposal.reviewed_at, proposal.reviewed_by = utc_now(), reviewer.id
    await session.flush()
    await audit.record(
        session, "knowledge.rejected", actor=reviewer, target=proposal.slug, proposal=proposal.id
    )
    return proposal


async def training_examples(session: AsyncSession) -> list[tuple[str, str]]:
    """Return the stored training set as (text, intent) pairs, oldest first."""
    return [(e.text, e.intent) for e in await repository.list_training_examples(session)]


@dataclass(frozen=True, slots=True)
class Rate:
    answered: int
    turns: int

    @property
    def share(self) -> float | None:
        return self.answered / self.turns if self.turns else None


async def _rate(
    session: AsyncSession, proposal: Proposal, since: datetime, until: datetime | None
) -> Rate:
    rows = await repository.customer_turn_data(session, since=since, until=until)
    signals = [r["signals"] for r in rows if "signals" in r]
    asked = [*proposal.examples, proposal.question]
    on_topic = [
        s
        for s in signals
        if s.get("topic") == proposal.slug
        or rank_similar(str(s.get("text", "")), asked, limit=1, min_score=SAME_QUESTION)
    ]
    return Rate(sum(bool(s.get("answered")) for s in on_topic), len(on_topic))


async def effect(session: AsyncSession, proposal: Proposal) -> tuple[Rate, Rate]:
    """Compare how often the bot answered the topic, 30 days before vs since approval.

    A turn is on the topic when the bot matched it to the published article, or when it reads
    like the proposal's question or examples.
    """
    assert proposal.reviewed_at is not None
    published = proposal.reviewed_at
    before = await _rate(session, proposal, published - MEASURE_WINDOW, published)
    after = await _rate(session, proposal, published, None)
    return before, after


async def do_resolve(
    session: AsyncSession,
    *,
    agent: User,
    conversation: Conversation,
    policy: Policy,
    answer_threshold: float,
) -> Handoff:
    """Resolve as ``routing.service.resolve`` does, then draft what the bot can learn from it."""
    handoff = await routing_service.resolve(
        session, agent=agent, conversation=conversation, policy=policy
    )
    await propose_from_resolution(
        session, conversation=conversation, handoff=handoff, answer_threshold=answer_threshold
    )
    return handoff


async def gap_report(session: AsyncSession, *, days: int) -> list[Gap]:
    """Group the questions of the last ``days`` days the bot had no answer for, by volume."""
    rows = await repository.customer_turns_since(session, since=utc_now() - timedelta(days=days))
    misses = [
        Miss(conversation_id, text, escalated)
        for conversation_id, text, data, escalated in reversed(rows)
        if is_question(data.get("signals", {"answered": True}), text)
    ]
    return gaps(misses)


async def do_draft_from_gap(
    session: AsyncSession, *, examples: Sequence[str], conversation_ids: Sequence[str]
) -> Proposal:
    """Open a proposal for a gap; a supervisor writes the answer before approving it."""
    phrasings = [e.strip() for e in examples if e.strip()]
    if not phrasings:
        raise ConflictError("This gap has no questions left; reload the gap report.")
    title = title_for(phrasings[0])
    slug = slugify(title)
    drafted = Draft("new_article", phrasings[0], "", slug, title, "", slug, tuple(phrasings))
    return await _store(
        session, drafted, conversation_ids=list(conversation_ids), origin="gap_report"
    )
