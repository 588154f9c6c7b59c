"""The gap report: clustering the bot's misses (pure) and drafting from a gap (HTTP)."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tandem.learning import service as learning_service
from tandem.learning.gaps import Miss, gaps, is_question
from tandem.learning.models import ProposalStatus
from tests.channels.helpers import log_in_agent, start_chat
from tests.factories import import_demo_knowledge


def test_misses_group_by_similarity_and_rank_by_conversations() -> None:
    misses = [
        Miss("a", "do you sell garden sheds?", escalated=True),
        Miss("b", "do you sell garden sheds?", escalated=False),
        Miss("c", "garden sheds for sale?", escalated=False),
        Miss("d", "who is your CEO", escalated=True),
    ]
    [sheds, ceo] = gaps(misses)
    assert sheds.conversations == ("a", "b", "c")
    assert sheds.examples == ("do you sell garden sheds?", "garden sheds for sale?")
    assert (sheds.questions, sheds.escalated) == (3, 1)
    assert ceo.conversations == ("d",)


def test_only_real_questions_count_as_misses() -> None:
    assert is_question({"answered": False}, "do you sell sheds?")
    assert not is_question({"answered": True}, "refunds?")
    assert not is_question({"answered": False, "human_request": "human"}, "a human")
    assert not is_question({"answered": False}, "thanks!")


async def test_a_gap_becomes_a_proposal_in_one_click(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await import_demo_knowledge(session)
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)
    chats = []
    for text in ("do you sell garden sheds?", "are garden sheds something you sell?"):
        chat = await start_chat(other_client)
        await chat.say(text)
        chats.append(chat.id)

    page = await client.get("/console/review/gaps", params={"days": 7})
    assert page.status_code == 200
    assert "2 conversation(s)" in page.text
    [gap] = await learning_service.gap_report(session, days=7)
    form = {
        "example": list(gap.examples),
        "conversation": list(gap.conversations),
        "csrf_token": supervisor.csrf,
    }
    assert (await client.post("/console/review/gaps/draft", data=form)).status_code == 303
    [proposal] = await learning_service.list_proposals(session, status=ProposalStatus.PENDING)
    assert proposal.origin == "gap_report"
    assert sorted(proposal.conversation_ids) == sorted(chats)
    assert proposal.body == ""
    assert "Do you sell garden sheds?" in (await client.get("/console/review")).text
