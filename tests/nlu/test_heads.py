"""Signal heads: trained from a labelled corpus, saved checksummed, loaded back identical."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tandem.nlu.encoder import load_encoder
from tandem.nlu.heads import ArtefactError, Signal, load_heads, save_heads
from tandem.nlu.heads_training import (
    TRAFFIC_NEGATIVES,
    TRAFFIC_NEGATIVES_WITH_DIALOGS,
    CorpusError,
    NetworkSize,
    _fit_ensemble,
    false_alarm_weight,
    load_corpus,
    train_heads,
)


def _small_corpus(tmp_path: Path) -> Path:
    rows = load_corpus()
    keep = [r for i, r in enumerate(rows) if i % 6 == 0]
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "part.jsonl").write_text(
        "\n".join(r.model_dump_json() for r in keep) + "\n", encoding="utf-8"
    )
    routine = ["do i need a printer for the label?", "I need an invoice, with VAT", "hi"]
    (folder / "en-dialogs.jsonl").write_text(
        "\n".join(json.dumps({"text": t, "lang": "en", "labels": []}) for t in routine) + "\n",
        encoding="utf-8",
    )
    return folder


def test_the_shipped_corpus_covers_every_signal_in_nine_languages() -> None:
    rows = load_corpus()
    assert {r.lang for r in rows} == {"en", "es", "fr", "de", "it", "pt", "nl", "pl", "zh"}
    labelled = {label for r in rows for label in r.labels}
    assert labelled == set(Signal) - {Signal.NEGATIVE}
    assert len(rows) >= 4000


def test_trained_heads_round_trip_and_refuse_tampering(tmp_path: Path) -> None:
    examples = load_corpus(_small_corpus(tmp_path))
    # A small network for a few epochs: what is tested is the round trip, not the quality.
    heads, reports = train_heads(
        examples, load_encoder(), size=NetworkSize(hidden_units=64, epochs=40)
    )
    assert {r.signal for r in reports} == set(heads.labels)
    assert heads.metadata["dialog_examples"] == 3  # whole messages of routine conversations
    save_heads(heads, tmp_path / "heads")
    loaded = load_heads(tmp_path / "heads")
    texts = ["I want to talk to a person", "do you ship to Norway?"]
    vectors = load_encoder().encode(texts)
    assert np.allclose(heads.probabilities(vectors), loaded.probabilities(vectors), atol=1e-5)
    column = loaded.labels.index(Signal.HUMAN_REQUEST)
    probs = loaded.probabilities(vectors)[:, column]
    assert probs[0] > probs[1]

    meta = tmp_path / "heads" / "heads.json"
    data = json.loads(meta.read_text())
    data["sha256"]["heads.npz"] = "0" * 64
    meta.write_text(json.dumps(data))
    with pytest.raises(ArtefactError, match="checksum"):
        load_heads(tmp_path / "heads")


def test_messages_of_routine_conversations_are_marked_by_their_file(tmp_path: Path) -> None:
    examples = load_corpus(_small_corpus(tmp_path))
    dialogs = [e for e in examples if e.dialog]
    assert [e.text for e in dialogs] == [
        "do i need a printer for the label?",
        "I need an invoice, with VAT",
        "hi",
    ]
    assert "dialog" not in dialogs[0].model_dump_json()  # a mark of the file, not of the line
    # Routine traffic is in the corpus with them: a false alarm counts once, not 2.5 times.
    assert false_alarm_weight(examples) == TRAFFIC_NEGATIVES_WITH_DIALOGS
    hand_written = [e for e in examples if not e.dialog]
    assert false_alarm_weight(hand_written) == TRAFFIC_NEGATIVES > TRAFFIC_NEGATIVES_WITH_DIALOGS


def test_a_bad_corpus_line_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text(
        '{"text": "hi", "lang": "en", "labels": []}\n'
        '{"text": "x", "lang": "en", "labels": ["nope"]}\n'
    )
    with pytest.raises(CorpusError, match=r"bad\.jsonl:2"):
        load_corpus(tmp_path)


def test_a_missing_heads_folder_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(ArtefactError, match="train-signals"):
        load_heads(tmp_path)


def test_an_ensemble_is_stored_as_one_network_that_reads_as_the_mean_of_its_members() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 12)).astype(np.float32)
    y = np.stack([x[:, 0] > 0, x[:, 1] + x[:, 2] > 0.5], axis=1).astype(np.int_)
    ensemble = _fit_ensemble(x, y, seed=7, size=NetworkSize(hidden_units=8, epochs=30, members=3))
    assert len({float(n.coefs_[0][0, 0]) for n in ensemble.networks}) == 3  # three seeds
    hidden, hidden_bias, out, out_bias = ensemble.layers()
    assert hidden.shape == (12, 24)
    stored = np.maximum(x @ hidden + hidden_bias, 0.0) @ out + out_bias
    members = [np.log(p / (1 - p)) for p in (n.predict_proba(x) for n in ensemble.networks)]
    assert np.allclose(stored, np.mean(members, axis=0), atol=1e-3)
    assert not np.allclose(members[0], members[1], atol=1e-3)
