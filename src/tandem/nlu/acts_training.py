"""Build the acts model (``tandem nlu train-acts``): asks or only tells, from labelled messages.

``acts_corpus/<lang>.jsonl`` holds the training messages, ``acts_corpus/heldout/`` messages
written after them and never trained on: one JSON object a line, ``{"text", "lang", "asks"}``.
Each text is read without its question marks (one settles "asks" before the model is asked).
The threshold is chosen on the training messages' cross-validated scores: the highest at which
at least ``ASKS_RECALL`` of the asking messages still read as asking, since reading a question
as a statement would hide a miss. Deterministic for the same files and encoder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from tandem.core.errors import InvalidInputError
from tandem.core.logistic import LogisticWeights
from tandem.nlu.acts import ActsModel, without_question_marks
from tandem.nlu.encoder import SentenceEncoder
from tandem.nlu.heads import prepare

CORPUS = Path(__file__).parent / "acts_corpus"
SIGNAL_CORPUS = Path(__file__).parent / "corpus"
# Labels of the signal corpus whose messages ask for an answer whatever their words.
DIALOGS_SUFFIX = "-dialogs.jsonl"
ASKING_SIGNALS = frozenset({"order_problem", "not_helped", "complaint", "adverse_request"})
HELDOUT = CORPUS / "heldout"
ASKS_RECALL = 0.97
C = 0.01  # chosen by cross-validation on the corpus (0.003 to 1 compared)
FOLDS = 5

Progress = Callable[[str], None]


class Act(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000)
    lang: str = Field(min_length=2, max_length=8)
    asks: bool


@dataclass(frozen=True)
class Labelled:
    texts: list[str]
    langs: list[str]
    asks: NDArray[np.int64]


def read_acts(folder: Path) -> Labelled:
    """Read every ``*.jsonl`` of a folder (not its subfolders)."""
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise InvalidInputError(f"no *.jsonl files in {folder}")
    acts: list[Act] = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                acts.append(Act.model_validate(json.loads(line)))
            except (json.JSONDecodeError, ValidationError) as error:
                raise InvalidInputError(
                    f"{path.name}, line {number}: not a labelled message ({error})"
                ) from error
    return Labelled(
        [a.text for a in acts],
        [a.lang for a in acts],
        np.array([int(a.asks) for a in acts], dtype=np.int64),
    )


def problem_reports(folder: Path) -> Labelled:
    """The signal corpus's reports of a problem, complaints and requests for an exception: each
    asks for an answer, though many ask nothing in words ("only one of the two pillowcases
    came", "it's Wednesday now, the estimated date was Monday")."""
    texts, langs = [], []
    for path in sorted(folder.glob("*.jsonl")):
        if path.name.endswith(DIALOGS_SUFFIX):
            continue  # labels the heads proposed for evaluation sets' messages, not written ones
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if ASKING_SIGNALS & set(row.get("labels", ())):
                    texts.append(str(row["text"]))
                    langs.append(str(row.get("lang", "")))
    return Labelled(texts, langs, np.ones(len(texts), dtype=np.int64))


def _joined(first: Labelled, second: Labelled) -> Labelled:
    return Labelled(
        first.texts + second.texts,
        first.langs + second.langs,
        np.concatenate([first.asks, second.asks]),
    )


def _vectors(encoders: Sequence[SentenceEncoder], texts: list[str]) -> NDArray[np.float64]:
    read = [prepare(without_question_marks(t)) or t for t in texts]
    return np.hstack([encoder.encode(read).astype(np.float64) for encoder in encoders])


def _threshold(scores: NDArray[np.float64], asks: NDArray[np.int64]) -> float:
    """The highest threshold at which ``ASKS_RECALL`` of the asking messages still ask."""
    asking = np.sort(scores[asks == 1])
    index = int(np.floor((1 - ASKS_RECALL) * len(asking)))
    return round(float(asking[index]), 4)


def _fit(x: NDArray[np.float64], y: NDArray[np.int64]) -> LogisticWeights:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=C, max_iter=5000).fit((x - mean) / scale, y)
    features = tuple(f"d{i}" for i in range(x.shape[1]))
    return LogisticWeights(
        features, mean, scale, model.coef_[0].astype(np.float64), float(model.intercept_[0])
    )


def _line(name: str, scores: NDArray[np.float64], asks: NDArray[np.int64], cut: float) -> str:
    said = scores >= cut
    kept = int(said[asks == 1].sum())
    told = int((~said[asks == 0]).sum())
    return (
        f"{name}: asking read as asking {kept}/{int((asks == 1).sum())}, "
        f"telling read as telling {told}/{int((asks == 0).sum())}"
    )


def train(
    encoders: Sequence[SentenceEncoder],
    *,
    corpus: Path = CORPUS,
    heldout: Path | None = HELDOUT,
    reports: Path | None = SIGNAL_CORPUS,
    progress: Progress = print,
) -> ActsModel:
    """Fit on ``corpus`` and the problem reports of ``reports`` (a signal corpus), print
    cross-validated and held-out figures, return the model."""
    data = read_acts(corpus)
    written_count = len(data.texts)
    if reports is not None:
        data = _joined(data, problem_reports(reports))
    if len(set(data.asks.tolist())) < 2:
        raise InvalidInputError("the corpus needs messages that ask and messages that only tell")
    x = _vectors(encoders, data.texts)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=0)
    scaled = (x - x.mean(axis=0)) / np.where(x.std(axis=0) < 1e-9, 1.0, x.std(axis=0))
    crossed = cross_val_predict(
        LogisticRegression(C=C, max_iter=5000), scaled, data.asks, cv=folds, method="predict_proba"
    )[:, 1]
    # Both kinds of asking keep ``ASKS_RECALL``: questions and requests, and problem reports.
    written = np.arange(len(data.texts)) < written_count
    cut = min(
        _threshold(crossed[part], data.asks[part])
        for part in (written, ~written)
        if (data.asks[part] == 1).any()
    )
    progress(_line(f"cross-validated ({FOLDS} folds), threshold {cut}", crossed, data.asks, cut))
    weights = _fit(x, data.asks)
    names = tuple(encoder.name for encoder in encoders)
    model = ActsModel(names, weights, cut, f"{corpus.name} ({len(data.texts)} messages)")
    if heldout is not None and any(heldout.glob("*.jsonl")):
        held = read_acts(heldout)
        scores = model.probability(_vectors(encoders, held.texts).astype(np.float32))
        progress(_line("held out", scores.astype(np.float64), held.asks, cut))
        for lang in sorted(set(held.langs)):
            rows = np.array([code == lang for code in held.langs])
            progress("  " + _line(lang, scores[rows].astype(np.float64), held.asks[rows], cut))
    return model
