"""Build the answer model from the invented help centres in ``knowledge/corpus/``.

Each company folder holds ``articles/*.md`` and ``questions.jsonl`` (question, language, the
article that answers it or null, the kind of question, and for follow-ups the question
before). For every question the index gathers its evidence; the passages ranked highest by
words or by meaning are the candidates, labelled by whether their article is the expected
one. A logistic regression on that evidence gives calibrated probabilities. Before the final
fit, each company is held out in turn (trained on the others) and the held-out figures are
printed, so the command says how the model does on a help centre it has not seen.
Deterministic for a given corpus and encoder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from scipy.optimize import minimize
from scipy.special import expit

from tandem.core.errors import InvalidInputError
from tandem.core.logistic import LogisticWeights
from tandem.knowledge.answer_model import (
    FEATURES,
    LEXICAL_FEATURES,
    AnswerModel,
)
from tandem.knowledge.importer import read_folder
from tandem.knowledge.index import PASSAGE_WEIGHT, IndexedArticle, RetrievalIndex, indexed
from tandem.nlu.encoder import SentenceEncoder

CORPUS = Path(__file__).parent / "corpus"
CANDIDATES = 15  # per ranking (words, meaning): the passages the decision is really between
C = 1.0
# Held-out figures are printed at these thresholds (the bot answers at settings.answer_threshold).
REPORT_THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8)

Progress = Callable[[str], None]


class CorpusQuestion(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    question: str = Field(min_length=1)
    lang: str
    expect: str | None
    kind: str
    previous: str | None = None

    @property
    def asked(self) -> str:
        """What the bot searches for: a follow-up is read with the question before it."""
        return f"{self.previous} {self.question}" if self.previous else self.question


@dataclass(frozen=True)
class Company:
    name: str
    articles: list[IndexedArticle]
    questions: list[CorpusQuestion]


@dataclass
class Evidence:
    """Candidate rows of one company: features, labels, and which question each row is."""

    company: str
    matrix: NDArray[np.float32]
    labels: NDArray[np.int64]
    question_of: NDArray[np.int64]
    article_of: list[str]
    questions: list[CorpusQuestion]


def read_questions(path: Path) -> tuple[list[tuple[int, CorpusQuestion]], list[str]]:
    """Read a ``questions.jsonl`` file: each question with its line number, and each bad line."""
    questions: list[tuple[int, CorpusQuestion]] = []
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            questions.append((number, CorpusQuestion.model_validate(json.loads(line))))
        except (ValueError, ValidationError) as error:
            problems.append(f"line {number}: {error}")
    return questions, problems


def read_company(folder: Path) -> Company:
    """Read one company's articles and labelled questions; name every bad line."""
    articles = [indexed(a.slug, a.title, a.tags, a.body) for a in read_folder(folder / "articles")]
    slugs = {a.slug for a in articles}
    path = folder / "questions.jsonl"
    read, problems = read_questions(path)
    questions: list[CorpusQuestion] = []
    for number, question in read:
        if question.expect is not None and question.expect not in slugs:
            problems.append(f"line {number}: no article '{question.expect}'")
            continue
        questions.append(question)
    if problems:
        raise InvalidInputError(f"{path} has problems:\n" + "\n".join(problems))
    return Company(folder.name, articles, questions)


def read_corpus(root: Path = CORPUS) -> list[Company]:
    companies = [read_company(f) for f in sorted(root.iterdir()) if (f / "articles").is_dir()]
    if len(companies) < 2:
        raise InvalidInputError(
            f"{root} needs at least two companies (folders with articles/ and questions.jsonl)."
        )
    return companies


def candidates(matrix: NDArray[np.float32], *, dense: bool) -> NDArray[np.int64]:
    """The rows ranked highest by words, and by each encoder's meaning when the index has it."""
    lexical = np.argsort(-matrix[:, LEXICAL_FEATURES.index("lexical_relative")], kind="stable")
    chosen = set(lexical[:CANDIDATES].tolist())
    if dense:
        for column in ("passage_dense", "companion_passage"):  # the second: zeros if none
            values = matrix[:, FEATURES.index(column)]
            if values.any():
                by_meaning = np.argsort(-values, kind="stable")
                chosen |= set(by_meaning[:CANDIDATES].tolist())
    return np.array(sorted(chosen), dtype=np.int64)


def _titles(company: Company) -> list[CorpusQuestion]:
    """Each article's title asked as a question: a help centre's titles are its questions."""
    return [
        CorpusQuestion(
            id=f"title-{a.slug}", question=a.title, lang="en", expect=a.slug, kind="title"
        )
        for a in company.articles
    ]


def gather(company: Company, encoder: SentenceEncoder | None) -> Evidence:
    """Collect the candidate evidence of every question of one company, and of its titles."""
    index = RetrievalIndex(company.articles, encoder=encoder)
    rows, labels, question_of, article_of = [], [], [], []
    questions = [*company.questions, *_titles(company)]
    for number, question in enumerate(questions):
        matrix = index.evidence(question.asked)
        for row in candidates(matrix, dense=encoder is not None):
            slug = index.passages[row].slug
            rows.append(matrix[row])
            labels.append(int(slug == question.expect))
            question_of.append(number)
            article_of.append(slug)
    return Evidence(
        company.name,
        np.stack(rows).astype(np.float32),
        np.array(labels, dtype=np.int64),
        np.array(question_of, dtype=np.int64),
        article_of,
        questions,
    )


# Evidence may only ever count for an answer (+1) or against it (-1); "foreign" is free. Without
# these signs, features that move together (a title's similarity and its gap to the best
# title) get opposite weights that cancel on the training data and misfire on a question
# that matches a title exactly.
_AGAINST = frozenset({"unknown_share", "question_words"})
_FREE = frozenset({"foreign"})


def _bounds(features: tuple[str, ...]) -> list[tuple[float | None, float | None]]:
    bounds: list[tuple[float | None, float | None]] = []
    for name in features:
        if name in _FREE:
            bounds.append((None, None))
        elif name in _AGAINST:
            bounds.append((None, 0.0))
        else:
            bounds.append((0.0, None))
    return [*bounds, (None, None)]  # the intercept


def fit(
    matrices: Sequence[NDArray[np.float32]],
    labels: Sequence[NDArray[np.int64]],
    features: tuple[str, ...],
) -> LogisticWeights:
    """Fit an L2-penalised logistic regression whose weights keep each feature's sign."""
    x = np.concatenate([m[:, : len(features)] for m in matrices]).astype(np.float64)
    y = np.concatenate(labels).astype(np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    penalty = 1.0 / (C * len(y))

    def loss(w: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        margin = z @ w[:-1] + w[-1]
        probability = expit(margin)
        value = float(np.mean(np.logaddexp(0.0, margin) - y * margin))
        value += 0.5 * penalty * float(w[:-1] @ w[:-1])
        error = (probability - y) / len(y)
        gradient = np.append(z.T @ error + penalty * w[:-1], error.sum())
        return value, gradient

    start = np.zeros(len(features) + 1)
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=_bounds(features))
    weights = result.x
    return LogisticWeights(features, mean, scale, weights[:-1], float(weights[-1]))


@dataclass(frozen=True)
class Figures:
    right: int
    answerable: int
    idk: int
    unanswerable: int
    wrong: int

    def line(self, threshold: float) -> str:
        total = self.answerable + self.unanswerable
        return (
            f"at {threshold:.2f}: right article {self.right}/{self.answerable} "
            f'({self.right / max(self.answerable, 1):.1%}), right "I don\'t know" '
            f"{self.idk}/{self.unanswerable} ({self.idk / max(self.unanswerable, 1):.1%}), "
            f"confident wrong {self.wrong}/{total} ({self.wrong / max(total, 1):.1%})"
        )


def figures(evidence: Evidence, weights: LogisticWeights, threshold: float) -> Figures:
    """Answer each question with its best candidate, as the bot does."""
    scores = weights.probability(evidence.matrix[:, : len(weights.features)])
    right = idk = wrong = 0
    for number, question in enumerate(evidence.questions):
        rows = np.flatnonzero(evidence.question_of == number)
        best = rows[int(np.argmax(scores[rows]))] if rows.size else None
        answered = best is not None and scores[best] >= threshold
        slug = evidence.article_of[best] if answered and best is not None else None
        if question.expect is None:
            idk += slug is None
        else:
            right += slug == question.expect
        wrong += slug is not None and slug != question.expect
    answerable = sum(q.expect is not None for q in evidence.questions)
    return Figures(right, answerable, idk, len(evidence.questions) - answerable, wrong)


def train(
    encoder: SentenceEncoder, *, root: Path = CORPUS, progress: Progress = print
) -> AnswerModel:
    """Train the answer model on every company of the corpus; print held-out figures first."""
    companies = read_corpus(root)
    evidences = []
    for company in companies:
        progress(f"gathering evidence: {company.name} ({len(company.questions)} questions)")
        evidences.append(gather(company, encoder))
    for variant, features in (("with the encoder", FEATURES), ("words only", LEXICAL_FEATURES)):
        for held in evidences:
            others = [e for e in evidences if e is not held]
            weights = fit([e.matrix for e in others], [e.labels for e in others], features)
            progress(f"held out {held.company}, {variant}:")
            for threshold in REPORT_THRESHOLDS:
                progress("  " + figures(held, weights, threshold).line(threshold))
    matrices = [e.matrix for e in evidences]
    labels = [e.labels for e in evidences]
    return AnswerModel(
        dense=fit(matrices, labels, FEATURES),
        lexical=fit(matrices, labels, LEXICAL_FEATURES),
        trained_on=", ".join(f"{c.name} ({len(c.questions)} questions)" for c in companies)
        + f"; encoder {encoder.name}; passage weight {PASSAGE_WEIGHT}",
        encoder=encoder.name,
    )
