"""Knowledge articles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tandem.core.db import Base
from tandem.core.time import utc_now


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    last_reviewed: Mapped[date | None]
    source_path: Mapped[str | None] = mapped_column(String(1000))
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class StoredVector(Base):
    """One text's vector from one encoder, kept so that no process encodes the same text twice.

    ``key`` is :func:`tandem.knowledge.index.vector_key` (SHA-256 of how the text is read and
    what it says); ``vector`` is little-endian float32.
    """

    __tablename__ = "knowledge_vectors"

    encoder: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
