"""Golden questions learned from flagged answers: proposed, accepted by a supervisor, replayed.

An agent's flag that names the right article proposes a golden question (``learning.flags``):
the customer's question, to be answered from that article. Once a supervisor accepts it, it is
replayed with the golden questions file before every knowledge change (see
``learning.service.regression_check``, and ``tandem kb``), so a change that makes the bot
answer it from another article again is caught before it is published. Accepting publishes
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import User
from tandem.core.errors import ConflictError
from tandem.core.time import utc_now
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.regression import Answer, GoldenQuestion, merge_golden
from tandem.learning import repository
from tandem.learning.models import Proposal, ProposalKind, ProposalStatus


async def accepted(session: AsyncSession) -> list[GoldenQuestion]:
    """The golden questions supervisors accepted; a question accepted again keeps its latest
    article."""
    found = [GoldenQuestion(p.question, p.slug) for p in await repository.accepted_golden(session)]
    return merge_golden([], found)


async def do_accept(session: AsyncSession, proposal: Proposal, *, reviewer: User) -> Proposal:
    """Accept a proposed golden question: from now on it is replayed before knowledge changes.

    Precondition: the reviewer may supervise (checked by the caller's access chokepoint).
    """
    if proposal.kind is not ProposalKind.GOLDEN_QUESTION:
        raise ConflictError("This proposal publishes an article: approve it with its text.")
    if proposal.status is not ProposalStatus.PENDING:
        raise ConflictError(f"This proposal was already {proposal.status.value}; reload the page.")
    if await knowledge_service.find_article(session, proposal.slug) is None:
        raise ConflictError(
            f"The article {proposal.slug!r} is no longer in the knowledge base; reject this "
            "proposal."
        )
    proposal.status = ProposalStatus.APPROVED
    proposal.reviewed_at, proposal.reviewed_by = utc_now(), reviewer.id
    await session.flush()
    return proposal


async def answered_now(
    session: AsyncSession, proposals: Sequence[Proposal], *, threshold: float
) -> dict[int, Answer]:
    """How the bot answers each proposed golden question today, by proposal id."""
    proposed = [p for p in proposals if p.kind is ProposalKind.GOLDEN_QUESTION]
    if not proposed:
        return {}
    questions = [GoldenQuestion(p.question, p.slug) for p in proposed]
    answers = await knowledge_service.test_answers(session, questions, threshold=threshold)
    return {p.id: answer for p, answer in zip(proposed, answers, strict=True)}
