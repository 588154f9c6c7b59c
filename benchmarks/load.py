"""Load on a deployment of this machine: web processes, a job runner, PostgreSQL and Redis.

Creates a fresh PostgreSQL database with the demo shop and a redis-server of its own, starts
the processes, and drives them from this process over HTTP:

1. ceiling: `bare_stack.py` served like Tandem (two processes) stores a customer message and
   publishes its wake-up; CONVERSATIONS clients send as fast as answers come back.
2. turns: the same clients send customer messages to `tandem serve --workers 2`
   (TANDEM_JOB_RUNNER=separate, one `tandem worker`); each gets the bot's reply. A client
   starts a new conversation every few messages, so the bot answers rather than hands off.
   Prints messages a second, latency p50/p95, the servers' CPU per message, and the ratio to
   the ceiling measured in the same run.
3. streams: STREAMS customers follow their conversations live from one `tandem serve` process,
   while messages are sent through another. Prints the memory per stream, the time from a send
   to its arrival on the customer's stream (p50/p95), the same during an OUTAGE-second Redis
   outage (the streams fall back to reading the database every second), and whether every
   message arrived once.
4. agents: AGENT_CONVERSATIONS customers ask for a person and an agent claims each (through
   the API, with a token); the customers follow their conversations live from one `tandem
   serve` process while the agent replies through another at AGENT_RATE replies a second.
   Prints the time from the agent's send to its arrival on the customer's stream (p50/p95).
5. crashes: 40 clients ask questions through two `tandem serve` processes for SECONDS, with
   answers worded by a stand-in model (an OpenAI-compatible server in this process that
   declines after 0.3 s, so each answer is the passage) in jobs; the job runner is killed
   with SIGKILL a third of the way in and a web process at two thirds, each restarted 2 s
   later; a failed send is sent again, same client_msg_id, to the other process. Then it
   compares what clients were told was stored with the database: messages lost, answers
   posted twice or missing, replies still pending.

Usage: .venv/bin/python benchmarks/load.py [--conversations 200] [--seconds 20]
           [--streams 2000] [--outage 25] [--agent-conversations 500] [--agent-rate 50]
           [--only ceiling,turns,streams,agents,crashes]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import aiohttp.web
import asyncpg
import httpx

from tandem import migrations
from tandem.auth import service as auth_service
from tandem.auth import tokens
from tandem.auth.models import Presence, TokenScope
from tandem.config import Settings
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.time import utc_now
from tandem.demo import GOLDEN_QUESTIONS
from tandem.demo.seed import DEMO_USERS, seed
from tandem.knowledge.regression import read_golden

POSTGRES_ADMIN = os.environ.get(
    "TANDEM_TEST_POSTGRES_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/test"
)
HERE = Path(__file__).resolve().parent
TANDEM = str(Path(sys.executable).with_name("tandem"))
MESSAGES_PER_CONVERSATION = 4
QUESTIONS = [q.question for q in read_golden(GOLDEN_QUESTIONS) if q.article]
Client = aiohttp.ClientSession
T = TypeVar("T")
UNLIMITED = "1000000"
REDIS_SERVER = (
    shutil.which("redis-server") or "/usr/bin/redis-server"
)  # the per-address limits: every client here has the same address


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def ms(values: list[float]) -> str:
    return (
        f"p50 {1000 * statistics.median(values):.0f} ms, p95 {1000 * quantile(values, 0.95):.0f} ms"
    )


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU of these processes and their children that still run."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in _with_children(pids):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _with_children(pids: list[int]) -> list[int]:
    found = list(pids)
    for pid in pids:
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            found += _with_children([int(c) for c in children])
    return found


# -- the deployment ---------------------------------------------------------------------------


@dataclass
class Deployment:
    database_url: str
    redis_port: int
    folder: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    redis: subprocess.Popen[bytes] | None = None

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "TANDEM_ENVIRONMENT": "test",
            "TANDEM_DATABASE_URL": self.database_url,
            "TANDEM_REDIS_URL": self.redis_url,
            "TANDEM_JOB_RUNNER": "separate",
            "TANDEM_LOG_LEVEL": "warning",
            "TANDEM_MODEL_DIR": str(self.folder / "models"),
            "TANDEM_CONVERSATIONS_PER_IP": UNLIMITED,
            "TANDEM_MESSAGES_PER_IP": UNLIMITED,
            "TANDEM_MESSAGES_PER_CONVERSATION": UNLIMITED,
            "PYTHONPATH": str(HERE),
            **extra,
        }

    def start(self, name: str, command: list[str], **extra: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 - our own commands
            command, env=self.env(**extra), stdout=log, stderr=log, start_new_session=True
        )
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(  # noqa: S603 - our own command
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save",
             "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: _port_open(self.redis_port), "redis-server")

    def kill_redis(self) -> None:
        if self.redis is not None:
            self.redis.kill()
            self.redis.wait()
            self.redis = None

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")[-3000:]


def _port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def wait_for(check: Callable[[], bool], what: str, within: float = 300) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} was not up in {within:.0f} s")
        time.sleep(0.2)


def ready(url: str, path: str = "/readyz") -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(url + path, timeout=5).status_code == 200
    return False


@contextlib.contextmanager
def deployment() -> Iterator[Deployment]:
    name = f"tandem_load_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    url = f"{base}/{name}"
    with tempfile.TemporaryDirectory() as tmp:
        found = Deployment(url, free_port(), Path(tmp))
        try:
            migrations.upgrade(url)
            asyncio.run(_seed(url))
            found.start_redis()
            yield found
        finally:
            for process in reversed(found.processes):
                found.stop(process)
            found.kill_redis()
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _seed(url: str) -> None:
    engine = create_engine(url)
    try:
        async with transaction(create_sessionmaker(engine)) as session:
            await seed(session)
    finally:
        await engine.dispose()
    Settings(database_url=url)  # the settings the servers will read are valid


# -- 1 and 2: customer messages -----------------------------------------------------------------


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    driver_cpu: float = 0.0  # this process's CPU seconds while driving

    @property
    def driver_share(self) -> str:
        return f"the driver used {self.driver_cpu / self.seconds:.0%} of a core"

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


async def drive(
    url: str,
    clients: int,
    seconds: float,
    say: Callable[[Client, int], Awaitable[float]],
) -> Run:
    """Each client sends, waits for the answer, sends again, until ``seconds`` have passed."""
    run = Run()
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(url, connector=connector, timeout=timeout) as http:
        deadline = time.monotonic() + seconds
        started = time.monotonic()
        cpu = time.process_time()

        async def client(number: int) -> None:
            turn = 0
            while time.monotonic() < deadline:
                try:
                    run.latencies.append(await say(http, number * 1_000_000 + turn))
                except (aiohttp.ClientError, TimeoutError, AssertionError):
                    run.errors += 1
                turn += 1

        await asyncio.gather(*(client(n) for n in range(clients)))
        run.seconds = time.monotonic() - started
        run.driver_cpu = time.process_time() - cpu
    return run


async def post(http: Client, path: str, body: object, *, expect: int, token: str = "") -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with http.post(path, json=body, headers=headers) as answer:
        text = await answer.text()
        assert answer.status == expect, text
        return json.loads(text)


class Bare:
    def __init__(self) -> None:
        self.conversation: dict[int, str] = {}

    async def say(self, http: Client, turn: int) -> float:
        client = turn // 1_000_000
        if turn % MESSAGES_PER_CONVERSATION == 0 or client not in self.conversation:
            self.conversation[client] = (await post(http, "/bare", {}, expect=200))["id"]
        started = time.perf_counter()
        text = QUESTIONS[turn % len(QUESTIONS)]
        await post(http, f"/bare/{self.conversation[client]}", {"text": text}, expect=200)
        return time.perf_counter() - started


class Customers:
    def __init__(self) -> None:
        self.conversation: dict[int, tuple[str, str]] = {}

    async def say(self, http: Client, turn: int) -> float:
        client = turn // 1_000_000
        if turn % MESSAGES_PER_CONVERSATION == 0 or client not in self.conversation:
            started = await post(http, "/api/v1/conversations", {}, expect=201)
            self.conversation[client] = started["id"], started["token"]
        conversation_id, token = self.conversation[client]
        started_at = time.perf_counter()
        body = {"text": QUESTIONS[turn % len(QUESTIONS)], "client_msg_id": uuid.uuid4().hex}
        path = f"/api/v1/conversations/{conversation_id}/messages"
        await post(http, path, body, expect=201, token=token)
        return time.perf_counter() - started_at


async def start_conversation(http: httpx.AsyncClient) -> tuple[str, str]:
    started = await http.post("/api/v1/conversations", json={})
    assert started.status_code == 201, started.text
    body = started.json()
    return body["id"], body["token"]


def measure_messages(found: Deployment, args: argparse.Namespace, only: set[str]) -> None:
    ceiling: Run | None = None
    if "ceiling" in only:
        port = free_port()
        bare = found.start(
            "bare",
            [sys.executable, "-m", "uvicorn", "bare_stack:create", "--factory", "--workers", "2",
             "--port", str(port), "--log-level", "warning"],
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: ready(url, "/docs"), "the bare stack")
        before = cpu_seconds([bare.pid])
        ceiling = asyncio.run(drive(url, args.conversations, args.seconds, Bare().say))
        cpu = cpu_seconds([bare.pid]) - before
        found.stop(bare)
        print(
            f"ceiling (store + wake-up, 2 processes): {ceiling.rate:.0f} messages/s, "
            f"{ms(ceiling.latencies)}, {ceiling.errors} errors; "
            f"server CPU {1000 * cpu / max(1, len(ceiling.latencies)):.1f} ms per message; "
            f"{ceiling.driver_share}"
        )
    if "turns" not in only:
        return
    port = free_port()
    web = found.start("web", [TANDEM, "serve", "--workers", "2", "--port", str(port)])
    worker = found.start("worker", [TANDEM, "worker"])
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: ready(url), "tandem serve", within=600)
    asyncio.run(drive(url, 4, 3, Customers().say))  # warm: each process's first turns
    before = cpu_seconds([web.pid])
    turns = asyncio.run(drive(url, args.conversations, args.seconds, Customers().say))
    cpu = cpu_seconds([web.pid]) - before
    print(
        f"customer messages with bot replies ({args.conversations} conversations, 2 processes): "
        f"{turns.rate:.0f} messages/s, {ms(turns.latencies)}, {turns.errors} errors; "
        f"server CPU {1000 * cpu / max(1, len(turns.latencies)):.1f} ms per message; "
        f"{turns.driver_share}"
    )
    if ceiling is not None:
        print(f"  ratio to the ceiling: {turns.rate / ceiling.rate:.2f} of its rate")
    found.stop(web)
    found.stop(worker)


# -- 3: streams ---------------------------------------------------------------------------------


@dataclass
class Streams:
    arrivals: dict[tuple[str, int], float] = field(default_factory=dict)
    duplicates: int = 0
    connected: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def until(self, check: Callable[[], bool], *, within: float) -> None:
        """Wait until ``check`` holds after a change, or ``within`` seconds have passed."""
        deadline = time.monotonic() + within
        while not check() and (left := deadline - time.monotonic()) > 0:
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)


async def follow(
    http: httpx.AsyncClient, conversation_id: str, token: str, streams: Streams
) -> None:
    async with http.stream(
        "GET",
        f"/api/v1/conversations/{conversation_id}/stream",
        headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"},
    ) as response:
        streams.connected += 1
        streams.changed.set()
        async for line in response.aiter_lines():
            if line.startswith("id:"):
                key = (conversation_id, int(line[3:].strip()))
                if key in streams.arrivals:
                    streams.duplicates += 1
                streams.arrivals[key] = time.perf_counter()
                streams.changed.set()


Send = Callable[[httpx.AsyncClient, str, str], Awaitable[int | None]]


async def customer_says(http: httpx.AsyncClient, conversation_id: str, token: str) -> int | None:
    """Post a customer message; return its sequence number (None when refused)."""
    answer = await http.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "where is my parcel?", "client_msg_id": uuid.uuid4().hex},
        headers={"Authorization": f"Bearer {token}"},
    )
    return int(answer.json()["message"]["seq"]) if answer.status_code == 201 else None


async def send_and_time(
    http: httpx.AsyncClient,
    conversations: list[tuple[str, str]],
    streams: Streams,
    *,
    seconds: float,
    rate: float,
    send: Send = customer_says,
) -> tuple[list[float], int]:
    """Send ``rate`` messages a second for ``seconds``; return the send-to-stream times."""
    sent: list[tuple[str, int, float]] = []

    async def one(conversation_id: str, token: str) -> None:
        started = time.perf_counter()
        seq = await send(http, conversation_id, token)
        if seq is not None:
            sent.append((conversation_id, seq, started))

    tasks = []
    for number in range(int(seconds * rate)):
        conversation_id, token = conversations[number % len(conversations)]
        tasks.append(asyncio.create_task(one(conversation_id, token)))
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*tasks)
    await streams.until(lambda: all((c, s) in streams.arrivals for c, s, _ in sent), within=30)
    times = [streams.arrivals[(c, s)] - t for c, s, t in sent if (c, s) in streams.arrivals]
    return times, len(sent) - len(times)


@contextlib.asynccontextmanager
async def clients(
    reader_url: str, sender_url: str, followers: int
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """A client that sends, and one with room for ``followers`` streams."""
    limits = httpx.Limits(max_connections=followers + 10, max_keepalive_connections=0)
    timeout = httpx.Timeout(120, read=None)
    async with (
        httpx.AsyncClient(base_url=sender_url, timeout=timeout) as sender,
        httpx.AsyncClient(base_url=reader_url, timeout=timeout, limits=limits) as reader,
    ):
        yield sender, reader


async def in_batches(count: int, batch: int, make: Callable[[], Awaitable[T]]) -> list[T]:
    """``count`` results of ``make``, ``batch`` at a time."""
    made: list[T] = []
    while len(made) < count:
        made += await asyncio.gather(*(make() for _ in range(min(batch, count - len(made)))))
    return made


async def measure_streams_async(
    found: Deployment, reader_url: str, sender_url: str, reader_pid: int, args: argparse.Namespace
) -> None:
    async with clients(reader_url, sender_url, args.streams) as (sender, reader):
        conversations = await in_batches(args.streams, 50, lambda: start_conversation(sender))
        before = rss_bytes(reader_pid)
        streams = Streams()
        followers = [asyncio.create_task(follow(reader, c, t, streams)) for c, t in conversations]
        await streams.until(lambda: streams.connected >= args.streams, within=600)
        await asyncio.sleep(5)  # each stream has read its history
        per_stream = (rss_bytes(reader_pid) - before) / args.streams
        print(
            f"streams: {args.streams} held by one process, "
            f"{per_stream / 1024:.0f} KB of memory each"
        )
        normal, lost = await send_and_time(sender, conversations, streams, seconds=10, rate=20)
        print(f"  send to the customer's stream (Redis up): {ms(normal)}, {lost} lost")
        found.kill_redis()
        outage, lost_out = await send_and_time(
            sender, conversations, streams, seconds=args.outage, rate=20
        )
        found.start_redis()
        print(
            f"  during a {args.outage:.0f} s Redis outage: {ms(outage)}, {lost_out} lost, "
            f"{streams.duplicates} delivered twice"
        )
        for task in followers:
            task.cancel()
        await asyncio.gather(*followers, return_exceptions=True)


@contextlib.contextmanager
def reader_and_sender(found: Deployment, tag: str = "") -> Iterator[tuple[str, str, int]]:
    """Two `tandem serve` processes and a worker: customers follow their streams from the
    first (the reader), messages are sent through the second. Yields both URLs and the
    reader's pid."""
    reader_port, sender_port = free_port(), free_port()
    reader = found.start(f"reader{tag}", [TANDEM, "serve", "--port", str(reader_port)])
    sender = found.start(f"sender{tag}", [TANDEM, "serve", "--port", str(sender_port)])
    worker = found.start(f"worker{tag or '-streams'}", [TANDEM, "worker"])
    urls = [f"http://127.0.0.1:{p}" for p in (reader_port, sender_port)]
    for url in urls:
        wait_for(lambda url=url: ready(url), "tandem serve", within=600)
    try:
        yield urls[0], urls[1], reader.pid
    finally:
        for process in (reader, sender, worker):
            found.stop(process)


def measure_streams(found: Deployment, args: argparse.Namespace) -> None:
    with reader_and_sender(found) as (reader_url, sender_url, reader_pid):
        asyncio.run(measure_streams_async(found, reader_url, sender_url, reader_pid, args))


# -- 4: agents' replies reaching customers ------------------------------------------------------


async def _agent_token(url: str) -> str:
    """A token for a demo agent with room for every conversation of the run."""
    engine = create_engine(url)
    try:
        async with transaction(create_sessionmaker(engine)) as session:
            agent = await auth_service.find_user(session, DEMO_USERS[0].email)
            assert agent is not None
            agent.capacity = 1_000_000
            # At their desk; check_in keeps them there, so nothing is requeued.
            agent.presence, agent.last_seen_at = Presence.ONLINE, utc_now()
            created = await tokens.create(session, user=agent, name="load", scope=TokenScope.WRITE)
    finally:
        await engine.dispose()
    return created.token


async def check_in(http: httpx.AsyncClient, agent: dict[str, str]) -> None:
    """Say "online" every 30 s, as an agent's own desk on the API does (no console open)."""
    while True:
        await http.post("/api/v1/agent/me/presence", json={"presence": "online"}, headers=agent)
        await asyncio.sleep(30)


async def handed_to_a_person(http: httpx.AsyncClient, agent: dict[str, str]) -> tuple[str, str]:
    """A conversation whose customer asked for a person, claimed by the agent."""
    conversation_id, token = await start_conversation(http)
    await http.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "I want to speak to a human", "client_msg_id": uuid.uuid4().hex},
        headers={"Authorization": f"Bearer {token}"},
    )
    claimed = await http.post(f"/api/v1/agent/conversations/{conversation_id}/claim", headers=agent)
    assert claimed.status_code == 200, claimed.text
    return conversation_id, token


async def measure_agents_async(
    found: Deployment, reader_url: str, sender_url: str, args: argparse.Namespace
) -> None:
    agent = {"Authorization": f"Bearer {await _agent_token(found.database_url)}"}
    async with clients(reader_url, sender_url, args.agent_conversations) as (sender, reader):
        present = asyncio.create_task(check_in(sender, agent))
        conversations = await in_batches(
            args.agent_conversations, 20, lambda: handed_to_a_person(sender, agent)
        )
        streams = Streams()
        followers = [asyncio.create_task(follow(reader, c, t, streams)) for c, t in conversations]
        await streams.until(lambda: streams.connected >= len(conversations), within=600)
        await asyncio.sleep(5)  # each stream has read its history

        async def agent_says(
            http: httpx.AsyncClient, conversation_id: str, _token: str
        ) -> int | None:
            answer = await http.post(
                f"/api/v1/agent/conversations/{conversation_id}/messages",
                json={
                    "text": "Thanks for waiting, I'm looking into it.",
                    "client_msg_id": uuid.uuid4().hex,
                },
                headers=agent,
            )
            return int(answer.json()["seq"]) if answer.status_code == 201 else None

        times, lost = await send_and_time(
            sender,
            conversations,
            streams,
            seconds=args.seconds,
            rate=args.agent_rate,
            send=agent_says,
        )
        print(
            f"agent replies: {len(conversations)} claimed conversations followed live from one "
            f"process, {args.agent_rate:g} replies a second sent through another for "
            f"{args.seconds:g} s: send to the customer's stream {ms(times)}, {lost} lost, "
            f"{streams.duplicates} delivered twice"
        )
        for task in (*followers, present):
            task.cancel()
        await asyncio.gather(*followers, present, return_exceptions=True)


def measure_agents(found: Deployment, args: argparse.Namespace) -> None:
    with reader_and_sender(found, "-agents") as (reader_url, sender_url, _pid):
        asyncio.run(measure_agents_async(found, reader_url, sender_url, args))


# -- 5: kill -9 of a web process and of the job runner, mid-run --------------------------------

MODEL_SECONDS = 0.3  # the fake model's think time: a kill often lands while it is asked
CRASH_CLIENTS = 40


@dataclass
class CrashRun:
    acknowledged: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # per chat
    retries: int = 0
    gave_up: int = 0
    asked: int = 0  # requests the model received


async def fake_model(port: int, run: CrashRun) -> aiohttp.web.AppRunner:
    """An OpenAI-compatible stand-in (the model vendor is a third party): it declines, so each
    answer is the passage, after MODEL_SECONDS."""

    async def completions(_request: aiohttp.web.Request) -> aiohttp.web.Response:
        run.asked += 1
        await asyncio.sleep(MODEL_SECONDS)
        message = {"role": "assistant", "content": "NOT IN PASSAGES"}
        return aiohttp.web.json_response({"choices": [{"message": message}]})

    app = aiohttp.web.Application()
    app.router.add_post("/v1/chat/completions", completions)
    runner = aiohttp.web.AppRunner(app)
    await runner.setup()
    await aiohttp.web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


async def crash_client(urls: list[str], number: int, until: float, run: CrashRun) -> None:
    """Ask questions in conversations of four; a send that fails is sent again, with the same
    client_msg_id, to the other server."""
    turn = 0
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        while time.monotonic() < until:
            chat = await _retried(http, urls, number, "/api/v1/conversations", {}, "", run)
            if chat is None:
                continue
            conversation_id, token = chat["id"], chat["token"]
            for _ in range(MESSAGES_PER_CONVERSATION):
                turn += 1
                body = {"text": QUESTIONS[(number + turn) % len(QUESTIONS)],
                        "client_msg_id": f"crash-{number}-{turn}"}  # fmt: skip
                path = f"/api/v1/conversations/{conversation_id}/messages"
                sent = await _retried(http, urls, number, path, body, token, run)
                if sent is not None:
                    run.acknowledged.setdefault(conversation_id, []).append(
                        (body["client_msg_id"], int(sent["message"]["seq"]))
                    )


async def _retried(
    http: Client, urls: list[str], number: int, path: str, body: object, token: str, run: CrashRun
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    for attempt in range(30):
        url = urls[(number + attempt) % len(urls)]
        try:
            async with http.post(url + path, json=body, headers=headers) as answer:
                if answer.status in (200, 201):
                    return await answer.json()
        except (aiohttp.ClientError, TimeoutError):
            pass
        run.retries += 1
        await asyncio.sleep(0.5)
    run.gave_up += 1
    return None


async def _settled(database_url: str, within: float) -> int:
    """Wait until no reply is pending (or ``within`` seconds); return how many still are."""
    connection = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        deadline = time.monotonic() + within
        while True:
            left = int(await connection.fetchval("SELECT count(*) FROM pending_replies"))
            if not left or time.monotonic() > deadline:
                return left
            await asyncio.sleep(1)
    finally:
        await connection.close()


async def _audit(database_url: str, run: CrashRun) -> dict[str, int]:
    """Compare what the clients were told was stored with what the database holds."""
    connection = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        stored = {
            (r["conversation_id"], r["client_msg_id"]): r["seq"]
            for r in await connection.fetch(
                "SELECT conversation_id, client_msg_id, seq FROM messages "
                "WHERE author = 'customer' AND client_msg_id LIKE 'crash-%'"
            )
        }
        typing = dict(await connection.fetch(
            "SELECT conversation_id, count(*) FROM conversation_events "
            "WHERE kind = 'conversation.bot_typing' GROUP BY conversation_id"
        ))  # fmt: skip
        answers = dict(await connection.fetch(
            "SELECT conversation_id, count(*) FROM messages "
            "WHERE author = 'bot' AND data->>'kind' = 'answer' GROUP BY conversation_id"
        ))  # fmt: skip
        with_bot = {
            r["id"]
            for r in await connection.fetch("SELECT id FROM conversations WHERE status = 'bot'")
        }
    finally:
        await connection.close()
    acknowledged = [(c, m, seq) for c, sent in run.acknowledged.items() for m, seq in sent]
    lost = sum((c, m) not in stored for c, m, _ in acknowledged)
    moved = sum(stored.get((c, m), seq) != seq for c, m, seq in acknowledged)
    reordered = sum(
        any(a[1] >= b[1] for a, b in pairwise(sent)) for sent in run.acknowledged.values()
    )
    return {
        "acknowledged": len(acknowledged),
        "lost": lost,
        "seq changed": moved,
        "conversations reordered": reordered,
        "answers posted twice": sum(max(0, answers.get(c, 0) - n) for c, n in typing.items()),
        "answers missing": sum(
            max(0, n - answers.get(c, 0)) for c, n in typing.items() if c in with_bot
        ),
        "replies worded": sum(typing.values()),
    }


async def measure_crashes_async(found: Deployment, args: argparse.Namespace) -> None:
    run = CrashRun()
    model_port = free_port()
    model = await fake_model(model_port, run)
    extra = {
        "TANDEM_LLM_URL": f"http://127.0.0.1:{model_port}/v1",
        "TANDEM_RECOVER_INTERVAL_SECONDS": "5",
        "TANDEM_JOB_STALLED_SECONDS": "10",
    }
    ports = [free_port(), free_port()]
    urls = [f"http://127.0.0.1:{p}" for p in ports]

    def web(number: int) -> subprocess.Popen[bytes]:
        return found.start(
            f"crash-web{number}", [TANDEM, "serve", "--port", str(ports[number])], **extra
        )

    servers = [web(0), web(1)]
    worker = found.start("crash-worker", [TANDEM, "worker"], **extra)
    for url in urls:
        await asyncio.to_thread(wait_for, lambda url=url: ready(url), "tandem serve", 600)
    until = time.monotonic() + args.seconds
    clients = [asyncio.create_task(crash_client(urls, n, until, run)) for n in range(CRASH_CLIENTS)]
    await asyncio.sleep(args.seconds / 3)
    os.killpg(worker.pid, signal.SIGKILL)  # the job runner, mid-run
    await asyncio.sleep(2)
    worker = found.start("crash-worker", [TANDEM, "worker"], **extra)
    await asyncio.sleep(args.seconds / 3 - 2)
    os.killpg(servers[0].pid, signal.SIGKILL)  # a web process, mid-request
    await asyncio.sleep(2)
    servers[0] = web(0)
    await asyncio.gather(*clients)
    left = await _settled(found.database_url, within=180)
    audit = await _audit(found.database_url, run)
    print(
        f"kill -9 mid-run ({CRASH_CLIENTS} clients for {args.seconds:g} s, two web processes and "
        f"a job runner, answers worded by a stand-in model taking {MODEL_SECONDS:g} s): the job "
        f"runner killed at a third, a web process at two thirds, each restarted 2 s later"
    )
    print(
        "  "
        + ", ".join(f"{name} {value}" for name, value in audit.items())
        + f", replies still pending {left}, sends retried {run.retries}, given up {run.gave_up}, "
        f"model asked {run.asked}"
    )
    for process in (*servers, worker):
        found.stop(process)
    await model.cleanup()


def measure_crashes(found: Deployment, args: argparse.Namespace) -> None:
    asyncio.run(measure_crashes_async(found, args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--streams", type=int, default=2000)
    parser.add_argument("--outage", type=float, default=25)
    parser.add_argument("--agent-conversations", type=int, default=500)
    parser.add_argument("--agent-rate", type=float, default=50)
    parser.add_argument("--only", default="ceiling,turns,streams,agents,crashes")
    args = parser.parse_args()
    only = set(args.only.split(","))
    with deployment() as found:
        try:
            measure_messages(found, args, only)
            if "streams" in only:
                measure_streams(found, args)
            if "agents" in only:
                measure_agents(found, args)
            if "crashes" in only:
                measure_crashes(found, args)
        except Exception:
            for name in (
                "web",
                "worker",
                "bare",
                "reader",
                "sender",
                "reader-agents",
                "sender-agents",
            ):
                with contextlib.suppress(OSError):
                    print(f"--- {name}.log\n{found.log(name)}", file=sys.stderr)
            raise
    print(json.dumps({"done": True}))


if __name__ == "__main__":
    main()
