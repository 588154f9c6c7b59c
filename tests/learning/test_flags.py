"""Flagged answers: one flag per answer and agent, checked at the edge, proposed for review;
an accepted golden question joins the questions replayed before every knowledge change."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth import audit
from tandem.auth.models import Role, User
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author, Conversation
from tandem.core.errors import ConflictError, InvalidInputError, NotFoundError
from tandem.knowledge.regression import GoldenQuestion, merge_golden
from tandem.learning import flags, golden
from tandem.learning import service as learning_service
from tandem.learning.models import AnswerFlag, Proposal, ProposalKind, ProposalStatus
from tests.factories import create_agent, import_demo_knowledge
from tests.learning.answers import bot_answer

POSTAGE = "how much is postage to france?"


@pytest.fixture(autouse=True)
async def knowledge(session: AsyncSession) -> None:
    await import_demo_knowledge(session)


@pytest.fixture
async def agent(session: AsyncSession) -> User:
    return await create_agent(session, name="Ana")


@pytest.fixture
async def conversation(session: AsyncSession) -> Conversation:
    started, _customer, _token = await conversation_service.start_conversation(
        session, identity=None, identity_secret=None
    )
    return started


async def _flag(
    session: AsyncSession,
    conversation: Conversation,
    by: User,
    seq: int,
    *,
    right_slug: str | None = None,
    right_text: str | None = None,
    note: str | None = None,
) -> flags.FlagChange:
    return await flags.do_flag_answer(
        session,
        conversation,
        by=by,
        seq=seq,
        right_slug=right_slug,
        right_text=right_text,
        note=note,
    )


async def _count(session: AsyncSession, model: type[AnswerFlag] | type[Proposal]) -> int:
    return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_a_flag_naming_the_right_article_proposes_a_golden_question(
    session: AsyncSession, conversation: Conversation, agent: User
) -> None:
    seq = await bot_answer(session, conversation, question=POSTAGE, slug="delivery-times")
    change = await _flag(
        session, conversation, agent, seq, right_slug="shipping-costs", note="Asked about price"
    )
    flag = change.flag
    assert change.created
    assert (flag.question, flag.answered_slug, flag.right_slug) == (
        POSTAGE,
        "delivery-times",
        "shipping-costs",
    )
    assert (flag.flagged_by, flag.flagged_by_name, flag.note) == (
        agent.id,
        agent.name,
        "Asked about price",
    )
    message = await conversation_service.message_at(session, conversation, seq)
    assert message is not None
    assert flag.message_id == message.id

    proposal = await learning_service.get_proposal(session, flag.proposal_id or 0)
    assert proposal.kind is ProposalKind.GOLDEN_QUESTION
    assert proposal.status is ProposalStatus.PENDING
    assert (proposal.question, proposal.slug) == (POSTAGE, "shipping-costs")
    assert proposal.title == "How much does shipping cost?"
    assert (proposal.origin, proposal.conversation_ids) == ("flagged_answer", [conversation.id])
    [view] = await flags.flags_of(session, conversation.id)
    assert view.seq == seq
    assert view.answered_title == "How long does delivery take?"
    assert view.summary == (
        f"Flagged by {agent.name}: right article “How much does shipping cost?” "
        "(note: “Asked about price”)"
    )


async def test_a_right_answer_alone_proposes_a_new_article_from_it(
    session: AsyncSession, conversation: Conversation, agent: User
) -> None:
    seq = await bot_answer(session, conversation, question="do you sell sheds?", slug="gift-cards")
    answer = "  We don't sell sheds; our partner Larch & Co builds them to order.  "
    change = await _flag(session, conversation, agent, seq, right_text=answer)
    assert change.flag.right_text == answer.strip()
    proposal = await learning_service.get_proposal(session, change.flag.proposal_id or 0)
    assert proposal.kind is ProposalKind.NEW_ARTICLE
    assert (proposal.title, proposal.body) == ("Do you sell sheds?", f"{answer.strip()}\n")
    assert proposal.examples == ["do you sell sheds?"]
    [view] = await flags.flags_of(session, conversation.id)
    assert view.summary == f"Flagged by {agent.name}: right answer “{answer.strip()}”"


async def test_flagging_again_changes_the_flag_and_its_waiting_proposal(
    session: AsyncSession, conversation: Conversation, agent: User
) -> None:
    seq = await bot_answer(session, conversation, question=POSTAGE, slug="delivery-times")
    first = await _flag(session, conversation, agent, seq, right_slug="customs-and-duties")
    again = await _flag(session, conversation, agent, seq, right_slug="shipping-costs", note="n")
    assert (first.created, again.created) == (True, False)
    assert again.flag.id == first.flag.id
    assert (await _count(session, AnswerFlag), await _count(session, Proposal)) == (1, 1)
    proposal = await learning_service.get_proposal(session, again.flag.proposal_id or 0)
    assert (proposal.id, proposal.slug) == (first.flag.proposal_id, "shipping-costs")

    written = await _flag(session, conversation, agent, seq, right_text="Postage is 4.95 EUR.")
    assert written.flag.right_slug is None
    assert proposal.kind is ProposalKind.NEW_ARTICLE  # the same proposal, now an article
    assert await _count(session, Proposal) == 1


async def test_each_agent_has_their_own_flag_on_an_answer(
    session: AsyncSession, conversation: Conversation, agent: User
) -> None:
    ben = await create_agent(session, name="Ben")
    seq = await bot_answer(session, conversation, question=POSTAGE, slug="delivery-times")
    await _flag(session, conversation, agent, seq, right_slug="shipping-costs")
    await _flag(session, conversation, ben, seq, right_text="It depends on the country.")
    views = await flags.flags_of(session, conversation.id)
    assert [v.flag.flagged_by for v in views] == [agent.id, ben.id]
    assert flags.own_flag(views, seq=seq, agent=ben) is views[1].flag
    assert list(flags.summaries_by_seq(views)) == [seq]
    assert len(flags.summaries_by_seq(views)[seq]) == 2


async def test_a_flag_changed_after_review_proposes_anew_and_an_unchanged_one_does_not(
    session: AsyncSession, conversation: Conversation, agent: User
) -> None:
    supervisor = await create_agent(session, role=Role.SUPERVISOR)
    seq = await bot_answer(session, conversation, question=POSTAGE, slug="delivery-times")
    first = await _flag(session, conversation, agent, seq, right_slug="shipping-costs")
    reviewed = await learning_service.get_proposal(session, first.flag.proposal_id or 0)
    await learning_service.do_reject(session, reviewed, reviewer=supervisor)
    [rejected] = await audit.entries(session, action="knowledge.rejected")
    assert (rejected.actor_user_id, rejected.target) == (supervisor.id, reviewed.slug)

    same = await _flag(session, conversation, agent, seq, right_slug="shipping-costs", note="!")
    assert same.flag.proposal_id == reviewed.id  # the supervisor has answered this already
    changed = await _flag(session, conversation, agent, seq, right_slug="customs-and-duties")
    assert changed.flag.proposal_id != reviewed.id
    fresh = await learning_service.get_proposal(session, changed.flag.proposal_id or 0)
    assert (fresh.status, fresh.slug) == (ProposalStatus.PENDING, "customs-and-duties")
    assert reviewed.status is ProposalStatus.REJECTED


async def test_a_flag_raced_by_the_same_agent_stays_one_flag(
    session: AsyncSession,
    conversation: Conversation,
    agent: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seq = await bot_answer(session, conversation, question=POSTAGE, slug="delivery-times")
    await _flag(session, conversation, agent, seq, right_slug="shipping-costs")
    found = flags.repository.find_flag
    looks: list[int] = []

    async def missed_the_other_row(
        session: AsyncSession, *, message_id: int, flagged_by: int
    ) -> AnswerFlag | None:
        looks.append(message_id)  # the first look happens before the other request commits
        if len(looks) == 1:
            return None
        return await found(session, message_id=message_id, flagged_by=flagged_by)

    monkeypatch.setattr(flags.repository, "find_flag", missed_the_other_row)
    again = await _flag(session, conversation, agent, seq, right_slug="customs-and-duties")
    assert not again.created
    assert again.flag.right_slug == "customs-and-duties"
    assert await _count(session, AnswerFlag) == 1  # and the session still works


@pytest.mark.parametrize(
    ("author", "data", "error", "says"),
    [
        pytest.param(
            Author.CUSTOMER, {}, ConflictError, "not an answer from the bot", id="customer"
        ),
        pytest.param(
            Author.BOT, {"kind": "not_sure"}, ConflictError, "only the bot's answers", id="not-sure"
        ),
        pytest.param(
            Author.AGENT,
            {"kind": "answer"},
            ConflictError,
            "not an answer from the bot",
            id="agent",
        ),
        pytest.param(
            Author.BOT, {"kind": "answer", "erased": True}, ConflictError, "erased", id="erased"
        ),
    ],
)
async def test_only_an_answer_from_the_bot_can_be_flagged(
    session: AsyncSession,
    conversation: Conversation,
    agent: User,
    author: Author,
    data: dict[str, object],
    error: type[Exception],
    says: str,
) -> None:
    said = await conversation_service.append_message(
        session, conversation, author=author, text="Something", data=data
    )
    with pytest.raises(error, match=says):
        await _flag(session, conversation, agent, said.message.seq, right_slug="shipping-costs")
    assert await _count(session, AnswerFlag) == 0


async def test_a_message_that_is_not_there_cannot_be_flagged(
    session: AsyncSession, conversation: Conversation, agent: User
) -> None:
    with pytest.raises(NotFoundError, match="no message 99"):
        await _flag(session, conversation, agent, 99, right_slug="shipping-costs")


@pytest.mark.parametrize(
    ("right_slug", "right_text", "note", "says"),
    [
        pytest.param(None, None, "just a note", "Choose the article", id="nothing-right"),
        pytest.param("  ", " \n ", None, "Choose the article", id="only-spaces"),
        pytest.param("delivery-times", None, None, "The bot answered from this", id="same-article"),
        pytest.param(None, "x" * 4001, None, "at most 4000 characters", id="long-answer"),
        pytest.param("shipping-costs", None, "x" * 1001, "at most 1000 characters", id="long-note"),
    ],
)
def test_a_correction_that_cannot_be_one_is_refused_saying_why(
    right_slug: str | None, right_text: str | None, note: str | None, says: str
) -> None:
    with pytest.raises(InvalidInputError, match=says):
        flags.check_correction(
            right_slug=right_slug, right_text=right_text, note=note, answered_slug="delivery-times"
        )


async def test_an_article_that_does_not_exist_is_refused(
    session: AsyncSession, conversation: Conversation, agent: User
) -> None:
    seq = await bot_answer(session, conversation, question=POSTAGE, slug="delivery-times")
    with pytest.raises(InvalidInputError, match="no article 'postage'"):
        await _flag(session, conversation, agent, seq, right_slug="postage")
    assert (await _count(session, AnswerFlag), await _count(session, Proposal)) == (0, 0)


async def test_an_accepted_golden_question_joins_the_regression_check(
    session: AsyncSession, conversation: Conversation, agent: User
) -> None:
    supervisor = await create_agent(session, role=Role.SUPERVISOR)
    seq = await bot_answer(session, conversation, question=POSTAGE, slug="delivery-times")
    change = await _flag(session, conversation, agent, seq, right_slug="shipping-costs")
    proposal = await learning_service.get_proposal(session, change.flag.proposal_id or 0)
    # Waiting for review, it is not replayed yet.
    assert await learning_service.regression_check(session, None, threshold=0.5) is None
    with pytest.raises(ConflictError, match="accept it"):
        await learning_service.do_approve(
            session, proposal, reviewer=supervisor, title="t", body="b", examples=[]
        )

    await golden.do_accept(session, proposal, reviewer=supervisor)
    assert (proposal.status, proposal.reviewed_by) == (ProposalStatus.APPROVED, supervisor.id)
    check = await learning_service.regression_check(session, None, threshold=0.5)
    assert check is not None
    assert list(check.golden) == [GoldenQuestion(POSTAGE, "shipping-costs")]
    with pytest.raises(ConflictError, match="already approved"):
        await golden.do_accept(session, proposal, reviewer=supervisor)


async def test_an_article_proposal_is_approved_not_accepted(
    session: AsyncSession, conversation: Conversation, agent: User
) -> None:
    supervisor = await create_agent(session, role=Role.SUPERVISOR)
    seq = await bot_answer(session, conversation, question="do you sell sheds?", slug="gift-cards")
    change = await _flag(session, conversation, agent, seq, right_text="Larch & Co builds them.")
    proposal = await learning_service.get_proposal(session, change.flag.proposal_id or 0)
    with pytest.raises(ConflictError, match="approve it with its text"):
        await golden.do_accept(session, proposal, reviewer=supervisor)
    assert proposal.status is ProposalStatus.PENDING


def test_a_learned_golden_question_replaces_the_same_question_in_the_file() -> None:
    from_file = [
        GoldenQuestion("How much is postage?", "delivery-times"),
        GoldenQuestion("do u ship to norway", "shipping-countries"),
    ]
    learned = [
        GoldenQuestion("how much is  POSTAGE?", "customs-and-duties"),
        GoldenQuestion("How much is postage?", "shipping-costs"),  # accepted again, later
    ]
    assert merge_golden(from_file, learned) == [from_file[1], learned[1]]
