"""A number found as a secret is a PIN the customer keeps or a code sent to them, and the agent
is told which: the PIN model reads what the message says around the number.

The shipped model was trained on the labelled redaction sets; these messages are new to it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.cli import app
from tandem.privacy.context_words import HASHED
from tandem.privacy.labelled import read_set
from tandem.privacy.pin_model import PinModel, load_pin_model
from tandem.privacy.pin_training import gather, held_out_line, train
from tandem.privacy.redaction import SecretKind, find_secrets
from tests.privacy.labelled_sets import train_holding_out_each, write_set


def kinds(text: str, *, learned: bool = True) -> dict[str, SecretKind]:
    return {text[r.start : r.end]: r.kind for r in find_secrets(text, learned=learned)}


@pytest.mark.parametrize(
    ("text", "number"),
    [
        pytest.param(
            "the banking app wants the six numbers I picked, I tap 318264 and it freezes",
            "318264",
            id="app-lock-en",
        ),
        pytest.param(
            "sinds de update pakt de app mijn zes cijfers niet meer, ik typ 507193 zoals altijd",
            "507193",
            id="app-lock-nl",
        ),
        pytest.param(
            "beim Bezahlen im Laden will das Terminal meine Geheimzahl, ich tippe 4082 und es "
            "heißt falsch",
            "4082",
            id="card-pin-de",
        ),
    ],
)
def test_a_number_the_customer_keeps_is_removed_as_a_password(text: str, number: str) -> None:
    assert kinds(text).get(number) is SecretKind.PASSWORD


@pytest.mark.parametrize(
    ("text", "number"),
    [
        pytest.param("a text just arrived with 318264, what is it for?", "318264", id="text"),
        pytest.param("o sms chegou agora: 507193, onde ponho?", "507193", id="sms-pt"),
        pytest.param("your verification code is 640182", "640182", id="announced"),
    ],
)
def test_a_number_sent_to_the_customer_stays_a_code(text: str, number: str) -> None:
    assert kinds(text).get(number) is SecretKind.CODE


def test_without_the_models_nothing_is_reclassified() -> None:
    text = "the banking app wants the six numbers I picked, I tap 318264 and it freezes"
    assert kinds(text, learned=False).get("318264") is not SecretKind.PASSWORD


def test_the_shipped_model_reads_the_features_it_was_trained_on() -> None:
    model = load_pin_model()
    assert model.words.shape == (HASHED,)
    assert model.meaning.ndim == 1
    assert "redaction_v17" in model.trained_on


@pytest.mark.parametrize("damage", ["words", "meaning", "intercept"])
def test_a_damaged_model_is_refused(damage: str) -> None:
    data = load_pin_model().to_json()
    if damage == "words":
        data["words"] = data["words"][:-1]
    elif damage == "meaning":
        data["meaning"] = [[1.0, 2.0]]
    else:
        del data["intercept"]
    with pytest.raises(ValueError, match="train-pins"):
        PinModel.from_json(data)


def _some_set(path: Path, seed: int) -> Path:
    rows: list[tuple[str, str | None, str]] = []
    for i in range(30):
        number = f"{(seed * 7919 + i * 104729) % 900000 + 100000}"
        rows.append(
            (f"the pin I chose for the app is {number} and it is refused", number, "password")
        )
        rows.append((f"the sms that just came says {number}", number, "code"))
    return write_set(path, rows)


def test_training_learns_from_labelled_sets_and_says_how_it_does_held_out(
    tmp_path: Path,
) -> None:
    first = _some_set(tmp_path / "a" / "messages.jsonl", 1)
    second = _some_set(tmp_path / "b" / "messages.jsonl", 2)
    model = train_holding_out_each(train, first, second)
    held = gather("a", read_set(first, kind="password"), read_set(first, kind="code"))
    assert (
        held_out_line(held, model) == "held out a: PINs read as kept 30/30, codes read as kept 0/30"
    )
    again = train([first, second], progress=lambda _line: None)
    assert again.to_json() == model.to_json()  # deterministic


def test_the_command_writes_the_model(tmp_path: Path) -> None:
    first = _some_set(tmp_path / "a" / "messages.jsonl", 1)
    second = _some_set(tmp_path / "b" / "messages.jsonl", 2)
    out = tmp_path / "pins.json"
    arguments = ["privacy", "train-pins", "--data", str(first), "--data", str(second)]
    result = CliRunner().invoke(app, [*arguments, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert PinModel.from_json(json.loads(out.read_text())).words.shape == (HASHED,)


def test_sets_with_one_kind_of_number_cannot_teach_it(tmp_path: Path) -> None:
    rows: list[tuple[str, str | None, str]] = [
        (f"the sms just came: {n}", str(n), "code") for n in (604118, 318460)
    ]
    first = write_set(tmp_path / "a" / "messages.jsonl", rows)
    second = write_set(tmp_path / "b" / "messages.jsonl", rows)
    result = CliRunner().invoke(
        app, ["privacy", "train-pins", "--data", str(first), "--data", str(second)]
    )
    assert result.exit_code == 1
    assert "labelled password (PINs)" in result.stderr
