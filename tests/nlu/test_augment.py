"""Misspelt copies of requests for a person teach the heads to read a typo as the word."""

from __future__ import annotations

import json
import random

import numpy as np

from tandem.nlu.augment import misspell, typo_variants
from tandem.nlu.encoder import load_encoder
from tandem.nlu.heads import Signal, prepare
from tandem.nlu.heads_training import CORPUS, Example, NetworkSize, load_corpus, train_heads


def test_a_slip_changes_one_or_two_long_words_and_nothing_else() -> None:
    rng = random.Random(3)
    for _ in range(200):
        before = ["can", "I", "talk", "to", "a", "real", "person"]
        after = misspell(" ".join(before), rng).split()
        assert len(before) == len(after)
        changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
        assert 1 <= len(changed) <= 2
        assert all(len(b) >= 4 and b[0] == a[0] for b, a in changed)


def test_copies_are_deterministic_keep_labels_and_skip_chinese_and_other_signals() -> None:
    examples = [
        Example(text="I want to speak to a person", lang="en", labels=(Signal.HUMAN_REQUEST,)),
        Example(text="我要人工客服", lang="zh", labels=(Signal.HUMAN_REQUEST,)),
        Example(text="where is my parcel", lang="en", labels=()),
    ]
    first = typo_variants(examples, seed=1)
    assert first == typo_variants(examples, seed=1)
    assert {v.source for v in first} == {0}
    assert all(v.example.labels == (Signal.HUMAN_REQUEST,) for v in first)
    assert all(v.example.text != examples[0].text for v in first)


def test_heads_trained_with_misspelt_copies_catch_typos_they_never_saw() -> None:
    lines = (CORPUS / "typos.jsonl").read_text(encoding="utf-8").splitlines()
    held_out = [Example.model_validate(json.loads(line)) for line in lines if line.strip()]
    held_out = [e for e in held_out if e.lang != "zh"]
    unseen = {e.text for e in held_out}
    corpus = [e for i, e in enumerate(load_corpus()) if i % 6 == 0 and e.text not in unseen]
    encoder = load_encoder()
    vectors = encoder.encode([prepare(e.text) for e in held_out])
    caught = {}
    for typos in (0, 2):
        heads, _ = train_heads(
            corpus, encoder, size=NetworkSize(hidden_units=64, epochs=40), typos=typos
        )
        column = heads.labels.index(Signal.HUMAN_REQUEST)
        probs = heads.probabilities(vectors)[:, column]
        caught[typos] = int(np.sum(probs >= heads.thresholds[column]))
    assert caught[2] >= caught[0] + 0.1 * len(held_out), caught
