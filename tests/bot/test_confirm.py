"""A customer's answer to "shall I go ahead?": only a clear yes runs a write. Table-tested."""

from __future__ import annotations

import pytest

from tandem.bot.actions.confirm import confirmation


@pytest.mark.parametrize(
    "text",
    [
        "yes", "Yes!", "YES", "yes please, cancel it", "ok go ahead", "sure",
        "ja", "Ja, bitte", "sí", "Sí, por favor", "oui", "d'accord", "sì", "va bene",
        "sim", "pode", "ja graag", "doe maar", "tak", "Tak, proszę", "好的", "是的，取消吧", "确认",
    ],
)  # fmt: skip
def test_a_yes_in_any_supported_language(text: str) -> None:
    assert confirmation(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "no", "No, keep it", "nope 🙂", "nein", "Nein danke", "no gracias", "non merci",
        "no grazie", "não", "nee", "Nee, laat maar", "nie", "不要", "算了",
    ],
)  # fmt: skip
def test_a_no_in_any_supported_language(text: str) -> None:
    assert confirmation(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "", "hmm", "maybe", "what?", "1042", "yesterday", "not sure", "yes... actually no",
        "yes but not the blue one", "ja aber nicht heute", "sí, pero no hoy", "好的但是等等",
        "好不好", "no problem, go ahead",
    ],
)  # fmt: skip
def test_anything_else_is_asked_again(text: str) -> None:
    assert confirmation(text) is None
