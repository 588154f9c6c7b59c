"""The emotion gate: which feelings the heads read need a person, learnt from conversations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tandem.cli import app
from tandem.core.logistic import LogisticWeights
from tandem.nlu.emotion_gate import (
    FEATURES,
    GATE_FILE,
    READ,
    EmotionGate,
    GateError,
    features_of,
    heads_fingerprint,
    load_gate,
    save_gate,
)
from tandem.nlu.emotion_gate_training import RECALL, Examples, held_out
from tandem.nlu.heads import SHIPPED, Signal
from tandem.nlu.reading import Reader, load_reader

runner = CliRunner()


@pytest.fixture(scope="module")
def reader() -> Reader:
    return load_reader()


def _gate(heads: str, *, threshold: float = 0.5) -> EmotionGate:
    width = len(FEATURES)
    weights = LogisticWeights(FEATURES, np.zeros(width), np.ones(width), np.ones(width), 0.0)
    return EmotionGate(weights, threshold, heads, "a test")


def _heads_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "signals"
    shutil.copytree(SHIPPED, folder)
    (folder / GATE_FILE).unlink(missing_ok=True)
    return folder


def test_a_gate_is_read_back_as_written(tmp_path: Path) -> None:
    folder = _heads_copy(tmp_path)
    save_gate(_gate(heads_fingerprint(folder), threshold=0.3), folder)
    loaded = load_gate(folder)
    assert loaded is not None
    assert loaded.threshold == 0.3
    assert loaded.probability([0.0] * len(FEATURES)) == pytest.approx(0.5)


def test_a_heads_folder_without_a_gate_hands_off_every_feeling(tmp_path: Path) -> None:
    assert load_gate(_heads_copy(tmp_path)) is None


def test_an_altered_gate_is_refused_with_what_to_do(tmp_path: Path) -> None:
    folder = _heads_copy(tmp_path)
    save_gate(_gate(heads_fingerprint(folder)), folder)
    path = folder / GATE_FILE
    path.write_text(path.read_text().replace('"threshold": 0.5', '"threshold": 0.1'))
    with pytest.raises(GateError, match=r"checksum.*train-emotion-gate"):
        load_gate(folder)


def test_a_gate_trained_over_other_heads_is_refused(tmp_path: Path) -> None:
    folder = _heads_copy(tmp_path)
    save_gate(_gate("0" * 64), folder)
    with pytest.raises(GateError, match=r"other signal heads.*train-emotion-gate"):
        load_gate(folder)


def test_features_are_margins_from_each_threshold_then_the_form_of_the_message() -> None:
    at_threshold = dict.fromkeys(READ, 0.3)
    row = features_of("where is it?", at_threshold, lambda _s: 0.3, whole_message=True)
    assert row[: len(READ)] == pytest.approx([0.0] * len(READ))
    assert row[len(READ) :] == pytest.approx([1.0, np.log1p(3), 1.0])
    calm = features_of("fine then", {Signal.ANGER: 0.1}, lambda _s: 0.3, whole_message=False)
    assert calm[0] < 0  # anger below where it fires
    assert calm[-1] == 0.0  # asks nothing


def test_the_threshold_lets_through_the_share_of_upset_conversations_held_out() -> None:
    rng = np.random.default_rng(0)
    rows, labels, groups, conversations = [], [], [], []
    for group in ("a", "b", "c"):
        for n in range(60):
            positive = n % 2 == 0
            row = rng.normal(0.8 if positive else -0.8, 1.0, len(FEATURES))
            rows.append(row)
            labels.append(positive)
            groups.append(group)
            conversations.append(f"{group}/{n}")
    data = Examples(np.array(rows), np.array(labels), groups, conversations)
    report = held_out(data)
    assert report.feelings == 90
    assert report.routine == 90
    assert report.feelings_passed >= RECALL * report.feelings
    assert report.routine_passed < report.routine  # the gate holds some routine ones back
    assert 0 < report.threshold < 1


def test_the_shipped_reader_has_a_gate(reader: Reader) -> None:
    assert reader.emotion_gate is not None


@pytest.mark.parametrize(
    "text",
    [
        "Oh well, shame. I'll pay up front then, no worries.",
        "Schade, dann bestelle ich halt zwei Pakete. Danke trotzdem!",
        "Tant pis, je passerai en magasin.",
    ],
)
def test_a_passing_feeling_in_a_routine_message_does_not_hand_off(
    reader: Reader, text: str
) -> None:
    assert reader.read(text).negative_emotion is None


@pytest.mark.parametrize(
    "text",
    [
        "This is the third time I've been promised a call back and nobody rang. I'm livid.",
        "thanks for nothing",
        "Sérieusement ? Dix jours sans nouvelles de ma commande, j'en ai vraiment marre.",
        "Ich bin stinksauer, das Sofa kam kaputt an und niemand meldet sich.",
        # distress is never held back, even asked as a question
        "I'm honestly in tears, the cot still hasn't come and the baby is due tomorrow, what "
        "am I supposed to do?",
    ],
)
def test_an_upset_customer_still_hands_off(reader: Reader, text: str) -> None:
    reading = reader.read(text)
    assert reading.negative_emotion is not None, reading.feeling_needs_person
    assert reading.feelings == reading.negative_emotion


def test_a_held_back_feeling_is_still_shown_and_weighs_on_the_load(reader: Reader) -> None:
    reading = reader.read("Tant pis, je passerai en magasin.")
    assert reading.feelings is not None
    assert reading.finding(Signal.ANGER) is not None
    assert reading.negative_emotion is None
    assert reading.feeling_needs_person is not None
    assert reading.feeling_needs_person < 0.5
    assert reading.load > 0


def _write_set(folder: Path, rows: list[dict[str, object]]) -> None:
    folder.mkdir(parents=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    (folder / "en.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _conversation(n: int, turns: list[str], *, upset: bool) -> dict[str, object]:
    return {
        "id": f"c{n}",
        "turns": turns,
        "expect_human": upset,
        "by_turn": 1 if upset else None,
        "category": "negative_emotion" if upset else "routine",
    }


def test_the_command_trains_a_gate_the_reader_then_uses(tmp_path: Path) -> None:
    upset = [
        "I am absolutely furious, the delivery was missed for the third time.",
        "This is a disgrace, nobody answers my emails and I'm sick of it.",
        "Unbelievable. Broken again and you don't even care.",
    ]
    routine = [
        "ugh, so annoying, fine, I'll just order it again",
        "Shame, I'll pay by card then. Thanks anyway!",
        "Mildly irritating but fine, I'll wait for Monday.",
    ]
    for name in ("one", "two"):
        _write_set(
            tmp_path / name,
            [_conversation(i, [t], upset=True) for i, t in enumerate(upset)]
            + [_conversation(10 + i, [t], upset=False) for i, t in enumerate(routine)],
        )
    heads = _heads_copy(tmp_path)
    result = runner.invoke(
        app,
        [
            *("nlu", "train-emotion-gate", str(tmp_path / "one"), str(tmp_path / "two")),
            *("--heads", str(heads)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "held out by set" in result.output
    gate = load_gate(heads)
    assert gate is not None
    assert "6 conversations" not in gate.trained_on  # each set's conversations count
    assert "12 conversations" in gate.trained_on


def test_the_command_names_a_bad_line(tmp_path: Path) -> None:
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "en.jsonl").write_text('{"id": "x", "turns": []}\n')
    result = runner.invoke(
        app,
        ["nlu", "train-emotion-gate", str(tmp_path / "set"), "--heads", str(_heads_copy(tmp_path))],
    )
    assert result.exit_code != 0
    assert "en.jsonl:1" in result.output


def test_the_command_refuses_missing_sets_without_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["nlu", "train-emotion-gate", str(tmp_path / "nowhere"), "--heads", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert "no dialog sets at" in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash further on
