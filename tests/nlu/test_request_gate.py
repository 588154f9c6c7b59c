"""The request gate: which requests for a person the heads read need one, learnt from
conversations. A request said in so many words is never held back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tandem.cli import app
from tandem.nlu import request_gate
from tandem.nlu.gate_training import REQUEST, Examples, held_out
from tandem.nlu.heads import SHIPPED, Signal
from tandem.nlu.reading import Reader, load_reader
from tandem.nlu.request_gate import FEATURES, READ, features_of

runner = CliRunner()


@pytest.fixture(scope="module")
def reader() -> Reader:
    return load_reader()


def test_the_shipped_reader_has_a_request_gate(reader: Reader) -> None:
    assert reader.request_gate is not None
    assert 0 < reader.request_gate.threshold < 1


@pytest.mark.parametrize(
    "text",
    [
        "I want to talk to a person about my refund.",
        "Can a staff member help me?",
        "Is there someone actually working there I could chat with?",
        "it's been 3 weeks and still no refund, get me a person",
        "Ich möchte bitte mit einem Mitarbeiter sprechen, nicht mit dem Bot.",
        "¿Me puede atender una persona de verdad?",
        "Posso parlare con un operatore?",
    ],
)
def test_a_customer_who_asks_for_a_person_still_reaches_one(reader: Reader, text: str) -> None:
    reading = reader.read(text)
    assert reading.human_request is not None, reading.request_needs_person


def test_a_request_said_in_so_many_words_is_never_held_back(reader: Reader) -> None:
    reading = reader.read("转人工")
    assert reading.human_request is not None
    assert reading.request_needs_person is None  # nothing for the gate to judge


@pytest.mark.parametrize(
    "text",
    [
        "Is there someone at the door when you deliver, or do you leave it?",
        "Kan iemand anders het pakket voor mij ophalen? Ik ben die dag weg.",
    ],
)
def test_a_request_read_in_a_routine_question_is_held_back_but_shown(
    reader: Reader, text: str
) -> None:
    reading = reader.read(text)
    assert reading.finding(Signal.HUMAN_REQUEST) is not None  # the heads read one
    assert reading.human_request is None  # the gate holds it back: the bot answers
    assert reading.request_needs_person is not None
    assert reader.request_gate is not None
    assert reading.request_needs_person < reader.request_gate.threshold


def test_features_are_margins_then_the_second_opinion_then_the_form_of_the_message() -> None:
    scores = dict.fromkeys(Signal, 0.5)
    row = features_of(
        "Can I speak to someone?",
        scores,
        lambda _s: 0.5,
        second_opinion=1.5,
        whole_message=True,
        parts=0,
    )
    assert len(row) == len(FEATURES)
    assert row[: len(READ)] == [0.0] * len(READ)
    assert row[len(READ)] == 1.5
    assert row[len(READ) + 1 :] == [1.0, 0.0, pytest.approx(np.log1p(5)), 1.0]
    without = features_of(
        "hi", scores, lambda _s: 0.25, second_opinion=None, whole_message=False, parts=2
    )
    assert without[len(READ)] == without[0]  # the first set's margin stands in


def test_the_threshold_lets_through_its_share_of_the_requests_held_out() -> None:
    rng = np.random.default_rng(1)
    rows, labels, groups, conversations = [], [], [], []
    for group in ("a", "b", "c"):
        for n in range(80):
            positive = n % 4 != 0
            rows.append(rng.normal(1.0 if positive else -1.0, 1.0, len(FEATURES)))
            labels.append(positive)
            groups.append(group)
            conversations.append(f"{group}/{n}")
    report = held_out(Examples(np.array(rows), np.array(labels), groups, conversations), REQUEST)
    assert report.needed == 180
    assert report.needed_passed >= REQUEST.recall * report.needed
    assert report.routine_passed < report.routine


def _write_set(folder: Path, rows: list[dict[str, object]]) -> None:
    folder.mkdir(parents=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    (folder / "en.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_command_trains_a_gate_the_reader_then_uses(tmp_path: Path) -> None:
    asks = [
        "I want to speak to a human being, please.",
        "Can I talk to somebody from your team?",
        "put me through to an agent",
    ]
    routine = [  # each reads as a request for a person to the heads
        "Is there someone at the door when you deliver, or do you leave it?",
        "Kan iemand anders het pakket voor mij ophalen? Ik ben die dag weg.",
    ]
    for name in ("one", "two"):
        conversations = [
            {"id": f"a{i}", "turns": [t], "expect_human": True, "by_turn": 1,
             "category": "human_request"}
            for i, t in enumerate(asks)
        ] + [
            {"id": f"r{i}", "turns": [t], "expect_human": False, "category": "routine"}
            for i, t in enumerate(routine)
        ]  # fmt: skip
        _write_set(tmp_path / name, conversations)
    heads = tmp_path / "signals"
    shutil.copytree(SHIPPED, heads)
    (heads / request_gate.KIND.file).unlink(missing_ok=True)
    result = runner.invoke(
        app,
        [
            *("nlu", "train-request-gate", str(tmp_path / "one"), str(tmp_path / "two")),
            *("--heads", str(heads)),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "because they asked for one" in result.output
    gate = request_gate.load_gate(heads)
    assert gate is not None
    assert gate.weights.features == FEATURES
    assert "10 conversations" in gate.trained_on
    assert load_reader(heads=heads).request_gate is not None


def test_a_customer_who_asks_again_is_never_held_back(reader: Reader) -> None:
    first = "Is there someone at the door when you deliver, or do you leave it?"
    again = "Kan iemand anders het pakket voor mij ophalen? Ik ben die dag weg."
    reading = reader.read(again, earlier=[first])
    assert reader.request_gate is not None
    assert reading.request_needs_person is not None
    assert reading.request_needs_person < reader.request_gate.threshold  # alone, held back
    assert reading.human_request is not None  # but an earlier message asked too
