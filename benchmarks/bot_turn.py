"""Latency of a customer turn (store, retrieve, detect, decide, answer) and of retrieval alone.

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
from tandem.core.db import transaction
from tandem.demo import GOLDEN_QUESTIONS
from tandem.knowledge import service as knowledge_service
from tandem.knowledge.regression import read_golden

GOLDEN = GOLDEN_QUESTIONS


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

        app = create_app(Settings(database_url=url, environment="test"))
        transport = httpx.ASGITransport(app=app)
        turn_ms: list[float] = []
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
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
        await app.state.engine.dispose()

    print("Tandem bot benchmark (SQLite, demo knowledge base, one process)")
    report("retrieval only", retrieval)
    report("customer turn over the API", turn_ms)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=200)
    asyncio.run(main(parser.parse_args().turns))
