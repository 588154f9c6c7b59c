"""A password of plain letters told indirectly has no shape to go on: the plain words the
password model is unsure of are read again, from what the message says around them.

The shipped model was trained on the labelled redaction sets and the written corpus; these
messages are new to it.
"""

from __future__ import annotations

import numpy as np
import pytest

from tandem.core.errors import InvalidInputError
from tandem.privacy.labelled import Message
from tandem.privacy.plain_word_model import PlainWordModel, load_plain_word_model
from tandem.privacy.plain_word_training import LabelledSet, fit, held_out_line
from tandem.privacy.redaction import SecretKind, find_secrets


def found(text: str, *, learned: bool = True) -> dict[str, SecretKind]:
    return {text[r.start : r.end]: r.kind for r in find_secrets(text, learned=learned)}


def test_a_plain_word_told_as_the_password_is_removed() -> None:
    text = "my nephew set it up and put thunderbird on a sticky note for me, it will not let me in"
    assert found(text) == {"thunderbird": SecretKind.PASSWORD}
    assert found(text, learned=False) == {}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "I bought the thunderbird print in blue, can I swap it for red?", id="product"
        ),
        pytest.param(
            "my nephew set up the account for me and his name is Thomas, now it asks for a code",
            id="a-name",
        ),
        pytest.param(
            "Mon petit-fils m'a aidé à commander le coquelicot en pot, il arrive quand ?",
            id="a-plant",
        ),
    ],
)
def test_plain_words_that_are_not_passwords_stay(text: str) -> None:
    assert found(text) == {}


def test_the_word_the_message_tells_is_the_one_read_as_the_password() -> None:
    # The sentence says a password is there; the other words' scores say which word it is.
    text = "My aunt set the account up for me in August and told me to type lavender. It fails."
    assert found(text) == {"lavender": SecretKind.PASSWORD}


def test_the_shipped_model_learnt_from_the_sets_and_the_corpus() -> None:
    model = load_plain_word_model()
    assert model.meaning.ndim == 1
    assert "redaction_v22" in model.trained_on
    assert "corpus" in model.trained_on
    assert 0 < model.low < model.threshold < 1


@pytest.mark.parametrize("damage", ["meaning", "first", "rival", "encoder"])
def test_a_damaged_model_is_refused(damage: str) -> None:
    data = load_plain_word_model().to_json()
    if damage == "meaning":
        data["meaning"] = [[1.0, 2.0]]
    else:
        del data[damage]
    with pytest.raises(ValueError, match="train-plain-words"):
        PlainWordModel.from_json(data)


def _set(name: str, labels: list[int], seed: int) -> LabelledSet:
    # Vectors that lean one way for passwords and the other for other words, with noise.
    rng = np.random.default_rng(seed)
    y = np.array(labels, dtype=np.int64)
    vectors = rng.normal(0.0, 0.3, (len(labels), 4)) + np.outer(2 * y - 1, [3.0, 0, 0, 0])
    messages = [Message(f"m{i}", "text", (), ()) for i in range(len(labels))]
    return LabelledSet(
        name,
        messages,
        vectors,
        np.full(len(labels), 0.3),
        np.full(len(labels), 0.1),
        y,
        np.arange(len(labels), dtype=np.int64),
    )


def test_training_separates_what_the_vectors_separate_and_says_how_it_does_held_out() -> None:
    first, second = _set("a", [1, 0] * 20, 1), _set("b", [0, 1] * 20, 2)
    model = fit([second])
    assert held_out_line(first, model) == (
        "held out a: plain-word passwords found 20/20 of those read again; "
        "messages with a word falsely found 0/40"
    )
    assert fit([first, second]).to_json() == fit([first, second]).to_json()  # deterministic


def test_sets_with_no_plain_word_password_cannot_teach_it() -> None:
    with pytest.raises(InvalidInputError, match="plain-word passwords"):
        fit([_set("a", [0, 0, 0], 1)])
