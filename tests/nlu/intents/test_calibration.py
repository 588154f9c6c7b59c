"""Temperatures and out-of-scope thresholds come from held-out scores, by documented rules."""

from __future__ import annotations

import numpy as np
import pytest

from tandem.nlu.intents.calibration import (
    FALSE_REJECT_TARGET,
    REJECT_BUDGET,
    choose_threshold,
    fit_temperature,
    softmax,
    top_in_scope,
)


def _rows(*rows: tuple[float, ...]) -> np.ndarray:
    return np.array(rows, dtype=np.float64)


def test_fit_temperature_recovers_the_temperature_that_generated_the_labels() -> None:
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(4000, 5)) * 3
    probabilities = softmax(scores / 2.0)
    gold = np.array([rng.choice(5, p=row) for row in probabilities])
    assert fit_temperature(scores, gold) == pytest.approx(2.0, rel=0.1)


def test_top_in_scope_skips_the_out_of_scope_class() -> None:
    best, confidence, oos_wins = top_in_scope(_rows((0.6, 0.3, 0.1), (0.2, 0.5, 0.3)), 0)
    assert best.tolist() == [1, 1]
    assert confidence.tolist() == [0.3, 0.5]
    assert oos_wins.tolist() == [True, False]


def test_with_out_of_scope_examples_the_threshold_separates_them() -> None:
    # Column 0 is an intent, column 1 another; no OOS class. In-scope held-out examples are
    # confident (0.8-0.95), out-of-scope ones are not (0.5-0.65): the threshold sits between.
    in_scope = [(p, 1 - p) for p in np.linspace(0.8, 0.95, 20)]
    oos = [(p, 1 - p) for p in np.linspace(0.5, 0.65, 12)]
    probabilities = _rows(*in_scope, *oos)
    gold = np.array([0] * 20 + [2] * 12)  # 2: the OOS label's index, absent from the columns
    threshold = choose_threshold(np.c_[probabilities, np.zeros(32)], gold, 2)
    assert 0.65 < threshold.value < 0.8
    assert threshold.in_scope_accuracy == 1.0
    assert threshold.oos_recall == 1.0
    assert threshold.false_reject_rate == 0.0


def test_rejection_may_cost_only_a_small_share_of_right_answers() -> None:
    # 100 right in-scope answers spread over 0.4-1.0, 20 out-of-scope messages over 0.4-0.7:
    # catching them all would reject half the right answers. The budget keeps 95 of them.
    in_scope = [(p, (1 - p) / 2, (1 - p) / 2) for p in np.linspace(0.4, 1.0, 100)]
    oos = [(p, (1 - p) / 2, (1 - p) / 2) for p in np.linspace(0.4, 0.7, 20)]
    probabilities = np.c_[_rows(*in_scope, *oos), np.zeros(120)]
    threshold = choose_threshold(probabilities, np.array([0] * 100 + [3] * 20), 3)
    assert threshold.false_reject_rate <= REJECT_BUDGET
    assert threshold.in_scope_accuracy >= 1 - REJECT_BUDGET
    assert threshold.oos_recall is not None
    assert 0.0 < threshold.oos_recall < 0.5
    assert "at most 5%" in threshold.rule


def test_when_the_oos_class_catches_everything_the_threshold_is_not_zero() -> None:
    in_scope = [(0.0, p, 1 - p) for p in np.linspace(0.6, 0.9, 20)]
    oos = [(0.9, 0.05, 0.05)] * 12
    threshold = choose_threshold(_rows(*in_scope, *oos), np.array([1] * 20 + [0] * 12), 0)
    assert threshold.value == pytest.approx(0.3)  # the middle of the plateau 0 .. 0.6


def test_without_out_of_scope_examples_a_small_share_is_rejected() -> None:
    probabilities = _rows(*[(p, 1 - p) for p in np.linspace(0.5, 1.0, 101)])
    threshold = choose_threshold(probabilities, np.zeros(101, dtype=np.int64), None)
    assert threshold.false_reject_rate == pytest.approx(FALSE_REJECT_TARGET, abs=0.011)
    assert threshold.oos_recall is None
    assert "least confident 5%" in threshold.rule
