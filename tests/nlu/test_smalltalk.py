"""Politeness and closing remarks are not questions the bot failed to answer."""

from __future__ import annotations

import pytest

from tandem.nlu.smalltalk import SmallTalk, asks_something, detect_small_talk


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hi", SmallTalk.GREETING),
        ("Hello there!", SmallTalk.GREETING),
        ("ok thanks!", SmallTalk.THANKS),
        ("perfect, cheers", SmallTalk.THANKS),
        ("got it, thanks x", SmallTalk.THANKS),
        ("great", SmallTalk.ACKNOWLEDGEMENT),
        ("bye", SmallTalk.GOODBYE),
        ("ah ok, online only. no worries", SmallTalk.ACKNOWLEDGEMENT),
        ("ok that explains it, thanks", SmallTalk.THANKS),
        ("where is my order", None),
        ("ok thanks but where is my refund?", None),
        ("great, how much is express", None),
        ("the kettle is fine but the lid is broken", None),
        ("hi, the order is for my daughter's wedding tomorrow and it's not here", None),
    ],
)
def test_detect_small_talk(text: str, kind: SmallTalk | None) -> None:
    assert detect_small_talk(text) is kind


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("is it possible to pay later", True),
        ("I need a VAT invoice", True),
        ("where's my parcel", True),
        ("it's a Visa debit", False),
        ("only one order shows in my account", False),
    ],
)
def test_asks_something(text: str, asks: bool) -> None:
    assert asks_something(text) is asks


@pytest.mark.parametrize(
    "text", ["are you a bot?", "Are you real?", "is this a bot", "am I talking to a human?"]
)
def test_a_question_about_the_assistant_is_answered_not_counted(text: str) -> None:
    assert detect_small_talk(text) is SmallTalk.IDENTITY


def test_an_identity_question_with_a_request_is_not_small_talk() -> None:
    assert detect_small_talk("are you a bot? I need a human to sort this out") is None
