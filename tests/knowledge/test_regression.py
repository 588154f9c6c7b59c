"""The answer regression suite: golden questions replayed before knowledge is published."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from tandem.cli import app
from tandem.config import Settings, get_settings
from tandem.demo import GOLDEN_QUESTIONS
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.regression import (
    Answer,
    GoldenQuestion,
    KnowledgeRegressionError,
    compare,
    read_golden,
    replay,
    score,
)
from tandem.knowledge.service import RegressionCheck, build_index
from tests.factories import write_article

THRESHOLD = Settings().answer_threshold
GOLDEN = [
    GoldenQuestion("how long do refunds take", "refunds"),
    GoldenQuestion("do you sell parrots", None),
]
REFUNDS = ("refunds", "How long do refunds take?", (), "Refunds take 5 business days.")
LAMPS = ("lamps", "Do lamps come with a bulb?", (), "Every lamp comes with a bulb.")


def test_replay_and_compare_name_the_answers_that_change() -> None:
    before = replay(GOLDEN, build_index([REFUNDS, LAMPS]), threshold=THRESHOLD)
    assert [a.correct for a in before] == [True, True]
    moved = ("refunds", "Gift cards", (), "Gift cards never expire.")
    after = replay(GOLDEN, build_index([moved, LAMPS]), threshold=THRESHOLD)
    [change] = compare(before, after)
    assert change.regression
    assert change.before.passage == "refunds#0"
    assert change.after.passage != "refunds#0"
    assert compare(before, before) == []


def test_the_demo_golden_set_ships_with_the_product() -> None:
    golden = read_golden(GOLDEN_QUESTIONS)
    assert len(golden) > 100
    assert any(q.article is None for q in golden)


async def test_publishing_a_regression_needs_an_override(
    session: AsyncSession, tmp_path: Path
) -> None:
    write_article(tmp_path, "refunds", title="How long do refunds take?", body="5 business days.")
    await knowledge_service.import_folder(session, tmp_path)
    write_article(tmp_path, "refunds", title="Lamp bulbs", body="Lamps come with bulbs.")
    check = RegressionCheck(GOLDEN, THRESHOLD)
    with pytest.raises(KnowledgeRegressionError, match="allow-regressions") as caught:
        await knowledge_service.import_folder(session, tmp_path, check=check)
    assert "how long do refunds take" in caught.value.message
    assert (await knowledge_service.get_article(session, "refunds")).title.startswith("How long")

    allowed = RegressionCheck(GOLDEN, THRESHOLD, allow_regressions=True)
    report = await knowledge_service.import_folder(session, tmp_path, check=allowed)
    assert report.updated == ["refunds"]
    assert [c.regression for c in report.changes] == [True]


runner = CliRunner()


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("TANDEM_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'kb.db'}")
    golden = tmp_path / "golden.yaml"
    golden.write_text(
        "answerable:\n  - question: how long do refunds take\n    article: refunds\n"
        "unanswerable:\n  - do you sell parrots\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TANDEM_KNOWLEDGE_GOLDEN_PATH", str(golden))
    get_settings.cache_clear()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    yield tmp_path
    get_settings.cache_clear()


def test_kb_commands_import_test_and_audit(cli_database: Path) -> None:
    folder = cli_database / "kb"
    folder.mkdir()
    write_article(folder, "refunds", title="How long do refunds take?", body="5 business days.")
    (folder / "faq.csv").write_text("question,answer\nDo you ship?,Yes.\n", encoding="utf-8")
    imported = runner.invoke(app, ["kb", "import", str(folder)])
    assert "2 created, 0 updated, 0 unchanged, 0 deleted" in imported.output, imported.output

    tested = runner.invoke(app, ["kb", "test", "--json", "--fail-under", "1"])
    assert tested.exit_code == 0, tested.output
    assert json.loads(tested.output)["right"] == 2

    write_article(folder, "refunds", title="Lamp bulbs", body="Lamps come with bulbs.")
    refused = runner.invoke(app, ["kb", "import", str(folder)])
    assert refused.exit_code == 1
    assert "REGRESSION" in refused.output
    assert "nothing was published" in refused.output
    forced = runner.invoke(app, ["kb", "import", str(folder), "--allow-regressions"])
    assert "1 updated" in forced.output
    assert runner.invoke(app, ["kb", "test", "--fail-under", "1"]).exit_code == 1

    write_article(folder, "bulbs", title="Lamp bulbs", body="Lamps come with bulbs!")
    runner.invoke(app, ["kb", "import", str(folder), "--allow-regressions"])
    audited = runner.invoke(app, ["kb", "audit", "--json"])
    assert audited.exit_code == 0, audited.output
    assert json.loads(audited.output) == [
        {
            "kind": "duplicate",
            "articles": ["Lamp bulbs", "Lamp bulbs"],
            "detail": "'Lamp bulbs' and 'Lamp bulbs' are 100% similar.",
            "fix": "Merge them into one article and delete the other, so the bot and "
            "customers find one answer.",
        }
    ]


def test_the_demo_golden_set_has_paraphrases_follow_ups_languages_and_unanswerables() -> None:
    golden = read_golden(GOLDEN_QUESTIONS)
    assert len(golden) >= 300
    assert sum(q.article is None for q in golden) >= 60
    assert sum(q.after is not None for q in golden) >= 25
    assert {q.lang for q in golden} >= {"en", "es", "de", "fr", "it", "pt", "nl", "pl", "zh"}


def test_scores_separate_right_answers_from_honest_and_wrong_ones() -> None:
    def answer(article: str | None, got: str | None) -> Answer:
        return Answer(GoldenQuestion("q", article), got, f"{got}#0" if got else None, 0.5)

    scores = score(
        [
            answer("refunds", "refunds"),  # right
            answer("refunds", None),  # "I don't know" to an answerable question
            answer("refunds", "lamps"),  # wrong article
            answer(None, None),  # right "I don't know"
            answer(None, "lamps"),  # answered the unanswerable
        ]
    )
    assert (scores.accuracy, scores.idk_precision, scores.idk_recall) == (1 / 3, 1 / 2, 1 / 2)
    assert scores.wrong == 2
    assert scores.wrong_rate == 2 / 5


def test_a_follow_up_is_replayed_with_the_question_it_follows() -> None:
    countries = (
        "shipping-countries",
        "Which countries do you deliver to?",
        ("shipping",),
        "We deliver to the United Kingdom, every EU country, Norway and Switzerland.",
    )
    index = build_index([countries, REFUNDS, LAMPS])
    follow_up = GoldenQuestion(
        "and to norway?", "shipping-countries", after="which countries do you deliver to"
    )
    alone = GoldenQuestion("and to norway?", "shipping-countries")
    with_context, without = replay([follow_up, alone], index, threshold=THRESHOLD)
    assert with_context.correct
    assert with_context.score >= without.score
