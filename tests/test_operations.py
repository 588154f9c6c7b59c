"""Operations endpoints: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.app import create_app
from tandem.config import Settings
from tandem.core import metrics
from tandem.core.events import get_notifier, set_notifier
from tandem.demo import KNOWLEDGE_DIR
from tandem.knowledge.importer import read_folder
from tandem.knowledge.index import dense_texts, indexed
from tests.channels.helpers import start_chat
from tests.conftest import settings_for
from tests.factories import import_demo_knowledge


def _samples(text: str) -> dict[str, float]:
    values: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            values[sample.name] = values.get(sample.name, 0.0) + sample.value
    return values


async def test_liveness_and_readiness_on_a_migrated_database(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    assert (await client.get("/healthz")).status_code == 200
    not_started = await client.get("/readyz")  # the job runner starts with the server
    assert not_started.status_code == 503
    assert not_started.json()["checks"]["jobs"]["ok"] is False
    async with app.router.lifespan_context(app):
        ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"]["schema"] == {"ok": True, "detail": "at head"}
    assert ready.json()["checks"]["jobs"] == {"ok": True, "detail": "embedded runner running"}


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


async def test_metrics_show_knowledge_index_builds_and_encoding(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    before = _samples((await client.get("/metrics")).text)
    await import_demo_knowledge(session)  # encodes the demo's passages once
    chat = await start_chat(client)
    await chat.say("how long do refunds take?")  # builds this database's index
    after = _samples((await client.get("/metrics")).text)

    def grew(name: str) -> float:
        return after.get(name, 0.0) - before.get(name, 0.0)

    assert grew("tandem_knowledge_index_build_seconds_count") >= 1
    assert after["tandem_knowledge_index_passages"] > 0
    demo = [indexed(a.slug, a.title, a.tags, a.body) for a in read_folder(KNOWLEDGE_DIR)]
    assert grew("tandem_knowledge_texts_encoded_total") == len(dense_texts(demo))  # on import
    assert after["tandem_knowledge_index_passages"] == sum(len(a.passages) for a in demo)


async def test_requests_are_counted_and_timed_by_route_template_and_status(
    client: httpx.AsyncClient,
) -> None:
    def sample(name: str, **labels: str) -> float:
        return metrics.REGISTRY.get_sample_value(name, labels) or 0.0

    ok = {"method": "GET", "route": "/healthz", "status": "200"}
    missing = {"method": "GET", "route": "/api/v1/conversations/{conversation_id}"}
    before = (
        sample("tandem_http_requests_total", **ok),
        sample("tandem_http_request_duration_seconds_count", route="/healthz"),
        sample("tandem_http_requests_total", **missing, status="404"),
    )
    for _ in range(2):
        assert (await client.get("/healthz")).status_code == 200
    assert (await client.get("/api/v1/conversations/nobody")).status_code == 404

    assert sample("tandem_http_requests_total", **ok) - before[0] == 2
    assert sample("tandem_http_request_duration_seconds_count", route="/healthz") - before[1] == 2
    assert sample("tandem_http_requests_total", **missing, status="404") - before[2] == 1
