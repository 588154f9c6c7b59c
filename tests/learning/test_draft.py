"""Drafting a knowledge change from a resolved conversation, pure."""

from __future__ import annotations

import pytest

from tandem.learning.draft import Existing, Line, draft, human_answer, slugify, unanswered_questions

ANSWER = "We do not sell sheds, but our partner Larch and Co builds them to order for you."


@pytest.mark.parametrize(
    ("lines", "reasons", "expected"),
    [
        pytest.param(
            [Line("customer", "do you sell sheds?"), Line("bot", "Not sure", "not_sure"),
             Line("customer", "a human please"), Line("system", "Connecting", "handoff")],
            ["customer_request"],
            ["do you sell sheds?"],
            id="not-sure-then-person",
        ),
        pytest.param(
            [Line("customer", "do you sell sheds?"), Line("bot", "Not sure", "not_sure"),
             Line("customer", "who is your CEO?"), Line("system", "Connecting", "handoff")],
            ["repeated_failure"],
            ["do you sell sheds?", "who is your CEO?"],
            id="two-misses",
        ),
        pytest.param(
            [Line("customer", "refund time?"), Line("bot", "5 days", "answer"),
             Line("customer", "a human please"), Line("system", "Connecting", "handoff")],
            ["customer_request"],
            [],
            id="answered-then-person",
        ),
        pytest.param(
            [Line("customer", "hello"), Line("customer", "where's my parcel?"),
             Line("system", "Connecting", "handoff")],
            ["low_confidence"],
            ["where's my parcel?"],
            id="low-confidence-skips-small-talk",
        ),
    ],
)  # fmt: skip
def test_unanswered_questions(lines: list[Line], reasons: list[str], expected: list[str]) -> None:
    found = unanswered_questions(lines, handoff_reasons=reasons)
    assert [q.text for q in found] == expected


def test_the_answer_leaves_out_greetings() -> None:
    lines = [Line("agent", "Hi, I'm Ana."), Line("agent", ANSWER), Line("customer", "thanks")]
    assert human_answer(lines) == ANSWER
    assert human_answer([Line("agent", "Yes, we do.")]) == "Yes, we do."


def test_a_new_article_is_titled_by_the_question() -> None:
    drafted = draft([Line("customer", "do you sell sheds")], ANSWER)
    assert drafted is not None
    assert (drafted.kind, drafted.title, drafted.slug) == (
        "new_article", "Do you sell sheds?", "do-you-sell-sheds",
    )  # fmt: skip
    assert drafted.body == f"{ANSWER}\n"
    assert drafted.examples == ("do you sell sheds",)


def test_a_close_article_gets_a_new_section() -> None:
    existing = Existing("garden", "Garden furniture", "We sell benches.")
    drafted = draft([Line("customer", "sheds too?")], ANSWER, existing=existing)
    assert drafted is not None
    assert drafted.kind == "update_article"
    assert drafted.slug == "garden"
    assert drafted.body == f"We sell benches.\n\n## Sheds too?\n\n{ANSWER}\n"


def test_nothing_to_learn_without_a_question_or_an_answer() -> None:
    assert draft([], ANSWER) is None
    assert draft([Line("customer", "sheds?")], " ") is None
    assert slugify("?!") == "answer"
