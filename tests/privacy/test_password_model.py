"""The learned password reader: passwords no phrase announces are found, look-alikes stay.

The model scores each word from its shape and its surroundings; it was trained on the studied
redaction sets. These messages are new to it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.cli import app
from tandem.privacy.context_words import HASHED
from tandem.privacy.labelled import read_set
from tandem.privacy.lexicon import Folded, load_lexicon
from tandem.privacy.password_model import (
    FEATURES,
    PasswordModel,
    load_password_model,
    scored_words,
)
from tandem.privacy.password_training import gather, held_out_line, train
from tandem.privacy.redaction import SecretKind, find_secrets
from tests.privacy.labelled_sets import write_set


def passwords(text: str, *, learned: bool = True) -> list[str]:
    return [
        text[r.start : r.end]
        for r in find_secrets(text, learned=learned)
        if r.kind is SecretKind.PASSWORD
    ]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        pytest.param("login: marta.k / Quokka!71 still fails", "Quokka!71", id="user-slash-pw"),
        pytest.param("tried Biscuit2019 and Ottoman55, neither works", "Biscuit2019", id="tried"),
        pytest.param("it says incorrect when I type Moonlit&Tide8", "Moonlit&Tide8", id="typed"),
        pytest.param("heb Kikker99! geprobeerd, fout", "Kikker99!", id="with-its-exclamation"),
        pytest.param("一直用的是Qilin@2024，现在提示错误", "Qilin@2024", id="glued-to-chinese"),
        pytest.param(
            "my son set the account up, I think he used Dragonfly7ever or so",
            "Dragonfly7ever",
            id="account-named-words-before",
        ),
    ],
)
def test_a_password_no_phrase_announces_is_found(text: str, secret: str) -> None:
    assert secret not in passwords(text, learned=False)  # the phrase rules alone miss it
    assert secret in passwords(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("my e-mail is marta.k71@example.org, can you check?", id="e-mail"),
        pytest.param("the app shows error 0x80070005 when I pay", id="hex-error-code"),
        pytest.param("order PP-104322 arrived broken", id="order-number"),
        pytest.param("password for the app is Quokka!71, username is marta_71", id="username"),
        pytest.param("use code SPRING15 at checkout?", id="discount-code"),
        pytest.param("delivered on 12.03.2026 to Flat 4B", id="date-and-flat"),
    ],
)
def test_look_alikes_are_not_read_as_passwords(text: str) -> None:
    found = passwords(text)
    assert all(word in {"Quokka!71"} for word in found), found


def test_the_shipped_model_reads_the_features_it_was_trained_on() -> None:
    model = load_password_model()
    assert model.weights.features == FEATURES
    assert 0.5 <= model.threshold < 1
    assert "redaction_v2" in model.trained_on
    assert model.words.shape == (HASHED,)
    folded = Folded.of("tried Biscuit2019, no luck")
    scores = {w.text: p for w, p in scored_words(folded, load_lexicon(), model)}
    assert scores["Biscuit2019"] >= model.threshold


@pytest.mark.parametrize("damage", ["renamed", "shortened", "words"])
def test_a_model_of_other_features_is_refused(damage: str) -> None:
    data = load_password_model().to_json()
    names = data["weights"]["features"]
    if damage == "words":
        data["words"] = data["words"][:-1]
    else:
        data["weights"]["features"] = ["other", *names[1:]] if damage == "renamed" else names[:-1]
    with pytest.raises(ValueError, match="train-passwords"):
        PasswordModel.from_json(data)


def _labelled(path: Path, rows: list[tuple[str, str | None]]) -> Path:
    return write_set(path, [(text, secret, "password") for text, secret in rows])


def _some_set(folder: Path, name: str, seed: int) -> Path:
    folder.mkdir()
    rows: list[tuple[str, str | None]] = []
    for i in range(40):
        secret = f"Tiger{seed}{i}!x"
        rows.append((f"tried {secret} twice, still locked", secret))
        rows.append((f"my password Kiwi{i}#{seed} does not work", f"Kiwi{i}#{seed}"))
        rows.append((f"where is order 10{i:03d}{seed}? it was due friday", None))
        rows.append((f"the link for the password reset never came, day {i}", None))
    return _labelled(folder / "messages.jsonl", rows)


def test_training_learns_from_labelled_sets_and_says_how_it_does_held_out(
    tmp_path: Path,
) -> None:
    first, second = _some_set(tmp_path / "a", "a", 1), _some_set(tmp_path / "b", "b", 2)
    said: list[str] = []
    model = train([first, second], progress=said.append)
    assert len(said) == 2
    assert all("held out" in line and "with the model" in line for line in said)
    folded = Folded.of("tried Tiger99!x twice, still locked")
    scores = {w.text: p for w, p in scored_words(folded, load_lexicon(), model)}
    assert scores["Tiger99!x"] >= model.threshold
    assert scores["twice"] < model.threshold
    again = train([first, second], progress=lambda _line: None)
    assert again.to_json() == model.to_json()  # deterministic
    held = gather("a", read_set(first))
    assert held_out_line(held, model).startswith("held out a:")


def test_the_command_writes_the_model(tmp_path: Path) -> None:
    first, second = _some_set(tmp_path / "a", "a", 1), _some_set(tmp_path / "b", "b", 2)
    out = tmp_path / "passwords.json"
    result = CliRunner().invoke(
        app,
        [
            "privacy",
            "train-passwords",
            "--data",
            str(first),
            "--data",
            str(second),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "held out" in result.output
    assert PasswordModel.from_json(json.loads(out.read_text())).weights.features == FEATURES


def test_one_set_is_not_enough_to_hold_one_out(tmp_path: Path) -> None:
    only = _some_set(tmp_path / "a", "a", 1)
    result = CliRunner().invoke(app, ["privacy", "train-passwords", "--data", str(only)])
    assert result.exit_code != 0
    assert "at least two labelled sets" in result.stderr


NAMES = ("Lavender", "Hopscotch", "Brambleton", "Quillfeather", "Marrowby", "Thistlewood")


def test_the_words_around_a_word_tell_a_password_from_a_name_of_the_same_shape(
    tmp_path: Path,
) -> None:
    sets = []
    for half in (0, 1):
        rows: list[tuple[str, str | None]] = []
        for i in range(30):
            word = f"{NAMES[i % len(NAMES)]}{'abcdefghij'[(i + half) % 10]}"
            rows.append((f"tried {word} twice, still locked out", word))
            rows.append((f"we visited {word} last summer with the kids", None))
        sets.append(_labelled(tmp_path / f"set{half}.jsonl", rows))
    model = train(sets, progress=lambda _: None)
    lexicon = load_lexicon()

    def score(text: str) -> float:
        return {w.text: p for w, p in scored_words(Folded.of(text), lexicon, model)}["Orchardia"]

    assert score("tried Orchardia twice, still locked out") >= model.threshold
    assert score("we visited Orchardia last summer with the kids") < model.threshold
