"""Deliveries to a real HTTP receiver, and a server killed with SIGKILL mid-burst.

The receiver is the one test double here: it stands for the company's own endpoint.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sqlite3
import subprocess
import threading
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tandem.channels.webhooks import destinations, service, signing, tasks
from tandem.channels.webhooks.models import WebhookDelivery
from tandem.channels.webhooks.tasks import webhook_pass
from tandem.config import Settings
from tandem.conversations import service as conversation_service
from tandem.conversations.models import Author
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.core.errors import InvalidInputError
from tandem.core.events import InProcessNotifier
from tandem.core.outbox import OUTBOX_CHANNEL
from tandem.demo.seed import DEMO_USERS
from tests.conftest import in_fresh_thread, make_database
from tests.live import _seed, free_port, tandem_serve, wait_ready
from tests.waiting import eventually
from tests.webhook_receiver import Post, Receiver

ADMIN = next(u for u in DEMO_USERS if u.email.startswith("admin@"))


@pytest.fixture(autouse=True)
def pull_policy() -> None:
    """These tests commit: they use their own database, not the shared one."""


@pytest.fixture
async def factory(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    database, _ = make_database("sqlite", tmp_path)
    engine = create_engine(database.url)
    yield create_sessionmaker(engine)
    await engine.dispose()


def _signed(post: Post, secret: str) -> bool:
    return signing.verify(
        secret,
        message_id=post.headers["webhook-id"],
        timestamp=int(post.headers["webhook-timestamp"]),
        body=post.body,
        signature_header=post.headers["webhook-signature"],
    )


async def test_a_receiver_that_fails_gets_the_same_signed_event_again(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    with Receiver(statuses=[500]) as receiver:
        async with transaction(factory) as session:
            subscription = await service.do_subscribe(
                session, url=receiver.url, events=["message.created"], user=None,
                require_https=False,
            )  # fmt: skip
            secret = subscription.secret
            conversation, _customer, _token = await conversation_service.start_conversation(
                session, identity=None, identity_secret=None
            )
            await conversation_service.append_message(
                session, conversation, author=Author.CUSTOMER, text="Is my parcel lost?"
            )
        async with httpx.AsyncClient(timeout=10) as client:
            first = await webhook_pass(factory, client)
            assert (first.fanned_out, first.retrying, first.delivered) == (1, 1, 0)
            async with transaction(factory) as session:  # the 5 s retry comes due now
                await session.execute(
                    update(WebhookDelivery).values(next_attempt_at=WebhookDelivery.created_at)
                )
            second = await webhook_pass(factory, client)
            assert second.delivered == 1
        posts = receiver.wait_for(lambda p: len(p) == 2)
    assert posts[0].headers["webhook-id"] == posts[1].headers["webhook-id"]
    assert all(_signed(p, secret) for p in posts)
    assert posts[1].json["type"] == "message.created"
    assert posts[1].json["data"]["text"] == "Is my parcel lost?"
    assert posts[1].headers["content-type"] == "application/json"


# ---- SIGKILL during a burst -------------------------------------------------------------------


def _serve(
    database_url: str, port: int, log: Path
) -> AbstractContextManager[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "TANDEM_ENVIRONMENT": "test",
        "TANDEM_DATABASE_URL": database_url,
        "TANDEM_WEBHOOK_INTERVAL_SECONDS": "1",
        "TANDEM_CONVERSATIONS_PER_IP": "100000",
        "TANDEM_MESSAGES_PER_CONVERSATION": "100000",
        "TANDEM_MESSAGES_PER_IP": "100000",
    }
    env.pop("TANDEM_REDIS_URL", None)
    return tandem_serve(["--port", str(port)], env, log)


def _burst(url: str, stop: threading.Event) -> None:
    """Customers writing as fast as one client can, until the server is gone."""
    with httpx.Client(base_url=url, timeout=30) as http:
        number = 0
        while not stop.is_set():
            try:
                started = http.post("/api/v1/conversations", json={})
                chat = started.json()
                for _ in range(3):
                    number += 1
                    http.post(
                        f"/api/v1/conversations/{chat['id']}/messages",
                        json={"text": f"where is order {number}?", "client_msg_id": f"m{number}"},
                        headers={"Authorization": f"Bearer {chat['token']}"},
                    )
            except (httpx.HTTPError, ValueError, KeyError):
                return


def _event_ids(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT event_id FROM outbox_events")}


def test_every_event_committed_before_a_sigkill_is_delivered_after_restart(
    tmp_path: Path,
) -> None:
    database, _ = in_fresh_thread(lambda: make_database("sqlite", tmp_path))
    in_fresh_thread(lambda: asyncio.run(_seed(Settings(database_url=database.url), None)))
    path = tmp_path / "tandem.db"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with Receiver() as receiver:
        with _serve(database.url, port, tmp_path / "first.log") as server:
            wait_ready(url, server, tmp_path / "first.log")
            secret = _subscribe(url, receiver.url)
            stop = threading.Event()
            burst = threading.Thread(target=_burst, args=(url, stop), daemon=True)
            burst.start()
            receiver.wait_for(lambda posts: len(posts) >= 150, timeout=300)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            stop.set()
            burst.join(timeout=60)
        committed = _event_ids(path)
        assert len(committed) >= 150
        with _serve(database.url, port, tmp_path / "second.log") as server:
            wait_ready(url, server, tmp_path / "second.log")
            posts = receiver.wait_for(
                lambda got: committed <= {p.headers["webhook-id"] for p in got}, timeout=300
            )
    assert all(_signed(p, secret) for p in posts)
    seen = {p.headers["webhook-id"] for p in posts}  # what a receiver deduplicating by id keeps
    assert committed <= seen  # nothing committed was lost
    assert seen <= _event_ids(path)  # and nothing was sent that did not happen


def _subscribe(url: str, receiver_url: str) -> str:
    with httpx.Client(base_url=url, timeout=30) as http:
        login = http.post(
            "/api/v1/auth/login", json={"email": ADMIN.email, "password": ADMIN.password}
        )
        assert login.status_code == 200, login.text
        created = http.post(
            "/api/v1/webhooks",
            json={"url": receiver_url, "events": ["*"]},
            headers={"X-CSRF-Token": login.json()["csrf_token"]},
        )
        assert created.status_code == 201, created.text
        secret: str = created.json()["secret"]
        return secret


async def test_in_production_a_receiver_at_a_private_address_is_refused(
    factory: async_sessionmaker[AsyncSession],
) -> None:
    with Receiver() as receiver:
        async with transaction(factory) as session:
            await service.do_subscribe(
                session, url=receiver.url, events=["*"], user=None, require_https=False
            )
            await conversation_service.start_conversation(
                session, identity=None, identity_secret=None
            )
        async with httpx.AsyncClient(timeout=10) as client:
            report = await webhook_pass(factory, client, block_private=True)
        assert (report.delivered, report.retrying) == (0, 1)
        assert receiver.posts == []
        async with transaction(factory, write=False) as session:
            [(delivery, _event)] = await service.deliveries(session)
        assert delivery.last_error is not None
        assert "127.0.0.1, which is not a public address" in delivery.last_error


@pytest.mark.parametrize(
    "url",
    ["https://127.0.0.1/hooks", "https://localhost/hooks", "https://10.1.2.3/h", "https://[::1]/h"],
)
async def test_in_production_a_private_url_cannot_be_subscribed(
    factory: async_sessionmaker[AsyncSession], url: str
) -> None:
    async with transaction(factory) as session:
        with pytest.raises(InvalidInputError, match="not a public address"):
            await service.do_subscribe(
                session, url=url, events=["*"], user=None, require_https=True, public_only=True
            )


async def test_a_public_address_may_receive_webhooks() -> None:
    assert await destinations.refusal("https://93.184.216.34/hooks") is None


async def test_a_stream_of_outbox_wake_ups_is_served_by_few_passes(
    factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    passes: list[float] = []

    async def counted(*_args: object, **_kwargs: object) -> tasks.PassReport:
        passes.append(asyncio.get_running_loop().time())
        return tasks.PassReport()

    monkeypatch.setattr(tasks, "webhook_pass", counted)
    notifier = InProcessNotifier()
    monkeypatch.setattr(tasks, "get_notifier", lambda: notifier)
    worker = asyncio.create_task(tasks.webhooks_forever(factory, every=600, gather_seconds=0.5))
    try:
        await eventually(lambda: _is(len(passes) == 1))  # the first pass, at start
        for _ in range(40):  # 40 commits over about 0.4 s
            await notifier.publish(OUTBOX_CHANNEL)
            await asyncio.sleep(0.01)
        await eventually(lambda: _is(len(passes) >= 2))  # the last commit gets its pass
        await asyncio.sleep(1.2)
    finally:
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
    # Passes at least half a second apart, each taking what was committed meanwhile.
    assert 2 <= len(passes) <= 10, passes  # one per commit would be 41
    assert all(b - a >= 0.5 for a, b in itertools.pairwise(passes)), passes


async def _is(value: bool) -> bool:
    return value
