"""How long from a change to its webhook landing at the receiver?

Creates a fresh database (SQLite in a temporary folder, or a new PostgreSQL database with
--postgres), subscribes a local HTTP receiver to every event, runs the webhook worker as
`tandem serve` does, and writes EVENTS messages, each in its own transaction, at a steady
RATE per second. Prints the delivery latency (the event's commit time to its arrival at the
receiver) as median and 95th percentile, the throughput, and whether every event arrived once.

Usage: .venv/bin/python benchmarks/webhooks.py [--events 500] [--rate 100] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import threading
import time
import uuid
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import asyncpg

from tandem import migrations
from tandem.channels.webhooks import service
from tandem.channels.webhooks.tasks import webhooks_forever
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author
from tandem.core.db import create_engine, create_sessionmaker, transaction

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


class Arrivals:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.at: dict[str, float] = {}  # webhook-id -> arrival (epoch seconds)
        self.sent: dict[str, float] = {}  # webhook-id -> the event's timestamp
        self.duplicates = 0


def receiver(arrivals: Arrivals) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            now = time.time()
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            event_id = self.headers["webhook-id"]
            stamp = datetime.fromisoformat(json.loads(body)["timestamp"]).timestamp()
            with arrivals.lock:
                if event_id in arrivals.at:
                    arrivals.duplicates += 1
                else:
                    arrivals.at[event_id], arrivals.sent[event_id] = now, stamp
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


async def database(postgres: bool, folder: Path) -> tuple[str, str | None]:
    if not postgres:
        return f"sqlite+aiosqlite:///{folder / 'bench.db'}", None
    name = f"tandem_bench_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(POSTGRES_ADMIN)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}", name


async def run(events: int, rate: float, postgres: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url, pg_name = await database(postgres, Path(folder))
        await asyncio.to_thread(migrations.upgrade, url)
        engine = create_engine(url)
        factory = create_sessionmaker(engine)
        arrivals = Arrivals()
        server = receiver(arrivals)
        async with transaction(factory) as session:
            await service.do_subscribe(
                session,
                url=f"http://127.0.0.1:{server.server_address[1]}/hooks",
                events=["*"],
                user=None,
                require_https=False,
            )
            conversation, _customer, _token = await conversation_service.start_conversation(
                session, identity=None, identity_secret=None
            )
        worker = asyncio.create_task(webhooks_forever(factory, every=5.0))
        started = time.perf_counter()
        for number in range(events - 1):  # the conversation's start was the first event
            async with transaction(factory) as session:
                stored = await conversation_service.get_conversation(session, conversation.id)
                await conversation_service.append_message(
                    session, stored, author=Author.CUSTOMER, text=f"message {number}"
                )
            await asyncio.sleep(max(0.0, (number + 1) / rate - (time.perf_counter() - started)))
        deadline = time.monotonic() + 120
        while len(arrivals.at) < events and time.monotonic() < deadline:  # noqa: ASYNC110 - filled by the receiver thread
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
        server.shutdown()
        await engine.dispose()
        if pg_name:
            connection = await asyncpg.connect(POSTGRES_ADMIN)
            await connection.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            await connection.close()
    latencies = sorted((arrivals.at[k] - arrivals.sent[k]) * 1000 for k in arrivals.at)
    backend = "PostgreSQL" if postgres else "SQLite"
    print(f"webhooks on {backend}: {events} events written at {rate:g}/s, one per transaction")
    print(f"  arrived: {len(arrivals.at)} of {events} ({arrivals.duplicates} duplicate posts)")
    if latencies:
        p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        print(f"  latency, commit to receiver: median {statistics.median(latencies):.1f} ms, "
              f"p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms")  # fmt: skip
    print(f"  throughput: {len(arrivals.at) / elapsed:.0f} deliveries/s over {elapsed:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--rate", type=float, default=100.0, help="events written per second")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    arguments = parser.parse_args()
    asyncio.run(run(arguments.events, arguments.rate, arguments.postgres))


if __name__ == "__main__":
    main()
