"""Copies of corpus messages: misspelt requests for a person teach the heads to read a typo as
the word; the parts of routine messages teach them that a clause alone asks for nothing."""

from __future__ import annotations

import json
import random

import numpy as np

from tandem.nlu.augment import clause_copies, misspell, typo_variants
from tandem.nlu.encoder import load_encoder
from tandem.nlu.heads import Signal, prepare
from tandem.nlu.heads_training import CORPUS, Example, NetworkSize, load_corpus, train_heads
from tandem.nlu.segments import parts


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


def test_routine_messages_lend_their_parts_as_routine_messages() -> None:
    examples = [
        Example(text="I don't need an agent, just tell me: is the mug dishwasher safe?", lang="en"),
        Example(text="it broke after a day, get me a person", lang="en",
                labels=(Signal.HUMAN_REQUEST,)),
        Example(text="hi! thanks so much!", lang="en", labels=(Signal.SMALL_TALK,)),
        Example(text="where is my parcel", lang="en"),
    ]  # fmt: skip
    copies = clause_copies(examples)
    assert [(c.source, c.example.text, c.example.labels) for c in copies] == [
        (0, "I don't need an agent", ()),
        (0, "just tell me", ()),
        (0, "is the mug dishwasher safe?", ()),
        (2, "hi!", (Signal.SMALL_TALK,)),
        (2, "thanks so much!", (Signal.SMALL_TALK,)),
    ]


def test_a_message_of_a_routine_conversation_is_learnt_whole_and_lends_no_parts() -> None:
    said = "no need for a person, just tell me what time the chat opens on Saturday"
    examples = [Example(text=said, lang="en", dialog=True), Example(text=said, lang="en")]
    assert [c.source for c in clause_copies(examples)] == [1, 1]


def test_a_message_of_a_routine_conversation_lends_its_sentences_unlabelled() -> None:
    said = "Hola, buenas! Tô querendo mandar uma manta pra minha tia. Entregam na Madeira?"
    examples = [
        Example(text=said, lang="pt", dialog=True, labels=(Signal.SMALL_TALK,)),
        Example(text="Chegou partido. O que faço?", lang="pt", dialog=True,
                labels=(Signal.ORDER_PROBLEM,)),
    ]  # fmt: skip
    assert [(c.source, c.example.text, c.example.labels) for c in clause_copies(examples)] == [
        (0, "Hola, buenas!", ()),
        (0, "Tô querendo mandar uma manta pra minha tia.", ()),
        (0, "Entregam na Madeira?", ()),
    ]  # an order problem's sentences are not routine; small talk is marked by the trainer


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


def test_heads_trained_with_routine_parts_read_fewer_clauses_as_a_request_for_a_person() -> None:
    corpus = load_corpus()
    training = [e for i, e in enumerate(corpus) if i % 6 == 0]
    held_out = [e for i, e in enumerate(corpus) if i % 6 == 3]
    routine = [e for e in held_out if not e.labels and parts(e.text)]
    requests = [e for e in held_out if Signal.HUMAN_REQUEST in e.labels]
    encoder = load_encoder()
    part_vectors = [encoder.encode([prepare(p) for p in parts(e.text)]) for e in routine]
    request_vectors = encoder.encode([prepare(e.text) for e in requests])
    fired, caught = {}, {}
    for clauses in (False, True):
        heads, _ = train_heads(
            training, encoder, size=NetworkSize(hidden_units=64, epochs=40), clauses=clauses
        )
        column = heads.labels.index(Signal.HUMAN_REQUEST)
        threshold = heads.thresholds[column]
        fired[clauses] = sum(
            bool((heads.probabilities(v)[:, column] >= threshold).any()) for v in part_vectors
        )
        caught[clauses] = int(np.sum(heads.probabilities(request_vectors)[:, column] >= threshold))
    assert fired[True] <= 0.75 * fired[False], fired
    assert caught[True] >= caught[False] - 0.05 * len(requests), caught
