"""The retention period: old conversations lose their words, customers left with nothing are
forgotten, open and recent ones are untouched, and a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from tandem.bot import service as bot_service
from tandem.cli import app
from tandem.config import Settings, get_settings
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Conversation, ConversationStatus, Customer, Message, Tier
from tandem.core.errors import InvalidInputError
from tandem.core.time import utc_now
from tandem.privacy import service as privacy_service
from tests.factories import import_demo_knowledge

DAYS = 90


async def _chat(
    session: AsyncSession, settings: Settings, email: str, said: str, *, age_days: int
) -> Conversation:
    await conversation_service.ensure_customer(
        session, email=email, name=email.split("@")[0], tier=Tier.STANDARD
    )
    customer = (await session.execute(select(Customer).where(Customer.email == email))).scalar_one()
    config = bot_service.config_from(settings)
    conversation, _token = await bot_service.start(
        session, identity=None, identity_secret=None, config=config, customer=customer
    )
    await bot_service.receive(session, conversation, text=said, client_msg_id="1", config=config)
    then = utc_now() - timedelta(days=age_days)
    conversation.updated_at = then
    customer.created_at = then
    await session.flush()
    return conversation


async def _texts(session: AsyncSession, conversation: Conversation) -> list[str]:
    query = select(Message.text).where(Message.conversation_id == conversation.id)
    return list((await session.execute(query)).scalars())


async def test_conversations_past_the_period_are_erased_and_their_customers_forgotten(
    session: AsyncSession, settings: Settings
) -> None:
    await import_demo_knowledge(session)
    old = await _chat(session, settings, "old@example.com", "my address is 1 Elm Row", age_days=120)
    recent = await _chat(
        session, settings, "new@example.com", "how long do refunds take?", age_days=5
    )
    waiting = await _chat(
        session, settings, "wait@example.com", "I need a person now", age_days=120
    )
    assert waiting.status is ConversationStatus.WAITING

    report = await privacy_service.apply_retention(session, days=DAYS)

    assert report.conversations == 1
    assert report.customers == 1
    assert set(await _texts(session, old)) == {privacy_service.EXPIRED}
    assert old.erased_at is not None
    assert "how long do refunds take?" in await _texts(session, recent)
    assert "I need a person now" in await _texts(session, waiting)  # a person is still on it
    forgotten = await session.get(Customer, old.customer_id)
    assert forgotten is not None
    assert (forgotten.email, forgotten.name) == (None, None)
    kept = (await session.execute(select(Customer.email))).scalars().all()
    assert {"new@example.com", "wait@example.com"} <= set(kept)

    again = await privacy_service.apply_retention(session, days=DAYS)
    assert (again.conversations, again.customers) == (0, 0)


async def test_the_period_is_at_least_a_day(session: AsyncSession) -> None:
    with pytest.raises(InvalidInputError, match="at least 1 day"):
        await privacy_service.apply_retention(session, days=0)


def test_the_command_needs_a_period_and_reports_what_it_erased(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANDEM_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'r.db'}")
    monkeypatch.delenv("TANDEM_RETENTION_DAYS", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        unset = runner.invoke(app, ["customer", "retention", "--yes"])
        assert unset.exit_code == 1
        assert "TANDEM_RETENTION_DAYS" in unset.output
        ran = runner.invoke(app, ["customer", "retention", "--days", "30", "--yes"])
        assert ran.exit_code == 0, ran.output
        assert "Erased 0 conversation(s) quiet for more than 30 days" in ran.output
    finally:
        get_settings.cache_clear()
