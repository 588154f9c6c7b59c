"""The answer regression suite: replay golden questions and compare answers before and after.

A golden question names the article that should answer it, or none when the knowledge base
should not answer it. Replaying them against two indexes shows which answers a knowledge
change would alter; a change that turns a right answer wrong is a regression.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tandem.core.errors import ConflictError, InvalidInputError
from tandem.knowledge.index import RetrievalIndex


@dataclass(frozen=True, slots=True)
class GoldenQuestion:
    question: str
    article: str | None  # None: the knowledge base should not answer it


@dataclass(frozen=True, slots=True)
class Answer:
    question: GoldenQuestion
    slug: str | None  # the article answered from; None when below the threshold
    passage: str | None  # "slug#position"
    score: float

    @property
    def correct(self) -> bool:
        return self.slug == self.question.article

    def as_json(self) -> dict[str, object]:
        return {
            "question": self.question.question,
            "expected": self.question.article,
            "answered_from": self.slug,
            "passage": self.passage,
            "score": round(self.score, 4),
            "correct": self.correct,
        }


@dataclass(frozen=True, slots=True)
class Change:
    before: Answer
    after: Answer

    @property
    def regression(self) -> bool:
        return self.before.correct and not self.after.correct

    def describe(self) -> str:
        mark = "REGRESSION" if self.regression else "changed"
        return (
            f'{mark}: "{self.before.question.question}" '
            f"{self.before.passage or 'no answer'} -> {self.after.passage or 'no answer'}"
        )


class KnowledgeRegressionError(ConflictError):
    """Publishing would turn right answers wrong; nothing was published."""

    def __init__(self, changes: Sequence[Change]) -> None:
        listing = "\n".join(f"  - {c.describe()}" for c in changes if c.regression)
        super().__init__(
            "This knowledge change would break answers to golden questions; nothing was "
            f"published. Fix the articles, or publish anyway with --allow-regressions:\n{listing}"
        )
        self.changes = list(changes)


def read_golden(path: Path) -> list[GoldenQuestion]:
    """Read golden questions: ``answerable`` (question, article) and ``unanswerable`` lists."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))  # Any: untrusted YAML
    except (OSError, yaml.YAMLError) as error:
        raise InvalidInputError(f"Cannot read golden questions from {path}: {error}") from error
    if not isinstance(data, dict):
        raise InvalidInputError(f"{path}: expected 'answerable' and 'unanswerable' lists.")
    try:
        return [
            GoldenQuestion(str(item["question"]), str(item["article"]))
            for item in data.get("answerable") or []
        ] + [GoldenQuestion(str(q), None) for q in data.get("unanswerable") or []]
    except (KeyError, TypeError) as error:
        raise InvalidInputError(
            f"{path}: each answerable item needs 'question' and 'article' ({error})."
        ) from error


def replay(
    golden: Sequence[GoldenQuestion], index: RetrievalIndex, *, threshold: float
) -> list[Answer]:
    """Answer every golden question as the bot would: the best passage if it clears the bar."""
    answers: list[Answer] = []
    for item in golden:
        hits = index.search(item.question, limit=1)
        best = hits[0] if hits and hits[0].score >= threshold else None
        answers.append(
            Answer(
                item,
                best.passage.slug if best else None,
                f"{best.passage.slug}#{best.passage.position}" if best else None,
                hits[0].score if hits else 0.0,
            )
        )
    return answers


def compare(before: Sequence[Answer], after: Sequence[Answer]) -> list[Change]:
    """Return the answers that differ, in question order; both replays use the same questions."""
    return [
        Change(old, new)
        for old, new in zip(before, after, strict=True)
        if old.passage != new.passage
    ]
