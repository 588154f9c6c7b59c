"""Search words: what an agent types becomes words; a text shows them marked, in context."""

from __future__ import annotations

import pytest

from tandem.conversations.search_text import (
    MAX_QUERY_CHARS,
    MAX_WORDS,
    Part,
    Snippet,
    highlight,
    snippet,
    words_of,
)
from tandem.core.errors import InvalidInputError


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        pytest.param("", (), id="empty"),
        pytest.param(None, (), id="none"),
        pytest.param("   ", (), id="only-spaces"),
        pytest.param("walnut  shelf", ("walnut", "shelf"), id="spaces-separate-words"),
        pytest.param('"walnut shelf" late', ("walnut shelf", "late"), id="quoted-phrase"),
        pytest.param('"  walnut   shelf "', ("walnut shelf",), id="phrase-spaces-collapse"),
        pytest.param('refund "', ("refund",), id="stray-quote"),
        pytest.param('""', (), id="empty-quotes"),
        pytest.param("Refund refund REFUND", ("Refund",), id="repeats-once"),
        pytest.param("50% off_sale", ("50%", "off_sale"), id="wildcards-kept-literally"),
        pytest.param("我要退款", ("我要退款",), id="chinese-is-one-run"),
        pytest.param("退款 快递", ("退款", "快递"), id="chinese-with-spaces"),
        pytest.param("cafe\u0301", ("caf\u00e9",), id="one-spelling-of-an-accent"),
    ],
)
def test_a_query_becomes_its_distinct_words(typed: str | None, words: tuple[str, ...]) -> None:
    assert words_of(typed) == words


def test_a_query_too_long_to_search_says_how_long_it_may_be() -> None:
    assert words_of("x" * MAX_QUERY_CHARS) == ("x" * MAX_QUERY_CHARS,)
    with pytest.raises(InvalidInputError, match=f"at most {MAX_QUERY_CHARS} characters"):
        words_of("x" * (MAX_QUERY_CHARS + 1))


def test_a_query_with_too_many_words_says_how_many_it_may_have() -> None:
    many = " ".join(f"w{n}" for n in range(MAX_WORDS + 1))
    assert len(words_of(" ".join(f"w{n}" for n in range(MAX_WORDS)))) == MAX_WORDS
    with pytest.raises(InvalidInputError, match=f"at most {MAX_WORDS} words"):
        words_of(many)


def _marked(parts: tuple[Part, ...]) -> str:
    return "".join(f"[{p.text}]" if p.matched else p.text for p in parts)


@pytest.mark.parametrize(
    ("text", "words", "marked"),
    [
        pytest.param("My Refund, refund!", ["refund"], "My [Refund], [refund]!", id="any-case"),
        pytest.param("refunded", ["ref", "refund"], "[refund]ed", id="longest-first"),
        pytest.param("Herr ÖZTÜRK", ["öztürk"], "Herr [ÖZTÜRK]", id="non-ascii-case"),
        pytest.param("我要退款。", ["退款"], "我要[退款]。", id="chinese"),
        pytest.param("a.b axb", ["a.b"], "[a.b] axb", id="dot-is-literal"),
        pytest.param("50% or 500", ["50%"], "[50%] or 500", id="per-cent-is-literal"),
        pytest.param("nothing here", ["refund"], "nothing here", id="no-match"),
        pytest.param("plain", [], "plain", id="no-words"),
    ],
)
def test_highlight_marks_each_word_wherever_it_is(text: str, words: list[str], marked: str) -> None:
    assert _marked(highlight(text, words)) == marked
    assert "".join(p.text for p in highlight(text, words)) == text


def test_a_short_message_is_shown_whole() -> None:
    assert snippet("Where is my  walnut\nshelf?", ["walnut"]) == Snippet(
        (Part("Where is my ", False), Part("walnut", True), Part(" shelf?", False)),
        before=False,
        after=False,
    )


def test_a_long_message_is_cut_around_the_first_word_found_at_spaces() -> None:
    text = " ".join(["filler"] * 60) + " the walnut shelf arrived cracked " + "tail " * 60
    shown = snippet(text, ["walnut"], width=80)
    flat = "".join(p.text for p in shown.parts)
    assert (shown.before, shown.after) == (True, True)
    assert "[walnut]" in _marked(shown.parts)
    assert len(flat) <= 80
    assert flat.startswith("filler")
    assert flat.endswith(("tail", "cracked"))
    assert flat.index("walnut") >= 10  # some words before it, for context


def test_a_word_near_the_start_keeps_the_start() -> None:
    shown = snippet("Refund please. " + "more words " * 40, ["refund"], width=60)
    assert (shown.before, shown.after) == (False, True)
    assert shown.parts[0] == Part("Refund", True)


def test_a_message_without_the_words_shows_its_beginning() -> None:
    shown = snippet("abc " * 100, ["zzz"], width=20)
    assert (shown.before, shown.after) == (False, True)
    assert all(not p.matched for p in shown.parts)
