"""Reply suggestions and macros, pure."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tandem.copilot.similar import cluster, rank_similar
from tandem.copilot.suggest import (
    ResolvedCase,
    bare_abuse,
    from_past_cases,
    rank_for_situation,
    render_macro,
    situation_queries,
)

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


@dataclass(frozen=True)
class Found:
    slug: str
    score: float


def test_a_situation_is_looked_up_by_each_recent_statement_and_the_last_two_together() -> None:
    said = ["hi", "the lamp broke", "after 3 months", "what now?", "hello??"]
    queries = situation_queries(said)
    assert queries[:4] == ["hello??", "what now?", "after 3 months", "the lamp broke"]
    assert queries[4] == "what now? hello??"
    assert situation_queries(["only this"]) == ["only this"]


def test_an_article_counts_with_its_best_probability_over_the_situation() -> None:
    latest = [Found("contact-hours", 0.3)]
    earlier = [Found("damaged-on-arrival", 0.9), Found("contact-hours", 0.1)]
    ranked = rank_for_situation([latest, earlier], limit=3, min_score=0.2)
    assert [a.slug for a in ranked] == ["damaged-on-arrival", "contact-hours"]


def test_ties_go_to_the_more_recent_statement_and_the_limit_holds() -> None:
    found = [[Found("b", 0.5)], [Found("a", 0.5), Found("c", 0.4), Found("d", 0.3)]]
    assert [a.slug for a in rank_for_situation(found, limit=2, min_score=0.0)] == ["b", "a"]


def test_no_article_likely_enough_leaves_the_panel_empty() -> None:
    found = [[Found("gift-cards", 0.12)], [Found("cookies", 0.05)]]
    assert rank_for_situation(found, limit=3, min_score=0.2) == []


@pytest.mark.parametrize(
    ("scores", "bare"),
    [
        pytest.param({"abuse": 0.9998, "anger": 0.79}, True, id="an-insult-alone"),
        pytest.param({"abuse": 0.56, "anger": 0.58}, False, id="a-problem-stated-with-an-insult"),
        pytest.param({"abuse": 0.97, "order_problem": 0.8}, False, id="abuse-and-an-order-problem"),
        pytest.param({}, False, id="nothing-read"),
    ],
)
def test_only_bare_abuse_is_left_out_of_what_agents_get_articles_for(
    scores: dict[str, float], bare: bool
) -> None:
    assert bare_abuse(scores) is bare
