"""The sentence encoders: what a question and a passage become, and what happens without one."""

from __future__ import annotations

import dataclasses
import uuid

import numpy as np
import pytest

from tandem.core import metrics
from tandem.knowledge import live
from tandem.knowledge.answer_model import load_answer_model
from tandem.knowledge.live import build_index, knowledge_encoder
from tandem.nlu.encoder import (
    DEFAULT_ENCODER,
    E5_ENCODER,
    EncoderNotFoundError,
    SentenceEncoder,
    load_encoder,
)

DAMAGED = (
    "Damaged or defective items: if your order arrives damaged, contact us within 14 days "
    "with photos and we will send a replacement."
)
SHIPPING = "Shipping to Canada takes 5 to 8 business days."


@pytest.fixture(scope="module")
def e5() -> SentenceEncoder:
    return load_encoder(E5_ENCODER)


@pytest.mark.parametrize(
    "question", ["my mugs arrived chipped", "杯子到的时候碎了", "the lamp came broken in the box"]
)
def test_e5_finds_the_passage_a_paraphrase_means(e5: SentenceEncoder, question: str) -> None:
    passages = e5.encode_passages([DAMAGED, SHIPPING])
    [asked] = e5.encode([question])
    damaged, shipping = passages @ asked
    assert damaged > shipping


def test_e5_reads_a_question_and_a_passage_differently(e5: SentenceEncoder) -> None:
    [as_question] = e5.encode(["refunds take five days"])
    [as_passage] = e5.encode_passages(["refunds take five days"])
    assert not np.allclose(as_question, as_passage)
    assert np.linalg.norm(as_question) == pytest.approx(1.0, abs=1e-3)


def test_e5_gives_the_same_vector_for_the_same_text_from_its_cache(e5: SentenceEncoder) -> None:
    first, again = e5.encode(["where is my parcel", "where is my parcel"])
    assert np.array_equal(first, again)
    assert e5.encode([]).shape == (0, 384)


def test_an_unknown_encoder_says_what_to_set() -> None:
    with pytest.raises(EncoderNotFoundError, match="TANDEM_ENCODER"):
        load_encoder("no-such-encoder")


def test_the_knowledge_index_reads_through_the_answer_models_encoder() -> None:
    encoder = knowledge_encoder()
    assert encoder is not None
    assert encoder.name == load_answer_model().encoder == f"{E5_ENCODER}+{DEFAULT_ENCODER}"


def test_without_its_encoder_the_knowledge_index_falls_back_to_words(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    model = dataclasses.replace(load_answer_model(), encoder="an-encoder-not-installed")
    monkeypatch.setattr(live, "load_answer_model", lambda: model)
    index = build_index([("returns", "Returns", (), "You can return items within 30 days.")])
    assert not index.dense
    assert "words only" in caplog.text
    assert index.search("how long can I return items?")[0].passage.slug == "returns"


def _sample(name: str, spec: str) -> float:
    labels = {"encoder": spec, "kind": "query"}
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.mark.parametrize("spec", [E5_ENCODER, DEFAULT_ENCODER])
def test_encoding_is_counted_in_the_metrics_once_per_new_text(spec: str) -> None:
    encoder = load_encoder(spec)
    texts, cpu = "tandem_encoder_texts_total", "tandem_encoder_cpu_seconds_total"
    before_texts, before_cpu = _sample(texts, spec), _sample(cpu, spec)
    new = f"a sentence no test encoded before: {uuid.uuid4()} " * 20

    encoder.encode([new, "x" + new])
    encoder.encode([new])  # from the cache: not encoded again

    assert _sample(texts, spec) - before_texts == 2
    assert _sample(cpu, spec) > before_cpu
