"""Guarantee phrases: data per language, matched as whole words, whatever the models say."""

from __future__ import annotations

import pytest

from tandem.nlu.guarantees import Guarantee, find_guarantees, fold


def test_fold_ignores_case_accents_and_curly_apostrophes() -> None:
    assert fold("  Parler À QUELQU’UN ") == "parler a quelqu'un"


@pytest.mark.parametrize(
    ("text", "guarantee"),
    [
        ("I want to speak to a HUMAN", Guarantee.HUMAN_REQUEST),
        ("转人工", Guarantee.HUMAN_REQUEST),
        ("por favor, hablar con una persona", Guarantee.HUMAN_REQUEST),
        ("Ich will mich umbringen", Guarantee.CRISIS),
        ("我不想活了", Guarantee.CRISIS),
    ],
)
def test_phrases_match_in_their_language(text: str, guarantee: Guarantee) -> None:
    assert [m.guarantee for m in find_guarantees(text)] == [guarantee]


@pytest.mark.parametrize("text", ["is the cleaning agent safe?", "a real personal touch"])
def test_words_inside_other_words_do_not_match(text: str) -> None:
    assert find_guarantees(text) == []
