"""Facts a customer already gave (order numbers, e-mails, phone numbers), masked. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_ORDER = re.compile(
    r"(?:\border(?:\s+(?:number|no\.?|num|id|ref(?:erence)?))?|#)\s*(?:is\s+)?[:#]?\s*"
    r"([A-Z]{0,4}-?\d{3,10})\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_PHONE = re.compile(r"(?<![\w#])(\+\d{1,3}[\s.-]?)?\(?\d[\d\s().-]{6,}\d\b")
MIN_PHONE_DIGITS = 9


@dataclass(frozen=True, slots=True)
class Fact:
    kind: str  # order_number, email, phone
    value: str  # as the agent sees it: order numbers in full, contact details masked


def mask_email(email: str) -> str:
    """Keep the first letter and the domain: ``s***@example.com``."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain.lower()}"


def mask_phone(phone: str) -> str:
    """Keep the country code and the last three digits: ``+44 ****** 123``."""
    digits = re.sub(r"\D", "", phone)
    stripped = phone.strip()
    if stripped.startswith("+"):
        code = re.match(r"\+\d{1,3}", stripped)
        prefix = code.group(0) if code else "+"
        return f"{prefix} ****** {digits[-3:]}"
    return f"****** {digits[-3:]}"


def extract_facts(texts: Iterable[str]) -> list[Fact]:
    """Find order numbers, e-mails and phone numbers in the customer's words, once each."""
    found: dict[tuple[str, str], Fact] = {}
    for text in texts:
        for match in _EMAIL.finditer(text):
            fact = Fact("email", mask_email(match.group(0)))
            found.setdefault((fact.kind, match.group(0).lower()), fact)
        rest = _EMAIL.sub(" ", text)
        for match in _ORDER.finditer(rest):
            number = match.group(1).upper()
            found.setdefault(("order_number", number), Fact("order_number", number))
        rest = _ORDER.sub(" ", rest)
        for match in _PHONE.finditer(rest):
            digits = re.sub(r"\D", "", match.group(0))
            if len(digits) >= MIN_PHONE_DIGITS:
                found.setdefault(("phone", digits), Fact("phone", mask_phone(match.group(0))))
    return list(found.values())


def mask_contacts(text: str) -> str:
    """Mask the e-mail addresses and phone numbers in a quote; order numbers stay."""
    text = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)

    def phone(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return mask_phone(match.group(0)) if len(digits) >= MIN_PHONE_DIGITS else match.group(0)

    return _PHONE.sub(phone, text)
