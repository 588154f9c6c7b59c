"""Normalisation, tokenisation and typo-tolerant matching of terms and phrases."""

from collections.abc import Iterator

import pytest

from tandem.nlu import abuse_lexicons, lexicons, topic_lexicons
from tandem.nlu.text import (
    PhraseMatch,
    PhraseSet,
    drop_quotations,
    expand,
    find_near,
    fuzzy_find,
    max_edits,
    normalize,
    term_matches,
    tokenize,
)


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        pytest.param("AGENT", "agent", id="case-folded"),
        pytest.param("Café crème", "cafe creme", id="latin-accents-stripped"),
        pytest.param("ＡＧＥＮＴ", "agent", id="full-width-nfkc"),
        pytest.param("don’t", "don't", id="curly-apostrophe"),
        pytest.param("pleeease", "please", id="elongation-collapsed"),
        pytest.param("agentttt", "agent", id="trailing-elongation"),
        pytest.param("cool", "cool", id="double-letter-kept"),
        pytest.param("!!!", "!!!", id="punctuation-untouched"),
        pytest.param("Straße", "strasse", id="casefold-sharp-s"),
    ],
)
def test_normalize(text: str, normalised: str) -> None:
    assert normalize(text) == normalised


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        pytest.param("Stop, human please!", ("stop", "human", "please"), id="punctuation-split"),
        pytest.param("I don't want a bot", ("i", "don't", "want", "a", "bot"), id="apostrophe"),
        pytest.param("dont cant im", ("don't", "can't", "i'm"), id="contractions-restored"),
        pytest.param("order 1042 is late", ("order", "1042", "is", "late"), id="numbers-kept"),
        pytest.param("the 3rd time", ("the", "3rd", "time"), id="ordinal"),
        pytest.param("'quoted'", ("quoted",), id="outer-quotes-dropped"),
        pytest.param("", (), id="empty"),
    ],
)
def test_tokenize(text: str, tokens: tuple[str, ...]) -> None:
    assert tokenize(text) == tokens


@pytest.mark.parametrize(
    ("term", "edits"),
    [
        pytest.param("rep", 0, id="three-letters-exact"),
        pytest.param("agent", 1, id="five-letters-one"),
        pytest.param("manager", 1, id="seven-letters-one"),
        pytest.param("operator", 2, id="eight-letters-two"),
    ],
)
def test_max_edits_scale_with_length(term: str, edits: int) -> None:
    assert max_edits(term) == edits


@pytest.mark.parametrize(
    ("token", "term", "matches"),
    [
        pytest.param("human", "human", True, id="exact"),
        pytest.param("humna", "human", True, id="transposition-is-one-edit"),
        pytest.param("hman", "human", True, id="deletion"),
        pytest.param("agnet", "agent", True, id="transposed-agent"),
        pytest.param("reprsentative", "representative", True, id="long-deletion"),
        pytest.param("represntatve", "representative", True, id="long-two-deletions"),
        pytest.param("oprater", "operator", True, id="eight-letters-two-edits"),
        pytest.param("rap", "rep", False, id="short-terms-exact"),
        pytest.param("hmna", "human", False, id="two-edits-on-five-letters"),
        pytest.param("cash", "rash", False, id="first-letter-kept"),
        pytest.param("using", "suing", False, id="transposed-first-letter"),
        pytest.param("operations", "operator", False, id="too-far"),
    ],
)
def test_term_matches(token: str, term: str, matches: bool) -> None:
    assert term_matches(token, term) is matches


def test_term_matches_honours_a_minimum_fuzzy_length() -> None:
    assert term_matches("agnet", "agent", min_fuzzy_len=6) is False


@pytest.mark.parametrize(
    ("tokens", "found"),
    [
        pytest.param(("i", "need", "a", "humna"), "humna", id="typo"),
        pytest.param(("get", "me", "a", "manager"), "manager", id="exact"),
        pytest.param(("i", "need", "to", "manage"), None, id="near-miss-is-not-a-typo"),
        pytest.param(("where", "is", "my", "order"), None, id="nothing"),
    ],
)
def test_fuzzy_find(tokens: tuple[str, ...], found: str | None) -> None:
    terms = {"human", "manager"}
    assert fuzzy_find(tokens, terms, not_typos={"manage"}) == found


@pytest.mark.parametrize(
    ("pattern", "phrases"),
    [
        pytest.param("human", [("human",)], id="single-word"),
        pytest.param(
            "made me|us sick|ill",
            [
                ("made", "me", "sick"),
                ("made", "me", "ill"),
                ("made", "us", "sick"),
                ("made", "us", "ill"),
            ],
            id="alternatives-multiply",
        ),
        pytest.param(
            "i'm|i_am blind", [("i'm", "blind"), ("i", "am", "blind")], id="multi-word-choice"
        ),
    ],
)
def test_expand(pattern: str, phrases: list[tuple[str, ...]]) -> None:
    assert expand(pattern) == phrases


PHRASES = PhraseSet(["customer service", "customer service team", "fed up", "agent"])


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        pytest.param(
            "call customer service now",
            [PhraseMatch(1, 3, ("customer", "service"))],
            id="phrase",
        ),
        pytest.param(
            "the customer service team",
            [PhraseMatch(1, 4, ("customer", "service", "team"))],
            id="longest-wins",
        ),
        pytest.param(
            "costumer servce agnet",
            [PhraseMatch(0, 2, ("customer", "service")), PhraseMatch(2, 3, ("agent",))],
            id="typos-in-every-word",
        ),
        pytest.param("fed up", [PhraseMatch(0, 2, ("fed", "up"))], id="short-words-exact"),
        pytest.param("fad up", [], id="short-word-typo-rejected"),
        pytest.param("customer", [], id="incomplete-phrase"),
    ],
)
def test_phrase_set_find_all(text: str, matches: list[PhraseMatch]) -> None:
    assert PHRASES.find_all(tokenize(text)) == matches


def test_phrase_set_find_returns_the_leftmost_match_with_its_evidence() -> None:
    tokens = tokenize("I'm so Fed Up with the agent")
    match = PHRASES.find(tokens)
    assert match == PhraseMatch(2, 4, ("fed", "up"))
    assert match.evidence(tokens) == "fed up"


def test_phrase_set_words_for_resolves_typos_and_not_near_misses() -> None:
    lexicon = PhraseSet(["manager"], not_typos={"manage"})
    assert lexicon.words_for("manger") == {"manager"}
    assert lexicon.words_for("manage") == frozenset()


ACTORS = PhraseSet(["someone changed"])
CHANGED = PhraseSet(["address", "password"])


@pytest.mark.parametrize(
    ("text", "window", "ordered", "evidence"),
    [
        pytest.param(
            "someone changed my address", 1, True, "someone changed my address", id="within-window"
        ),
        pytest.param("someone changed the delivery address", 1, True, None, id="too-far"),
        pytest.param("address: someone changed it", 5, True, None, id="wrong-order"),
        pytest.param(
            "address: someone changed it", 5, False, "address someone changed", id="either-side"
        ),
        pytest.param(
            "someone changed it and a week later also my password",
            10,
            True,
            "someone changed ... password",
            id="far-apart-elided",
        ),
        pytest.param(
            "someone changed my password and my address",
            10,
            True,
            "someone changed my password",
            id="nearest-second",
        ),
        pytest.param("my password", 10, False, None, id="first-missing"),
    ],
)
def test_find_near(text: str, window: int, ordered: bool, evidence: str | None) -> None:
    tokens = tokenize(text)
    pair = find_near(tokens, ACTORS, CHANGED, window=window, ordered=ordered)
    assert (pair and pair.evidence(tokens)) == evidence


def test_find_near_keeps_the_phrases_in_the_order_asked() -> None:
    tokens = tokenize("password? someone changed it")
    pair = find_near(tokens, ACTORS, CHANGED, window=3, ordered=False)
    assert pair is not None
    assert (pair.first.phrase, pair.second.phrase) == (("someone", "changed"), ("password",))


def _lexicon_words() -> Iterator[tuple[str, str]]:
    for module in (lexicons, abuse_lexicons, topic_lexicons):
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, tuple):
                for pattern in value:
                    yield from ((name, word) for phrase in expand(pattern) for word in phrase)
            elif name.isupper() and isinstance(value, frozenset):
                yield from ((name, word) for word in value)


def test_lexicon_words_are_normalised_single_tokens() -> None:
    # A word the tokeniser would never produce ("im" becomes "i'm") can never match.
    unreachable = sorted(
        {(name, word) for name, word in _lexicon_words() if tokenize(word) != (word,)}
    )
    assert unreachable == []


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        pytest.param("reviews said 'awful to assemble' but", "reviews said   but", id="single"),
        pytest.param('he wrote "this is rubbish" lol', "he wrote   lol", id="double"),
        pytest.param("the ‘Hell’s Kitchen’ apron", "the   apron", id="curly-with-apostrophe"),
        pytest.param("your 'express' delivery", "your 'express' delivery", id="scare-quotes-stay"),
        pytest.param("it's fine, isn't it", "it's fine, isn't it", id="apostrophes-stay"),
    ],
)
def test_drop_quotations_leaves_out_reported_words(text: str, kept: str) -> None:
    assert drop_quotations(text) == kept
