"""Each checkable fact in a model's answer must be stated by the passages it was given."""

from __future__ import annotations

import pytest

from tandem.llm.claims import ClaimKind, Support, claims, unsupported
from tandem.llm.grounding import check

RETURNS = (
    "You can return most items within 30 days of delivery. A return label costs €4.95, "
    "or it is free for Pine Points members. Start a return at "
    "https://pebbleandpine.example/returns or write to returns@pebbleandpine.example. "
    "We refund within 2 business days."
)
SHIPPING = "We ship to all EU countries, Norway and Switzerland. We do not ship to the USA."


def kinds(text: str) -> set[tuple[ClaimKind, str]]:
    return {(c.kind, c.value) for c in claims(text)}


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("It costs €4.95.", (ClaimKind.AMOUNT, "EUR 4.95")),
        ("It costs 4,95 EUR.", (ClaimKind.AMOUNT, "EUR 4.95")),
        ("It costs 5 euros.", (ClaimKind.AMOUNT, "EUR 5")),
        ("Within 5–7 business days.", (ClaimKind.QUANTITY, "7 business day")),
        ("Within 30 days.", (ClaimKind.QUANTITY, "30 day")),
        ("Within thirty days.", (ClaimKind.NUMBER, "30")),
        ("Ready by Friday.", (ClaimKind.DAY, "friday")),
        (
            "See www.pebble-refunds.example.net/claim now",
            (ClaimKind.LINK, "pebble-refunds.example.net/claim"),
        ),
        ("See /kb/price-match.", (ClaimKind.LINK, "/kb/price-match")),
        ("Mail help@elsewhere.example.", (ClaimKind.EMAIL, "help@elsewhere.example")),
        ("Call +44 20 7946 0958 today.", (ClaimKind.PHONE, "442079460958")),
        ("Use the code SAVE50 at checkout.", (ClaimKind.CODE, "SAVE50")),
        ("I have issued your refund.", (ClaimKind.DEED, "i have issued")),
        ("Your refund has been approved.", (ClaimKind.DEED, "has been approved")),
    ],
)
def test_claims_are_found_and_normalised(text: str, claim: tuple[ClaimKind, str]) -> None:
    assert claim in kinds(text)


@pytest.mark.parametrize(
    ("sentence", "supported"),
    [
        ("A return label costs 4.95 euros.", True),
        ("A return label costs €5.", False),
        ("You have 30 days to send it back.", True),
        ("You have 60 days to send it back.", False),
        ("You have 30 weeks to send it back.", False),
        ("Start at pebbleandpine.example/returns.", True),
        ("Start at https://pebble-pine-refunds.example.net/returns.", False),
        ("Write to returns@pebbleandpine.example.", True),
        ("Write to refunds@pebbleandpine.example.", False),
        ("Use code PINE2026 for free returns.", False),
        ("I have processed your return.", False),
        ("We refund within 2 business days.", True),
    ],
)
def test_claims_rest_on_the_passages(sentence: str, supported: bool) -> None:
    assert (not unsupported(sentence, Support.of([RETURNS]))) is supported


def test_a_link_may_be_a_cited_articles_own_page() -> None:
    support = Support.of([SHIPPING], links=["/kb/shipping-countries"])
    assert not unsupported("Details: /kb/shipping-countries", support)
    assert unsupported("Details: /kb/free-gifts", support)


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        ("No, we do not ship to the USA [1].", True),
        ("Yes, we ship to the USA [1].", False),
        ("We ship to Norway and Switzerland [1].", True),
        ("We don't ship to Norway [1].", False),
        ("We ship to Norway. I have arranged a free delivery for you.", False),
        ("A return label costs €4.95 [2].", True),
        ("A return label costs €4.95 [2], and it is refunded by Friday.", False),
    ],
)
def test_an_answer_must_not_flip_or_add_to_the_passages(answer: str, ok: bool) -> None:
    grounding = check(answer, [SHIPPING, RETURNS])
    assert grounding.ok is ok, grounding.problems
