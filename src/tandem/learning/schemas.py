"""API shapes for flagged bot answers."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from tandem.core.deps import MAX_ROW_ID
from tandem.learning.flags import MAX_ANSWER_CHARS, MAX_NOTE_CHARS


class AnswerFlagCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seq: int = Field(ge=1, le=MAX_ROW_ID, description="The bot answer's number in the timeline.")
    right_article: str | None = Field(
        default=None, max_length=200, description="Slug of the article that answers the question."
    )
    right_answer: str | None = Field(
        default=None, max_length=MAX_ANSWER_CHARS, description="The right answer, in words."
    )
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)


class AnswerFlagRead(BaseModel):
    id: int
    seq: int = Field(description="The flagged bot answer's number in the timeline.")
    flagged_by: str
    flagged_by_id: int | None
    question: str = Field(description="The customer's message the bot answered.")
    answered_article: str | None = Field(description="Slug of the article the bot answered from.")
    right_article: str | None
    right_answer: str | None
    note: str | None
    summary: str
    proposal_id: int | None = Field(description="What the flag put up for review.")
    created_at: datetime
    updated_at: datetime
