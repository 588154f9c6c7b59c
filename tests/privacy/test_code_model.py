"""The learned code reader: one-time codes no phrase announces are found, look-alikes stay.

The model scores each code-shaped run from its shape and the words around it; it was trained
on the labelled redaction sets. These messages are new to it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.cli import app
from tandem.privacy.code_model import (
    FEATURES,
    HASHED,
    CodeModel,
    load_code_model,
    ruled_out,
    scored_codes,
)
from tandem.privacy.code_training import gather, held_out_line, train
from tandem.privacy.labelled import read_set
from tandem.privacy.lexicon import Folded, load_lexicon
from tandem.privacy.redaction import SecretKind, find_secrets
from tests.privacy.labelled_sets import train_holding_out_each, write_set


def codes(text: str, *, learned: bool = True) -> list[str]:
    return [
        text[r.start : r.end]
        for r in find_secrets(text, learned=learned)
        if r.kind is SecretKind.CODE
    ]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        pytest.param("just got a text: 604 118, too late?", "604 118", id="text-arrived"),
        pytest.param("the app shows 902 114, is that the right one?", "902 114", id="app-shows"),
        pytest.param("entered 481920 and it says invalid", "481920", id="entered"),
        pytest.param("backup code did not work so I tried K7Q2-9XMP", "K7Q2-9XMP", id="backup"),
        # Nothing but what the message means says so: it arrived, just now.
        pytest.param("a mensagem chegou agora mesmo, 8830", "8830", id="arrived-pt"),
        pytest.param("przyszło przed chwilą 4417 i nie wiem gdzie to wpisać", "4417", id="pl"),
    ],
)
def test_a_code_no_phrase_announces_is_found(text: str, secret: str) -> None:
    assert secret not in codes(text, learned=False)  # the rules alone miss it
    assert secret in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("the code SUMMER24 is not accepted", id="promotion"),
        pytest.param("where is order 604118? it was due monday", id="order-number"),
        pytest.param("call me on (01) 316 4859 after 1730", id="phone-and-time"),
        pytest.param("I bought it in 2024 for 1499 euros", id="year-and-price"),
    ],
)
def test_look_alikes_are_not_read_as_codes(text: str) -> None:
    assert codes(text) == []


def test_the_shipped_model_reads_the_features_it_was_trained_on() -> None:
    model = load_code_model()
    assert model.shape.features == FEATURES
    assert model.words.shape == (HASHED,)
    assert model.meaning.shape == (model.sentence_encoder().encode(["x"]).shape[1],)
    assert "redaction_v17" in model.trained_on
    scores = dict(scored_codes(Folded.of("just got a text: 604 118"), load_lexicon(), model))
    assert max(scores.values()) >= model.threshold


@pytest.mark.parametrize("damage", ["features", "words", "meaning"])
def test_a_damaged_model_is_refused(damage: str) -> None:
    data = load_code_model().to_json()
    if damage == "features":
        data["shape"]["features"] = ["other", *data["shape"]["features"][1:]]
    elif damage == "words":
        data["words"] = data["words"][:-1]
    else:
        del data["meaning"]
    with pytest.raises(ValueError, match="train-codes"):
        CodeModel.from_json(data)


def _labelled(path: Path, rows: list[tuple[str, str | None]]) -> Path:
    return write_set(path, [(text, secret, "code") for text, secret in rows])


def _some_set(path: Path, seed: int) -> Path:
    rows: list[tuple[str, str | None]] = []
    for i in range(40):
        code = f"{(seed * 7919 + i * 104729) % 900000 + 100000}"
        rows.append((f"the sms just came: {code}", code))
        rows.append((f"my order {code} has not arrived", None))
        rows.append((f"we moved here in {1960 + i} and loved it", None))
    return _labelled(path, rows)


def test_training_learns_from_labelled_sets_and_says_how_it_does_held_out(
    tmp_path: Path,
) -> None:
    first = _some_set(tmp_path / "a" / "messages.jsonl", 1)
    second = _some_set(tmp_path / "b" / "messages.jsonl", 2)
    model = train_holding_out_each(train, first, second)
    scores = dict(scored_codes(Folded.of("the sms just came: 318460"), load_lexicon(), model))
    assert max(scores.values()) >= model.threshold
    years = dict(scored_codes(Folded.of("we moved here in 1999"), load_lexicon(), model))
    assert max(years.values()) < model.threshold
    again = train([first, second], progress=lambda _line: None)
    assert again.to_json() == model.to_json()  # deterministic
    held = gather("a", read_set(first, kind="code"))
    assert "codes found by the rules" in held_out_line(held, model)


def test_the_command_writes_the_model(tmp_path: Path) -> None:
    first = _some_set(tmp_path / "a" / "messages.jsonl", 1)
    second = _some_set(tmp_path / "b" / "messages.jsonl", 2)
    out = tmp_path / "codes.json"
    arguments = ["privacy", "train-codes", "--data", str(first), "--data", str(second)]
    result = CliRunner().invoke(app, [*arguments, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert CodeModel.from_json(json.loads(out.read_text())).shape.features == FEATURES


def test_sets_without_look_alikes_cannot_teach_it(tmp_path: Path) -> None:
    rows: list[tuple[str, str | None]] = [
        (f"the sms just came: {n}", str(n)) for n in (604118, 318460)
    ]
    first = _labelled(tmp_path / "a" / "messages.jsonl", rows)
    second = _labelled(tmp_path / "b" / "messages.jsonl", rows)
    result = CliRunner().invoke(
        app, ["privacy", "train-codes", "--data", str(first), "--data", str(second)]
    )
    assert result.exit_code == 1
    assert "both codes and look-alikes" in result.stderr


@pytest.mark.parametrize(
    ("text", "run", "named"),
    [
        # A word for a phone names only what could be a phone number: 7 to 15 digits.
        pytest.param("my son read it to me from his phone: 481 630", "481 630", False, id="six"),
        pytest.param("call me on my phone: 0612 345 678", "0612 345 678", True, id="ten"),
        pytest.param("order 604118 never came", "604118", True, id="order-names-any-length"),
    ],
)
def test_a_phone_word_names_only_a_phone_number(text: str, run: str, named: bool) -> None:
    start = text.index(run)
    assert ruled_out(Folded.of(text), load_lexicon(), start, start + len(run)) is named
