"""National identity numbers are removed when they pass their format's check, and only then."""

from __future__ import annotations

import pytest

from tandem.privacy.redaction import SecretKind, find_secrets, redact


def removed(text: str) -> list[str]:
    return [text[r.start : r.end] for r in find_secrets(text) if r.kind is SecretKind.NATIONAL_ID]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("mijn BSN is 123456782", "123456782"),
        ("BSN: 123 456 782", "123 456 782"),
        ("rijksregisternummer 85.07.30-033.28 graag", "85.07.30-033.28"),
        ("meine Steuer-ID ist 86095742719", "86095742719"),
        ("numéro de sécu 1 84 12 76 451 089 46", "1 84 12 76 451 089 46"),
        ("il mio codice fiscale è RSSMRA85T10A562S", "RSSMRA85T10A562S"),
        ("DNI 12345678Z", "12345678Z"),
        ("mi NIE es x-1234567-l", "x-1234567-l"),
        ("o meu NIF é 123456789", "123456789"),
        ("cartão de cidadão 00000000 0 ZZ4", "00000000 0 ZZ4"),
        ("PESEL 44051401359", "44051401359"),
        ("AHV-Nummer 756.9217.0769.85", "756.9217.0769.85"),
        ("my ssn is 536-22-1234", "536-22-1234"),
        ("身份证号11010519491231002X谢谢", "11010519491231002X"),
    ],
)
def test_each_supported_format_with_its_name_is_removed(text: str, number: str) -> None:
    assert removed(text) == [number]
    assert "[ID number removed]" in redact(text)[0]


def test_a_valid_number_without_a_name_is_removed_and_one_glued_to_its_name_too() -> None:
    assert removed("for the verification: 123456782") == ["123456782"]
    assert removed("BSN123456782, groetjes") == ["123456782"]
    assert removed("here it is 536-22-1234") == ["536-22-1234"]
    assert removed("CFRSSMRA85T10A562S per la fattura") == ["RSSMRA85T10A562S"]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("我的身份证号是11010519491231002X，谢谢", "11010519491231002X"),  # glued to Chinese
        ("荷兰的BSN是123456782，需要吗", "123456782"),
        ("ID: 110105 19491231 002X", "110105 19491231 002X"),
        ("DNI 12.345.678-Z por favor", "12.345.678-Z"),
        ("C.F. RSSMRA 85T10 A562S", "RSSMRA 85T10 A562S"),
        # A codice fiscale is unmistakable: it counts even where "order" was said before.
        ("for the order, my tax code: RSSMRA85T10A562S", "RSSMRA85T10A562S"),
    ],
)
def test_numbers_written_the_way_people_write_them(text: str, number: str) -> None:
    assert removed(text) == [number]


@pytest.mark.parametrize(
    "text",
    [
        "my order 123456782 has not arrived",  # named as an order number
        "Telefon 44051401359",
        "tracking 12345678Z",  # a DNI-like number named as another; strong formats count anyway
        "BSN 123456783",  # wrong check digit
        "DNI 12345678A",  # wrong letter
        "VAT number GB123456782 on the invoice",  # glued to a country code: a VAT number
        "parcel LX123456782GB",
        "IBAN IT60 X054 2811 1010 0000 0123 456",  # an IBAN's digits are no identity number
        "PESEL 01712345678",  # a birth date in the 23rd century
        "my number is 536221234",  # nine bare digits: a Social Security number only if named
        "NIF da empresa: 503456799",  # a company's NIF (5...) is no person's number
        "Ordernummer 123456782",
    ],
)
def test_look_alikes_stay(text: str) -> None:
    assert removed(text) == []


def test_a_bare_nine_digit_number_counts_as_a_social_security_number_after_its_name() -> None:
    assert removed("SSN 536221234") == ["536221234"]


def test_a_card_number_stays_a_card_number() -> None:
    assert [r.kind for r in find_secrets("here: 3782 822463 10005")] == [SecretKind.CARD]
