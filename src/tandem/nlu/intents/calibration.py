"""Turn classifier scores into probabilities and choose the out-of-scope threshold.

Everything here is a pure function of held-out ("out-of-fold") scores: each training example is
scored by a model that never saw it, so the probabilities and the threshold reflect how the model
behaves on new messages, not on the ones it memorised.

The rejection rule: a message is out of scope when the out-of-scope class (if the training data
has one) outranks every intent, or when the best intent's probability is below the threshold.

- With at least ``MIN_OOS_EXAMPLES`` out-of-scope examples, the threshold maximises in-scope
  accuracy plus out-of-scope recall on held-out data (Youden's J): a balanced choice that does
  not depend on how many out-of-scope examples the company happened to write. It may reject
  at most ``REJECT_BUDGET`` of the held-out in-scope messages the model answers correctly:
  unbounded, J gave away 9 points of in-scope accuracy for 5 points of out-of-scope recall on
  Tandem's demo data (and worse with few out-of-scope examples, where the recall it chases
  rests on a handful of messages). A bot that sends a tenth of the routine questions it
  could answer to a person contains nothing.
- Without them, it rejects the least confident ``FALSE_REJECT_TARGET`` share of held-out
  in-scope messages, most of which the model would have got wrong anyway.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize_scalar

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

FALSE_REJECT_TARGET = 0.05
REJECT_BUDGET = 0.05
MIN_OOS_EXAMPLES = 10
_LOG_TEMPERATURE_BOUNDS = (math.log(1e-3), math.log(1e3))


@dataclass(frozen=True, slots=True)
class Threshold:
    """The chosen rejection threshold, the rule that chose it and its held-out figures."""

    value: float
    rule: str
    in_scope_accuracy: float
    oos_recall: float | None
    false_reject_rate: float


def log_softmax(logits: FloatArray) -> FloatArray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    result: FloatArray = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return result


def softmax(logits: FloatArray) -> FloatArray:
    return np.exp(log_softmax(logits))


def fit_temperature(scores: FloatArray, gold: IntArray) -> float:
    """Return the temperature T minimising the log loss of softmax(scores / T) on gold labels."""
    rows = np.arange(len(gold))

    def loss(log_t: float) -> float:
        return float(-log_softmax(scores / math.exp(log_t))[rows, gold].mean())

    result = minimize_scalar(loss, bounds=_LOG_TEMPERATURE_BOUNDS, method="bounded")
    return float(math.exp(result.x))


def log_loss(probabilities: FloatArray, gold: IntArray) -> float:
    picked = probabilities[np.arange(len(gold)), gold]
    return float(-np.log(np.clip(picked, 1e-12, 1.0)).mean())


def top_in_scope(
    probabilities: FloatArray, oos_index: int | None
) -> tuple[IntArray, FloatArray, BoolArray]:
    """Return per row the best intent, its probability and whether the OOS class outranks it."""
    in_scope = probabilities.copy()
    if oos_index is not None:
        in_scope[:, oos_index] = -1.0
    best = in_scope.argmax(axis=1).astype(np.int64)
    confidence = probabilities[np.arange(len(best)), best]
    if oos_index is None:
        return best, confidence, np.zeros(len(best), dtype=np.bool_)
    return best, confidence, probabilities[:, oos_index] > confidence


def choose_threshold(probabilities: FloatArray, gold: IntArray, oos_index: int | None) -> Threshold:
    """Choose the confidence under which a message is out of scope, from held-out predictions."""
    best, confidence, oos_wins = top_in_scope(probabilities, oos_index)
    is_oos = gold == oos_index if oos_index is not None else np.zeros(len(gold), dtype=np.bool_)
    if int(is_oos.sum()) >= MIN_OOS_EXAMPLES:
        value = _youden_threshold(confidence, best == gold, oos_wins, is_oos)
        rule = (
            "maximises held-out in-scope accuracy + out-of-scope recall, rejecting at most "
            f"{REJECT_BUDGET:.0%} of the in-scope messages it answers correctly"
        )
    else:
        candidates = confidence[~is_oos & ~oos_wins]
        value = float(np.quantile(candidates, FALSE_REJECT_TARGET)) if len(candidates) else 0.0
        rule = (
            f"rejects the least confident {FALSE_REJECT_TARGET:.0%} of held-out in-scope "
            f"messages (fewer than {MIN_OOS_EXAMPLES} out-of-scope examples to learn from)"
        )
    accepted = ~oos_wins & (confidence >= value)
    in_scope = ~is_oos
    return Threshold(
        value=value,
        rule=rule,
        in_scope_accuracy=float((accepted & (best == gold))[in_scope].mean()),
        oos_recall=float((~accepted)[is_oos].mean()) if is_oos.any() else None,
        false_reject_rate=float((~accepted)[in_scope].mean()),
    )


def _youden_threshold(
    confidence: FloatArray, correct: BoolArray, oos_wins: BoolArray, is_oos: BoolArray
) -> float:
    in_scope = ~is_oos
    # Only messages the OOS class did not already claim depend on the threshold.
    open_correct = np.sort(confidence[in_scope & correct & ~oos_wins])
    open_oos = np.sort(confidence[is_oos & ~oos_wins])
    candidates = np.unique(np.concatenate([[0.0], confidence[~oos_wins]]))
    # Accepting means confidence >= t: count those at or above each candidate.
    kept_correct = len(open_correct) - np.searchsorted(open_correct, candidates, side="left")
    kept_oos = len(open_oos) - np.searchsorted(open_oos, candidates, side="left")
    score = kept_correct / in_scope.sum() + 1.0 - kept_oos / is_oos.sum()
    # Thresholds rise along candidates, so the budget allows a prefix of them (at least 0).
    lost = len(open_correct) - kept_correct
    allowed = max(1, int(np.searchsorted(lost, REJECT_BUDGET * in_scope.sum(), side="right")))
    score = score[:allowed]
    best = float(score.max())
    first = int(np.argmax(score))
    last = first
    while last + 1 < len(score) and score[last + 1] >= best - 1e-12:
        last += 1
    # Every threshold on the plateau of best scores does equally well on held-out data: take
    # its middle, the one farthest from the messages on either side. At the low end (0) a
    # model whose out-of-scope class caught every held-out example would accept anything.
    low = candidates[first - 1] if first > 0 else 0.0
    return float((low + candidates[last]) / 2)
