"""What an audit reports: a finding names the problem, the articles, and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class FindingKind(StrEnum):
    MODEL_INSTRUCTION = "model_instruction"
    DUPLICATE = "duplicate"
    CONTRADICTION = "contradiction"
    STALE = "stale"
    BROKEN_LINK = "broken_link"
    UNUSED = "unused"
    GAP = "gap"


@dataclass(frozen=True, slots=True)
class Finding:
    kind: FindingKind
    articles: tuple[str, ...]  # titles
    detail: str
    fix: str

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "articles": list(self.articles),
            "detail": self.detail,
            "fix": self.fix,
        }


@dataclass(frozen=True, slots=True)
class AuditArticle:
    """An article as the detectors see it: no database, no clock."""

    slug: str
    title: str
    body: str
    last_reviewed: date | None = None
