"""Fuzzing the API from its OpenAPI document: no generated request may get a server error.

Schemathesis (Hypothesis underneath) generates requests for every operation of
``/openapi.json``, valid and invalid alike (odd strings, huge numbers, missing fields), and sends
them to a live server on PostgreSQL, which refuses more than SQLite does (NUL bytes, integer
overflow). Requests carry an admin's API token, so they get past authentication to the code
behind it. Any answer of 500 or more fails the test; 4xx with a clear message is the aim.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.schemas import APIOperation

from tandem.auth import service as auth_service
from tandem.auth import tokens
from tandem.auth.models import Role, TokenScope
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.demo.seed import DEMO_USERS
from tests.conftest import in_fresh_thread
from tests.live import LiveServer

# Generated examples per operation: enough to find what a fixed test misses, few enough for CI.
EXAMPLES = 12
# Operations that end the caller's own access would stop the rest of the run from going deep.
SKIPPED = ("/api/v1/auth/logout",)


async def _admin_token(database_url: str) -> str:
    engine = create_engine(database_url)
    try:
        async with transaction(create_sessionmaker(engine)) as session:
            admin = next(u for u in DEMO_USERS if u.role is Role.ADMIN)
            user = await auth_service.get_user_by_email(session, admin.email)
            made = await tokens.create(session, user=user, name="fuzz", scope=TokenScope.ADMIN)
            return made.token
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def live_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer("postgresql", tmp_path_factory.mktemp("fuzz")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def admin_headers(live_pg: LiveServer) -> dict[str, str]:
    token = in_fresh_thread(lambda: asyncio.run(_admin_token(live_pg.settings.database_url)))
    return {"Authorization": f"Bearer {token}"}


def _check(operation: APIOperation, headers: dict[str, str], problems: list[str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same requests every run: a failure here is a bug, not luck
        database=None,
    )
    @given(case=operation.as_strategy())
    def send(case: Case) -> None:
        response = case.call(headers={**(case.headers or {}), **headers})
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} answered {response.status_code}: "
            f"{response.text[:300]}\n{case.as_curl_command()}"
        )

    try:
        send()
    except AssertionError as failure:
        problems.append(str(failure))


def test_no_request_gets_a_server_error(live_pg: LiveServer, admin_headers: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_url(f"{live_pg.url}/openapi.json").exclude(
        path=list(SKIPPED)
    )
    problems: list[str] = []
    checked = 0
    for loaded in schema.get_all_operations():
        _check(loaded.ok(), admin_headers, problems)
        checked += 1
    assert checked > 50  # every operation of the document, not an empty one
    assert not problems, f"{len(problems)} operations answered 5xx:\n" + "\n\n".join(problems)
