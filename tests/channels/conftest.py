"""API tests run with an always-open policy whose queues are pulled by agents.

Tests of automatic assignment and business hours install their own policy.
"""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import install_policy, policy_document


@pytest.fixture(autouse=True)
async def pull_policy(session: AsyncSession) -> None:
    await install_policy(session, policy_document(assignment="pull"))
