"""A stopped server closes its live streams and exits; nothing waits on an open stream."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx

from tests.live import served_on_sqlite


def test_sigterm_ends_the_open_streams_and_the_server_exits(tmp_path: Path) -> None:
    with served_on_sqlite(tmp_path, {}) as (url, server):
        chat = httpx.post(f"{url}/api/v1/conversations", json={}, timeout=30).json()
        headers = {"Authorization": f"Bearer {chat['token']}"}
        stream = f"{url}/api/v1/conversations/{chat['id']}/stream"
        with httpx.stream("GET", stream, headers=headers, timeout=60) as response:
            assert response.status_code == 200
            server.send_signal(signal.SIGTERM)
            for _ in response.iter_bytes():  # returns when the server closes the stream
                pass
        # uvicorn shuts down, then re-raises the signal it caught: -SIGTERM is a clean stop.
        assert server.wait(timeout=60) in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in (tmp_path / "server.log").read_text()
