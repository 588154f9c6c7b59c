"""Write the answer text: the passage itself, or a model's wording that passes the checks.

Runs only after the escalation policy chose to answer, so no model can stop a handoff.
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


async def compose(
    retrieval: Retrieval, *, question: str, writer: AnswerWriter | None, threshold: float
) -> Composed:
    """Return the best passage, or a grounded rewording of the best passages with citations."""
    assert retrieval.best is not None
    best = retrieval.best.passage
    extractive = Composed(best.text, [_source(best.slug, best.title)])
    if writer is None:
        return extractive
    hits = [retrieval.best] + [
        h for h in retrieval.hits if h is not retrieval.best and h.score >= threshold
    ]
    hits = hits[:MAX_PASSAGES]
    # Sentences that talk to a model are no knowledge: the model never sees them, and an
    # answer cannot rest on them.
    passages = [Passage(without_model_instructions(h.passage.text), h.passage.title) for h in hits]
    draft = await writer.write(question=question, passages=passages)
    if draft is None:
        return extractive
    links = [knowledge_service.article_url(h.passage.slug) for h in hits]
    grounding = check(draft, [p.text for p in passages], links=links)
    if not grounding.ok:
        return Composed(extractive.text, extractive.sources, problems=list(grounding.problems))
    sources: dict[str, dict[str, str]] = {}
    for index in grounding.cited:
        passage = hits[index].passage
        sources.setdefault(passage.slug, _source(passage.slug, passage.title))
    return Composed(draft, list(sources.values()), generated=True)
