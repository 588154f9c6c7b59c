"""Operations endpoints: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tandem.app import create_app
from tandem.config import Settings
from tandem.core.events import get_notifier, set_notifier
from tests.channels.helpers import start_chat
from tests.conftest import settings_for


def _samples(text: str) -> dict[str, float]:
    values: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            values[sample.name] = values.get(sample.name, 0.0) + sample.value
    return values


async def test_liveness_and_readiness_on_a_migrated_database(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).status_code == 200
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"]["schema"] == {"ok": True, "detail": "at head"}


async def test_not_ready_when_redis_is_configured_but_down(settings: Settings) -> None:
    previous = get_notifier()  # create_app installs a process-wide Redis notifier: put it back
    app = create_app(settings_for(settings.database_url, redis_url="redis://127.0.0.1:1/0"))
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as http:
            response = await http.get("/readyz")
    finally:
        await get_notifier().close()
        set_notifier(previous)
        await app.state.engine.dispose()
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


async def test_not_ready_when_the_database_is_unreachable() -> None:
    app = create_app(settings_for("postgresql+asyncpg://nobody@127.0.0.1:1/none", redis_url=None))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        response = await http.get("/readyz")
    await app.state.engine.dispose()
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False


async def test_metrics_count_turns_handoffs_and_requests(client: httpx.AsyncClient) -> None:
    before = _samples((await client.get("/metrics")).text)
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")
    await chat.say("I want to speak to a human")
    response = await client.get("/metrics")
    assert response.status_code == 200
    after = _samples(response.text)
    assert all(name.startswith("tandem_") for name in after if not name.startswith("python_"))
    assert after["tandem_bot_turns_total"] - before.get("tandem_bot_turns_total", 0) == 2
    assert after["tandem_handoffs_total"] - before.get("tandem_handoffs_total", 0) == 1
    assert after["tandem_queue_depth"] >= 1
    assert after["tandem_http_requests_total"] > before.get("tandem_http_requests_total", 0)
