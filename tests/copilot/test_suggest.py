"""Reply suggestions and macros, pure."""

from __future__ import annotations

from tandem.copilot.similar import cluster, rank_similar
from tandem.copilot.suggest import ResolvedCase, from_past_cases, render_macro

CASES = [
    ResolvedCase("a", "my parcel arrived damaged", ("Hi!", "Sorry, I have sent a replacement.")),
    ResolvedCase("b", "how do I change my delivery address", ("Edit it under My orders.",)),
    ResolvedCase("c", "the parcel was damaged in transit", ("Sorry, I have sent a replacement.",)),
    ResolvedCase("d", "damaged parcel, nobody answered", ()),
]


def test_replies_come_from_the_most_similar_resolved_cases_once_each() -> None:
    suggestions = from_past_cases("my parcel is damaged", CASES)
    assert [s.text for s in suggestions] == ["Sorry, I have sent a replacement."]
    assert suggestions[0].score > 0.2


def test_nothing_similar_suggests_nothing() -> None:
    assert from_past_cases("do you sell sheds", CASES) == []
    assert from_past_cases("the", CASES) == []


def test_rank_and_cluster() -> None:
    texts = ["refund for my order", "where is my refund", "garden sheds", "sheds in the garden"]
    assert rank_similar("refund please", texts, limit=1, min_score=0.1)[0][0] in (0, 1)
    assert sorted(map(sorted, cluster(texts, min_score=0.3))) == [[0, 1], [2, 3]]


def test_macros_fill_known_variables_and_leave_the_rest_to_edit() -> None:
    body = "Hi {customer_name}, {agent_name} here about order {order_number} {unknown}."
    filled = render_macro(body, {"customer_name": "Sam", "agent_name": "Ana", "order_number": None})
    assert filled == "Hi Sam, Ana here about order {order_number} {unknown}."
