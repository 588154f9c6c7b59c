"""A real Tandem server on a free local port, in a thread, for stream and browser tests."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import httpx
import uvicorn
from fastapi import FastAPI

from tandem.app import create_app
from tandem.config import Settings
from tandem.core.db import create_engine, create_sessionmaker, transaction
from tandem.demo import ACTIONS_DIR
from tandem.demo.seed import seed
from tandem.escalation import service as escalation_service
from tests.conftest import drop_pg_database, in_fresh_thread, make_database, settings_for

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def held_socket() -> socket.socket:
    """Return a socket bound to a free port on 127.0.0.1, held until a server serves on it.

    A port only looked up (``free_port``) can be taken by another process before the server
    binds it; a CI run lost the single-sign-on test that way.
    """
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def tandem_serve(
    arguments: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """``tandem serve ARGUMENTS`` with exactly ``env``, in its own process group; stopped after."""
    with tandem_command(["serve", *arguments], env, log) as server:
        yield server


@contextmanager
def tandem_command(
    arguments: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """``tandem ARGUMENTS`` with exactly ``env``, in its own process group, its stderr appended
    to ``log``; stopped (SIGTERM, then SIGKILL) after."""
    tandem = Path(sys.executable).with_name("tandem")
    with log.open("ab") as output:
        server = subprocess.Popen(
            [str(tandem), *arguments],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=output,
            start_new_session=True,
        )
        try:
            yield server
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@contextmanager
def served_on_sqlite(
    tmp_path: Path, env: dict[str, str]
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A demo-seeded SQLite database served by ``tandem serve`` (one process), once ready."""
    database, _ = in_fresh_thread(lambda: make_database("sqlite", tmp_path))
    in_fresh_thread(lambda: asyncio.run(_seed(Settings(database_url=database.url), None)))
    port = free_port()
    environment = {
        **os.environ,
        "TANDEM_ENVIRONMENT": "test",
        "TANDEM_DATABASE_URL": database.url,
        **env,
    }
    environment.pop("TANDEM_REDIS_URL", None)  # in-process events: one process
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    with tandem_serve(["--port", str(port)], environment, log) as server:
        wait_ready(url, server, log)
        yield url, server


def wait_ready(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Wait for ``/readyz`` to answer 200; raise with the server's log if it exits first."""
    deadline = time.monotonic() + 180  # the server loads its models first
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(log.read_text())
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server at {url} was not ready in 180 s:\n{log.read_text()}")


async def _seed(settings: Settings, policy: str | None) -> None:
    engine = create_engine(settings.database_url)
    try:
        async with transaction(create_sessionmaker(engine)) as session:
            await seed(session)
            if policy is not None:
                await escalation_service.save_policy(
                    session, document=policy, comment="test server", user_id=None
                )
    finally:
        await engine.dispose()


class LiveServer:
    """Serves a migrated, demo-seeded database until ``stop``."""

    def __init__(
        self,
        backend: str,
        tmp_dir: Path,
        *,
        policy: str | None = None,
        actions: bool = False,
        settings: dict[str, object] | None = None,
        sock: socket.socket | None = None,
    ) -> None:
        database, self.pg_name = in_fresh_thread(lambda: make_database(backend, tmp_dir))
        self._socket = sock or held_socket()
        self.port = int(self._socket.getsockname()[1])
        shop: dict[str, object] = {}
        if actions:  # the demo shop's actions, calling its backend mounted on this server
            shop = {
                "actions_dir": ACTIONS_DIR,
                "demo_backend": True,
                "actions_base_url": f"http://127.0.0.1:{self.port}/demo-backend",
            }
        self.settings = settings_for(
            database.url,
            port=self.port,
            demo_identities=True,
            average_handle_seconds=120,
            sweep_interval_seconds=1.0,
            **shop,
            **(settings or {}),
        )
        in_fresh_thread(lambda: asyncio.run(_seed(self.settings, policy)))
        self.app = create_app(self.settings)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=lambda: self._server.run(sockets=[self._socket]), daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the live server did not start")
            time.sleep(0.05)
        return self

    def run(self, work: Callable[[FastAPI], Awaitable[T]]) -> T:
        """Run ``work(app)`` on the server's own event loop and return its result.

        For what only the server's process can reach, such as its in-memory job queue. ``work``
        bounds its own waits (``tests.waiting.eventually``); this one only guards a hung loop.
        """
        loop = self._server.servers[0].get_loop()
        return asyncio.run_coroutine_threadsafe(work(self.app), loop).result(timeout=100)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
        if self.pg_name:
            drop_pg_database(self.pg_name)
