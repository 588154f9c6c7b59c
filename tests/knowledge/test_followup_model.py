"""The follow-up model is trained from labelled questions, held out by company, kept as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tandem.core.errors import InvalidInputError
from tandem.knowledge import followup_model
from tandem.knowledge.answer_model import load_answer_model
from tandem.knowledge.followup_training import train
from tandem.nlu.encoder import KNOWLEDGE_ENCODER, SentenceEncoder, load_encoder

FOLLOW_UPS = [
    ("How much is delivery?", "and to Spain?"),
    ("Do you sell gift cards?", "what about e-gift cards?"),
    ("How long do refunds take?", "and for PayPal?"),
    ("Can I return a sofa?", "even a used one?"),
    ("Where are your shops?", "any in Lyon?"),
    ("Is there a student discount?", "for teachers too?"),
]
STANDALONE = [
    "How do I reset my password?",
    "Do you deliver on Sundays?",
    "Can I change my delivery address after ordering?",
    "What payment methods do you accept?",
    "I want to cancel my subscription",
    "¿Hacéis envíos a Portugal?",
    "Wie lange dauert die Lieferung?",
    "do you sell garden sheds",
]


def _company(root: Path, name: str, shift: int) -> None:
    folder = root / name
    folder.mkdir(parents=True)
    rows = [
        {"id": f"{name}-f{i}", "question": q, "lang": "en", "expect": None, "kind": "follow_up",
         "previous": p}
        for i, (p, q) in enumerate(FOLLOW_UPS[shift:] + FOLLOW_UPS[:shift])
    ] + [
        {"id": f"{name}-s{i}", "question": q, "lang": "en", "expect": None, "kind": "direct"}
        for i, q in enumerate(STANDALONE)
    ]  # fmt: skip
    (folder / "questions.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return load_encoder(KNOWLEDGE_ENCODER)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    _company(tmp_path, "acme", 0)
    _company(tmp_path, "bolt", 3)
    return tmp_path


def test_training_reports_each_company_held_out_and_keeps_the_encoder(
    corpus: Path, encoder: SentenceEncoder
) -> None:
    said: list[str] = []
    model = train(encoder, root=corpus, progress=said.append)
    assert [line.split(":")[0].strip() for line in said] == ["held out acme", "held out bolt"]
    assert all("6 follow-ups of 14 questions" in line for line in said)
    assert model.encoder == encoder.name
    assert model.trained_on == "acme, bolt"
    vectors = encoder.encode(["and to Italy?", "How do I reset my password?"])
    assert model.probability(vectors[0], "and to Italy?") > model.threshold
    assert model.probability(vectors[1], "How do I reset my password?") < model.threshold


def test_a_saved_model_reads_back_the_same_and_a_changed_one_is_refused(
    corpus: Path, encoder: SentenceEncoder, tmp_path: Path
) -> None:
    model = train(encoder, root=corpus)
    path = tmp_path / "followups.json"
    followup_model.save(model, path)
    again = followup_model.read(path)
    vector = encoder.encode(["any in Lyon?"])[0]
    assert again.probability(vector, "any in Lyon?") == model.probability(vector, "any in Lyon?")
    assert np.array_equal(again.weights.coefficients, model.weights.coefficients)
    path.write_text(path.read_text().replace('"threshold": 0.5', '"threshold": 0.1'))
    with pytest.raises(followup_model.FollowUpModelError, match="train-followups"):
        followup_model.read(path)


def test_a_bad_question_line_is_named(corpus: Path, encoder: SentenceEncoder) -> None:
    with (corpus / "acme" / "questions.jsonl").open("a") as file:
        file.write('{"question": "no id"}\n')
    with pytest.raises(InvalidInputError, match=r"questions.jsonl line 15"):
        train(encoder, root=corpus)


def test_the_shipped_model_reads_through_the_answer_models_encoder() -> None:
    assert followup_model.load_followup_model().encoder == load_answer_model().encoder
