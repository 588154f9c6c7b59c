"""Evaluation figures: rejections count as out-of-scope predictions, errors for in-scope ones."""

from __future__ import annotations

import pytest

from tandem.nlu.intents.data import Dataset, Example
from tandem.nlu.intents.evaluate import Scores, evaluate, percentile, render, score
from tandem.nlu.intents.model import IntentModel


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        pytest.param(
            ["a", "b", "oos", "oos"],
            ["a", "b", "oos", "oos"],
            {"accuracy": 1.0, "in_scope_accuracy": 1.0, "oos_precision": 1.0, "oos_recall": 1.0},
            id="perfect",
        ),
        pytest.param(
            ["a", "a", "b", "oos"],
            ["a", "oos", "b", "a"],
            {"accuracy": 0.5, "in_scope_accuracy": 0.6667, "oos_precision": 0.0, "oos_recall": 0.0},
            id="wrong-rejection-and-confident-oos",
        ),
        pytest.param(
            ["a", "b"],
            ["b", "b"],
            {"accuracy": 0.5, "in_scope_accuracy": 0.5, "oos_precision": None, "oos_recall": None},
            id="no-oos-at-all",
        ),
        pytest.param(
            ["oos", "oos", "a"],
            ["oos", "a", "oos"],
            {"accuracy": 0.3333, "in_scope_accuracy": 0.0, "oos_precision": 0.5, "oos_recall": 0.5},
            id="half-and-half",
        ),
    ],
)
def test_score(gold: list[str], predicted: list[str], expected: dict[str, float | None]) -> None:
    scores = score(gold, predicted, oos_label="oos")
    assert {key: getattr(scores, key) for key in expected} == expected


def test_confused_pairs_are_counted_worst_first() -> None:
    scores = score(["a", "a", "b", "c"], ["b", "b", "a", "c"], oos_label="oos")
    assert scores.confused_pairs == [("a", "b", 2), ("b", "a", 1)]


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.95)) == (51.0, 96.0)


def test_evaluate_reports_latency_and_unknown_intents(light_model: IntentModel) -> None:
    examples = [
        Example("where is my order", "order_status", 2),
        Example("tell me about volcanoes", "oos", 3),
        Example("i want to change my address", "change_address", 4),
    ]
    evaluation = evaluate(light_model, Dataset(tuple(examples)), load_seconds=0.5)
    assert isinstance(evaluation.scores, Scores)
    assert evaluation.latency_p95_ms >= evaluation.latency_p50_ms > 0
    assert evaluation.unknown_intents == ["change_address"]
    text = render(evaluation)
    assert "macro-F1" in text
    assert "not in the model    change_address" in text


def test_evaluate_counts_out_of_scope_messages_given_a_confident_intent(
    light_model: IntentModel,
) -> None:
    # "reset my password" is in scope for the model; labelled out of scope here, it is an
    # out-of-scope message the model answers, and confidently.
    examples = [
        Example("reset my password", "oos", 2),
        Example("explain quantum physics", "oos", 3),
        Example("where is my order", "order_status", 4),
    ]
    evaluation = evaluate(light_model, Dataset(tuple(examples)))
    assert evaluation.oos_answered == 1
    assert evaluation.oos_answered_confident == 1
    assert evaluation.oos_answered_max_confidence is not None
    assert evaluation.oos_answered_max_confidence >= 0.9
    assert "out-of-scope messages given an intent: 1, 1 with confidence >= 0.90" in render(
        evaluation
    )
    without_oos = evaluate(light_model, Dataset(tuple(examples[2:])))
    assert without_oos.oos_answered is None
    assert without_oos.oos_answered_confident is None
