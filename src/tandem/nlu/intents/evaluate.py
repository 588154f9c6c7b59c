"""Measure a trained model on labelled examples: accuracy, out-of-scope quality and latency.

A message the model rejects counts as predicted out-of-scope; for an in-scope example that is
an error like any wrong intent.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sklearn.metrics import f1_score

from tandem.nlu.intents.data import Dataset
from tandem.nlu.intents.model import IntentModel

DEFAULT_LATENCY_SAMPLES = 300
CONFIDENT = 0.9  # an answer this sure reads as certain to a customer, and to the policy
MAX_CONFUSED_PAIRS = 5


@dataclass(frozen=True, slots=True)
class Scores:
    """Classification figures; None where a figure is undefined (no such examples)."""

    examples: int
    accuracy: float
    in_scope_accuracy: float | None
    macro_f1: float
    oos_precision: float | None
    oos_recall: float | None
    oos_f1: float | None
    confused_pairs: list[tuple[str, str, int]]  # (expected, predicted, count), worst first


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Scores plus how the model ran: latency per single message, load time, mode."""

    scores: Scores
    latency_p50_ms: float
    latency_p95_ms: float
    load_seconds: float | None
    mode: str
    degraded: str | None
    oos_answered_max_confidence: float | None  # the most confident answer to an OOS message
    oos_answered: int | None  # out-of-scope messages given an intent (None: no OOS examples)
    oos_answered_confident: int | None  # ... of which with confidence >= CONFIDENT
    unknown_intents: list[str]  # labels in the data the model was never trained on

    def as_json(self) -> dict[str, object]:
        """Return one flat JSON-ready object (the keys of `tandem nlu eval --json`)."""
        data: dict[str, object] = asdict(self.scores)
        data["confused_pairs"] = [
            {"expected": e, "predicted": p, "count": n} for e, p, n in self.scores.confused_pairs
        ]
        return data | {
            "latency_p50_ms": self.latency_p50_ms,
            "latency_p95_ms": self.latency_p95_ms,
            "load_seconds": self.load_seconds,
            "mode": self.mode,
            "degraded": self.degraded,
            "oos_answered_max_confidence": self.oos_answered_max_confidence,
            "oos_answered": self.oos_answered,
            "oos_answered_confident": self.oos_answered_confident,
            "unknown_intents": self.unknown_intents,
        }


def score(gold: Sequence[str], predicted: Sequence[str], *, oos_label: str) -> Scores:
    """Return the figures for predicted labels (rejections given as oos_label) against gold."""
    pairs = list(zip(gold, predicted, strict=True))
    in_scope = [(g, p) for g, p in pairs if g != oos_label]
    true_oos = sum(g == oos_label and p == oos_label for g, p in pairs)
    predicted_oos = sum(p == oos_label for p in predicted)
    gold_oos = sum(g == oos_label for g in gold)
    precision = true_oos / predicted_oos if predicted_oos else None
    recall = true_oos / gold_oos if gold_oos else None
    confused = Counter((g, p) for g, p in pairs if g != p)
    return Scores(
        examples=len(pairs),
        accuracy=_share(sum(g == p for g, p in pairs), len(pairs)) or 0.0,
        in_scope_accuracy=_share(sum(g == p for g, p in in_scope), len(in_scope)),
        macro_f1=round(
            float(
                f1_score(
                    list(gold),
                    list(predicted),
                    labels=sorted(set(gold)),
                    average="macro",
                    zero_division=0,
                )
            ),
            4,
        ),
        oos_precision=None if precision is None else round(precision, 4),
        oos_recall=None if recall is None else round(recall, 4),
        oos_f1=_f1(precision, recall),
        confused_pairs=[
            (g, p, n)
            for (g, p), n in sorted(confused.items(), key=lambda item: (-item[1], item[0]))
        ][:MAX_CONFUSED_PAIRS],
    )


def evaluate(
    model: IntentModel,
    dataset: Dataset,
    *,
    load_seconds: float | None = None,
    latency_samples: int = DEFAULT_LATENCY_SAMPLES,
) -> Evaluation:
    """Predict every example (as a batch), then time single-message predictions on a sample."""
    predictions = model.predict_many(dataset.texts)
    oos = dataset.oos_label
    predicted = [p.intent if p.intent is not None else oos for p in predictions]
    answered_oos = [
        p.confidence
        for p, gold in zip(predictions, dataset.labels, strict=True)
        if gold == oos and not p.out_of_scope
    ]
    return Evaluation(
        scores=score(dataset.labels, predicted, oos_label=oos),
        **_latency(model, dataset.texts[:latency_samples]),
        load_seconds=None if load_seconds is None else round(load_seconds, 3),
        mode=model.mode,
        degraded=model.degraded,
        oos_answered_max_confidence=round(max(answered_oos), 4) if answered_oos else None,
        oos_answered=len(answered_oos) if oos in dataset.labels else None,
        oos_answered_confident=(
            sum(c >= CONFIDENT for c in answered_oos) if oos in dataset.labels else None
        ),
        unknown_intents=sorted(set(dataset.intents) - set(model.intents)),
    )


def render(evaluation: Evaluation) -> str:
    """Return the evaluation as lines for a terminal."""
    s = evaluation.scores
    lines = [
        f"examples            {s.examples}",
        f"accuracy            {_pct(s.accuracy)}",
        f"in-scope accuracy   {_pct(s.in_scope_accuracy)}  (a wrong rejection counts as an error)",
        f"macro-F1            {_pct(s.macro_f1)}",
        f"out-of-scope        precision {_pct(s.oos_precision)}  recall {_pct(s.oos_recall)}"
        f"  F1 {_pct(s.oos_f1)}",
        f"latency per message p50 {evaluation.latency_p50_ms:.2f} ms  "
        f"p95 {evaluation.latency_p95_ms:.2f} ms",
    ]
    if evaluation.load_seconds is not None:
        lines.append(f"model load time     {evaluation.load_seconds:.2f} s")
    lines.append(f"mode                {evaluation.mode}")
    if evaluation.oos_answered is not None:
        most = evaluation.oos_answered_max_confidence
        lines.append(
            f"out-of-scope messages given an intent: {evaluation.oos_answered}, "
            f"{evaluation.oos_answered_confident} with confidence >= {CONFIDENT:.2f}"
            + ("" if most is None else f" (the most confident: {most:.2f})")
        )
    if evaluation.degraded:
        lines.append(f"degraded            {evaluation.degraded}")
    if evaluation.unknown_intents:
        lines.append(f"not in the model    {', '.join(evaluation.unknown_intents)}")
    if s.confused_pairs:
        lines.append("most confused (expected -> predicted):")
        lines.extend(f"  {n:>4}  {e} -> {p}" for e, p, n in s.confused_pairs)
    return "\n".join(lines)


def percentile(values: Sequence[float], share: float) -> float:
    """Return the nearest-rank percentile (share in 0..1) of non-empty values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _latency(model: IntentModel, texts: Sequence[str]) -> dict[str, float]:
    if not texts:
        return {"latency_p50_ms": 0.0, "latency_p95_ms": 0.0}
    model.predict(texts[0])  # warm-up: first-call costs are load time, not latency
    timings: list[float] = []
    for text in texts:
        started = time.perf_counter()
        model.predict(text)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "latency_p50_ms": round(percentile(timings, 0.5), 3),
        "latency_p95_ms": round(percentile(timings, 0.95), 3),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    if precision + recall == 0:
        return 0.0
    return round(float(2 * precision * recall / (precision + recall)), 4)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:5.1f}%"
