"""The words around secrets, per language, and the case- and accent-folded text they match.

Phrases are data (``data/secret_phrases.yaml``), read and validated once on first use.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from tandem.privacy.secret import Redaction, SecretKind

DATA = Path(__file__).parent / "data" / "secret_phrases.yaml"

_FOLD_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "’": "'", "‘": "'", "ʼ": "'", "´": "'"})
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff]")


def _fold(text: str) -> str:
    """Return text case-folded with accents removed, as phrases are matched."""
    return Folded.of(text).text


@dataclass(frozen=True, slots=True)
class Folded:
    original: str
    text: str
    origin: list[int]  # origin[i] is the index in original of the folded character i

    @classmethod
    def of(cls, original: str) -> Folded:
        if original.isascii():
            return cls(original, original.lower().replace("`", "'"), list(range(len(original))))
        chars: list[str] = []
        origin: list[int] = []
        for index, char in enumerate(original):
            decomposed = unicodedata.normalize("NFKD", char.casefold().translate(_FOLD_EXTRA))
            for part in decomposed:
                if not unicodedata.combining(part):
                    chars.append(part)
                    origin.append(index)
        return cls(original, "".join(chars), origin)

    def redaction(self, kind: SecretKind, start: int, end: int) -> Redaction:
        stop = self.origin[end - 1] + 1
        while stop < len(self.original) and unicodedata.combining(self.original[stop]):
            stop += 1
        return Redaction(kind, self.origin[start], stop)

    def source(self, start: int, end: int) -> str:
        return self.original[self.origin[start] : self.origin[end - 1] + 1]


# The phrase data, validated and compiled once.


class _Phrases(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    password: dict[str, list[str]]
    password_word: dict[str, list[str]]
    password_again: dict[str, list[str]]
    password_or: dict[str, list[str]]
    as_password: dict[str, list[str]]
    not_password: dict[str, list[str]]
    username: dict[str, list[str]]
    filler: dict[str, list[str]]
    code: dict[str, list[str]]
    pin: dict[str, list[str]]
    code_word: dict[str, list[str]]
    code_context: dict[str, list[str]]
    other_number: dict[str, list[str]]
    not_code: dict[str, list[str]]
    gap_stop: dict[str, list[str]]
    copula: dict[str, list[str]]
    article: dict[str, list[str]]
    cvv: dict[str, list[str]]
    card: dict[str, list[str]]
    not_card: dict[str, list[str]]
    phone: dict[str, list[str]]
    national_id: dict[str, list[str]]

    @model_validator(mode="after")
    def _same_languages(self) -> _Phrases:
        languages = set(self.password)
        for key, lists in self:
            if set(lists) != languages:
                raise ValueError(
                    f"{key!r} covers {sorted(lists)} but password covers {sorted(languages)}: "
                    "list every language under every key of secret_phrases.yaml"
                )
        return self

    def every(self, key: str) -> list[str]:
        lists: dict[str, list[str]] = getattr(self, key)
        return [phrase for items in lists.values() for phrase in items]


@dataclass(frozen=True, slots=True)
class CodeRule:
    trigger: re.Pattern[str]
    after: re.Pattern[str]  # the code after the trigger: "code is 1234"
    before: re.Pattern[str]  # the code before the trigger: "1234 is my code"
    bare: bool  # the trigger is the plain word "code": digits, not SPRING15
    cvv: bool  # a card verification value: 3 or 4 digits
    kept: bool = False  # a PIN the customer keeps: a password, unless it came as a code

    def accepts(self, value: str) -> bool:
        compact = value.replace(" ", "").replace("-", "")
        if self.cvv:
            return value.isdigit() and 3 <= len(value) <= 4
        if not 4 <= len(compact) <= 8 or not any(c.isdigit() for c in compact):
            return False
        return not (self.bare and _WORDLIKE.fullmatch(compact))


@dataclass(frozen=True, slots=True)
class Lexicon:
    password: re.Pattern[str]
    password_value: re.Pattern[str]  # after a phrase: "my password is" + value
    password_word: re.Pattern[str]
    password_word_value: re.Pattern[str]  # after the word: "password I used was" + value
    password_word_direct: re.Pattern[str]  # right after the word: "pw Estate_Gatto29"
    password_again: re.Pattern[str]  # "changed it to" + value, once a password was named
    password_or: re.Pattern[str]  # "or maybe" + value, right after a password
    as_password: re.Pattern[str]  # "as password", after the value
    not_password: frozenset[str]
    username: re.Pattern[str]  # a word naming the account's user name, which is no secret
    username_before: re.Pattern[str]  # ends right before the user name: "username is ", "login: "
    codes: tuple[CodeRule, ...]
    code_context: re.Pattern[str]  # a code phrase or context word: the message is about a code
    one_time: re.Pattern[str]  # the same without the PIN and bare "code" words: a PIN came as one
    other_number: re.Pattern[str]  # a word that names a number other than a code
    not_code: re.Pattern[str]
    gap_stop: re.Pattern[str]
    card: re.Pattern[str]
    not_card: re.Pattern[str]
    phone: re.Pattern[str]  # the words of not_card that name a phone number
    national_id: re.Pattern[str]


def _is_word_char(char: str) -> bool:
    return char.isalnum() and not _CJK.match(char)


def _phrase(phrase: str) -> str:
    """Return the regex of a folded phrase: flexible spaces, hyphens and final colon."""
    body = []
    for index, char in enumerate(phrase):
        if char == " ":
            body.append(r"\s+")
        elif char == "-":
            body.append(r"[\s\-]?")
        elif char == ":" and index == len(phrase) - 1:
            body.append(r"\s*[:=]")
        else:
            body.append(re.escape(char))
    tail = r"(?!-?[^\W\d_])" if _is_word_char(phrase[-1]) else ""  # not "e-mail"
    return "".join(body) + tail


def _alternation(phrases: list[str], *, lead: bool = False) -> str:
    """Return phrases as one regex, whole words, longest first; lead adds the space before.

    Phrases that start with a letter or digit share one word-start check and are grouped by
    first character, so a scan tries only the few phrases that can start where it stands.
    """
    unique = sorted({_fold(p).strip() for p in phrases if p.strip()}, key=len, reverse=True)
    if lead:
        return "|".join((r"\s+" if _is_word_char(p[0]) else r"\s*") + _phrase(p) for p in unique)
    by_first: dict[str, list[str]] = {}
    for phrase in unique:
        by_first.setdefault(phrase[0], []).append(_phrase(phrase))
    words = "|".join(
        f"{re.escape(first)}(?:{'|'.join(p[len(re.escape(first)) :] for p in group)})"
        for first, group in by_first.items()
        if _is_word_char(first)
    )
    others = [p for first, group in by_first.items() if not _is_word_char(first) for p in group]
    # A Chinese character before a phrase does not join it: "app的pin码是4702".
    parts = ([rf"(?<![^\W_\u3400-\u9fff\uf900-\ufaff])(?:{words})"] if words else []) + others
    return "|".join(parts) or r"(?!)"


# Digit groups ("284 519"), letters with digits ("qx4t8b") or two such groups ("wt6-93k",
# "7hx2 9kdp").
_CODE_VALUE = (
    r"[0-9]{2,4}(?:[ \-][0-9]{2,4}){1,3}"
    r"|(?=[a-z0-9]{3,4}-[a-z0-9]{0,4}[0-9])[a-z0-9]{3,4}-[a-z0-9]{3,4}"
    r"|(?=[a-z]{0,3}[0-9])[a-z0-9]{4} (?=[a-z]{0,3}[0-9])[a-z0-9]{4}"
    r"|(?=[a-z]{0,7}[0-9])[a-z0-9]{3,8}"
)
_CODE_END = r"(?![a-z0-9]|[\-/.,:][0-9]|\s?[0-9])"
_WORDLIKE = re.compile(r"[a-z]{3,}[0-9]+|[0-9]+[a-z]{3,}")
QUOTES = "\"“”„«»‹›'"
_UNSPACED_RUN = r"[^\s\u3000-\u303f\u3400-\u9fff\uf900-\ufaff]+"


def _code_rules(phrases: _Phrases) -> tuple[CodeRule, ...]:
    """Return the code rules; "OTP" or "cvv" appear in every language, so copulas are shared."""
    copulas = _alternation(phrases.every("copula"), lead=True)
    before_copulas = _alternation([c for c in phrases.every("copula") if c != ":"], lead=True)
    article = rf"(?:(?:{_alternation(phrases.every('article'))})\s+)?"
    after = re.compile(
        rf"(?:[\s:=\-–]*|(?:\s+[^\W\d_][\w'-]*){{0,6}}?(?:{copulas})[\s:]*){article}"
        rf"(?P<value>{_CODE_VALUE}){_CODE_END}"
    )
    before = re.compile(
        rf"(?<![a-z0-9])(?P<value>{_CODE_VALUE})(?:{before_copulas})(?:\s+[^\W\d_]+){{0,2}}\s*$"
    )
    # The PIN rule comes first: "code pin 2468" is a PIN, not the bare word "code" before it;
    # then the CVV's: 3 or 4 digits after "security code" are a card's, removed all the same.
    return tuple(
        CodeRule(
            re.compile(_alternation(phrases.every(key))),
            after,
            before,
            bare=bare,
            cvv=cvv,
            kept=key == "pin",
        )
        for key, bare, cvv in (
            ("pin", False, False),
            ("cvv", False, True),  # "codice di sicurezza 2958" after a card: its CVV
            ("code", False, False),
            ("code_word", True, False),
        )
    )


@cache
def load_lexicon(path: Path = DATA) -> Lexicon:
    phrases = _Phrases.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    fillers = rf"(?:(?:{_alternation(phrases.every('filler'))})\s+){{0,2}}"
    value = rf"(?P<value>[{QUOTES}][^{QUOTES}\n]{{1,64}}[{QUOTES}]|{_UNSPACED_RUN})"
    copulas = _alternation(phrases.every("copula"), lead=True)
    return Lexicon(
        password=re.compile(_alternation(phrases.every("password"))),
        password_value=re.compile(rf"(?:\s*[:=])?\s*{fillers}{value}"),
        password_word=re.compile(_alternation(phrases.every("password_word"))),
        password_word_value=re.compile(
            rf"(?:\s*[\-–]|(?:\s+[^\W\d_][\w'-]*){{0,4}}?(?:{copulas}))?\s*{fillers}{value}"
        ),
        password_word_direct=re.compile(rf"\s*[:=\-–]?\s*{value}"),
        password_again=re.compile(_alternation(phrases.every("password_again"))),
        password_or=re.compile(
            rf"(?:{_alternation(phrases.every('password_or'), lead=True)})\s+{value}"
        ),
        as_password=re.compile(_alternation(phrases.every("as_password"))),
        not_password=frozenset(_fold(w).strip() for w in phrases.every("not_password")),
        username=re.compile(_alternation(phrases.every("username"))),
        username_before=re.compile(
            rf"(?:{_alternation(phrases.every('username'))})(?:{copulas})?\s*[:=]?\s*$"
        ),
        codes=_code_rules(phrases),
        code_context=re.compile(
            _alternation(
                phrases.every("code")
                + phrases.every("pin")
                + phrases.every("code_word")
                + phrases.every("code_context")
            )
        ),
        one_time=re.compile(_alternation(phrases.every("code") + phrases.every("code_context"))),
        other_number=re.compile(_alternation(phrases.every("other_number"))),
        not_code=re.compile(_alternation(phrases.every("not_code"))),
        gap_stop=re.compile(_alternation(phrases.every("gap_stop"))),
        card=re.compile(_alternation(phrases.every("card"))),
        not_card=re.compile(_alternation(phrases.every("not_card"))),
        phone=re.compile(_alternation(phrases.every("phone"))),
        national_id=re.compile(_alternation(phrases.every("national_id"))),
    )


# Finders: each yields (kind, start, end) in folded coordinates.


Span = tuple[int, int]
# How far before a number (in characters) a word naming it is looked for: "card", "BSN", "order".
CONTEXT_WINDOW = 48


def nearest_verdict(
    text: str,
    start: int,
    against: list[Span],
    for_: list[Span],
    *,
    max_words: int = 4,
    only: re.Pattern[str] | None = None,
) -> bool | None:
    """Say which phrase leads up to ``start``: one of ``for_`` (True), of ``against`` (False),
    or none (None). A phrase counts with at most ``max_words`` words (each matching ``only``,
    when given) and no digit, "!", "?" or ";" between it and ``start``; the nearest one wins."""
    nearest: tuple[int, bool] | None = None
    for verdict, spans in ((False, against), (True, for_)):
        for _, end in spans:
            gap = text[end:start]
            words = gap.split()
            quiet = (
                not any(c.isdigit() or c in "!?;" for c in gap)
                and len(words) <= max_words
                and (only is None or all(only.fullmatch(w) for w in words if w.strip(":-–(")))
            )
            if quiet and (nearest is None or end > nearest[0]):
                nearest = (end, verdict)
    return None if nearest is None else nearest[1]


# How far before a value (in characters) a word naming another number is looked for: "order".
NUMBER_WORD_WINDOW = 30
# A clause ends between them: "muszę wejść na konto, a Zakopane#2005 nie przechodzi". Not a
# question mark: "el pedido? 661204" answers it.
_CLAUSE_BREAK = re.compile(r"[;\uff0c\u3002\uff1b]|,\s")


# The visible end of a masked number: "**** **** **** 3321", "carta •••• 1199".
_MASKED = re.compile(r"(?<![^\W\d_])[*•●xX]{2,}[\s\-]*$")


def after_mask(original: str, start: int) -> bool:
    """Say whether the value at ``start`` of the original text ends a masked number."""
    return _MASKED.search(original, max(0, start - 12), start) is not None


HOURS = re.compile(r"[0-9]{1,2}(?:[ap]m)?-[0-9]{1,2}[ap]m", re.IGNORECASE)  # "7am-1pm": hours
_PHONE_SHAPE = re.compile(r"\+?[0-9][0-9 ().\-/]*")
_PHONE_CHARS = frozenset("0123456789 ().-/+")
PHONE_DIGITS = (7, 15)  # E.164 allows at most 15; fewer than 7 is no number one dials


def _number_around(text: str, start: int) -> str:
    """The run of digits and separators around ``start``: "07700 900456" for either group."""
    left = start
    while left > 0 and text[left - 1] in _PHONE_CHARS:
        left -= 1
    right = start
    while right < len(text) and text[right] in _PHONE_CHARS:
        right += 1
    return text[left:right].strip(" ().-/")


def phone_shaped(value: str) -> bool:
    """Say whether a value could be a phone number: digits and separators, 7 to 15 digits."""
    digits = sum(c.isdigit() for c in value)
    low, high = PHONE_DIGITS
    return _PHONE_SHAPE.fullmatch(value) is not None and low <= digits <= high


# A compound that names a number: "ordernummer", "Artikelnummer", "Kundennummer".
_COMPOUND_NUMBER = re.compile(r"(?<![^\W_])[^\W\d_]{3,}(?<!pin)(?<!code)nummer(?![^\W\d_])")


def gap_words(gap: str) -> int:
    """Count the words of a gap; Chinese, written without spaces, counts one a two characters."""
    return len(gap.split()) + len(_CJK.findall(gap)) // 2


def names_other_number(
    text: str, start: int, lexicon: Lexicon, *, max_words: int, value: str | None = None
) -> bool:
    """Say whether a word for another kind of number ("order", "phone", "zł") names the value
    at ``start`` of the folded text.

    The word ends at most ``NUMBER_WORD_WINDOW`` characters before the value, with at most
    ``max_words`` words and no end of clause between them, and no word about a code nearer
    to the value: in "129,00 zł kodem 80431" the currency names the amount, not the code.
    A word for a phone names only what could be a phone number: ``value``, when given, is digits
    and the whole run of digits around it has 7 to 15 ("my phone 07700 900456" names both
    groups; "my son read it from his phone: 481 630" is a code, "the phone has hollyhock_77" a
    password).
    """
    pos = max(0, start - 60)
    phone = value is None or (
        _PHONE_SHAPE.fullmatch(value) is not None and phone_shaped(_number_around(text, start))
    )
    ends = [
        m.end()
        for m in lexicon.other_number.finditer(text, pos, start)
        if phone or not lexicon.phone.fullmatch(text, *m.span())
    ]
    ends += [m.end() for m in _COMPOUND_NUMBER.finditer(text, pos, start)]
    last = max((end for end in ends if end >= start - NUMBER_WORD_WINDOW), default=None)
    if last is None:
        return False
    gap = text[last:start]
    if _CLAUSE_BREAK.search(gap) or gap_words(gap) > max_words:
        return False
    blocked = [m.span() for m in lexicon.not_code.finditer(text)]
    return not any(
        not any(a < m.end() and m.start() < b for a, b in blocked)
        for m in lexicon.code_context.finditer(text, last, start)
    )
