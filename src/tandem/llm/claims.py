"""The checkable facts in a sentence: amounts, quantities, numbers, dates, links, contacts, codes.

A model's answer may word things its own way, but each of these must appear in the passages
it was given, or the answer is not shown. Pure: text in, claims out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class ClaimKind(StrEnum):
    AMOUNT = "amount"
    QUANTITY = "quantity"
    NUMBER = "number"
    DAY = "day"
    LINK = "link"
    EMAIL = "email"
    PHONE = "phone"
    CODE = "code"
    DEED = "deed"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class Claim:
    kind: ClaimKind
    value: str  # normalised, comparable across wordings
    text: str  # as written

    def describe(self) -> str:
        return f"{self.kind.value} {self.text!r}"


_NUM = r"\d+(?:[.,]\d+)*"
_CURRENCY = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "chf": "CHF",
    "francs": "CHF",
    "kr": "SEK",
    "sek": "SEK",
    "nok": "NOK",
    "dkk": "DKK",
    "zł": "PLN",
    "zl": "PLN",
    "pln": "PLN",
    "¥": "CNY",
    "元": "CNY",
    "rmb": "CNY",
}
_CURRENCY_WORDS = "|".join(sorted((re.escape(c) for c in _CURRENCY), key=len, reverse=True))
_AMOUNT_BEFORE = re.compile(rf"(?<![\w.])({_CURRENCY_WORDS})\s?({_NUM})", re.IGNORECASE)
_AMOUNT_AFTER = re.compile(rf"({_NUM})\s?({_CURRENCY_WORDS})(?![\w])", re.IGNORECASE)
_UNITS = {
    "minute": "minute",
    "minutes": "minute",
    "min": "minute",
    "mins": "minute",
    "hour": "hour",
    "hours": "hour",
    "hrs": "hour",
    "h": "hour",
    "day": "day",
    "days": "day",
    "business day": "business day",
    "business days": "business day",
    "working day": "business day",
    "working days": "business day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
    "%": "percent",
    "percent": "percent",
    "per cent": "percent",
    "kg": "kg",
    "kilo": "kg",
    "kilos": "kg",
    "cm": "cm",
    "item": "item",
    "items": "item",
    "points": "point",
    "point": "point",
}
_UNIT_WORDS = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_QUANTITY = re.compile(rf"({_NUM})(?:\s?[-–]\s?({_NUM}))?\s?({_UNIT_WORDS})(?![a-z])", re.I)
_NUMBER = re.compile(_NUM)
_WORD_NUMBERS = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "fourteen": "14",
    "fifteen": "15",
    "twenty": "20",
    "thirty": "30",
    "sixty": "60",
    "ninety": "90",
    "hundred": "100",
}
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b", re.IGNORECASE)
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday"
_MONTHS = "january february march april june july august september october november december"
# "May" is left out: it is far more often the verb than the month.
_DAY = re.compile(r"\b(" + "|".join(f"{_WEEKDAYS} {_MONTHS}".split()) + r")\b", re.I)
_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]\"']+|"
    r"\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|eu|uk|de|fr|es|it|nl|pl|"
    r"info|biz|shop|store|app|link|ly|me|xyz|example)\b(?:/[^\s<>()\[\]\"']*)?|"
    r"(?<![\w/.])/(?:[a-z0-9-]+/)+[a-z0-9-]+",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])\+?\d[\d\s().-]{6,}\d(?![\w])")
_CODE = re.compile(r"\b(?=[A-Z0-9-]*[A-Z])(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,}\b|\b[A-Z]{6,}\b")
# Deeds: the writer says something was done for this customer. Only actions may do things,
# and a model never runs one, so a deed is a claim no passage can support.
_DEED = re.compile(
    r"\b(?:i|i've|i'?ll|i am|i'm|we've|we have|we'?ll|we will|i have|i will|has been|have been|"
    r"is now|are now)\s+(?:just\s+|now\s+|already\s+|gone ahead and\s+)?"
    r"(?:issued|issue|processed|process|refunded|refund|cancell?ed|cancel|approved|approve|"
    r"credited|credit|applied|apply|sent|send|arranged|arrange|escalated|booked|added|add|"
    r"waived|waive|reset|changed|updated|upgraded|granted|grant|authori[sz]ed|authori[sz]e)\b",
    re.IGNORECASE,
)


# A capitalised word inside a sentence names something (a place, a carrier, a company).
_NAME = re.compile(r"(?<=[\w,;:)\]] )[A-Z][\w&'-]*[A-Za-z0-9]")
_WORDS = re.compile(r"[\w&'-]+")


def _number(text: str) -> str:
    """Normalise a number: "1,000" and "1000" match, "4.95" and "4,95" match."""
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        return text.replace(",", "")
    return text.replace(",", ".").rstrip("0").rstrip(".") if "." in text or "," in text else text


def _strip_links(text: str) -> str:
    return _EMAIL.sub(" ", _LINK.sub(" ", text))


def _link(text: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", text.lower()).rstrip(".,;:!?/")


def claims(text: str) -> list[Claim]:
    """Return every checkable claim in ``text``."""
    found: list[Claim] = []
    for match in _EMAIL.finditer(text):
        found.append(Claim(ClaimKind.EMAIL, match.group().lower(), match.group()))
    for match in _LINK.finditer(_EMAIL.sub(" ", text)):
        found.append(Claim(ClaimKind.LINK, _link(match.group()), match.group()))
    plain = _strip_links(text)
    for match in _PHONE.finditer(plain):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) >= 7:
            found.append(Claim(ClaimKind.PHONE, digits, match.group()))
    for match in _AMOUNT_BEFORE.finditer(plain):
        currency = _CURRENCY[match.group(1).lower()]
        found.append(
            Claim(ClaimKind.AMOUNT, f"{currency} {_number(match.group(2))}", match.group())
        )
    for match in _AMOUNT_AFTER.finditer(plain):
        currency = _CURRENCY[match.group(2).lower()]
        found.append(
            Claim(ClaimKind.AMOUNT, f"{currency} {_number(match.group(1))}", match.group())
        )
    for match in _QUANTITY.finditer(plain):
        unit = _UNITS[match.group(3).lower()]
        for number in filter(None, (match.group(1), match.group(2))):
            found.append(Claim(ClaimKind.QUANTITY, f"{_number(number)} {unit}", match.group()))
    for match in _NUMBER.finditer(plain):
        found.append(Claim(ClaimKind.NUMBER, _number(match.group()), match.group()))
    for match in _WORD_NUMBER.finditer(plain):
        value = _WORD_NUMBERS[match.group().lower()]
        found.append(Claim(ClaimKind.NUMBER, value, match.group()))
    for match in _DAY.finditer(plain):
        found.append(Claim(ClaimKind.DAY, match.group().lower(), match.group()))
    for match in _CODE.finditer(plain):
        found.append(Claim(ClaimKind.CODE, match.group(), match.group()))
    for match in _DEED.finditer(plain):
        found.append(Claim(ClaimKind.DEED, match.group().lower(), match.group()))
    for match in _NAME.finditer(plain):
        if match.group() != "I" and not _CODE.fullmatch(match.group()):
            found.append(Claim(ClaimKind.NAME, match.group().lower(), match.group()))
    return found


@dataclass(frozen=True, slots=True)
class Support:
    """Everything the passages state that a claim may rest on."""

    values: frozenset[tuple[ClaimKind, str]]
    links: frozenset[str]

    @classmethod
    def of(cls, passages: Iterable[str], *, links: Iterable[str] = ()) -> Support:
        values: set[tuple[ClaimKind, str]] = set()
        allowed = {_link(link) for link in links}
        for text in passages:
            for claim in claims(text):
                values.add((claim.kind, claim.value))
                if claim.kind is ClaimKind.QUANTITY:  # "30 days" also states the number 30
                    values.add((ClaimKind.NUMBER, claim.value.split(" ", 1)[0]))
                elif claim.kind is ClaimKind.LINK:
                    allowed.add(claim.value)
            # A name is supported wherever the passages use the word.
            values.update((ClaimKind.NAME, w.lower()) for w in _WORDS.findall(text))
        return cls(frozenset(values), frozenset(allowed))

    def supports(self, claim: Claim) -> bool:
        if claim.kind is ClaimKind.DEED:
            return (claim.kind, claim.value) in self.values
        if claim.kind is ClaimKind.LINK:
            return any(
                claim.value == link or link.startswith(claim.value.rstrip("/") + "/")
                for link in self.links
            )
        return (claim.kind, claim.value) in self.values


def unsupported(text: str, support: Support) -> list[Claim]:
    """Return the claims in ``text`` that ``support`` does not back, each once."""
    seen: set[tuple[ClaimKind, str]] = set()
    missing: list[Claim] = []
    for claim in claims(text):
        key = (claim.kind, claim.value)
        if key not in seen and not support.supports(claim):
            seen.add(key)
            missing.append(claim)
    return missing
