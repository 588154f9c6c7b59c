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
from tandem.knowledge.followup import reads_as_follow_up, with_previous
from tandem.knowledge.index import RetrievalIndex


@dataclass(frozen=True, slots=True)
class GoldenQuestion:
    question: str
    article: str | None  # None: the knowledge base should not answer it
    lang: str = "en"
    after: str | None = None  # the earlier message a follow-up depends on


@dataclass(frozen=True, slots=True)
class Scores:
    """How the answers to golden questions split: right, wrong, and honest "I don't know"."""

    answerable: int
    unanswerable: int
    right: int  # answerable, answered from the named article
    wrong: int  # answered from an article that is not the named one (or any, if none is)
    unanswered: int  # answerable, but "I don't know"
    idk_right: int  # unanswerable, and "I don't know"

    @property
    def accuracy(self) -> float:
        """Share of answerable questions answered from the right article."""
        return self.right / self.answerable if self.answerable else 1.0

    @property
    def idk_recall(self) -> float:
        """Share of unanswerable questions that got "I don't know"."""
        return self.idk_right / self.unanswerable if self.unanswerable else 1.0

    @property
    def idk_precision(self) -> float:
        """Share of "I don't know" replies given to questions that were unanswerable."""
        said = self.idk_right + self.unanswered
        return self.idk_right / said if said else 1.0

    @property
    def wrong_rate(self) -> float:
        """Share of all questions answered confidently from a wrong article."""
        total = self.answerable + self.unanswerable
        return self.wrong / total if total else 0.0

    def as_json(self) -> dict[str, object]:
        return {
            "answerable": self.answerable,
            "unanswerable": self.unanswerable,
            "right": self.right,
            "wrong": self.wrong,
            "accuracy": round(self.accuracy, 4),
            "idk_precision": round(self.idk_precision, 4),
            "idk_recall": round(self.idk_recall, 4),
            "wrong_rate": round(self.wrong_rate, 4),
        }


def score(answers: Sequence[Answer]) -> Scores:
    answerable = [a for a in answers if a.question.article is not None]
    unanswerable = [a for a in answers if a.question.article is None]
    return Scores(
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        right=sum(a.correct for a in answerable),
        wrong=sum(a.slug is not None and not a.correct for a in answers),
        unanswered=sum(a.slug is None for a in answerable),
        idk_right=sum(a.slug is None for a in unanswerable),
    )


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
            _golden(item, article=str(item["article"])) for item in data.get("answerable") or []
        ] + [_golden(item, article=None) for item in data.get("unanswerable") or []]
    except (KeyError, TypeError, AttributeError) as error:
        raise InvalidInputError(
            f"{path}: each answerable item needs 'question' and 'article', and each "
            f"unanswerable item is a question or has 'question' ({error!r})."
        ) from error


def _asked(question: str) -> str:
    return " ".join(question.casefold().split())


def merge_golden(
    base: Sequence[GoldenQuestion], newer: Sequence[GoldenQuestion]
) -> list[GoldenQuestion]:
    """``base``'s golden questions, then ``newer``'s; a question asked in both (whatever its
    case and spacing), or twice in ``newer``, keeps only its last entry in ``newer``."""
    latest = {_asked(q.question): q for q in newer}
    return [q for q in base if _asked(q.question) not in latest] + list(latest.values())


def _golden(item: Any, *, article: str | None) -> GoldenQuestion:  # Any: untrusted YAML
    if isinstance(item, str):
        return GoldenQuestion(item, article)
    after = item.get("after")
    return GoldenQuestion(
        str(item["question"]),
        article,
        lang=str(item.get("lang") or "en"),
        after=str(after) if after else None,
    )


def replay(
    golden: Sequence[GoldenQuestion], index: RetrievalIndex, *, threshold: float
) -> list[Answer]:
    """Answer every golden question as the bot would: the best passage if it clears the bar."""
    answers: list[Answer] = []
    for item in golden:
        hits = index.search(item.question, limit=1)
        depends = index.depends_on_previous(item.question) if item.after else None
        if item.after and reads_as_follow_up(
            item.question, hits, threshold=threshold, depends=depends
        ):
            combined = index.search(with_previous(item.after, item.question), limit=1)
            if combined and combined[0].score >= threshold:
                hits = combined
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
