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


@pytest.mark.parametrize(
    "text",
    [
        "no need to talk to a person, just tell me your Saturday hours",
        "不用转人工哈，就想问下周六几点下班",
        "不需要帮我转人工",
        "non serve parlare con un operatore, dimmi solo l'orario",
        "No necesito hablar con una persona, solo dime el horario",
    ],
)
def test_a_declined_request_phrase_guarantees_nothing(text: str) -> None:
    assert find_guarantees(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "why can't I talk to a person?",
        "I don't need a bot, I need to speak to a human",
        "no need for a bot, get me a real person",
        "别让我等了，转人工",
        "não precisa me explicar de novo, quero falar com um atendente",
    ],
)
def test_a_request_after_another_negation_still_reaches_a_person(text: str) -> None:
    assert [m.guarantee for m in find_guarantees(text)] == [Guarantee.HUMAN_REQUEST]
