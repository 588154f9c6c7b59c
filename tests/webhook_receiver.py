"""A company's webhook receiver, as a test double: a real local HTTP server that records posts.

It answers each post with the next status of ``statuses`` (200 once they run out), and keeps
what it got, so tests can check headers, signatures and which events arrived.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from tests.server_process import Startable


@dataclass(frozen=True, slots=True)
class Post:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


class Receiver(Startable):
    def __init__(self, statuses: list[int] | None = None) -> None:
        self.posts: list[Post] = []
        self.statuses = list(statuses or [])
        self._lock = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                if len(body) < length:  # the sender died mid-request: nothing was delivered
                    self.close_connection = True
                    return
                with receiver._lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.posts.append(
                        Post(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    receiver._lock.notify_all()
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_for(self, predicate: Any, *, timeout: float = 60.0) -> list[Post]:
        """Wait until ``predicate(posts)`` holds; return the posts (raise on timeout)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate(self.posts):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"the receiver got {len(self.posts)} posts, not what was awaited"
                    )
                self._lock.wait(left)
            return list(self.posts)
