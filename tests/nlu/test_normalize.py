"""Spelling normalisation: case folding for counting words, sentence case for shouted text."""

from __future__ import annotations

import pytest

from tandem.nlu.normalize import normalize, unshout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HOE ZET IK TWEESTAPSVERIFICATIE AAN", "Hoe zet ik tweestapsverificatie aan"),
        ("WHERE IS MY ORDER?! IT'S LATE. HELP", "Where is my order?! It's late. Help"),
        ("ÇA NE MARCHE PAS", "Ça ne marche pas"),
        ("HUMAN. NOW.", "Human. Now."),
    ],
)
def test_a_message_in_capitals_is_read_in_sentence_case(text: str, expected: str) -> None:
    assert unshout(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "for the 4th time, THAT IS NOT WHAT I ASKED, please read it",
        "I need a UPS label for order PP-1042",
        "OK",  # too short to tell
        "转人工",  # no case at all
        "",
    ],
)
def test_other_messages_keep_their_case(text: str) -> None:
    assert unshout(text) == text


def test_normalize_folds_case_accents_and_elongations() -> None:
    assert normalize("Pleeease RÉPONDEZ") == "please repondez"
