"""`tandem kb` replays the golden questions accepted from flagged answers with the file's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from tandem.auth.models import Role
from tandem.cli import app
from tandem.config import get_settings
from tandem.conversations import service as conversation_service
from tandem.core.units import run_unit
from tandem.learning import flags, golden
from tandem.learning import service as learning_service
from tests.factories import create_agent, write_article
from tests.learning.answers import bot_answer

runner = CliRunner()
FLAGGED = "when will my money come back?"
GOLDEN = """\
answerable:
  - question: "how much is shipping"
    article: shipping
unanswerable: []
"""


@pytest.fixture
def database_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("TANDEM_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    (tmp_path / "golden.yaml").write_text(GOLDEN, encoding="utf-8")
    monkeypatch.setenv("TANDEM_KNOWLEDGE_GOLDEN_PATH", str(tmp_path / "golden.yaml"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


async def _accept_a_flagged_answer(session: AsyncSession) -> None:
    conversation, _customer, _token = await conversation_service.start_conversation(
        session, identity=None, identity_secret=None
    )
    seq = await bot_answer(session, conversation, question=FLAGGED, slug="shipping")
    change = await flags.do_flag_answer(
        session,
        conversation,
        by=await create_agent(session),
        seq=seq,
        right_slug="refunds",
        right_text=None,
    )
    proposal = await learning_service.get_proposal(session, change.flag.proposal_id or 0)
    supervisor = await create_agent(session, role=Role.SUPERVISOR)
    await golden.do_accept(session, proposal, reviewer=supervisor)


def test_kb_test_replays_the_accepted_golden_questions_too(database_env: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    folder = database_env / "kb"
    folder.mkdir()
    write_article(folder, "refunds", title="Refunds", body="Your money comes back in 5 days.")
    write_article(folder, "shipping", title="Shipping", body="Shipping costs 4 euros.")
    assert runner.invoke(app, ["kb", "import", str(folder)]).exit_code == 0
    before = runner.invoke(app, ["kb", "test", "--json"])
    assert [a["question"] for a in json.loads(before.output)["answers"]] == ["how much is shipping"]

    run_unit(get_settings(), _accept_a_flagged_answer)
    after = runner.invoke(app, ["kb", "test", "--json"])
    assert after.exit_code == 0, after.output
    answers = {a["question"]: a["expected"] for a in json.loads(after.output)["answers"]}
    assert answers == {"how much is shipping": "shipping", FLAGGED: "refunds"}
