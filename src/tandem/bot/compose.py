"""Write the answer text: the passage itself, or a model's wording that passes the checks.

Runs only after the escalation policy chose to answer, so no model can stop a handoff. The
model is asked in a job (``bot.answers``), from a ``Draft`` stored with the pending reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tandem.knowledge import service as knowledge_service
from tandem.knowledge.quality.instructions import without_model_instructions
from tandem.knowledge.service import Retrieval
from tandem.llm.grounding import check
from tandem.llm.provider import AnswerWriter, OpenAICompatibleWriter, Passage

MAX_PASSAGES = 3


@dataclass(frozen=True, slots=True)
class LLMConfig:
    url: str
    model: str
    api_key: str | None
    timeout_seconds: float


@dataclass(frozen=True, slots=True)
class Composed:
    text: str
    sources: list[dict[str, str]]
    generated: bool = False
    problems: list[str] = field(default_factory=list)  # why a generated answer was refused

    def data(self) -> dict[str, Any]:
        extra: dict[str, Any] = {"generated": True} if self.generated else {}
        if self.problems:
            extra["grounding_failed"] = self.problems
        return extra


def writer_for(config: LLMConfig | None) -> AnswerWriter | None:
    if config is None:
        return None
    return OpenAICompatibleWriter(
        url=config.url, model=config.model, api_key=config.api_key, timeout=config.timeout_seconds
    )


def _source(slug: str, title: str) -> dict[str, str]:
    return {"title": title, "slug": slug, "url": knowledge_service.article_url(slug)}


@dataclass(frozen=True, slots=True)
class Draft:
    """What a model is asked to word: the question and the passages it may rest on."""

    question: str
    passages: list[Passage]
    slugs: list[str]  # each passage's article

    def to_data(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "passages": [{"text": p.text, "title": p.title} for p in self.passages],
            "slugs": self.slugs,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Draft:
        return cls(
            question=data["question"],
            passages=[Passage(p["text"], p["title"]) for p in data["passages"]],
            slugs=list(data["slugs"]),
        )


def extractive(retrieval: Retrieval) -> Composed:
    """The best passage itself, with its article as the source."""
    assert retrieval.best is not None
    best = retrieval.best.passage
    return Composed(best.text, [_source(best.slug, best.title)])


def draft_for(retrieval: Retrieval, *, question: str, threshold: float) -> Draft:
    """The best passage and the others that clear ``threshold``, for a model to word."""
    assert retrieval.best is not None
    hits = [retrieval.best] + [
        h for h in retrieval.hits if h is not retrieval.best and h.score >= threshold
    ]
    hits = hits[:MAX_PASSAGES]
    # Sentences that talk to a model are no knowledge: the model never sees them, and an
    # answer cannot rest on them.
    return Draft(
        question=question,
        passages=[
            Passage(without_model_instructions(h.passage.text), h.passage.title) for h in hits
        ],
        slugs=[h.passage.slug for h in hits],
    )


async def word(draft: Draft, writer: AnswerWriter, fallback: Composed) -> Composed:
    """The model's wording of ``draft`` when it passes the checks; else ``fallback``."""
    text = await writer.write(question=draft.question, passages=draft.passages)
    if text is None:
        return fallback
    links = [knowledge_service.article_url(slug) for slug in draft.slugs]
    grounding = check(text, [p.text for p in draft.passages], links=links)
    if not grounding.ok:
        return Composed(fallback.text, fallback.sources, problems=list(grounding.problems))
    sources: dict[str, dict[str, str]] = {}
    for index in grounding.cited:
        slug, title = draft.slugs[index], draft.passages[index].title
        sources.setdefault(slug, _source(slug, title))
    return Composed(text, list(sources.values()), generated=True)
