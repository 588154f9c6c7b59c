"""Sites an admin allowed to embed the chat widget (besides TANDEM_WIDGET_ORIGINS)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tandem.core.db import Base
from tandem.core.time import utc_now


class WidgetOrigin(Base):
    __tablename__ = "widget_origins"

    origin: Mapped[str] = mapped_column(String(300), primary_key=True)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
