"""Build the signal heads from the labelled corpus (and, optionally, GoEmotions).

The signals are learnt together by a one-hidden-layer network on the sentence embedding
(scikit-learn's ``MLPClassifier``, its weights copied out to plain arrays). Five-fold
cross-validation gives out-of-fold scores, on which a Platt scaling and each signal's firing
threshold are fitted. Signals that protect people (requests for a person, negative emotions,
sensitive topics, adverse requests) choose the threshold that maximises F2 (a miss costs more
than a false alarm), the rest F1, each false alarm counting ``TRAFFIC_NEGATIVES`` times.
Requests for a person are also learnt misspelt, and the parts of routine messages as routine
messages of their own (``tandem.nlu.augment``).
Deterministic for a given corpus, encoder and seed.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.neural_network import MLPClassifier

from tandem.nlu.augment import VARIANTS, clause_copies, typo_variants
from tandem.nlu.encoder import SentenceEncoder
from tandem.nlu.heads import EMOTIONS, SENSITIVE, Heads, Signal, prepare
from tandem.nlu.language import SUPPORTED
from tandem.nlu.reading import SMALL_TALK_EXAMPLE, small_talk_examples

CORPUS = Path(__file__).parent / "corpus"
# A miss here leaves a customer who needs a person with the bot: thresholds favour recall.
RECALL_FIRST = frozenset({Signal.HUMAN_REQUEST, *SENSITIVE, *EMOTIONS, Signal.ADVERSE_REQUEST})
TRAINED = tuple(s for s in Signal if s is not Signal.NEGATIVE)
HIDDEN_UNITS = 512
ALPHA = 1e-3  # L2 penalty of the network
EPOCHS = 200
MEMBERS = 1  # networks per set of heads, from consecutive seeds, their logits averaged
TONE_C = 1.0
# A third of the hand-written corpus is routine; in a shop's chats most messages are. Choosing
# the thresholds of signals that hand off, a false alarm on the corpus stands for this many live.
TRAFFIC_NEGATIVES = 2.5
# With the messages of real routine conversations in the corpus (``*-dialogs.jsonl``), routine
# traffic is there to be counted, and a false alarm counts once.
TRAFFIC_NEGATIVES_WITH_DIALOGS = 1.0
DIALOGS_SUFFIX = "-dialogs.jsonl"
FOLDS = 5
# GoEmotions labels that are a negative feeling (indexes into its emotions.txt).
_GO_NEGATIVE = frozenset(
    {"anger", "annoyance", "disappointment", "disapproval", "disgust", "embarrassment",
     "fear", "grief", "nervousness", "remorse", "sadness"}
)  # fmt: skip
_GO_SAMPLE = 8000

Progress = Callable[[str], None]


class CorpusError(ValueError):
    """Raised when a corpus file has a bad line; the message names the file and line."""


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1, max_length=5000)
    lang: str
    labels: tuple[Signal, ...] = ()
    # Set by ``load_corpus`` for a message of a routine conversation (a ``*-dialogs.jsonl``
    # file): it says only that the whole message hands nothing off.
    dialog: bool = Field(default=False, exclude=True)


def load_corpus(folder: Path = CORPUS) -> list[Example]:
    """Read every ``*.jsonl`` in folder; one bad line fails the whole read, with its place."""
    examples: list[Example] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.jsonl")):
        dialog = path.name.endswith(DIALOGS_SUFFIX)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                example = Example.model_validate(json.loads(line))
            except (json.JSONDecodeError, ValidationError) as error:
                problems.append(f"{path.name}:{number}: {str(error).splitlines()[0]}")
                continue
            if example.lang not in SUPPORTED:
                problems.append(f"{path.name}:{number}: language {example.lang!r} unsupported")
            examples.append(example.model_copy(update={"dialog": True}) if dialog else example)
    if problems:
        raise CorpusError("bad corpus lines:\n" + "\n".join(problems[:20]))
    if not examples:
        raise CorpusError(f"no examples in {folder}")
    return examples


def load_goemotions(folder: Path, *, seed: int = 0) -> list[tuple[str, bool]]:
    """Return a sample of GoEmotions comments, each marked negative or not."""
    names = (folder / "emotions.txt").read_text().split()
    rows: list[tuple[str, bool]] = []
    for line in (folder / "train.tsv").read_text(encoding="utf-8").splitlines():
        text, ids, _id = line.split("\t")
        emotions = {names[int(i)] for i in ids.split(",")}
        rows.append((text, bool(emotions & _GO_NEGATIVE)))
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(rows), size=min(_GO_SAMPLE, len(rows)), replace=False)
    return [rows[i] for i in sorted(chosen)]


@dataclass(frozen=True)
class HeadReport:
    signal: Signal
    positives: int
    precision: float
    recall: float
    threshold: float


def _threshold(
    probs: NDArray[np.float64], y: NDArray[np.int_], beta: float, negatives: float
) -> float:
    """Return the threshold with the best F-beta, counting each false alarm ``negatives`` times."""
    best, best_score = 0.5, -1.0
    for t in np.linspace(0.02, 0.98, 97):
        predicted = probs >= t
        tp = float(np.sum(predicted & (y == 1)))
        fp = float(np.sum(predicted & (y == 0)))
        precision = tp / max(tp + negatives * fp, 1.0)
        recall = tp / max(float(y.sum()), 1.0)
        if precision + recall == 0:
            continue
        score = (1 + beta**2) * precision * recall / (beta**2 * precision + recall)
        if score > best_score:
            best, best_score = float(t), score
    return best


@dataclass(frozen=True)
class NetworkSize:
    """How big the shared network is and how long it trains (the defaults build shipped heads)."""

    hidden_units: int = HIDDEN_UNITS
    epochs: int = EPOCHS
    # Networks trained from different seeds whose outputs (logits) are averaged: one network's
    # score on a message unlike the corpus swings with its seed; the mean swings less.
    members: int = MEMBERS


def _network(seed: int, size: NetworkSize) -> MLPClassifier:
    return MLPClassifier(
        hidden_layer_sizes=(size.hidden_units,),
        alpha=ALPHA,
        max_iter=size.epochs,
        random_state=seed,
    )


def _fit_network(
    x: NDArray[np.float32], y: NDArray[np.int_], seed: int, size: NetworkSize
) -> MLPClassifier:
    with warnings.catch_warnings():
        # A fixed number of epochs is the point: stopping "unconverged" is expected.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return _network(seed, size).fit(x, y)


@dataclass(frozen=True)
class _Ensemble:
    """Networks of the same shape from different seeds, their logits averaged.

    Averaging logits is itself one network: the members' hidden layers side by side, each
    member's output weights divided by their number. ``layers`` returns that network, which
    is what the heads store, so a reader never knows how many members there were.
    """

    networks: tuple[MLPClassifier, ...]

    def logits(self, x: NDArray[np.float32]) -> NDArray[np.float64]:
        mean: NDArray[np.float64] = np.mean(
            [_logit(n.predict_proba(x)) for n in self.networks], axis=0
        )
        return mean

    def layers(self) -> tuple[NDArray[np.float32], ...]:
        count = len(self.networks)
        hidden = np.hstack([n.coefs_[0] for n in self.networks])
        hidden_bias = np.concatenate([n.intercepts_[0] for n in self.networks])
        out = np.vstack([n.coefs_[1] for n in self.networks]) / count
        out_bias = np.mean([n.intercepts_[1] for n in self.networks], axis=0)
        return tuple(a.astype(np.float32) for a in (hidden, hidden_bias, out, out_bias))


def _fit_ensemble(
    x: NDArray[np.float32], y: NDArray[np.int_], seed: int, size: NetworkSize
) -> _Ensemble:
    return _Ensemble(
        tuple(_fit_network(x, y, seed + member, size) for member in range(size.members))
    )


def _logit(p: NDArray[np.float64]) -> NDArray[np.float64]:
    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(clipped / (1 - clipped)))


def _calibrate(
    raw: NDArray[np.float64], y: NDArray[np.int_], beta: float, negatives: float = 1.0
) -> tuple[float, float, float, float, float]:
    """Fit Platt scaling on out-of-fold raw scores; return slope, intercept, threshold, P, R."""
    platt = LogisticRegression(C=1e4).fit(raw.reshape(-1, 1), y)
    slope, intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    probs = 1.0 / (1.0 + np.exp(-(raw * slope + intercept)))
    threshold = _threshold(probs, y, beta, negatives)
    predicted = probs >= threshold
    tp = float(np.sum(predicted & (y == 1)))
    precision = tp / max(float(predicted.sum()), 1.0)
    recall = tp / max(float(y.sum()), 1.0)
    return slope, intercept, threshold, precision, recall


def false_alarm_weight(examples: Sequence[Example]) -> float:
    """How many live false alarms one on the corpus stands for, choosing a threshold."""
    return TRAFFIC_NEGATIVES_WITH_DIALOGS if any(e.dialog for e in examples) else TRAFFIC_NEGATIVES


def train_heads(
    examples: Sequence[Example],
    encoder: SentenceEncoder,
    *,
    goemotions: Sequence[tuple[str, bool]] = (),
    seed: int = 0,
    size: NetworkSize = NetworkSize(),
    typos: int = VARIANTS,
    clauses: bool = False,
    progress: Progress = lambda _m: None,
) -> tuple[Heads, list[HeadReport]]:
    """Train the heads; returns them and their cross-validated figures.

    ``typos`` misspelt copies of each request for a person are added to the training data,
    and with ``clauses`` the parts of each routine message (see ``tandem.nlu.augment``); a
    fold trains on the copies of its own examples only, so the cross-validated figures never
    score an example whose copy was learnt.

    The messages of routine conversations (``Example.dialog``) are learnt whole, and a false
    alarm then counts once (``TRAFFIC_NEGATIVES_WITH_DIALOGS``); the heads that read parts
    learn their sentences but not their clauses, which can lose what qualifies them ("no need
    for a person" taught those heads that "I need a person" before a question was routine).
    """
    dialogs = sum(e.dialog for e in examples)
    traffic = false_alarm_weight(examples)
    texts = [prepare(e.text) for e in examples]
    progress(f"encoding {len(texts)} corpus messages with {encoder.name}")
    x = encoder.encode(texts)
    y = _targets(examples)
    variants = typo_variants(examples, seed=seed, variants=typos)
    parts = clause_copies(examples) if clauses else []
    extra = [*variants, *parts]
    progress(f"encoding {len(variants)} misspelt copies and {len(parts)} parts of messages")
    x_copies = encoder.encode([prepare(c.example.text) for c in extra]) if extra else x[:0]
    y_copies = _targets([c.example for c in extra])
    if parts:  # a part close to an example of small talk ("Hello." before a question) is one
        talk = _near_small_talk(encoder, x_copies[len(variants) :])
        y_copies[len(variants) :, TRAINED.index(Signal.SMALL_TALK)] |= talk
    source = np.array([c.source for c in extra], dtype=np.int_)
    oof = np.zeros(y.shape)
    folds = KFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    for fold, (train_idx, test_idx) in enumerate(folds.split(x), 1):
        progress(f"cross-validating, fold {fold} of {FOLDS}")
        copies = np.isin(source, train_idx)
        ensemble = _fit_ensemble(
            np.vstack([x[train_idx], x_copies[copies]]),
            np.vstack([y[train_idx], y_copies[copies]]),
            seed,
            size,
        )
        oof[test_idx] = ensemble.logits(x[test_idx])
    progress("training on the whole corpus")
    ensemble = _fit_ensemble(np.vstack([x, x_copies]), np.vstack([y, y_copies]), seed, size)
    hidden, hidden_bias, trained_out, trained_bias = ensemble.layers()
    labels = [*TRAINED, *([Signal.NEGATIVE] if goemotions else [])]
    dim, width = x.shape[1], len(labels)
    out = np.zeros((hidden.shape[1], width), dtype=np.float32)
    out[:, : len(TRAINED)] = trained_out
    out_bias = np.zeros(width, dtype=np.float32)
    out_bias[: len(TRAINED)] = trained_bias
    direct = np.zeros((dim, width), dtype=np.float32)
    platt = np.zeros((2, width), dtype=np.float32)
    thresholds = np.zeros(width, dtype=np.float32)
    reports: list[HeadReport] = []
    for column, signal in enumerate(TRAINED):
        beta = 2.0 if signal in RECALL_FIRST else 1.0
        # Small talk hands nothing off: its false alarms cost what they cost on the corpus.
        negatives = 1.0 if signal is Signal.SMALL_TALK else traffic
        slope, intercept, threshold, p, r = _calibrate(
            oof[:, column], y[:, column], beta, negatives
        )
        platt[:, column], thresholds[column] = (slope, intercept), threshold
        reports.append(HeadReport(signal, int(y[:, column].sum()), p, r, threshold))
    if goemotions:
        column = len(TRAINED)
        weights, bias, calibration, report = _tone_head(examples, x, goemotions, encoder, progress)
        direct[:, column], out_bias[column] = weights, bias
        platt[:, column], thresholds[column] = calibration, report.threshold
        reports.append(report)
    heads = Heads(
        labels=tuple(labels),
        encoder=encoder.name,
        hidden=hidden,
        hidden_bias=hidden_bias,
        out=out,
        out_bias=out_bias,
        direct=direct,
        platt=platt,
        thresholds=thresholds,
        metadata={
            "examples": len(examples),
            "dialog_examples": dialogs,
            "languages": sorted({e.lang for e in examples}),
            "misspelt_copies": len(variants),
            "routine_parts": len(parts),
            "goemotions": len(goemotions),
            "seed": seed,
            "hidden_units": size.hidden_units,
            "members": size.members,
            "cross_validated": {
                r.signal.value: {"precision": round(r.precision, 3), "recall": round(r.recall, 3)}
                for r in reports
            },
        },
    )
    return heads, reports


def _near_small_talk(encoder: SentenceEncoder, x: NDArray[np.float32]) -> NDArray[np.bool_]:
    """Tell which embeddings are as close to an example of small talk as the reader requires."""
    talk = encoder.encode([e for examples in small_talk_examples().values() for e in examples])
    close: NDArray[np.bool_] = (x @ talk.T).max(axis=1) >= SMALL_TALK_EXAMPLE
    return close


def _targets(examples: Sequence[Example]) -> NDArray[np.int_]:
    rows = [[s in e.labels for s in TRAINED] for e in examples]
    return np.array(rows, dtype=np.int_).reshape(len(rows), len(TRAINED))


_NEGATIVE_IN_CORPUS = frozenset({*EMOTIONS, Signal.SELF_HARM, Signal.BEREAVEMENT})


def _tone_head(
    examples: Sequence[Example],
    embeddings: NDArray[np.float32],
    goemotions: Sequence[tuple[str, bool]],
    encoder: SentenceEncoder,
    progress: Progress,
) -> tuple[NDArray[np.float32], float, tuple[float, float], HeadReport]:
    """A logistic regression for a negative feeling: GoEmotions plus the corpus."""
    progress(f"encoding {len(goemotions)} GoEmotions comments")
    go = encoder.encode([prepare(text) for text, _negative in goemotions])
    corpus_y = [bool(_NEGATIVE_IN_CORPUS & set(e.labels)) for e in examples]
    x = np.vstack([go, embeddings])
    y = np.array([n for _t, n in goemotions] + corpus_y, dtype=np.int_)
    progress(f"training the tone head ({int(y.sum())} negative of {len(y)})")
    raw = cross_val_predict(
        LogisticRegression(C=TONE_C, max_iter=3000), x, y, cv=FOLDS, method="decision_function"
    )
    slope, intercept, threshold, p, r = _calibrate(np.asarray(raw), y, 1.0)
    model = LogisticRegression(C=TONE_C, max_iter=3000).fit(x, y)
    report = HeadReport(Signal.NEGATIVE, int(y.sum()), p, r, threshold)
    return model.coef_[0].astype(np.float32), float(model.intercept_[0]), (slope, intercept), report
