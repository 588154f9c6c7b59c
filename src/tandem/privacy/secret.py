"""What a secret is: its kind, where it stands in a message, and the marker that replaces it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SecretKind(StrEnum):
    CARD = "card"
    IBAN = "iban"
    PASSWORD = "password"  # noqa: S105 - the name of a kind, not a password
    CODE = "code"
    CVV = "cvv"  # a card's security code, labelled as such: never to be stored (PCI DSS)
    NATIONAL_ID = "national_id"  # a national identity or tax number that passes its check


MARKERS: dict[SecretKind, str] = {
    SecretKind.CARD: "[card number removed]",
    SecretKind.IBAN: "[IBAN removed]",
    SecretKind.PASSWORD: "[password removed]",
    SecretKind.CODE: "[code removed]",
    SecretKind.CVV: "[card security code removed]",
    SecretKind.NATIONAL_ID: "[ID number removed]",
}


@dataclass(frozen=True, slots=True)
class Redaction:
    kind: SecretKind
    start: int
    end: int
