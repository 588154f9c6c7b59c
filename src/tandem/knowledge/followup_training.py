"""Build the follow-up model from the invented help centres in ``knowledge/corpus/``.

Every labelled question of a company (``questions.jsonl`` and ``casual.jsonl``) is an example:
a ``follow_up`` (asked after ``previous``) depends on the question before it, every other kind
(direct, paraphrased, buried in a story, a typo, a short fragment, another language,
unanswerable) stands alone. Each company is held out in turn before the final fit, and the
held-out figures are printed, so the command says how the model does on a help centre it has
not seen. Deterministic for a given corpus and encoder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tandem.core.errors import InvalidInputError
from tandem.core.logistic import LogisticWeights
from tandem.core.logistic_training import fit_balanced
from tandem.knowledge.answer_training import CORPUS, read_questions
from tandem.knowledge.followup_model import FollowUpModel, features_of
from tandem.nlu.encoder import SentenceEncoder
from tandem.nlu.normalize import unshout

QUESTION_FILES = ("questions.jsonl", "casual.jsonl")
C = 0.03  # compared with 0.01 to 1 holding out each company in turn: flat from 0.01 to 0.1
THRESHOLD = 0.5  # the classes are weighted to balance, so the even odds are the line

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Examples:
    company: str
    texts: list[str]
    labels: NDArray[np.bool_]


def read_examples(folder: Path) -> Examples:
    """Read one company's questions; name every bad line."""
    texts: list[str] = []
    labels: list[bool] = []
    problems: list[str] = []
    for name in QUESTION_FILES:
        path = folder / name
        if not path.exists():
            continue
        questions, bad = read_questions(path)
        problems += [f"{path} {problem}" for problem in bad]
        texts += [q.question for _number, q in questions]
        labels += [q.kind == "follow_up" for _number, q in questions]
    if problems:
        raise InvalidInputError("The questions have problems:\n" + "\n".join(problems))
    return Examples(folder.name, texts, np.array(labels, dtype=bool))


def read_all(root: Path = CORPUS) -> list[Examples]:
    companies = [read_examples(f) for f in sorted(root.iterdir()) if f.is_dir()]
    companies = [c for c in companies if c.labels.any()]
    if len(companies) < 2:
        raise InvalidInputError(f"{root} needs at least two companies with follow-up questions.")
    return companies


def matrix(encoder: SentenceEncoder, texts: Sequence[str]) -> NDArray[np.float64]:
    """The model's input rows: the sentence vector (as the index reads a question) and length."""
    vectors = encoder.encode([unshout(t) for t in texts]).astype(np.float64)
    return np.hstack([vectors, np.array([features_of(t) for t in texts], dtype=np.float64)])


def fit(rows: NDArray[np.float64], labels: NDArray[np.bool_]) -> LogisticWeights:
    names = (*(f"v{i}" for i in range(rows.shape[1] - 1)), "log_words")
    return fit_balanced(rows, labels, names, c=C)


def _line(company: str, labels: NDArray[np.bool_], chosen: NDArray[np.bool_]) -> str:
    found = int((chosen & labels).sum())
    precision = found / max(int(chosen.sum()), 1)
    recall = found / max(int(labels.sum()), 1)
    return (
        f"  held out {company}: {int(labels.sum())} follow-ups of {len(labels)} questions; "
        f"precision {precision:.2f}, recall {recall:.2f}"
    )


def train(
    encoder: SentenceEncoder, *, root: Path = CORPUS, progress: Progress | None = None
) -> FollowUpModel:
    """Fit the model on every company, after printing each company held out in turn."""
    say = progress or (lambda _line: None)
    companies = read_all(root)
    rows = {c.company: matrix(encoder, c.texts) for c in companies}
    for held in companies:
        others = [c for c in companies if c is not held]
        weights = fit(
            np.vstack([rows[c.company] for c in others]),
            np.concatenate([c.labels for c in others]),
        )
        chosen = weights.probability(rows[held.company]) >= THRESHOLD
        say(_line(held.company, held.labels, chosen))
    weights = fit(
        np.vstack([rows[c.company] for c in companies]),
        np.concatenate([c.labels for c in companies]),
    )
    names = ", ".join(c.company for c in companies)
    return FollowUpModel(weights, THRESHOLD, encoder.name, names)
