"""The answer model: a small, checksummed file that turns retrieval evidence into probabilities."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tandem.core.logistic import LogisticWeights
from tandem.knowledge import answer_model
from tandem.knowledge.answer_model import (
    COMPANION_FEATURES,
    FEATURES,
    LEXICAL_FEATURES,
    AnswerModel,
    AnswerModelError,
)
from tandem.knowledge.lexical import Coverage
from tandem.nlu.encoder import KNOWLEDGE_ENCODER, PairedEncoder, load_encoder


def _weights(features: tuple[str, ...], first: float) -> LogisticWeights:
    coefficients = np.zeros(len(features))
    coefficients[0] = first
    return LogisticWeights(
        features, np.zeros(len(features)), np.ones(len(features)), coefficients, 0.0
    )


def test_a_saved_model_reads_back_with_the_same_probabilities(tmp_path: Path) -> None:
    model = AnswerModel(
        _weights(FEATURES, 2.0), _weights(LEXICAL_FEATURES, -1.0), "test", "use-multilingual-v3"
    )
    path = tmp_path / "answers.json"
    answer_model.save(model, path)
    again = answer_model.read(path)
    matrix = np.random.default_rng(3).random((5, len(FEATURES))).astype(np.float32)
    assert np.allclose(again.probability(matrix, dense=True), model.probability(matrix, dense=True))
    assert np.allclose(
        again.probability(matrix, dense=False), model.probability(matrix, dense=False)
    )


def test_more_evidence_means_a_higher_probability() -> None:
    weights = _weights(FEATURES, 2.0)
    low, high = np.zeros((1, len(FEATURES)), np.float32), np.zeros((1, len(FEATURES)), np.float32)
    high[0, 0] = 1.0
    assert weights.probability(high)[0] > weights.probability(low)[0] == pytest.approx(0.5)


def test_an_edited_model_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    answer_model.save(
        AnswerModel(
            _weights(FEATURES, 1.0), _weights(LEXICAL_FEATURES, 1.0), "test", "use-multilingual-v3"
        ),
        path,
    )
    wrapper = json.loads(path.read_text())
    wrapper["model"]["dense"]["intercept"] = 5.0
    path.write_text(json.dumps(wrapper))
    with pytest.raises(AnswerModelError, match=r"checksum.*train-answers"):
        answer_model.read(path)


def test_a_model_for_other_evidence_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    answer_model.save(
        AnswerModel(
            _weights(FEATURES[:-1], 1.0), _weights(LEXICAL_FEATURES, 1.0), "older version", "x"
        ),
        path,
    )
    with pytest.raises(AnswerModelError, match="other evidence"):
        answer_model.read(path)


def test_a_missing_model_file_says_how_to_rebuild_it(tmp_path: Path) -> None:
    with pytest.raises(AnswerModelError, match="tandem kb train-answers"):
        answer_model.read(tmp_path / "absent.json")


def test_a_model_that_does_not_name_its_encoder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    answer_model.save(
        AnswerModel(_weights(FEATURES, 1.0), _weights(LEXICAL_FEATURES, 1.0), "test", "x"), path
    )
    wrapper = json.loads(path.read_text())
    del wrapper["model"]["encoder"]
    text = json.dumps(wrapper["model"], indent=1, sort_keys=True)
    wrapper["sha256"] = hashlib.sha256(text.encode()).hexdigest()
    path.write_text(json.dumps(wrapper))
    with pytest.raises(AnswerModelError, match=r"which encoder.*train-answers"):
        answer_model.read(path)


def test_the_shipped_model_loads_and_reads_through_e5_with_use_beside_it() -> None:
    model = answer_model.load_answer_model()
    assert model.dense.features == FEATURES
    assert "questions" in model.trained_on
    assert model.encoder == KNOWLEDGE_ENCODER == "multilingual-e5-small+use-multilingual-v3"


def test_a_pair_of_encoders_keeps_each_half_unit_length() -> None:
    pair = load_encoder(KNOWLEDGE_ENCODER)
    assert isinstance(pair, PairedEncoder)
    vectors = pair.encode_passages(
        ["Returns are free within 30 days.", "Wir liefern nach Norwegen."]
    )
    first, second = pair.dims
    assert vectors.shape == (2, first + second)
    assert np.linalg.norm(vectors[:, :first], axis=1) == pytest.approx([1.0, 1.0], abs=1e-3)
    assert np.linalg.norm(vectors[:, first:], axis=1) == pytest.approx([1.0, 1.0], abs=1e-3)


def test_a_model_from_before_the_companion_evidence_still_loads(tmp_path: Path) -> None:
    shipped = answer_model.load_answer_model()
    older = len(FEATURES) - len(COMPANION_FEATURES)
    dense = LogisticWeights(
        FEATURES[:older],
        shipped.dense.mean[:older],
        shipped.dense.scale[:older],
        shipped.dense.coefficients[:older],
        shipped.dense.intercept,
    )
    path = tmp_path / "older.json"
    answer_model.save(replace(shipped, dense=dense, encoder="multilingual-e5-small"), path)
    model = answer_model.read(path)
    matrix = np.ones((1, len(FEATURES)), dtype=np.float32)
    assert model.probability(matrix, dense=True).shape == (1,)  # reads the columns it knows


def test_coverage_counts_words_the_knowledge_base_never_uses_against_every_article() -> None:
    coverage = Coverage(["We sell new and second-hand bikes.", "Repairs take two days."])
    on_topic, unknown_on_topic = coverage.covered("do you sell second-hand bikes?")
    off_topic, unknown_off_topic = coverage.covered("do you sell garden sheds?")
    assert on_topic[0] == pytest.approx(1.0)
    assert unknown_on_topic == 0.0
    assert 0 < off_topic[0] < 0.5
    assert unknown_off_topic > 0.5
