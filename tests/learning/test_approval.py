"""Approval replays the golden questions first, and retrains the intent model without a restart."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.auth.models import Role
from tandem.bot.intent_models import intent_model
from tandem.config import Settings
from tandem.knowledge import service as knowledge_service
from tandem.learning import retrain
from tandem.learning import service as learning_service
from tandem.learning.models import ProposalStatus
from tandem.nlu.intents.artefact import save_model
from tandem.nlu.intents.training import train
from tests.channels.helpers import log_in_agent
from tests.conftest import Database, settings_for
from tests.factories import import_demo_knowledge
from tests.nlu.intents.conftest import TINY_CONFIG, shop_dataset, shop_examples, write_csv

GOLDEN = """\
answerable:
  - question: "how do i track my package"
    article: tracking-your-order
unanswerable: []
"""
# An article written to win the tracking question away from the article that answers it.
STEALING_BODY = "How do I track my package? Track my package: you cannot track a package."
GIFT_WRAP = ("can you gift wrap my present", "gift wrap it please", "i want gift wrapping")


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"


@pytest.fixture
def settings(database: Database, tmp_path: Path, model_dir: Path) -> Settings:
    golden = tmp_path / "golden.yaml"
    golden.write_text(GOLDEN, encoding="utf-8")
    return settings_for(
        database.url,
        knowledge_golden_path=golden,
        model_dir=model_dir,
        intent_training_data=write_csv(tmp_path / "base.csv", shop_examples()),
    )


async def _proposal_id(session: AsyncSession, *examples: str) -> int:
    proposal = await learning_service.do_draft_from_gap(
        session, examples=examples, conversation_ids=[]
    )
    return proposal.id


async def test_a_regression_is_shown_and_refused_unless_published_anyway(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await import_demo_knowledge(session)
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)
    proposal_id = await _proposal_id(session, "how do i track my package")
    form = {"title": "Track my package", "body": STEALING_BODY}

    refused = await client.post(
        f"/console/review/{proposal_id}/approve", data={**form, "csrf_token": supervisor.csrf}
    )
    assert refused.status_code == 409, refused.text
    assert "REGRESSION" in refused.text
    assert "tracking-your-order" in refused.text  # the article that answers it now
    assert 'name="publish_anyway"' in refused.text
    assert STEALING_BODY in refused.text  # the supervisor's edits are kept
    proposal = await learning_service.get_proposal(session, proposal_id)
    assert proposal.status is ProposalStatus.PENDING
    assert await knowledge_service.find_article(session, proposal.slug) is None

    published = await client.post(
        f"/console/review/{proposal_id}/approve",
        data={**form, "publish_anyway": "true", "csrf_token": supervisor.csrf},
    )
    assert published.status_code == 303, published.text
    proposal = await learning_service.get_proposal(session, proposal_id)
    assert proposal.status is ProposalStatus.APPROVED
    assert proposal.published_with_regressions
    assert await knowledge_service.find_article(session, proposal.slug) is not None
    page = await client.get("/console/review")
    assert "published despite regressions" in page.text


async def test_the_review_page_shows_answers_a_proposal_would_change(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await import_demo_knowledge(session)
    await log_in_agent(client, session, role=Role.SUPERVISOR)
    proposal_id = await _proposal_id(session, "how do i track my package")
    proposal = await learning_service.get_proposal(session, proposal_id)
    proposal.body = STEALING_BODY
    await session.flush()

    page = await client.get("/console/review")
    assert page.status_code == 200
    assert 'data-testid="answer-changes"' in page.text
    assert "REGRESSION" in page.text


async def test_a_harmless_change_publishes_without_override(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await import_demo_knowledge(session)
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)
    proposal_id = await _proposal_id(session, "do you sell garden sheds?")
    approved = await client.post(
        f"/console/review/{proposal_id}/approve",
        data={
            "title": "Garden sheds",
            "body": "Our partner Larch & Co builds garden sheds to order.",
            "csrf_token": supervisor.csrf,
        },
    )
    assert approved.status_code == 303, approved.text
    proposal = await learning_service.get_proposal(session, proposal_id)
    assert proposal.status is ProposalStatus.APPROVED
    assert not proposal.published_with_regressions


async def test_approval_without_an_intent_model_says_examples_are_stored(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)
    proposal_id = await _proposal_id(session, *GIFT_WRAP)
    approved = await client.post(
        f"/console/review/{proposal_id}/approve",
        data={"title": "Gift wrapping", "body": "We gift wrap.", "csrf_token": supervisor.csrf},
        follow_redirects=True,
    )
    assert approved.status_code == 200
    assert "No intent model configured; examples stored." in approved.text


async def test_approval_retrains_the_intent_model_the_bot_then_uses(
    client: httpx.AsyncClient,
    app: FastAPI,
    session: AsyncSession,
    model_dir: Path,
    settings: Settings,
) -> None:
    folder = model_dir / retrain.INTENTS_FOLDER
    save_model(train(shop_dataset(), config=TINY_CONFIG, mode="light"), folder)
    assert intent_model(folder) is not None
    supervisor = await log_in_agent(client, session, role=Role.SUPERVISOR)
    proposal_id = await _proposal_id(session, *GIFT_WRAP)
    proposal = await learning_service.get_proposal(session, proposal_id)
    approved = await client.post(
        f"/console/review/{proposal_id}/approve",
        data={
            "title": "Gift wrapping",
            "body": "We gift wrap.",
            "examples": "\n".join(GIFT_WRAP),
            "csrf_token": supervisor.csrf,
        },
        follow_redirects=True,
    )
    assert "retraining" in approved.text
    # The job runner retrains (tests/jobs run one); the approval queued the job.
    queued = await app.state.jobs.queue.job_manager.list_jobs_async(task="tandem.retrain_intents")
    assert [job.status for job in queued] == ["todo"]
    setup = retrain.intent_training(model_dir, settings.intent_training_data)
    assert setup is not None
    assert setup.folder == folder
    assert setup.mode == "light"

    before = intent_model(folder)
    assert before is not None
    assert before.predict("gift wrap it please").intent != proposal.slug
    result = await retrain.retrain_intents(
        session,
        retrain.IntentTraining(folder=folder, base=setup.base, mode="light", config=TINY_CONFIG),
    )
    assert result.examples == 3
    after = intent_model(folder)
    assert after is not None
    assert after is not before
    assert after.predict("gift wrap it please").intent == proposal.slug
    assert sorted(p.name for p in model_dir.iterdir()) == ["intents"]  # noqa: ASYNC240 (no staging left)
