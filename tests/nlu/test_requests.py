"""Requests only a person may decide, order problems, and corrections of the bot."""

from __future__ import annotations

import pytest

from tandem.nlu.requests import detect_adverse_request, detect_correction, detect_order_problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I bought it 45 days ago, can I still get a refund outside the return window?",
            "refund outside the return",
        ),
        ("can I get compensation for the delay", "compensation"),
        ("my claim was rejected, why", "claim was rejected"),
        ("why did you reject my claim? I want it reconsidered", "reconsidered"),
        ("cancel my order that has already shipped", "cancel my order that has already shipped"),
        ("you knocked 20 euros off my refund", "knocked 20 euros off my refund"),
        ("could you make an exception just this once", "make an exception"),
        ("how long do refunds take?", None),
        ("what is your returns policy", None),
        ("can I cancel my order", None),
    ],
)
def test_adverse_requests(text: str, expected: str | None) -> None:
    assert detect_adverse_request(text) == expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("the sofa has a tear in the fabric", True),
        ("tracking says delivered but nothing ever came", True),
        ("only 2 of the 3 boxes came", True),
        ("it arrived smashed", True),
        ("how much does express delivery cost?", False),
        ("do you deliver to norway", False),
    ],
)
def test_order_problems(text: str, found: bool) -> None:
    assert (detect_order_problem(text) is not None) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("no i mean is there any slot after 6pm", True),
        ("that's not what I asked", True),
        ("I already did that, it didn't work", True),
        ("that doesn't answer my question", True),
        ("I mean the blue one", False),
        ("thanks, that helps", False),
    ],
)
def test_corrections(text: str, found: bool) -> None:
    assert (detect_correction(text) is not None) is found
