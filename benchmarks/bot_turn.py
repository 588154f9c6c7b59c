"""Latency of a customer turn (store, retrieve, detect, decide, answer) and of retrieval alone,
and the CPU time of a turn with and without the encoders' share (the ``tandem_encoder_*``
metrics), since the encoders are most of it.

Runs on a fresh SQLite database with the demo knowledge base, in process, through the real API.
Usage: .venv/bin/python benchmarks/bot_turn.py [--turns 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import httpx
from demo_database import demo_database

from tandem.app import create_app
from tandem.config import Settings
from tandem.core import metrics
from tandem.core.db import transaction
from tandem.demo import GOLDEN_QUESTIONS
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.regression import read_golden

GOLDEN = GOLDEN_QUESTIONS


def encoder_cpu_seconds() -> float:
    """CPU the encoders have used in this process (the ``tandem_encoder_cpu_seconds`` metric)."""
    return sum(
        sample.value
        for family in metrics.REGISTRY.collect()
        if family.name == "tandem_encoder_cpu_seconds"
        for sample in family.samples
        if sample.name.endswith("_total")
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, values: list[float]) -> None:
    print(
        f"{name:<28} n={len(values):<5} median={statistics.median(values):7.2f} ms   "
        f"p95={percentile(values, 0.95):7.2f} ms   max={max(values):7.2f} ms"
    )


async def main(turns: int) -> None:
    questions = [q.question for q in read_golden(GOLDEN)]
    async with demo_database() as db:
        url = db.url
        async with transaction(db.factory) as session:
            await knowledge_service.retrieve(session, "warm up")
            retrieval: list[float] = []
            for question in questions:
                started = time.perf_counter()
                await knowledge_service.retrieve(session, question)
                retrieval.append((time.perf_counter() - started) * 1000)

        # One client sends every turn: the per-address abuse limits would answer 429.
        unlimited = {"conversations_per_ip": 10**6, "messages_per_ip": 10**6}
        app = create_app(Settings(database_url=url, environment="test", **unlimited))
        transport = httpx.ASGITransport(app=app)
        turn_ms: list[float] = []
        async with (
            app.router.lifespan_context(app),  # as served: warm-up, start-up objects frozen
            httpx.AsyncClient(transport=transport, base_url="http://bench") as http,
        ):
            cpu, encoding = time.process_time(), encoder_cpu_seconds()
            n = 0
            while n < turns:
                started_conv = (await http.post("/api/v1/conversations", json={})).json()
                auth = {"Authorization": f"Bearer {started_conv['token']}"}
                # Two answerable questions per conversation keep the bot (not a person) replying.
                for question in (questions[n % 106], questions[(n + 1) % 106]):
                    started = time.perf_counter()
                    response = await http.post(
                        f"/api/v1/conversations/{started_conv['id']}/messages",
                        json={"text": question, "client_msg_id": f"b{n}"},
                        headers=auth,
                    )
                    turn_ms.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 201, response.text
                    n += 1
            cpu_ms = (time.process_time() - cpu) * 1000 / n
            encoder_ms = (encoder_cpu_seconds() - encoding) * 1000 / n
        await app.state.engine.dispose()

    print("Tandem bot benchmark (SQLite, demo knowledge base, one process)")
    report("retrieval only", retrieval)
    report("customer turn over the API", turn_ms)
    print(
        f"CPU per customer turn (all threads, the client's share included): {cpu_ms:.1f} ms, "
        f"of which encoding {encoder_ms:.1f} ms; without the encoders {cpu_ms - encoder_ms:.1f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=200)
    asyncio.run(main(parser.parse_args().turns))
