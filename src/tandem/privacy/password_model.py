"""A learned reading of which word in a message is a password, beside the phrase rules.

The rules of :mod:`tandem.privacy.redaction` find a password after the words that announce it
("my password is", "pw:"). Customers also write "login: sarah.k / Sk!2019sk" or "tried
letmein2024, neither works". A logistic model scores every word of a message from its shape
(length, letters, digits, symbols, mixed case, a word with digits glued to its end) and its
surroundings (how far a word for "password" stands before or after it, a code that is no
secret ("error code") just before it, a colon or slash before it, quotes around it) and the
words around it and of the message, hashed (:mod:`tandem.privacy.context_words`): "tried X,
neither works" and "c'est X" in any language the sets hold. The user
name, a number another word names ("order number is ...") and words that describe a password
("forgotten") are never scored. It was trained by
``tandem privacy train-passwords`` on the labelled redaction sets whose messages were studied
(``benchmarks/data/redaction*/``), and its weights are a small JSON file (no pickle).
Words shaped like an e-mail address, a link, an order number or a date are never scored.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tandem.core.logistic import LogisticWeights, WeightsError
from tandem.privacy import context_words
from tandem.privacy.context_words import HASHED, hashed_scores
from tandem.privacy.lexicon import HOURS, QUOTES, Folded, Lexicon, after_mask, names_other_number

MODEL_PATH = Path(__file__).parent / "models" / "passwords.json"
STRIP = QUOTES + "()[]{}<>,;.!?¿¡"  # "¿Cada cuánto ...?": the opening marks of Spanish
MIN_CHARS = 4
MAX_DIGITS = 8  # a longer number is a card, an account or a reference, not a password
# A word naming another number ("order", "phone") rules a word out with at most this many words
# between: "order number is 12345ab" is an order number,
# "set the account up, I think he used Minecraft4ever" is not an account number.
NAMED_WITHIN_WORDS = 2
# A word ends at a space, a CJK character or full-width punctuation: "一直用的是Xiaomi@2023，现在".
# A run without spaces, Chinese characters or their punctuation: a word that may be a password.
WORD = re.compile(r"[^\s\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")
# Never a password: an e-mail address, a link, an order number ("PP-10432"), a date or amount,
# an error code in hexadecimal ("0x80070005").
NOT_PASSWORD_SHAPE = re.compile(
    r"[A-Z]{1,4}-?[0-9]{3,}|[0-9]+(?:[.,:/-][0-9]+)+|[^@\s]+@[^@\s]+\.[^@\s]+|\S*://\S*|www\.\S+"
    r"|0[xX][0-9a-fA-F]+"
    r"|[0-9]{1,3}-[a-z]{3,}"  # "64-character", "6-digit"
    r"|(?:[xX*•]{4}[ -]?){2,4}[0-9]{4}"  # a card shown masked: "xxxx-xxxx-xxxx-2603"
)
_CAMEL = re.compile(r"[a-z][A-Z]")
_DIGITS_AT_END = re.compile(r"[^\W\d_][0-9]+[^\w\s]?$")
# Words of letters joined by hyphens or apostrophes: "E-Mail-Adresse", "L'etichetta",
# "petite-fille". Their joins are how the language writes them, not a password's symbols.
_JOINED = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)+")
_FAR = 999

FEATURES: tuple[str, ...] = (
    "log_length",
    "six_or_more",
    "eight_or_more",
    "has_digit",
    "has_lower",
    "has_upper",
    "has_symbol",
    "joined_words",
    "classes",
    "all_digits",
    "digit_share",
    "lower_word",
    "capitalised_word",
    "camel_case",
    "digits_at_end",
    "upper_and_digits",
    "long_number",
    "password_word_in_message",
    "password_word_within_15_before",
    "password_word_within_40_before",
    "password_word_within_100_before",
    "password_word_within_30_after",
    "username_word_before",
    "not_a_code_phrase_before",
    "code_word_in_message",
    "colon_or_slash_before",
    "quoted",
    "last_word",
    "variant_in_message",
)


@dataclass(frozen=True, slots=True)
class Word:
    start: int  # in the original text
    end: int
    text: str


def words(original: str) -> Iterator[Word]:
    """The words of a message that could be a password, without punctuation around them."""
    for match in WORD.finditer(original):
        word = match.group().strip(STRIP)
        if len(word) < MIN_CHARS or NOT_PASSWORD_SHAPE.fullmatch(word) or HOURS.fullmatch(word):
            continue
        if word.isdigit() and len(word) > MAX_DIGITS:  # a reference or a card's length
            continue
        start = match.start() + match.group().index(word)
        yield Word(start, start + len(word), word)


def features(folded: Folded, lexicon: Lexicon, word: Word) -> list[float]:
    """The evidence for one word, in the order of ``FEATURES``."""
    w, original, text = word.text, folded.original, folded.text
    has_digit = any(c.isdigit() for c in w)
    has_lower = any(c.islower() for c in w)
    has_upper = any(c.isupper() for c in w)
    joined = _JOINED.fullmatch(w) is not None
    has_symbol = not joined and any(not c.isalnum() for c in w)
    at = folded.origin.index(word.start) if word.start in folded.origin else 0
    named = list(lexicon.password_word.finditer(text))
    before = min((at - m.end() for m in named if m.end() <= at), default=_FAR)
    after = min((m.start() - at for m in named if m.start() >= at), default=_FAR)
    preceding = original[max(0, word.start - 3) : word.start]
    tail = original[word.end :].strip(STRIP + " \n")
    return [
        math.log(len(w)),
        float(len(w) >= 6),
        float(len(w) >= 8),
        float(has_digit),
        float(has_lower),
        float(has_upper),
        float(has_symbol),
        float(joined),
        (has_digit + has_lower + has_upper + has_symbol) / 4,
        float(w.isdigit()),
        sum(c.isdigit() for c in w) / len(w),
        float(w.isalpha() and w.islower()),
        float(w.isalpha() and w[:1].isupper() and w[1:].islower()),
        float(_CAMEL.search(w) is not None),
        float(_DIGITS_AT_END.search(w) is not None),
        float(has_upper and has_digit and not has_lower and len(w) >= 8),
        float(w.isdigit() and len(w) >= 6),
        float(bool(named)),
        float(before <= 15),
        float(before <= 40),
        float(before <= 100),
        float(after <= 30),
        float(lexicon.username.search(text[max(0, at - 20) : at]) is not None),
        float(lexicon.not_code.search(text[max(0, at - 30) : at]) is not None),
        float(lexicon.code_context.search(text) is not None),
        float(":" in preceding or "/" in preceding),
        float(
            original[word.start - 1 : word.start] in QUOTES
            or original[word.end : word.end + 1] in QUOTES
        ),
        float(not tail),
        float(has_variant(w, original)),
    ]


# Leetspeak read as letters ("Flamenc0!" as "flamenco"), and l as 1.
_LEET = str.maketrans("0134578@$|l", "oieastbasii")
_TAIL = re.compile(r"[\W\d_]+$")
_UNMARKED = "'’-"
MIN_LETTERS = 3  # a word with fewer letters has no spelling to vary: "08025", "08052"


@lru_cache(maxsize=4096)
def variant_keys(word: str) -> frozenset[str]:
    """The letters of a word, leetspeak read as letters, with and without what ends it:
    "Kuckucksuhr2026!" as "kuckucksuhr", "Flamenc0!" as "flamenco"."""
    if sum(c.isalpha() for c in word) < MIN_LETTERS:
        return frozenset()
    keys = {
        "".join(c for c in form.lower().translate(_LEET) if c.isalpha())
        for form in (word, _TAIL.sub("", word))
    }
    return frozenset(key for key in keys if len(key) >= MIN_CHARS)


@lru_cache(maxsize=256)
def keyed_words(original: str) -> dict[str, frozenset[str]]:
    """The message's words by their letters, for letters that two or more words share."""
    keyed: dict[str, set[str]] = {}
    for word in words(original):
        for key in variant_keys(word.text):
            keyed.setdefault(key, set()).add(word.text)
    return {key: frozenset(texts) for key, texts in keyed.items() if len(texts) > 1}


def has_variant(word: str, original: str, *, among: frozenset[str] | None = None) -> bool:
    """Say whether the message holds another spelling of the word with the same letters, one of
    the two with digits or symbols: an old and a new password ("von Kuckucksuhr auf
    Kuckucksuhr2026!", "flamenco a Flamenc0!", "pierogi i Pierogi1"), not "Mijn ... mijn".
    ``among`` limits the other spelling to these words."""
    keyed = keyed_words(original)
    if not keyed:
        return False
    return any(
        _bare(other) != _bare(word)
        and (_marked(other) or _marked(word))
        and (among is None or other in among)
        for key in variant_keys(word)
        for other in keyed.get(key, frozenset())
    )


def _bare(word: str) -> str:
    return word.rstrip(":")  # "errore:" is a label, "errore" the same word


def _marked(word: str) -> bool:
    """Digits or symbols, not an apostrophe or hyphen: "account's" and "e-mail" are no variants."""
    return any(not c.isalpha() and c not in _UNMARKED for c in _bare(word))


def context(folded: Folded, word: Word) -> str:
    """The words around ``word`` and of its message (hashed by the model), and the word itself
    in lower case when it is letters alone: everyday words ("because", "heute") are learnt as
    what they are."""
    around = context_words.context(folded, word.start, word.end)
    if word.text.isalpha():
        return f"{around} W_{word.text.lower()}"
    return around


@dataclass(frozen=True)
class PasswordModel:
    weights: LogisticWeights  # over FEATURES (its intercept is the model's)
    words: NDArray[np.float64]  # one weight per hashed context column
    threshold: float
    trained_on: str = ""

    def probability(self, matrix: NDArray[np.float64], texts: list[str]) -> NDArray[np.float64]:
        w = self.weights
        z = ((matrix - w.mean) / w.scale) @ w.coefficients + hashed_scores(texts, self.words)
        return np.asarray(1.0 / (1.0 + np.exp(-(z + w.intercept))), dtype=np.float64)

    def to_json(self) -> dict[str, Any]:
        return {
            "weights": self.weights.as_json(),
            "words": [round(float(w), 6) for w in self.words],
            "threshold": self.threshold,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PasswordModel:
        try:
            weights = LogisticWeights.from_json(data["weights"])
            words = np.asarray(data["words"], dtype=np.float64)
        except (WeightsError, KeyError, TypeError, ValueError) as error:
            raise ValueError(
                f"the password model is damaged ({error}); rebuild it with "
                "`tandem privacy train-passwords`"
            ) from error
        if weights.features != FEATURES or words.shape != (HASHED,):
            raise ValueError(
                "the password model was trained on other features; rebuild it with "
                "`tandem privacy train-passwords`"
            )
        return cls(weights, words, float(data["threshold"]), str(data.get("trained_on", "")))


@cache
def load_password_model(path: Path = MODEL_PATH) -> PasswordModel:
    return PasswordModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def _ruled_out(folded: Folded, lexicon: Lexicon, word: Word) -> bool:
    """A word the context says is something else: the user name ("username is", "login:"), a
    number another word names ("order number is 12345ab"), a word that describes a password
    ("mot de passe : oublié"), a label ("password:") or the word for a password itself
    ("Palavra-passe antiga ...")."""
    if word.start not in folded.origin:
        return True
    at = folded.origin.index(word.start)
    folded_word = folded.text[at : at + len(word.text)]
    return (
        lexicon.username_before.search(folded.text[max(0, at - 40) : at]) is not None
        or names_other_number(
            folded.text, at, lexicon, max_words=NAMED_WITHIN_WORDS, value=word.text
        )
        or folded_word.rstrip("!?.") in lexicon.not_password
        or lexicon.password_word.fullmatch(folded_word.rstrip(":!?.")) is not None
        or folded_word.endswith(":")  # a label: "password:", "Fehlermeldung:"
    )


def candidates(folded: Folded, lexicon: Lexicon) -> list[Word]:
    """The words the model scores: not shaped like anything else, nor ruled out by context."""
    return [
        w
        for w in words(folded.original)
        if not _ruled_out(folded, lexicon, w) and not after_mask(folded.original, w.start)
    ]


def scored_words(
    folded: Folded, lexicon: Lexicon, model: PasswordModel
) -> list[tuple[Word, float]]:
    """Every candidate word of the message with the model's probability that it is a password."""
    found = candidates(folded, lexicon)
    if not found:
        return []
    matrix = np.array([features(folded, lexicon, w) for w in found], dtype=np.float64)
    probability = model.probability(matrix, [context(folded, w) for w in found])
    return list(zip(found, probability.tolist(), strict=True))
