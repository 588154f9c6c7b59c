"""Which messages are read together with the previous question."""

from __future__ import annotations

from tandem.knowledge.followup import reads_as_follow_up, with_previous


def test_an_unanswered_sentence_of_a_dozen_words_is_read_with_the_previous_question() -> None:
    follow_up = "What if the meter was swapped for a new one last week?"
    assert reads_as_follow_up(follow_up, [], threshold=0.7)
    assert with_previous("How do I send you a meter reading?", follow_up).endswith(follow_up)


def test_a_paragraph_stands_on_its_own() -> None:
    paragraph = (
        "I moved into a new flat in Leeds last month and the previous tenant left a prepayment "
        "meter that I would like to swap for a normal one as soon as possible"
    )
    assert not reads_as_follow_up(paragraph, [], threshold=0.7)
