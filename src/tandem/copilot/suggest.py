"""Reply suggestions from past resolutions, and saved replies with variables. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from tandem.copilot.similar import rank_similar

MIN_SIMILARITY = 0.2
# The customer's statements read for articles: the latest first, then those before it.
SITUATION_TURNS = 4
_VARIABLE = re.compile(r"\{(\w+)\}")
MACRO_VARIABLES = ("customer_name", "agent_name", "order_number")


@dataclass(frozen=True, slots=True)
class ResolvedCase:
    """A past conversation a person resolved: what the customer said and what the person wrote."""

    conversation_id: str
    customer_text: str
    agent_replies: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    text: str
    source: str  # where it comes from, shown to the agent
    score: float


def best_reply(replies: Sequence[str]) -> str | None:
    """Pick the reply that carried the answer: the longest, greetings being short."""
    return max(replies, key=len) if replies else None


def from_past_cases(
    latest: str, cases: Sequence[ResolvedCase], *, limit: int = 3
) -> list[Suggestion]:
    """Suggest what people replied in resolved conversations most like ``latest``."""
    usable = [c for c in cases if c.agent_replies]
    ranked = rank_similar(
        latest, [c.customer_text for c in usable], limit=limit * 3, min_score=MIN_SIMILARITY
    )
    seen: set[str] = set()
    suggestions = []
    for index, score in ranked:
        reply = best_reply(usable[index].agent_replies)
        if reply is None or reply in seen:
            continue
        seen.add(reply)
        suggestions.append(Suggestion(reply, "a similar resolved conversation", round(score, 2)))
        if len(suggestions) == limit:
            break
    return suggestions


class Scored(Protocol):
    """An article found for a question, with the answer model's probability that it answers."""

    @property
    def slug(self) -> str: ...

    @property
    def score(self) -> float: ...


ArticleT = TypeVar("ArticleT", bound=Scored)


# What a message may say about the customer's problem, as the turn reader scores it.
PROBLEM_SIGNALS = ("order_problem", "complaint", "not_helped", "adverse_request", "fraud", "legal")
# A message the reader is this sure is abuse is abuse through and through; a problem stated
# with an insult ("my refund never came, you useless idiots": 0.56) scores far lower.
BARE_ABUSE = 0.9


def bare_abuse(scores: Mapping[str, float]) -> bool:
    """Whether a message, by its reading's scores, is abuse and says nothing of a problem
    ("you are all useless idiots"): nothing to look up for the agent."""
    return scores.get("abuse", 0.0) >= BARE_ABUSE and all(
        scores.get(signal, 0.0) < 0.5 for signal in PROBLEM_SIGNALS
    )


def situation_queries(statements: Sequence[str]) -> list[str]:
    """What to look up for a situation: each of the customer's recent statements, latest
    first, and the last two read together (a follow-up only makes sense with its question).
    """
    recent = list(statements[-SITUATION_TURNS:])
    queries = list(reversed(recent))
    if len(recent) >= 2:
        queries.append(f"{recent[-2]} {recent[-1]}")
    return queries


def rank_for_situation(
    found: Sequence[Sequence[ArticleT]], *, limit: int, min_score: float
) -> list[ArticleT]:
    """Merge the articles found for each query of :func:`situation_queries` (in its order).

    An article counts with its best probability over the queries, since it helps the agent if
    it answers any of the customer's statements; ties go to the more recent statement. Articles
    under ``min_score`` are left out: an empty panel is better than an irrelevant article.
    """
    best: dict[str, tuple[float, int, ArticleT]] = {}
    for position, articles in enumerate(found):
        for article in articles:
            known = best.get(article.slug)
            if known is None or article.score > known[0]:
                best[article.slug] = (article.score, position, article)
    ranked = sorted(best.values(), key=lambda item: (-item[0], item[1]))
    return [article for score, _, article in ranked if score >= min_score][:limit]


def render_macro(body: str, values: Mapping[str, str | None]) -> str:
    """Fill ``{variable}`` placeholders; an unknown or missing value stays visible to edit."""

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return value if value else match.group(0)

    return _VARIABLE.sub(fill, body)
