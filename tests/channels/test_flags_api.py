"""Flagged answers over HTTP: the agent API, the console's form beside an answer, and the
supervisors' review queue, where an accepted golden question then guards the knowledge base."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tandem.conversations import service as conversation_service
from tandem.knowledge import service as knowledge_service
from tandem.learning import service as learning_service
from tandem.learning.models import AnswerFlag, ProposalStatus
from tests.channels.helpers import AgentClient, Chat, log_in_agent, start_chat
from tests.factories import import_demo_knowledge
from tests.learning.answers import bot_answer

HTMX = {"HX-Request": "true"}
TRACKING = "how do i track my package"
# An article written to win the tracking question away from the article that answers it.
STEALING_BODY = "How do I track my package? Track my package: you cannot track a package."


@pytest.fixture(autouse=True)
async def knowledge(session: AsyncSession) -> None:
    await import_demo_knowledge(session)


async def _answered(
    client: httpx.AsyncClient, session: AsyncSession, question: str = TRACKING
) -> tuple[Chat, int]:
    """A chat in which the bot answered ``question`` from the wrong article."""
    chat = await start_chat(client)
    conversation = await conversation_service.get_conversation(session, chat.id)
    seq = await bot_answer(session, conversation, question=question, slug="delayed-parcel")
    return chat, seq


async def _flag_count(session: AsyncSession) -> int:
    return (await session.execute(select(func.count(AnswerFlag.id)))).scalar_one()


async def test_an_agent_flags_an_answer_through_the_api(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat, seq = await _answered(client, session)
    body = {"seq": seq, "right_article": "tracking-your-order", "note": "Wanted tracking"}

    flagged = await agent.post(f"/conversations/{chat.id}/flags", body)
    assert flagged.status_code == 201, flagged.text
    read = flagged.json()
    assert read["seq"] == seq
    assert (read["flagged_by"], read["flagged_by_id"]) == (agent.user.name, agent.user.id)
    assert (read["question"], read["answered_article"]) == (TRACKING, "delayed-parcel")
    assert (read["right_article"], read["right_answer"], read["note"]) == (
        "tracking-your-order",
        None,
        "Wanted tracking",
    )
    assert read["summary"].startswith(f"Flagged by {agent.user.name}: right article “How do I")
    assert read["proposal_id"] is not None

    again = await agent.post(
        f"/conversations/{chat.id}/flags", {"seq": seq, "right_answer": "Use the link we mailed."}
    )
    assert again.status_code == 200, again.text  # the same flag, changed
    assert (again.json()["id"], again.json()["right_article"]) == (read["id"], None)
    listed = await client.get(f"/api/v1/agent/conversations/{chat.id}/flags")
    assert listed.status_code == 200
    assert [f["right_answer"] for f in listed.json()] == ["Use the link we mailed."]
    # The customer never sees a flag.
    assert all("mailed" not in item.get("text", "") for item in await chat.timeline())


RETURNS = "returns-policy"


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        pytest.param({"seq": 99, "right_article": RETURNS}, 404, "no message 99", id="no-message"),
        pytest.param(
            {"seq": "question", "right_article": RETURNS}, 409, "not an answer", id="question"
        ),
        pytest.param({"right_article": "nope"}, 422, "no article 'nope'", id="unknown-article"),
        pytest.param({"right_article": "delayed-parcel"}, 422, "answered from", id="same-article"),
        pytest.param({"note": "wrong"}, 422, "Choose the article", id="nothing-right"),
        pytest.param({"right_answer": "x" * 4001}, 422, "4000", id="long-answer"),
        pytest.param({"right_article": RETURNS, "note": "x" * 1001}, 422, "1000", id="long-note"),
        pytest.param({"right_article": RETURNS, "by": "ceo"}, 422, "by", id="unknown-field"),
    ],
)
async def test_a_flag_that_cannot_be_is_refused_saying_why(
    client: httpx.AsyncClient,
    session: AsyncSession,
    body: dict[str, object],
    status: int,
    says: str,
) -> None:
    agent = await log_in_agent(client, session)
    chat, seq = await _answered(client, session)
    sent = {"seq": seq, **body}
    if sent["seq"] == "question":
        sent["seq"] = seq - 1  # the customer's message the bot answered
    response = await agent.post(f"/conversations/{chat.id}/flags", sent)
    assert response.status_code == status, response.text
    assert says in response.text
    assert await _flag_count(session) == 0


async def test_an_unknown_conversation_has_no_flags(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    missing = "00000000-0000-0000-0000-000000000000"
    assert (await client.get(f"/api/v1/agent/conversations/{missing}/flags")).status_code == 404
    posted = await agent.post(f"/conversations/{missing}/flags", {"seq": 2, "note": "x"})
    assert posted.status_code == 404


async def _console_flag(agent: AgentClient, chat: Chat, seq: int, **form: str) -> httpx.Response:
    return await agent.client.post(
        f"/console/conversations/{chat.id}/flags/{seq}",
        data=form,
        headers={**agent.headers, **HTMX},
    )


async def test_the_console_shows_the_form_and_the_flags_beside_the_answer(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat, seq = await _answered(client, session)
    form = await client.get(f"/console/conversations/{chat.id}/flags/{seq}")
    assert form.status_code == 200, form.text
    assert '<option value="tracking-your-order">How do I track my order?</option>' in form.text
    assert "Flag as wrong" in form.text

    panel = await _console_flag(
        agent, chat, seq, right_article="tracking-your-order", note="<b>tracking</b>"
    )
    assert panel.status_code == 200, panel.text
    assert 'data-testid="answer-flags"' in panel.text
    assert f"Flagged by {agent.user.name}: right article “How do I track my order?”" in panel.text
    assert "&lt;b&gt;tracking&lt;/b&gt;" in panel.text  # escaped, never markup
    assert "Flag saved" in panel.text
    assert '<option value="tracking-your-order" selected>' in panel.text
    assert "Update my flag" in panel.text

    page = await client.get(f"/console/conversations/{chat.id}")
    data = re.search(
        r'<script type="application/json" id="answer-flags-data">(.*?)</script>', page.text
    )
    assert data is not None
    assert json.loads(data.group(1)) == {
        str(seq): [
            f"Flagged by {agent.user.name}: right article “How do I track my order?” "
            "(note: “<b>tracking</b>”)"
        ]
    }
    assert "<b>" not in data.group(1)  # the JSON cannot close the script or open a tag


async def test_the_console_refuses_what_cannot_be_flagged_in_the_flash(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    agent = await log_in_agent(client, session)
    chat, seq = await _answered(client, session)
    refused = await _console_flag(agent, chat, seq)
    assert refused.status_code == 422
    assert refused.headers["HX-Retarget"] == "#flash"
    assert "Choose the article" in refused.text
    question = await client.get(f"/console/conversations/{chat.id}/flags/{seq - 1}")
    assert question.status_code == 409


async def test_a_console_flag_needs_the_csrf_token(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await log_in_agent(client, session)
    chat, seq = await _answered(client, session)
    response = await client.post(
        f"/console/conversations/{chat.id}/flags/{seq}",
        data={"right_article": "tracking-your-order"},
    )
    assert response.status_code == 403
    assert await _flag_count(session) == 0


async def test_a_supervisor_accepts_a_flagged_answer_as_a_golden_question(
    client: httpx.AsyncClient,
    other_client: httpx.AsyncClient,
    session: AsyncSession,
) -> None:
    agent = await log_in_agent(other_client, session)
    chat, seq = await _answered(other_client, session)
    await _console_flag(agent, chat, seq, right_article="tracking-your-order", note="tracking")
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)

    page = await client.get("/console/review")
    assert page.status_code == 200, page.text
    assert "Golden question: answer from “How do I track my order?”" in page.text
    assert f"Customer asked: “{TRACKING}”" in page.text
    assert f"Flagged by {agent.user.name}: right article" in page.text
    assert "the bot answered from “My parcel is late" in page.text
    assert "The bot answers it from this article already." in page.text  # the bot knows, today
    [proposal] = await learning_service.list_proposals(session, status=ProposalStatus.PENDING)

    refused = await other_client.post(
        f"/console/review/{proposal.id}/accept", data={"csrf_token": agent.csrf}
    )
    assert refused.status_code == 403  # agents flag; supervisors decide
    accepted = await client.post(
        f"/console/review/{proposal.id}/accept", data={"csrf_token": supervisor.csrf}
    )
    assert accepted.status_code == 303, accepted.text
    after = await client.get(accepted.headers["location"])
    assert "The question joins the golden questions" in after.text
    assert "No proposals are waiting." in after.text
    assert 'data-testid="learned-golden"' in after.text
    assert TRACKING in after.text


async def test_an_accepted_golden_question_guards_the_knowledge_base(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)
    chat, seq = await _answered(client, session)
    await supervisor.post(
        f"/conversations/{chat.id}/flags", {"seq": seq, "right_article": "tracking-your-order"}
    )
    [golden] = await learning_service.list_proposals(session, status=ProposalStatus.PENDING)
    await client.post(f"/console/review/{golden.id}/accept", data={"csrf_token": supervisor.csrf})
    # No golden questions file is configured: the accepted question alone is replayed.
    gap = await learning_service.do_draft_from_gap(
        session, examples=[TRACKING], conversation_ids=[]
    )
    refused = await client.post(
        f"/console/review/{gap.id}/approve",
        data={"title": "Track my package", "body": STEALING_BODY, "csrf_token": supervisor.csrf},
    )
    assert refused.status_code == 409, refused.text
    assert "REGRESSION" in refused.text
    assert await knowledge_service.find_article(session, gap.slug) is None
    # The integrations' article API replays it too.
    sent = await client.put(
        "/api/v1/articles/track-a-package",
        json={"title": "Track my package", "body": STEALING_BODY},
        headers=supervisor.headers,
    )
    assert sent.status_code == 409, sent.text
    assert await knowledge_service.find_article(session, "track-a-package") is None
