"""`tandem kb import | reindex | audit | test | train-*`: sync and encode knowledge, audit, replay,
train the answer and follow-up models."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.config import Settings, get_settings
from tandem.core.commands import fail
from tandem.core.errors import TandemError
from tandem.core.units import run_unit
from tandem.knowledge import answer_model, followup_model, service
from tandem.knowledge.answer_training import CORPUS, train
from tandem.knowledge.audit import audit_knowledge
from tandem.knowledge.crawler import (
    DEFAULT_DELAY_SECONDS,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_PAGES,
    CrawlLimits,
    crawl_site,
)
from tandem.knowledge.followup_training import train as train_followups
from tandem.knowledge.quality.findings import Finding
from tandem.knowledge.regression import (
    Answer,
    GoldenQuestion,
    Scores,
    merge_golden,
    read_golden,
    score,
)
from tandem.nlu.encoder import KNOWLEDGE_ENCODER, EncoderNotFoundError, load_encoder


def _import(
    settings: Settings, source: str, limits: CrawlLimits, check: service.RegressionCheck
) -> service.ImportReport:
    if source.startswith(("http://", "https://")):
        result = crawl_site(
            source, limits=limits, progress=lambda n, url: typer.echo(f"  [{n}] {url}", err=True)
        )
        for skipped in result.skipped:
            typer.echo(f"  skipped {skipped}", err=True)
        if not result.complete:
            typer.echo("  crawl stopped early: pages not reached are kept, not deleted", err=True)
        prefix = result.site if result.complete else None
        return run_unit(
            settings,
            lambda s: service.publish(s, result.articles, source_prefix=prefix, check=check),
        )
    path = Path(source)
    if path.is_dir():
        return run_unit(settings, lambda s: service.import_folder(s, path, check=check))
    if path.is_file():
        return run_unit(settings, lambda s: service.import_file(s, path, check=check))
    raise fail(f"{source} is neither a folder, a file nor an http(s) URL.")


LearnedGolden = Callable[[AsyncSession], Awaitable[Sequence[GoldenQuestion]]]


def register(
    kb_app: typer.Typer, *, default_golden: Path, learned: LearnedGolden | None = None
) -> None:
    """Add the knowledge commands; ``default_golden`` is used unless settings name a file, and
    ``learned`` golden questions (stored by another domain) join and override the file's."""

    def golden(settings: Settings) -> list[GoldenQuestion]:
        try:
            from_file = read_golden(settings.knowledge_golden_path or default_golden)
        except TandemError as error:
            raise fail(error.message) from error
        return merge_golden(from_file, run_unit(settings, learned)) if learned else from_file

    @kb_app.command("import")
    def kb_import(
        source: Annotated[
            str,
            typer.Argument(
                help="A folder or file (Markdown with front matter, HTML, question/answer CSV), "
                "or a website URL or sitemap to crawl."
            ),
        ],
        max_pages: Annotated[int, typer.Option(help="Crawl at most this many pages.", min=1)] = (
            DEFAULT_MAX_PAGES
        ),
        max_depth: Annotated[int, typer.Option(help="Follow links this deep.", min=0)] = (
            DEFAULT_MAX_DEPTH
        ),
        delay: Annotated[
            float,
            typer.Option(
                help="Seconds between two requests to the site (robots.txt's Crawl-delay wins "
                "when longer).",
                min=0.0,
                max=60.0,
            ),
        ] = DEFAULT_DELAY_SECONDS,
        allow_regressions: Annotated[
            bool,
            typer.Option(
                "--allow-regressions", help="Publish even if golden answers would turn wrong."
            ),
        ] = False,
    ) -> None:
        """Sync articles from files or a website; golden questions are replayed first."""
        settings = get_settings()
        check = service.RegressionCheck(
            golden(settings), settings.answer_threshold, allow_regressions=allow_regressions
        )
        limits = CrawlLimits(max_pages, max_depth, delay_seconds=delay)
        report = _import(settings, source, limits, check)
        for change in report.changes:
            typer.echo(f"  {change.describe()}")
        for slug, removed in report.hidden.items():
            for excerpt in removed:
                typer.echo(f"  {slug}: left out text readers cannot see: {excerpt}")
        typer.echo(
            f"Imported {source}: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.deleted)} deleted."
        )

    @kb_app.command("reindex")
    def kb_reindex() -> None:
        """Encode and store what the articles need that is not stored (after an upgrade, say)."""
        settings = get_settings()
        stored, pruned = run_unit(settings, service.store_all_vectors)
        typer.echo(f"Stored {stored} new vectors; removed {pruned} that no article uses.")

    @kb_app.command("audit")
    def kb_audit(
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON list.")] = False,
    ) -> None:
        """Find duplicates, contradictions, stale articles, broken links, unused articles, gaps."""
        settings = get_settings()
        findings = run_unit(
            settings,
            lambda s: audit_knowledge(s, max_age_days=settings.knowledge_review_days),
        )
        if as_json:
            typer.echo(json.dumps([f.as_json() for f in findings], indent=2))
            return
        typer.echo(_audit_text(findings))

    @kb_app.command("test")
    def kb_test(
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
        fail_under: Annotated[
            float, typer.Option(help="Exit 1 if fewer than this share are right.", min=0, max=1)
        ] = 0.0,
    ) -> None:
        """Replay the golden questions against the current knowledge base."""
        settings = get_settings()
        questions = golden(settings)
        answers = run_unit(
            settings,
            lambda s: service.test_answers(s, questions, threshold=settings.answer_threshold),
        )
        scores = score(answers)
        right = sum(a.correct for a in answers)
        share = right / len(answers) if answers else 1.0
        if as_json:
            typer.echo(
                json.dumps(
                    {
                        "right": right,
                        "total": len(answers),
                        "scores": scores.as_json(),
                        "by_language": {
                            lang: score(group).as_json() for lang, group in by_language(answers)
                        },
                        "answers": [a.as_json() for a in answers],
                    },
                    indent=2,
                )
            )
        else:
            for answer in answers:
                if not answer.correct:
                    typer.echo(_wrong(answer))
            typer.echo(_scores_text(scores))
            for lang, group in by_language(answers):
                typer.echo(f"  {lang}: {_scores_text(score(group))}")
            typer.echo(f"{right}/{len(answers)} golden questions answered right ({share:.0%}).")
        if share < fail_under:
            raise typer.Exit(code=1)

    @kb_app.command("train-answers")
    def kb_train_answers(
        corpus: Annotated[
            Path, typer.Option(help="Folder of companies (articles/ and questions.jsonl each).")
        ] = CORPUS,
        out: Annotated[Path, typer.Option(help="Where to write the model.")] = (
            answer_model.MODEL_PATH
        ),
        encoder: Annotated[
            str,
            typer.Option(
                help="Encoder the model reads through: a name, two names joined by + "
                "(read side by side), or a folder."
            ),
        ] = KNOWLEDGE_ENCODER,
    ) -> None:
        """Train the answer model (the shipped one is built by this command with its defaults)."""
        try:
            model = train(load_encoder(encoder), root=corpus, progress=typer.echo)
        except (TandemError, EncoderNotFoundError) as error:
            raise fail(str(error)) from error
        digest = answer_model.save(model, out)
        typer.echo(f"Wrote {out} (sha256 {digest[:12]}), trained on {model.trained_on}.")

    @kb_app.command("train-followups")
    def kb_train_followups(
        corpus: Annotated[
            Path, typer.Option(help="Folder of companies (questions.jsonl and casual.jsonl each).")
        ] = CORPUS,
        out: Annotated[Path, typer.Option(help="Where to write the model.")] = (
            followup_model.MODEL_PATH
        ),
    ) -> None:
        """Train the follow-up model (the shipped one is built by this command with its
        defaults), through the encoder the answer model reads with."""
        try:
            encoder = load_encoder(answer_model.load_answer_model().encoder)
            model = train_followups(encoder, root=corpus, progress=typer.echo)
        except (TandemError, EncoderNotFoundError) as error:
            raise fail(str(error)) from error
        digest = followup_model.save(model, out)
        typer.echo(f"Wrote {out} (sha256 {digest[:12]}), trained on {model.trained_on}.")


def by_language(answers: list[Answer]) -> list[tuple[str, list[Answer]]]:
    groups: dict[str, list[Answer]] = {}
    for answer in answers:
        groups.setdefault(answer.question.lang, []).append(answer)
    return sorted(groups.items()) if len(groups) > 1 else []


def _scores_text(scores: Scores) -> str:
    return (
        f"answer accuracy {scores.accuracy:.1%} ({scores.right}/{scores.answerable}), "
        f'"I don\'t know" precision {scores.idk_precision:.1%} and recall '
        f"{scores.idk_recall:.1%} ({scores.idk_right}/{scores.unanswerable}), "
        f"wrong article {scores.wrong_rate:.1%} ({scores.wrong})"
    )


def _wrong(answer: Answer) -> str:
    expected = answer.question.article or "no answer"
    got = answer.passage or "no answer"
    return (
        f'WRONG "{answer.question.question}": expected {expected}, got {got} ({answer.score:.2f})'
    )


def _audit_text(findings: list[Finding]) -> str:
    if not findings:
        return "No problems found."
    lines = [f"[{f.kind.value}] {f.detail}\n    fix: {f.fix}" for f in findings]
    return "\n".join(lines) + f"\n\n{len(findings)} finding(s)."
